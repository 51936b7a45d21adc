import { type RunningServices, type ServiceListener, startServices } from "@vigie/test-kit";
import { PerimeterGuard } from "../perimeter-guard.ts";
import { TargetLimiter } from "../target-limiter.ts";
import type { ScanContext } from "../types.ts";

/** A loopback /24 of its own for a test file: 127.<block>.<pid>.0/24. */
export function loopbackBlock(block: number): { subnet: string; ip: (n: number) => string } {
  const third = process.pid % 250;
  return { subnet: `127.${block}.${third}.0/24`, ip: (n) => `127.${block}.${third}.${n}` };
}

export function scanContext(
  subnet: string,
  options: { rate?: number; timeoutMs?: number } = {},
): ScanContext {
  return {
    guard: new PerimeterGuard([], [subnet]),
    limiter: new TargetLimiter(options.rate ?? 1000),
    userAgent: "VigieScanner/1.0 (+https://vigie.test/audits/scanner)",
    dnsServers: [],
    timeoutMs: options.timeoutMs ?? 1500,
    allowDefaultCredentials: false,
  };
}

/** The deliberately weak host: remote access, clear-text protocols, databases, old versions. */
export function weakListeners(ip: string): ServiceListener[] {
  return [
    { ip, port: 21, kind: "ftp", banner: "220 (vsFTPd 3.0.3)" },
    { ip, port: 22, kind: "ssh", banner: "SSH-2.0-OpenSSH_7.4" },
    { ip, port: 23, kind: "telnet" },
    {
      ip,
      port: 25,
      kind: "smtp",
      banner: "220 mx.hopital.test ESMTP Exim 4.96 Sat, 28 Nov 2026 10:00:00 +0100",
    },
    { ip, port: 80, kind: "http", server: "Apache/2.4.49 (Unix)" },
    { ip, port: 110, kind: "pop3" },
    { ip, port: 143, kind: "imap" },
    { ip, port: 443, kind: "https", server: "nginx/1.22.1" },
    { ip, port: 3306, kind: "mysql", banner: "5.5.5-10.11.6-MariaDB-0+deb12u1" },
    { ip, port: 3389, kind: "rdp" },
    { ip, port: 5432, kind: "postgresql" },
    { ip, port: 5900, kind: "vnc" },
    { ip, port: 6379, kind: "redis", banner: "7.0.15" },
    { ip, port: 8080, kind: "http", server: "Microsoft-IIS/10.0" },
    { ip, port: 11112, kind: "silent" },
  ];
}

/** The hardened host: HTTPS only, no Server header. */
export function hardenedListeners(ip: string): ServiceListener[] {
  return [{ ip, port: 443, kind: "https", server: "" }];
}

/** Ports tried in these tests: the listeners' plus closed ones. */
export const TEST_PORTS = [
  21, 22, 23, 25, 80, 110, 139, 143, 443, 445, 1433, 3306, 3389, 5432, 5900, 6379, 8080, 8443, 11112, 27017,
];

export async function startTargets(listeners: ServiceListener[]): Promise<RunningServices> {
  return startServices(listeners);
}
