import net from "node:net";
import type { ScanContext } from "../types.ts";
import type { HandshakeTarget } from "./handshake.ts";

/**
 * A hand-made ClientHello, for what Node's OpenSSL 3 can no longer offer (SSLv3, 3DES, RC4, DES,
 * EXPORT suites): the server's ServerHello (version, suite) is read and the connection closed —
 * no key exchange ever takes place.
 */

export const SSL3 = 0x0300;
export const TLS1_0 = 0x0301;
export const TLS1_2 = 0x0303;

/** Obsolete suites (IANA code → IANA name) that OpenSSL 3 builds usually cannot negotiate. */
export const LEGACY_SUITES: ReadonlyMap<number, string> = new Map([
  [0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"],
  [0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA"],
  [0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA"],
  [0x001b, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA"],
  [0xc003, "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA"],
  [0xc008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"],
  [0xc00d, "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA"],
  [0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"],
  [0xc017, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA"],
  [0x0004, "TLS_RSA_WITH_RC4_128_MD5"],
  [0x0005, "TLS_RSA_WITH_RC4_128_SHA"],
  [0x0018, "TLS_DH_anon_WITH_RC4_128_MD5"],
  [0xc007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"],
  [0xc011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA"],
  [0xc016, "TLS_ECDH_anon_WITH_RC4_128_SHA"],
  [0x0009, "TLS_RSA_WITH_DES_CBC_SHA"],
  [0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA"],
  [0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA"],
  [0x001a, "TLS_DH_anon_WITH_DES_CBC_SHA"],
  [0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5"],
  [0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5"],
  [0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA"],
  [0x0011, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA"],
  [0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA"],
  [0x0017, "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5"],
  [0x0019, "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA"],
]);

/** Suites an SSLv3 server would choose among (common ones, legacy and AES). */
export const SSL3_SUITES: number[] = [
  ...LEGACY_SUITES.keys(),
  0x002f, // TLS_RSA_WITH_AES_128_CBC_SHA
  0x0035, // TLS_RSA_WITH_AES_256_CBC_SHA
  0x0033, // TLS_DHE_RSA_WITH_AES_128_CBC_SHA
  0x0039, // TLS_DHE_RSA_WITH_AES_256_CBC_SHA
  0xc013, // TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
  0xc014, // TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA
  0xc009, // TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA
  0xc00a, // TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA
  0x0041, // TLS_RSA_WITH_CAMELLIA_128_CBC_SHA
  0x0084, // TLS_RSA_WITH_CAMELLIA_256_CBC_SHA
];

export type RawHelloOutcome =
  | { kind: "accepted"; version: number; cipher: number }
  | { kind: "refused" }
  | { kind: "not_tls" }
  | { kind: "unreachable" };

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function extension(type: number, data: Buffer): Buffer {
  return Buffer.concat([u16(type), u16(data.length), data]);
}

/** Builds the ClientHello record (exported for tests). */
export function buildClientHello(version: number, suites: number[], serverName?: string): Buffer {
  const parts: Buffer[] = [
    u16(version),
    Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(32))),
    Buffer.from([0]),
    u16((suites.length + 1) * 2),
    ...suites.map(u16),
    u16(0x00ff), // renegotiation SCSV
    Buffer.from([1, 0]), // compression: null
  ];
  if (version >= TLS1_0) {
    const extensions: Buffer[] = [];
    if (serverName && net.isIP(serverName) === 0) {
      const name = Buffer.from(serverName, "ascii");
      const entry = Buffer.concat([Buffer.from([0]), u16(name.length), name]);
      extensions.push(extension(0x0000, Buffer.concat([u16(entry.length), entry])));
    }
    const groups = [0x001d, 0x0017, 0x0018, 0x0019];
    extensions.push(extension(0x000a, Buffer.concat([u16(groups.length * 2), ...groups.map(u16)])));
    extensions.push(extension(0x000b, Buffer.from([1, 0])));
    if (version >= TLS1_2) {
      const algorithms = [
        0x0401, 0x0501, 0x0601, 0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0201, 0x0203,
      ];
      extensions.push(extension(0x000d, Buffer.concat([u16(algorithms.length * 2), ...algorithms.map(u16)])));
    }
    const all = Buffer.concat(extensions);
    parts.push(u16(all.length), all);
  }
  const body = Buffer.concat(parts);
  const handshake = Buffer.concat([
    Buffer.from([1, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]),
    body,
  ]);
  return Buffer.concat([
    Buffer.from([0x16]),
    u16(version === SSL3 ? SSL3 : TLS1_0),
    u16(handshake.length),
    handshake,
  ]);
}

/** Interprets the first bytes a server sent back (exported for tests). */
export function parseServerReply(data: Buffer): RawHelloOutcome | "incomplete" {
  if (data.length < 5) return "incomplete";
  const type = data[0];
  const major = data[1];
  if (major !== 0x03 || (type !== 0x16 && type !== 0x15)) return { kind: "not_tls" };
  if (type === 0x15) return { kind: "refused" };
  // ServerHello: handshake type(1) length(3) version(2) random(32) session id(1+n) suite(2)
  if (data.length < 5 + 4 + 2 + 32 + 1) return "incomplete";
  if (data[5] !== 2) return { kind: "not_tls" };
  const version = data.readUInt16BE(9);
  const sessionIdLength = data[43] ?? 0;
  const suiteOffset = 44 + sessionIdLength;
  if (data.length < suiteOffset + 2) return "incomplete";
  return { kind: "accepted", version, cipher: data.readUInt16BE(suiteOffset) };
}

/** Sends one hand-made ClientHello and reads the answer. Guarded, rate-limited, bounded. */
export async function sendRawClientHello(
  ctx: ScanContext,
  target: HandshakeTarget,
  version: number,
  suites: number[],
): Promise<RawHelloOutcome> {
  ctx.guard.assertIp(target.ip);
  ctx.signal?.throwIfAborted();
  await ctx.limiter.acquire(target.ip);
  return new Promise<RawHelloOutcome>((resolve) => {
    let connected = false;
    let settled = false;
    let received = Buffer.alloc(0);
    const socket = net.connect({ host: target.ip, port: target.port });
    const finish = (outcome: RawHelloOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish(connected ? { kind: "refused" } : { kind: "unreachable" }),
      ctx.timeoutMs,
    );
    socket.once("connect", () => {
      connected = true;
      socket.write(buildClientHello(version, suites, target.host));
    });
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const outcome = parseServerReply(received);
      if (outcome !== "incomplete") finish(outcome);
      else if (received.length > 16_384) finish({ kind: "not_tls" });
    });
    socket.once("error", () => finish(connected ? { kind: "refused" } : { kind: "unreachable" }));
    socket.once("close", () => finish(connected ? { kind: "refused" } : { kind: "unreachable" }));
  });
}
