import net from "node:net";
import tls from "node:tls";
import type { OpenService, ScanContext } from "../types.ts";
import {
  DICOM_PORTS,
  greetingComplete,
  type Identification,
  identifyBytes,
  isPostgresSslAnswer,
  isRdpConnectionConfirm,
  PORT_SERVICES,
  printableBanner,
  TLS_PORTS,
} from "./banners.ts";

/** Sockets open at once across every target (connection attempts and identification). */
export const BUILTIN_CONCURRENCY = 512;

/** Web ports: the client speaks first, so the HTTP request goes out right after connecting. */
const HTTP_FIRST_PORTS: ReadonlySet<number> = new Set([
  80, 81, 631, 2375, 3000, 3128, 5000, 5001, 5601, 5984, 5985, 7001, 7002, 8000, 8001, 8008, 8010, 8042, 8080,
  8081, 8082, 8088, 8090, 8181, 8800, 8880, 8888, 9000, 9080, 9090, 9200, 10000,
]);

/** RDP: X.224 Connection Request with an RDP Negotiation Request (TLS | CredSSP). */
const RDP_CONNECTION_REQUEST = Buffer.from("030000130ee000000000000100080003000000", "hex");
/** PostgreSQL SSLRequest (length 8, code 80877103). */
const POSTGRES_SSL_REQUEST = Buffer.from("0000000804d2162f", "hex");
/** Redis: PING then INFO server (the version, when no password is asked). */
const REDIS_PROBE = Buffer.from("PING\r\nINFO server\r\n");

type ConnectResult = { state: "open"; socket: net.Socket } | { state: "closed" | "filtered" };

/** Buffers what a socket receives so that successive reads see everything in order. */
class SocketReader {
  #data = Buffer.alloc(0);
  #ended = false;
  #wake: (() => void) | null = null;

  constructor(readonly socket: net.Socket) {
    socket.on("data", (chunk: Buffer) => {
      if (this.#data.length < 16_384) this.#data = Buffer.concat([this.#data, chunk]);
      this.#wake?.();
    });
    const end = () => {
      this.#ended = true;
      this.#wake?.();
    };
    socket.on("end", end);
    socket.on("close", end);
    socket.on("error", end);
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Everything received so far once `complete` holds, the peer closed, or `ms` passed. */
  async read(ms: number, complete: (data: Buffer) => boolean): Promise<Buffer> {
    const deadline = performance.now() + ms;
    while (!this.#ended && !complete(this.#data)) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
    }
    return this.#data;
  }

  /** Forgets what was read (before the answer to a new request). */
  clear(): void {
    this.#data = Buffer.alloc(0);
  }
}

/** One TCP connection attempt: open, closed (refused) or filtered (no answer, unreachable). */
function connectTcp(
  ip: string,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ConnectResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: ip, port, noDelay: true });
    let settled = false;
    const finish = (result: ConnectResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.removeListener("error", onError);
      if (result.state !== "open") socket.destroy();
      resolve(result);
    };
    const onAbort = () => finish({ state: "filtered" });
    const onError = (error: NodeJS.ErrnoException) =>
      finish({ state: error.code === "ECONNREFUSED" ? "closed" : "filtered" });
    const timer = setTimeout(() => finish({ state: "filtered" }), timeoutMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    socket.once("connect", () => {
      // later errors (reset during identification) must not crash the process
      socket.on("error", () => {});
      finish({ state: "open", socket });
    });
    socket.on("error", onError);
  });
}

