import type { X509Certificate } from "node:crypto";
import https from "node:https";
import net, { isIP } from "node:net";
import tls from "node:tls";
import type { ScanContext } from "../../exposure-audits/scan/types.ts";

/** What the TLS handshake showed. */
export interface TlsView {
  /** `TLSv1.3`, `TLSv1.2`, … */
  protocol: string | null;
  cipher: string | null;
  /** The leaf certificate. */
  certificate: X509Certificate | null;
  /** DER of every certificate the server sent, leaf first. */
  chain: Buffer[];
  /** The chain leads to a trusted root. */
  trusted: boolean;
  trustError: string | null;
  /** The leaf is valid for the name asked. */
  nameMatches: boolean;
}

function tlsViewOf(socket: tls.TLSSocket, name: string): TlsView {
  const certificate = socket.getPeerX509Certificate() ?? null;
  const chain: Buffer[] = [];
  const seen = new Set<string>();
  let current: X509Certificate | undefined = certificate ?? undefined;
  while (current && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(current.raw);
    current = current.issuerCertificate;
  }
  const trustError = socket.authorizationError ? String(socket.authorizationError) : null;
  return {
    protocol: socket.getProtocol() ?? null,
    cipher: socket.getCipher()?.name ?? null,
    certificate,
    chain,
    trusted: socket.authorized,
    trustError,
    nameMatches: certificate ? certificate.checkHost(name) !== undefined : false,
  };
}

/** Options of the TLS client: every version offered (to see what the server accepts), trust from `ca`. */
function tlsOptions(name: string, trustedCa: readonly string[] | undefined): tls.ConnectionOptions {
  return {
    ...(isIP(name) === 0 ? { servername: name } : {}),
    ...(trustedCa && trustedCa.length > 0 ? { ca: [...trustedCa] } : {}),
    rejectUnauthorized: false,
    minVersion: "TLSv1",
    ciphers: "DEFAULT:@SECLEVEL=0",
  };
}

/** The result of the SMTP session with one MX. */
export interface StarttlsProbe {
  ip: string;
  reached: boolean;
  error: string | null;
  banner: string | null;
  /** STARTTLS announced in the EHLO answer. */
  offered: boolean;
  /** The TLS handshake after STARTTLS; null when not offered or failed. */
  tls: TlsView | null;
  tlsError: string | null;
}

/** Reads SMTP replies (multi-line `250-…` then `250 …`) from a socket. */
class ReplyReader {
  #buffer = "";
  #waiters: (() => void)[] = [];
  #closed = false;

