/**
 * A small "service host" for port-scan tests: TCP listeners on chosen `ip:port` pairs that
 * answer like real services (SSH, FTP, SMTP, HTTP… greetings). Use it in-process
 * (`startServices`) or as a process inside a network namespace (see `netns.ts`): run as a
 * script, it reads its listeners as JSON on stdin, prints `READY <json>` once listening, one
 * `CONN <ip> <port> <epoch ms>` line per accepted connection when asked, and exits when stdin
 * closes or on SIGTERM.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import tls from "node:tls";
import { fileURLToPath } from "node:url";

export type ServiceKind =
  | "ssh"
  | "ftp"
  | "smtp"
  | "pop3"
  | "imap"
  | "http"
  | "https"
  | "telnet"
  | "vnc"
  | "redis"
  | "mysql"
  | "rdp"
  | "postgresql"
  /** accepts and never says anything */
  | "silent"
  /** sends `banner` as is on connection */
  | "raw";

export interface ServiceListener {
  /** Address to listen on (`0.0.0.0`: every address of the namespace). */
  ip: string;
  /** 0: any free port (read it back from the result). */
  port: number;
  kind: ServiceKind;
  /** The greeting (ssh, ftp, smtp, pop3, imap, raw), MySQL server version, or Redis version. */
  banner?: string;
  /** HTTP(S) `Server:` header (default `nginx/1.22.1`); empty string: none. */
  server?: string;
}

export interface BoundListener extends ServiceListener {
  port: number;
}

export interface RunningServices {
  listeners: BoundListener[];
  close(): Promise<void>;
}

const DEFAULT_BANNERS: Partial<Record<ServiceKind, string>> = {
  ssh: "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3",
  ftp: "220 (vsFTPd 3.0.3)",
  smtp: "220 mail.hopital.test ESMTP Postfix (Debian/GNU)",
  pop3: "+OK Dovecot (Debian) ready.",
  imap: "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot (Debian) ready.",
  mysql: "8.0.36",
  redis: "7.0.15",
};

/** A MySQL protocol-10 handshake packet announcing `version`. */
function mysqlHandshake(version: string): Buffer {
  const payload = Buffer.concat([
    Buffer.from([0x0a]),
    Buffer.from(`${version}\0`, "latin1"),
    Buffer.from([0x2a, 0, 0, 0]), // connection id
    Buffer.from("abcdefgh\0", "latin1"),
    Buffer.from([0xff, 0xf7, 0x2d, 0x02, 0x00, 0xff, 0x81, 0x15]),
    Buffer.alloc(10),
    Buffer.from("ijklmnopqrst\0mysql_native_password\0", "latin1"),
  ]);
  const header = Buffer.from([payload.length & 0xff, (payload.length >> 8) & 0xff, 0, 0]);
  return Buffer.concat([header, payload]);
}

let certificate: { key: Buffer; cert: Buffer } | undefined;

/** A throw-away self-signed certificate (openssl), generated once per process. */
function selfSigned(): { key: Buffer; cert: Buffer } {
  if (certificate) return certificate;
  const dir = mkdtempSync(path.join(tmpdir(), "vigie-service-host-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=service-host.test",
      ].concat(["-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem")]),
      { stdio: "ignore" },
    );
    certificate = {
      key: readFileSync(path.join(dir, "key.pem")),
      cert: readFileSync(path.join(dir, "cert.pem")),
    };
    return certificate;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function httpResponse(server: string | undefined): string {
  const header = server === "" ? "" : `Server: ${server ?? "nginx/1.22.1"}\r\n`;
  return `HTTP/1.1 200 OK\r\n${header}Content-Type: text/html\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`;
}

