import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * The authorised perimeter of an audit: the only addresses any probe may connect to. A name is
 * in the perimeter when it is one of the domains or below one; an address only when it falls in
 * one of the ranges. A name of the perimeter resolving to an address outside the ranges (a host
 * of another party) is reported, never scanned.
 */
export class PerimeterGuard {
  readonly #domains: string[];
  readonly #ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][];

  constructor(domains: readonly string[], networks: readonly string[]) {
    this.#domains = domains.map((d) => d.toLowerCase().replace(/\.$/, ""));
    this.#ranges = networks.map((n) => ipaddr.parseCIDR(n));
  }

  /** True when the name is a domain of the perimeter or one of its subdomains. */
  allowsName(name: string): boolean {
    const n = name.toLowerCase().replace(/\.$/, "");
    return this.#domains.some((d) => n === d || n.endsWith(`.${d}`));
  }

  /** True when the address is in a range of the perimeter. */
  allowsIp(ip: string): boolean {
    // literal addresses only: `10.1` or `0x0a.0.0.1` would be resolved as names by net.connect
    if (isIP(ip) === 0 || !ipaddr.isValid(ip)) return false;
    const addr = ipaddr.process(ip);
    return this.#ranges.some(([range, bits]) => range.kind() === addr.kind() && addr.match(range, bits));
  }

  /** Throws when a probe is about to connect outside the perimeter: a bug, never a finding. */
  assertIp(ip: string): void {
    if (!this.allowsIp(ip)) throw new Error(`Adresse hors du périmètre autorisé : ${ip}`);
  }
}