  attach(socket: net.Socket | tls.TLSSocket): void {
    socket.on("data", (chunk: Buffer) => {
      this.#buffer += chunk.toString("latin1");
      this.#wake();
    });
    socket.on("close", () => {
      this.#closed = true;
      this.#wake();
    });
    socket.on("error", () => {
      this.#closed = true;
      this.#wake();
    });
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** The next complete reply: its code and lines. */
  async reply(timeoutMs: number): Promise<{ code: number; lines: string[] }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lines = this.#buffer.split("\r\n");
      for (let i = 0; i < lines.length - 1; i++) {
        const line = lines[i] as string;
        if (/^\d{3}( |$)/.test(line)) {
          const taken = lines.slice(0, i + 1);
          this.#buffer = lines.slice(i + 1).join("\r\n");
          return { code: Number(line.slice(0, 3)), lines: taken.map((l) => l.slice(4)) };
        }
      }
      if (this.#closed) throw new Error("connexion fermée par le serveur");
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("pas de réponse du serveur dans le délai");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

function connectTcp(ip: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: ip, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("délai de connexion dépassé"));
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/**
 * One polite SMTP session with an MX, as any sending server would have: greeting, EHLO with our
 * name, STARTTLS when offered, the handshake (certificate read, never trusted blindly), EHLO
 * again and QUIT. No message is ever sent.
 */
export async function probeStarttls(
  ctx: ScanContext,
  ip: string,
  mxName: string,
  ehloName: string,
  trustedCa?: readonly string[],
): Promise<StarttlsProbe> {
  ctx.guard.assertIp(ip);
  await ctx.limiter.acquire(ip);
  const result: StarttlsProbe = {
    ip,
    reached: false,
    error: null,
    banner: null,
    offered: false,
    tls: null,
    tlsError: null,
  };
  let socket: net.Socket | tls.TLSSocket;
  try {
    socket = await connectTcp(ip, 25, ctx.timeoutMs);
  } catch (err) {
    result.error = (err as Error).message;
    return result;
  }
  result.reached = true;
  const plain = socket;
  const reader = new ReplyReader();
  reader.attach(plain);
  try {
    const greeting = await reader.reply(ctx.timeoutMs);
    result.banner = greeting.lines.join(" ").slice(0, 200);
    if (greeting.code !== 220) throw new Error(`accueil inattendu : ${greeting.code}`);
    plain.write(`EHLO ${ehloName}\r\n`);
    const ehlo = await reader.reply(ctx.timeoutMs);
    if (ehlo.code !== 250) throw new Error(`EHLO refusé : ${ehlo.code}`);
    result.offered = ehlo.lines.some((l) => /^STARTTLS\b/i.test(l.trim()));
    if (!result.offered) {
      plain.write("QUIT\r\n");
      await reader.reply(ctx.timeoutMs).catch(() => undefined);
      return result;
    }
    plain.write("STARTTLS\r\n");
    const ready = await reader.reply(ctx.timeoutMs);
    if (ready.code !== 220) {
      result.tlsError = `STARTTLS refusé : ${ready.code} ${ready.lines.join(" ")}`;
      plain.write("QUIT\r\n");
      return result;
    }
    plain.removeAllListeners("data");
    const secure = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const s = tls.connect({ socket: plain, ...tlsOptions(mxName, trustedCa) });
      const timer = setTimeout(() => reject(new Error("délai de négociation TLS dépassé")), ctx.timeoutMs);
      s.once("secureConnect", () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
    }).catch((err: Error) => {
      result.tlsError = `échec de la négociation TLS : ${err.message}`;
      return null;
    });
    if (!secure) return result;
    socket = secure;
    result.tls = tlsViewOf(secure, mxName);
    const tlsReader = new ReplyReader();
    tlsReader.attach(secure);
    secure.write(`EHLO ${ehloName}\r\n`);
    await tlsReader.reply(ctx.timeoutMs).catch(() => undefined);
    secure.write("QUIT\r\n");
    await tlsReader.reply(ctx.timeoutMs).catch(() => undefined);
    return result;
  } catch (err) {
    result.error = (err as Error).message;
    return result;
  } finally {
    socket.destroy();
    plain.destroy();
  }
}

/** What the MTA-STS policy request returned. */
export interface HttpsFetch {
  status: number | null;
  contentType: string | null;
  body: string;
  tls: TlsView | null;
  error: string | null;
}

/** Largest policy read (RFC 8461 policies are a few lines). */
const POLICY_LIMIT = 64 * 1024;

/** One HTTPS GET to a name at a resolved address, without redirects, certificate read and checked. */
export async function fetchHttps(
  ctx: ScanContext,
  ip: string,
  host: string,
  path: string,
  trustedCa?: readonly string[],
): Promise<HttpsFetch> {
  ctx.guard.assertIp(ip);
  await ctx.limiter.acquire(ip);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: HttpsFetch) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const request = https.request({
      host: ip,
      port: 443,
      path,
      method: "GET",
      agent: false,
      ...tlsOptions(host, trustedCa),
      minVersion: "TLSv1.2",
      ciphers: undefined,
      headers: { Host: host, "User-Agent": ctx.userAgent, Accept: "text/plain", Connection: "close" },
    });
    const timer = setTimeout(() => {
      request.destroy();
      finish({ status: null, contentType: null, body: "", tls: null, error: "délai dépassé" });
    }, ctx.timeoutMs);
    request.on("response", (response) => {
      const view = tlsViewOf(response.socket as tls.TLSSocket, host);
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > POLICY_LIMIT) {
          response.destroy();
          return;
        }
        chunks.push(chunk);
      });
      const done = () =>
        finish({
          status: response.statusCode ?? null,
          contentType: String(response.headers["content-type"] ?? "") || null,
          body: Buffer.concat(chunks).toString("utf8"),
          tls: view,
          error: null,
        });
      response.on("end", done);
      response.on("close", done);
    });
    request.on("error", (err) =>
      finish({ status: null, contentType: null, body: "", tls: null, error: err.message }),
    );
    request.end();
  });
}