/** What one accepted connection is told. */
function serve(socket: net.Socket, listener: ServiceListener): void {
  socket.on("error", () => {});
  socket.setTimeout(15_000, () => socket.destroy());
  const banner = listener.banner ?? DEFAULT_BANNERS[listener.kind];
  let received = Buffer.alloc(0);
  const onData = (handler: (data: Buffer) => void) =>
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]).subarray(0, 65_536);
      handler(received);
    });
  switch (listener.kind) {
    case "ssh":
    case "ftp":
    case "smtp":
    case "pop3":
    case "imap":
      socket.write(`${banner}\r\n`);
      socket.on("data", () => {});
      break;
    case "raw":
      socket.write(listener.banner ?? "");
      socket.on("data", () => {});
      break;
    case "telnet":
      // IAC DO TERMINAL-TYPE, IAC DO TERMINAL-SPEED, IAC WILL ECHO
      socket.write(Buffer.from([0xff, 0xfd, 0x18, 0xff, 0xfd, 0x20, 0xff, 0xfb, 0x01]));
      socket.on("data", () => {});
      break;
    case "vnc":
      socket.write("RFB 003.008\n");
      socket.on("data", () => {});
      break;
    case "mysql":
      socket.write(mysqlHandshake(banner ?? "8.0.36"));
      socket.on("data", () => {});
      break;
    case "http":
    case "https":
      onData((data) => {
        if (data.includes("\r\n\r\n")) socket.end(httpResponse(listener.server));
      });
      break;
    case "redis":
      onData((data) => {
        const text = data.toString("latin1");
        if (!text.endsWith("\n")) return;
        let reply = "";
        for (const line of text.split(/\r?\n/)) {
          if (/^PING/i.test(line)) reply += "+PONG\r\n";
          else if (/^INFO/i.test(line)) {
            const info = `# Server\r\nredis_version:${banner}\r\nredis_mode:standalone\r\n`;
            reply += `$${info.length}\r\n${info}\r\n`;
          }
        }
        received = Buffer.alloc(0);
        socket.write(reply);
      });
      break;
    case "rdp":
      onData((data) => {
        if (data.length >= 11 && data[0] === 0x03) {
          // X.224 Connection Confirm, RDP Negotiation Response selecting TLS
          socket.write(Buffer.from("030000130ed000001234000201080001000000", "hex"));
        }
      });
      break;
    case "postgresql":
      onData((data) => {
        if (data.length >= 8 && data.readUInt32BE(4) === 80877103) {
          received = Buffer.alloc(0);
          socket.write("N");
        }
      });
      break;
    case "silent":
      socket.on("data", () => {});
      break;
  }
}

/**
 * Starts the listeners (in this process). `onConnection` is called on each accepted connection
 * with the local address and port it came to.
 */
export async function startServices(
  listeners: readonly ServiceListener[],
  onConnection?: (ip: string, port: number) => void,
): Promise<RunningServices> {
  const servers: net.Server[] = [];
  const bound: BoundListener[] = [];
  const sockets = new Set<net.Socket>();
  try {
    for (const listener of listeners) {
      const handler = (socket: net.Socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        onConnection?.(socket.localAddress ?? listener.ip, socket.localPort ?? listener.port);
        serve(socket, listener);
      };
      const server =
        listener.kind === "https"
          ? tls.createServer({ ...selfSigned() }, (socket) => serve(socket, listener))
          : net.createServer(handler);
      if (listener.kind === "https") {
        server.on("connection", (socket: net.Socket) => {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          onConnection?.(socket.localAddress ?? listener.ip, socket.localPort ?? listener.port);
        });
        server.on("tlsClientError", () => {});
      }
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen({ host: listener.ip, port: listener.port, backlog: 511 }, () => {
          server.removeListener("error", reject);
          resolve();
        });
      });
      servers.push(server);
      const address = server.address() as net.AddressInfo;
      bound.push({ ...listener, port: address.port });
    }
  } catch (error) {
    for (const server of servers) server.close();
    throw error;
  }
  return {
    listeners: bound,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(
        servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      );
    },
  };
}

/** The path of this script, to run it in another process (`node --import tsx <path>`). */
export const serviceHostScript = fileURLToPath(import.meta.url);

async function main(): Promise<void> {
  const logConnections = process.argv.includes("--log-connections");
  let input = "";
  let running: RunningServices | undefined;
  const stop = async () => {
    await running?.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", async (chunk: string) => {
    input += chunk;
    const newline = input.indexOf("\n");
    if (newline < 0 || running) return;
    const listeners = JSON.parse(input.slice(0, newline)) as ServiceListener[];
    try {
      running = await startServices(
        listeners,
        logConnections ? (ip, port) => process.stdout.write(`CONN ${ip} ${port} ${Date.now()}\n`) : undefined,
      );
      process.stdout.write(`READY ${JSON.stringify(running.listeners)}\n`);
    } catch (error) {
      process.stdout.write(`FAILED ${(error as Error).message}\n`);
      process.exit(1);
    }
  });
  process.stdin.on("end", () => void stop());
}

if (process.argv[1] && path.resolve(process.argv[1]) === serviceHostScript) void main();