/** A TLS session over `socket` (accepting any certificate and old protocols: we only look). */
function startTls(
  socket: net.Socket,
  servername: string | undefined,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<tls.TLSSocket | null> {
  return new Promise((resolve) => {
    const secure = tls.connect({
      socket,
      rejectUnauthorized: false,
      minVersion: "TLSv1",
      ciphers: "DEFAULT:@SECLEVEL=0",
      ...(servername ? { servername } : {}),
    });
    let settled = false;
    const finish = (value: tls.TLSSocket | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      if (!value) secure.destroy();
      resolve(value);
    };
    const onAbort = () => finish(null);
    signal?.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(() => finish(null), timeoutMs);
    secure.once("secureConnect", () => {
      secure.on("error", () => {});
      finish(secure);
    });
    secure.once("error", () => finish(null));
    secure.once("close", () => finish(null));
  });
}

/** What the scanner needs to identify one open port. */
interface Target {
  ip: string;
  host?: string;
  port: number;
}

/** The HTTP request sent to identify web servers. */
function httpRequest(target: Target, userAgent: string): Buffer {
  const authority = target.host ?? (target.ip.includes(":") ? `[${target.ip}]` : target.ip);
  return Buffer.from(
    `HEAD / HTTP/1.0\r\nHost: ${authority}\r\nUser-Agent: ${userAgent}\r\nAccept: */*\r\nConnection: close\r\n\r\n`,
  );
}

const HTTP_PREFIX = Buffer.from("HTTP/");
/** An HTTP response's head, or any other complete greeting (an SSH server on a web port). */
const httpComplete = (data: Buffer) =>
  data.includes("\r\n\r\n") ||
  (data.length >= 5 && !data.subarray(0, 5).equals(HTTP_PREFIX) && greetingComplete(data));

/** Web ports speaking TLS directly: HTTP request right after the handshake. */
const HTTPS_FIRST_PORTS: ReadonlySet<number> = new Set([
  443, 2376, 4433, 4443, 5986, 6443, 8443, 8444, 9443, 10443,
]);

/** A TLS alert: the peer expected a TLS handshake, not clear text. */
const isTlsRecord = (data: Buffer) =>
  data.length >= 2 && (data[0] === 0x15 || data[0] === 0x16) && data[1] === 0x03;

/**
 * Identifies the service on an open connection, plain or TLS: probes that need the client to
 * speak first (RDP, PostgreSQL, Redis, web ports), else the greeting, else an HTTP request.
 */
async function identifyOn(
  ctx: ScanContext,
  target: Target,
  socket: net.Socket,
  secure: boolean,
): Promise<Identification | null> {
  const reader = new SocketReader(socket);
  // a cancelled audit ends the conversation at once
  const onAbort = () => socket.destroy();
  ctx.signal?.addEventListener("abort", onAbort, { once: true });
  const greetingMs = Math.min(ctx.timeoutMs, 2500);
  const ask = async (request: Buffer, complete: (data: Buffer) => boolean, ms = ctx.timeoutMs) => {
    if (reader.ended) return Buffer.alloc(0);
    socket.write(request);
    return reader.read(ms, complete);
  };
  // null: nothing (or a TLS alert) came back, so a TLS session may be worth trying
  const conclude = (data: Buffer): Identification | null => {
    if (data.length === 0 || isTlsRecord(data)) return null;
    return identifyBytes(target.port, data, secure) ?? { service: null, banner: printableBanner(data) };
  };
  try {
    if (!secure && target.port === 3389) {
      const data = await ask(RDP_CONNECTION_REQUEST, (d) => d.length >= 11);
      if (isRdpConnectionConfirm(data)) return { service: "rdp", banner: printableBanner(data) };
      return conclude(data);
    }
    if (!secure && target.port === 5432) {
      const data = await ask(POSTGRES_SSL_REQUEST, (d) => d.length >= 1);
      if (isPostgresSslAnswer(data)) return { service: "postgresql", banner: printableBanner(data) };
      return conclude(data);
    }
    if (target.port === 6379) {
      const data = await ask(REDIS_PROBE, (d) =>
        /redis_version:|^-(NOAUTH|DENIED)|^-ERR/m.test(d.toString("latin1")),
      );
      return conclude(data);
    }
    if (secure ? HTTPS_FIRST_PORTS.has(target.port) : HTTP_FIRST_PORTS.has(target.port)) {
      // a server that greets first (SSH on a web port) is read the same way
      const data = await ask(httpRequest(target, ctx.userAgent), httpComplete);
      return conclude(data);
    }
    const greeting = await reader.read(greetingMs, greetingComplete);
    if (greeting.length > 0) return conclude(greeting);
    return conclude(await ask(httpRequest(target, ctx.userAgent), httpComplete));
  } finally {
    ctx.signal?.removeEventListener("abort", onAbort);
    socket.destroy();
  }
}

/** Opens another connection to the target (limiter, guard), or null when it no longer answers. */
async function reconnect(ctx: ScanContext, target: Target): Promise<net.Socket | null> {
  ctx.guard.assertIp(target.ip);
  await ctx.limiter.acquire(target.ip);
  if (ctx.signal?.aborted) return null;
  const result = await connectTcp(target.ip, target.port, ctx.timeoutMs, ctx.signal);
  return result.state === "open" ? result.socket : null;
}

/** The service on one open port, from the scan's connection and at most two more. */
async function identifyPort(ctx: ScanContext, target: Target, first: net.Socket): Promise<OpenService> {
  const servername = target.host && !net.isIP(target.host) ? target.host : undefined;
  let found: Identification | null = null;
  let secure = false;
  let triedTls = false;
  if (TLS_PORTS.has(target.port)) {
    triedTls = true;
    const session = await startTls(first, servername, ctx.timeoutMs, ctx.signal);
    if (session) {
      secure = true;
      found = await identifyOn(ctx, target, session, true);
    } else {
      const again = await reconnect(ctx, target);
      if (again) found = await identifyOn(ctx, target, again, false);
    }
  } else {
    found = await identifyOn(ctx, target, first, false);
  }
  if (!found && !triedTls && !ctx.signal?.aborted) {
    const again = await reconnect(ctx, target);
    const session = again ? await startTls(again, servername, ctx.timeoutMs, ctx.signal) : null;
    if (session) {
      secure = true;
      found = await identifyOn(ctx, target, session, true);
    } else {
      again?.destroy();
    }
  }
  let service = found?.service ?? null;
  if (!service && !found?.banner) {
    // nothing said: the port's usual service (DICOM is confirmed later by a C-ECHO)
    service = DICOM_PORTS.has(target.port) ? "dicom" : (PORT_SERVICES[target.port] ?? null);
    if (secure && service === "http") service = "https";
  }
  return {
    ip: target.ip,
    ...(target.host ? { host: target.host } : {}),
    port: target.port,
    transport: "tcp",
    service,
    tls: secure,
    ...(found?.banner ? { banner: found.banner } : {}),
    ...(found?.product ? { product: found.product } : {}),
  };
}

/**
 * TCP connect scan of `ports` on every target, then identification of each open port from
 * what it says. At most `BUILTIN_CONCURRENCY` sockets at once; every connection after
 * `ctx.limiter.acquire(ip)`; targets outside the perimeter are refused before any connection.
 */
export async function builtinScan(
  ctx: ScanContext,
  targets: readonly { ip: string; host?: string }[],
  ports: readonly number[],
): Promise<OpenService[]> {
  const hosts = new Map<string, { ip: string; host?: string }>();
  for (const target of targets) {
    ctx.guard.assertIp(target.ip);
    if (!hosts.has(target.ip)) hosts.set(target.ip, target);
  }
  // port-major order: consecutive connections go to different targets, each at its own rate
  const jobs: Target[] = [];
  for (const port of ports) {
    for (const { ip, host } of hosts.values()) jobs.push(host ? { ip, host, port } : { ip, port });
  }
  const services: OpenService[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      ctx.signal?.throwIfAborted();
      const target = jobs[next++] as Target;
      await ctx.limiter.acquire(target.ip);
      ctx.signal?.throwIfAborted();
      const result = await connectTcp(target.ip, target.port, ctx.timeoutMs, ctx.signal);
      if (result.state === "open") services.push(await identifyPort(ctx, target, result.socket));
    }
  };
  await Promise.all(Array.from({ length: Math.min(BUILTIN_CONCURRENCY, jobs.length) }, worker));
  ctx.signal?.throwIfAborted();
  return sortServices(services);
}

/** By address (numeric order for IPv4) then port. */
export function sortServices(services: OpenService[]): OpenService[] {
  const key = (ip: string) =>
    net.isIPv4(ip)
      ? ip
          .split(".")
          .map((n) => n.padStart(3, "0"))
          .join(".")
      : `~${ip}`;
  return services.sort((a, b) => (a.ip === b.ip ? a.port - b.port : key(a.ip) < key(b.ip) ? -1 : 1));
}
