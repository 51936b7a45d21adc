import type { FindingCategory, FindingSeverity } from "@vigie/contracts";
import type { PerimeterGuard } from "./perimeter-guard.ts";
import type { TargetLimiter } from "./target-limiter.ts";

/**
 * What every probe of an audit shares (decision 0012). Probes talk to the network and interpret
 * what they saw as findings; they never touch the database. Every connection goes to an address
 * the guard allows, after `limiter.acquire(ip)`.
 */
export interface ScanContext {
  guard: PerimeterGuard;
  limiter: TargetLimiter;
  /** Scanner identity: the User-Agent of every HTTP request (with a URL). */
  userAgent: string;
  /** DNS servers asked (`ip` or `ip:port`); empty: the system's resolvers. */
  dnsServers: string[];
  /** Connection and read timeout of one probe. */
  timeoutMs: number;
  /** Default or weak credentials may be tried (the structure opted in and the CERT authorised). */
  allowDefaultCredentials: boolean;
  signal?: AbortSignal;
}

/** Where a finding is. */
export interface FindingTarget {
  domain?: string;
  host?: string;
  ip?: string;
  port?: number;
  transport?: "tcp" | "udp";
  service?: string;
}

/** A product and version seen (banner, HTTP header): becomes an audit asset, matched by the watch. */
export interface DetectedProduct {
  vendor?: string;
  product: string;
  version?: string;
  cpe?: string;
  host: string;
  port?: number;
  /** Where it was read, e.g. `Server: nginx/1.18.0`. */
  evidence: string;
}

/** One problem found by a probe, in French, with what proves it and what to do. */
export interface ScanFinding {
  /** Stable code of the check, e.g. `tls.protocol.tls1_0`, `http.header.hsts`, `service.rdp`. */
  check: string;
  category: FindingCategory;
  severity: FindingSeverity;
  title: string;
  evidence: string;
  remediation: string;
  target: FindingTarget;
}

/** An open port and what answers on it. */
export interface OpenService {
  ip: string;
  /** The name the audit reached it by, when there is one. */
  host?: string;
  port: number;
  transport: "tcp" | "udp";
  /** Identified service: http, https, ssh, ftp, smtp, rdp, smb, dicom, mysql, … (null: unknown). */
  service: string | null;
  /** The port speaks TLS directly (https, imaps, smtps, …). */
  tls: boolean;
  banner?: string;
  product?: { vendor?: string; product: string; version?: string };
}

/** The stable key of a finding across audits (and its watch ticket). */
export function findingKeyOf(finding: Pick<ScanFinding, "check" | "target">): string {
  const t = finding.target;
  const where = t.ip ?? t.host ?? t.domain ?? "";
  return `audit:${finding.check}:${where}${t.port ? `:${t.port}` : ""}`;
}
