import type { FindingSeverity } from "@vigie/contracts";
import type { FindingTarget, ScanFinding } from "../types.ts";
import type { HttpOrigin } from "./client.ts";

/** Where an HTTP finding is: the service's address, name and port. */
export function targetOf(origin: HttpOrigin): FindingTarget {
  return {
    ...(origin.host ? { host: origin.host } : {}),
    ip: origin.ip,
    port: origin.port,
    transport: "tcp",
    service: origin.tls ? "https" : "http",
  };
}

export function httpFinding(
  origin: HttpOrigin,
  check: string,
  severity: FindingSeverity,
  title: string,
  evidence: string,
  remediation: string,
): ScanFinding {
  return { check, category: "http", severity, title, evidence, remediation, target: targetOf(origin) };
}

/** A URL or path without its query string and fragment (which may carry tokens). */
export function withoutQuery(url: string): string {
  return url.replace(/[?#].*$/s, "");
}

/** A short, printable excerpt of a body for evidence (secrets masked by the caller when needed). */
export function excerpt(text: string, max = 120): string {
  const flat = text
    .replace(/[^\x20-\x7e\u00a0-\u00ff]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
