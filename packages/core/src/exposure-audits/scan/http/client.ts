import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import type { OpenService, ScanContext } from "../types.ts";

/** Largest body read from one answer: enough for signatures, never a whole backup. */
export const BODY_LIMIT = 256 * 1024;

/** One HTTP answer as the probe saw it (the body cut at `BODY_LIMIT`). */
export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The path finally answered (after same-origin redirects). */
  path: string;
  /** The `Location` of a redirect that was not followed (another host, port or scheme). */
  location?: string;
}

/** The scheme, address and Host of one HTTP(S) service. */
export interface HttpOrigin {
  ip: string;
  host?: string;
  port: number;
  tls: boolean;
}

export function originOf(service: OpenService): HttpOrigin {
  return { ip: service.ip, host: service.host, port: service.port, tls: service.tls };
}

/** `Host` header value: the name the audit reached the service by (else the address), with a non-default port. */
export function hostHeader(origin: HttpOrigin): string {
  const name = origin.host ?? (isIP(origin.ip) === 6 ? `[${origin.ip}]` : origin.ip);
  const defaultPort = origin.tls ? 443 : 80;
  return origin.port === defaultPort ? name : `${name}:${origin.port}`;
}

/** The URL shown in evidence, e.g. `https://www.example.fr:8443/.env`. */
export function urlOf(origin: HttpOrigin, path: string): string {
  return `${origin.tls ? "https" : "http"}://${hostHeader(origin)}${path}`;
}

/**
 * One GET, without following anything: the guard and the per-target limiter first, the scanner's
 * User-Agent, a timeout, the body read up to `BODY_LIMIT`. Network failures resolve to null (the
 * service did not answer this path); only the guard throws.
 */
export async function requestOnce(
  ctx: ScanContext,
  origin: HttpOrigin,
  path: string,
  method: "GET" | "HEAD" = "GET",
): Promise<Omit<HttpAnswer, "path" | "location"> | null> {
  ctx.guard.assertIp(origin.ip);
  if (ctx.signal?.aborted) return null;
  await ctx.limiter.acquire(origin.ip);
  const servername = origin.host && isIP(origin.host) === 0 ? origin.host : undefined;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: Omit<HttpAnswer, "path" | "location"> | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      ctx.signal?.removeEventListener("abort", onAbort);
      resolve(value);
    };
    const options: https.RequestOptions = {
      host: origin.ip,
      port: origin.port,
      path,
      method,
      agent: false,
      timeout: ctx.timeoutMs,
      headers: {
        Host: hostHeader(origin),
        "User-Agent": ctx.userAgent,
        Accept: "*/*",
        Connection: "close",
      },
    };
    if (origin.tls) {
      // certificates are the TLS probe's concern: here any certificate is accepted
      options.rejectUnauthorized = false;
      if (servername) options.servername = servername;
    }
    const req = (origin.tls ? https : http).request(options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () =>
        finish({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks, size) });
      res.on("data", (chunk: Buffer) => {
        const room = BODY_LIMIT - size;
        if (room <= 0) return;
        const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
        chunks.push(part);
        size += part.length;
        if (size >= BODY_LIMIT) {
          done();
          req.destroy();
        }
      });
      res.on("end", done);
      res.on("error", done);
      res.on("aborted", done);
    });
    const deadline = setTimeout(() => {
      req.destroy();
      finish(null);
    }, ctx.timeoutMs * 3);
    const onAbort = () => {
      req.destroy();
      finish(null);
    };
    ctx.signal?.addEventListener("abort", onAbort, { once: true });
    req.on("timeout", () => {
      req.destroy();
      finish(null);
    });
    req.on("error", () => finish(null));
    req.end();
  });
}

/**
 * GET following redirects only while they stay on the same scheme, host and port (at most 3);
 * a redirect elsewhere is returned as is with its `location`.
 */
export async function fetchPath(
  ctx: ScanContext,
  origin: HttpOrigin,
  path: string,
): Promise<HttpAnswer | null> {
  let current = path;
  for (let hop = 0; hop <= 3; hop++) {
    const answer = await requestOnce(ctx, origin, current);
    if (!answer) return null;
    const location = headerValue(answer.headers, "location");
    if (answer.status < 300 || answer.status >= 400 || !location) return { ...answer, path: current };
    const next = sameOriginPath(origin, current, location);
    if (!next || hop === 3) return { ...answer, path: current, location };
    current = next;
  }
  return null;
}

/** The path of `location` when it points to the same scheme, host and port; null otherwise. */
export function sameOriginPath(origin: HttpOrigin, currentPath: string, location: string): string | null {
  const base = urlOf(origin, currentPath);
  let target: URL;
  try {
    target = new URL(location, base);
  } catch {
    return null;
  }
  const from = new URL(base);
  if (target.protocol !== from.protocol || target.port !== from.port) return null;
  const host = target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const allowed = [origin.ip, origin.host].filter(Boolean).map((h) => (h as string).toLowerCase());
  if (!allowed.includes(host) && target.hostname.toLowerCase() !== from.hostname.toLowerCase()) return null;
  return `${target.pathname}${target.search}`;
}

/** One header as a string (several values joined). */
export function headerValue(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(", ") : String(value);
}

/** The body as text (latin1-safe), for signatures. */
export function textOf(answer: { body: Buffer }): string {
  return answer.body.toString("utf8");
}
