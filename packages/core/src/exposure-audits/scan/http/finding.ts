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

/** Runs `tasks` with at most `limit` at a time, keeping their order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A short, printable excerpt of a body for evidence (secrets masked by the caller when needed). */
export function excerpt(text: string, max = 120): string {
  const flat = text
    .replace(/[^\x20-\x7e\u00a0-\u00ff]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
