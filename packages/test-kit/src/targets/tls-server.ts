import net from "node:net";
import tls from "node:tls";

/**
 * TLS test targets on loopback addresses: real Node TLS servers with chosen weaknesses
 * (versions, cipher suites, certificates, chain), and a hand-made « legacy » server answering
 * ClientHellos with a bare ServerHello, for what Node's OpenSSL 3 can no longer speak (SSLv3,
 * 3DES, RC4, EXPORT).
 */

export interface TlsTarget {
  host: string;
  port: number;
  close(): Promise<void>;
}

export interface TlsServerOptions {
  /** Loopback address to listen on (default 127.0.0.1). */
  host?: string;
  /** Server certificate and key (PEM). */
  certPem: string;
  keyPem: string;
  /** Certificates sent after the leaf (PEM), e.g. the intermediate; empty: the leaf alone. */
  chainPem?: string[];
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  /** OpenSSL cipher list for TLS ≤ 1.2; add `@SECLEVEL=0` for weak suites, old versions, small keys or SHA-1. */
  ciphers?: string;
  /** TLS 1.3 suites (OpenSSL names, colon-separated). */
  ciphersuites?: string;
  /** Diffie-Hellman parameters (PEM) for DHE suites. */
  dhparam?: string;
}

/** Starts a Node TLS server that completes the handshake then closes the connection. */
export async function startTlsServer(options: TlsServerOptions): Promise<TlsTarget> {
  const host = options.host ?? "127.0.0.1";
  const server = tls.createServer(
    {
      key: options.keyPem,
      cert: options.certPem + (options.chainPem ?? []).join(""),
      minVersion: options.minVersion ?? "TLSv1.2",
      maxVersion: options.maxVersion ?? "TLSv1.3",
      ...(options.ciphers ? { ciphers: options.ciphers } : {}),
      ...(options.ciphersuites ? { ciphersuites: options.ciphersuites } : {}),
      ...(options.dhparam ? { dhparam: options.dhparam } : {}),
      honorCipherOrder: true,
    },
    (socket) => {
      socket.on("error", () => {});
      socket.end("Vigie TLS test target\n");
    },
  );
  server.on("tlsClientError", () => {});
  return listen(server, host);
}

export interface LegacyTlsServerOptions {
  host?: string;
  /** Record-layer versions accepted, e.g. 0x0300 (SSLv3), 0x0301 (TLS 1.0), 0x0303 (TLS 1.2). */
  versions: number[];
  /** Cipher suite codes accepted, in the server's order of preference. */
  ciphers: number[];
}

/**
 * A minimal server of an obsolete TLS stack: it reads a ClientHello, picks the highest version it
 * accepts not above the client's and its first preferred suite the client offers, and answers
 * with a ServerHello (no certificate: enough for scanners that read the ServerHello), or with a
 * fatal alert (protocol_version, handshake_failure).
 */
export async function startLegacyTlsServer(options: LegacyTlsServerOptions): Promise<TlsTarget> {
  const host = options.host ?? "127.0.0.1";
  const server = net.createServer((socket) => {
    socket.on("error", () => {});
    socket.setTimeout(5000, () => socket.destroy());
    let buffer = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length < 5) return;
      if (buffer[0] !== 0x16) {
        socket.destroy();
        return;
      }
      const recordLength = buffer.readUInt16BE(3);
      if (buffer.length < 5 + recordLength) return;
      socket.removeAllListeners("data");
      const reply = answerClientHello(buffer.subarray(5, 5 + recordLength), options);
      socket.end(reply);
    });
  });
  return listen(server, host);
}

function alert(version: number, description: number): Buffer {
  return Buffer.from([0x15, version >> 8, version & 0xff, 0, 2, 2, description]);
}

function answerClientHello(hello: Buffer, options: LegacyTlsServerOptions): Buffer {
  if (hello[0] !== 1 || hello.length < 40) return alert(0x0301, 10);
  const clientVersion = hello.readUInt16BE(4);
  let offset = 4 + 2 + 32;
  offset += 1 + hello.readUInt8(offset);
  const suitesLength = hello.readUInt16BE(offset);
  offset += 2;
  const offered = new Set<number>();
  for (let i = 0; i < suitesLength; i += 2) offered.add(hello.readUInt16BE(offset + i));
  const version = Math.max(-1, ...options.versions.filter((v) => v <= clientVersion));
  if (version < 0) return alert(Math.min(clientVersion, 0x0303), 70);
  const cipher = options.ciphers.find((c) => offered.has(c));
  if (cipher === undefined) return alert(version, 40);
  const body = Buffer.alloc(2 + 32 + 1 + 2 + 1);
  body.writeUInt16BE(version, 0);
  body.fill(0x42, 2, 34);
  body[34] = 0;
  body.writeUInt16BE(cipher, 35);
  body[37] = 0;
  const handshake = Buffer.concat([Buffer.from([2, 0, 0, body.length]), body]);
  const header = Buffer.from([0x16, version >> 8, version & 0xff, 0, handshake.length]);
  return Buffer.concat([header, handshake]);
}

async function listen(server: net.Server, host: string): Promise<TlsTarget> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  const sockets = new Set<net.Socket>();
  server.on("connection", (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return {
    host,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
