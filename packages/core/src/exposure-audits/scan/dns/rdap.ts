import type { FindingSeverity } from "@vigie/contracts";

/**
 * The registration of a declared domain, read over RDAP (RFC 9083): `GET {rdapUrl}/domain/{name}`,
 * the `expiration` event. The only HTTP request of the passive phase, to the configured RDAP
 * service (a registry or a bootstrap redirector), never to the structure.
 */

export type RdapOutcome =
  | { kind: "expiration"; date: Date }
  /** The registry answered without an expiration event. */
  | { kind: "no-expiration" }
  /** 404: the registry does not know the name (a subdomain, or not a registered domain). */
  | { kind: "not-found" }
  | { kind: "unavailable"; reason: string };

const MAX_BODY = 1_000_000;
const DAY_MS = 86_400_000;

/** The body as text, or null (and the body cancelled) once it passes `max` bytes. */
async function readCapped(response: Response, max: number): Promise<string | null> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export async function fetchRdapExpiration(
  rdapUrl: string,
  domain: string,
  options: { timeoutMs: number; userAgent: string; signal?: AbortSignal },
): Promise<RdapOutcome> {
  const url = `${rdapUrl.replace(/\/+$/, "")}/domain/${encodeURIComponent(domain)}`;
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
  try {
    const response = await fetch(url, {
      headers: { accept: "application/rdap+json, application/json", "user-agent": options.userAgent },
      signal: AbortSignal.any(signals),
      // the configured server only: a redirect elsewhere is not followed
      redirect: "manual",
    });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      return { kind: "unavailable", reason: `redirection (HTTP ${response.status}) non suivie` };
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return { kind: "not-found" };
    }
    if (!response.ok) {
      await response.body?.cancel();
      return { kind: "unavailable", reason: `réponse HTTP ${response.status}` };
    }
    const text = await readCapped(response, MAX_BODY);
    if (text === null) return { kind: "unavailable", reason: "réponse trop volumineuse" };
    const body = JSON.parse(text) as { events?: { eventAction?: unknown; eventDate?: unknown }[] };
    const event = (Array.isArray(body.events) ? body.events : []).find(
      (e) => e?.eventAction === "expiration",
    );
    if (!event || typeof event.eventDate !== "string") return { kind: "no-expiration" };
    const date = new Date(event.eventDate);
    if (Number.isNaN(date.getTime()))
      return { kind: "unavailable", reason: `date illisible « ${event.eventDate} »` };
    return { kind: "expiration", date };
  } catch (err) {
    options.signal?.throwIfAborted();
    if (err instanceof SyntaxError) return { kind: "unavailable", reason: "réponse qui n'est pas du JSON" };
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    const reason =
      (err as Error).name === "TimeoutError"
        ? `pas de réponse en ${options.timeoutMs} ms`
        : cause
          ? `connexion impossible (${cause})`
          : (err as Error).message;
    return { kind: "unavailable", reason };
  }
}

/** Whole days from `now` to the expiration (negative once expired). */
export function daysUntil(expiration: Date, now: Date): number {
  return Math.floor((expiration.getTime() - now.getTime()) / DAY_MS);
}

/** Expired: critical; within 30 days: high; within 60 days: medium; later: nothing to report. */
export function expirySeverity(expiration: Date, now: Date): FindingSeverity | null {
  const ms = expiration.getTime() - now.getTime();
  if (ms <= 0) return "critical";
  if (ms < 30 * DAY_MS) return "high";
  if (ms < 60 * DAY_MS) return "medium";
  return null;
}
