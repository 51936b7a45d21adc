import { X509Certificate } from "node:crypto";
import net from "node:net";
import tls from "node:tls";
import type { ScanContext } from "../types.ts";

/** Everything OpenSSL may offer, weak suites included (the scanner must see what the server accepts). */
export const PERMISSIVE_CIPHERS = "ALL:COMPLEMENTOFALL:@SECLEVEL=0";

export type TlsVersion = "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";

export type HandshakeOutcome =
  | {
      kind: "ok";
      protocol: string;
      /** OpenSSL and IANA names of the suite chosen by the server. */
      cipher: { name: string; standardName: string };
      ephemeral?: { type?: string; name?: string; size?: number };
      /** Certificates the server presented, leaf first (a trust anchor completing the chain may follow). */
      chain: X509Certificate[];
    }
  /** The TCP connection was made but the TLS handshake failed (alert, reset, silence). */
  | { kind: "refused"; code: string }
  /** What answered does not speak TLS. */
  | { kind: "not_tls"; code: string }
  /** No TCP connection. */
  | { kind: "unreachable"; code: string };

export interface HandshakeTarget {
  ip: string;
  port: number;
  /** SNI, when the service was reached by name. */
  host?: string;
}

const NOT_TLS_CODES = new Set([
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "ERR_SSL_PACKET_LENGTH_TOO_LONG",
  "ERR_SSL_HTTP_REQUEST",
]);

function peerChain(socket: tls.TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (current?.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(new X509Certificate(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

/**
 * One TLS handshake with Node's OpenSSL, certificate verification off (the certificate is judged
 * by the probe itself). Guarded, rate-limited, bounded by `ctx.timeoutMs`.
 */
export async function tryHandshake(
  ctx: ScanContext,
  target: HandshakeTarget,
  options: { minVersion: TlsVersion; maxVersion: TlsVersion; ciphers?: string },
): Promise<HandshakeOutcome> {
  ctx.guard.assertIp(target.ip);
  ctx.signal?.throwIfAborted();
  await ctx.limiter.acquire(target.ip);
  return new Promise<HandshakeOutcome>((resolve) => {
    let connected = false;
    let settled = false;
    const socket = tls.connect({
      host: target.ip,
      port: target.port,
      ...(target.host && !net.isIP(target.host) ? { servername: target.host } : {}),
      rejectUnauthorized: false,
      minVersion: options.minVersion,
      maxVersion: options.maxVersion,
      ciphers: options.ciphers ?? PERMISSIVE_CIPHERS,
    });
    const finish = (outcome: HandshakeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(
      () =>
        finish(connected ? { kind: "refused", code: "TIMEOUT" } : { kind: "unreachable", code: "TIMEOUT" }),
      ctx.timeoutMs,
    );
    socket.once("connect", () => {
      connected = true;
    });
    socket.once("secureConnect", () => {
      const cipher = socket.getCipher();
      const ephemeral = socket.getEphemeralKeyInfo();
      finish({
        kind: "ok",
        protocol: socket.getProtocol() ?? options.maxVersion,
        cipher: { name: cipher.name, standardName: cipher.standardName ?? cipher.name },
        ...(ephemeral && "type" in ephemeral ? { ephemeral } : {}),
        chain: peerChain(socket),
      });
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      const code = error.code ?? "ERROR";
      if (!connected) finish({ kind: "unreachable", code });
      else if (NOT_TLS_CODES.has(code)) finish({ kind: "not_tls", code });
      else finish({ kind: "refused", code });
    });
    socket.once("close", () =>
      finish(connected ? { kind: "refused", code: "CLOSED" } : { kind: "unreachable", code: "CLOSED" }),
    );
  });
}
