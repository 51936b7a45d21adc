import type { OpenService, ScanContext } from "../types.ts";
import { builtinScan } from "./builtin.ts";
import { findNmap, nmapScan } from "./nmap.ts";

export { type Identification, identifyBytes, parseHttpServer, parseSshBanner } from "./banners.ts";
export { BUILTIN_CONCURRENCY, builtinScan } from "./builtin.ts";
export { findNmap, nmapArguments, nmapScan, parseNmapXml } from "./nmap.ts";
export { DEFAULT_AUDIT_PORTS, parsePortList } from "./port-list.ts";

/** Which engine maps the ports: nmap when asked or available ("auto"), else the built-in scan. */
export interface ScanPortsOptions {
  engine: "auto" | "always" | "never";
  /**
   * New connections per second to one target (AUDIT_RATE_PER_SECOND), for nmap's `--scan-delay`
   * and `--max-rate`; the built-in engine follows `ctx.limiter`. Default 50.
   */
  ratePerSecond?: number;
}

export interface PortScanResult {
  engine: "nmap" | "builtin";
  nmapVersion?: string;
  services: OpenService[];
}

/**
 * The ports phase of an audit: which of `ports` are open on each target and what answers
 * there (service, TLS, product and version from the banner). Every target must be inside the
 * perimeter (`ctx.guard`), else nothing is scanned and the call throws.
 */
export async function scanPorts(
  ctx: ScanContext,
  targets: { ip: string; host?: string }[],
  ports: readonly number[],
  options: ScanPortsOptions,
): Promise<PortScanResult> {
  for (const target of targets) ctx.guard.assertIp(target.ip);
  const useNmap = options.engine === "always" || (options.engine === "auto" && findNmap() !== null);
  if (useNmap) {
    const report = await nmapScan(ctx, targets, ports, { ratePerSecond: options.ratePerSecond ?? 50 });
    return report.version
      ? { engine: "nmap", nmapVersion: report.version, services: report.services }
      : { engine: "nmap", services: report.services };
  }
  return { engine: "builtin", services: await builtinScan(ctx, targets, ports) };
}
