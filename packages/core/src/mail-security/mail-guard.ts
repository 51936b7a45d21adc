import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { PerimeterGuard } from "../exposure-audits/scan/perimeter-guard.ts";

export interface MailGuardOptions {
  /**
   * Tests only: also allow the private, loopback or reserved addresses of the given networks
   * (the test servers live on the loopback). Never set by the platform.
   */
  allowNonPublic?: boolean;
}

/** `::/96`: IPv4-compatible IPv6 addresses (deprecated), which may reach any IPv4 address. */
function isIpv4Compatible(addr: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return addr.kind() === "ipv6" && (addr as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0);
}

/** A literal public unicast address (neither private, loopback, link-local, reserved nor `::/96`). */
export function isPublicUnicast(ip: string): boolean {
  if (isIP(ip) === 0 || !ipaddr.isValid(ip)) return false;
  const addr = ipaddr.process(ip);
  return !isIpv4Compatible(addr) && addr.range() === "unicast";
}

/**
 * The guard of the mail test: the MX and MTA-STS servers of a domain are often hosted by a
 * provider, outside the structure's networks, and any sending server connects to them — so any
 * public unicast address is allowed. The networks given (those of the CERT's authorisation in
 * force, never the structure's draft perimeter) count only when public unicast: private,
 * loopback, link-local, reserved and IPv4-compatible (`::/96`) addresses are always refused,
 * unless the test-only option `allowNonPublic` is set.
 */
export class MailGuard extends PerimeterGuard {
  readonly #allowNonPublic: boolean;

  constructor(domains: readonly string[], networks: readonly string[], options: MailGuardOptions = {}) {
    // without the test option, a range adds nothing: its public unicast addresses are allowed
    // anyway, its other ones (a draft `10.0.0.0/8`, a broad `0.0.0.0/0`) never
    super(domains, options.allowNonPublic ? networks : []);
    this.#allowNonPublic = options.allowNonPublic === true;
  }

  override allowsIp(ip: string): boolean {
    if (isIP(ip) === 0 || !ipaddr.isValid(ip)) return false;
    if (isIpv4Compatible(ipaddr.process(ip))) return false;
    if (isPublicUnicast(ip)) return true;
    // a non-public address: only in a listed range, and only in tests
    return this.#allowNonPublic && super.allowsIp(ip);
  }
}
