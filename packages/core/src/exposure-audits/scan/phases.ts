import { runPassivePhase } from "./dns/index.ts";
import { checkHttp } from "./http/index.ts";
import { DEFAULT_AUDIT_PORTS, parsePortList, scanPorts } from "./ports/index.ts";
import { checkServices } from "./services/index.ts";
import { checkTls } from "./tls/index.ts";
import type { DetectedProduct, OpenService, ScanContext, ScanFinding } from "./types.ts";

/**
 * The phases of an audit, in order, as the orchestrator calls them (decision 0012). Each probe
 * module exports one entry function; this file is the only place that knows them, so a test may
 * replace one phase (e.g. a failing one) through `AuditPhases`.
 */

/** A name of the perimeter and the addresses it resolved to. */
export interface ResolvedHost {
  name: string;
  ips: string[];
  /**
   * Every address is in the authorised ranges. When only some are, the in-range addresses are
   * still scanned and the others reported in `outOfPerimeter` (what `runAudit` does).
   */
  inPerimeter: boolean;
}

export interface PassiveResult {
  records?: unknown;
  hosts: ResolvedHost[];
  /** Each address outside the ranges, with its name: reported, never scanned (the name's in-range addresses are). */
  outOfPerimeter: { name: string; ip: string }[];
  findings: ScanFinding[];
}

export interface PortsResult {
  engine: "nmap" | "builtin";
  nmapVersion?: string;
  services: OpenService[];
}

/** The entry function of each probe module. */
export interface AuditPhases {
  passive(
    ctx: ScanContext,
    input: { domains: string[]; ctNames: string[]; now: Date; rdapUrl?: string },
  ): Promise<PassiveResult>;
  ports(
    ctx: ScanContext,
    targets: { ip: string; host?: string }[],
    ports: readonly number[],
    options: { engine: "auto" | "always" | "never"; ratePerSecond?: number },
  ): Promise<PortsResult>;
  services(
    ctx: ScanContext,
    services: OpenService[],
  ): Promise<{ findings: ScanFinding[]; services: OpenService[] }>;
  tls(
    ctx: ScanContext,
    services: OpenService[],
    now: Date,
    options: { trustedCa?: string | string[] },
  ): Promise<{ findings: ScanFinding[]; certificates?: unknown }>;
  http(
    ctx: ScanContext,
    services: OpenService[],
  ): Promise<{ findings: ScanFinding[]; products: DetectedProduct[] }>;
}

/** The real probes. */
export const defaultAuditPhases: AuditPhases = {
  passive: (ctx, input) =>
    runPassivePhase(ctx, {
      domains: input.domains,
      ctNames: input.ctNames,
      now: input.now,
      ...(input.rdapUrl ? { rdapUrl: input.rdapUrl } : {}),
    }),
  ports: (ctx, targets, ports, options) => scanPorts(ctx, targets, ports, options),
  services: (ctx, services) => checkServices(ctx, services),
  tls: (ctx, services, now, options) =>
    checkTls(ctx, services, now, options.trustedCa ? { trustedCa: [options.trustedCa].flat() } : {}),
  http: (ctx, services) => checkHttp(ctx, services),
};

/** The ports tried: the configuration's list (`default` or `22,80,8000-8010`). */
export function auditPorts(spec: string | undefined): number[] {
  return spec ? parsePortList(spec) : [...DEFAULT_AUDIT_PORTS];
}
