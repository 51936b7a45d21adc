import http from "node:http";
import net from "node:net";

/**
 * Small protocol fakes for the audit's service probes: just enough FTP, PostgreSQL, Redis and
 * HTTP Basic to be weak (anonymous, trust, no AUTH, admin/admin) or hardened, each counting
 * the login attempts it received so tests prove when nothing was tried.
 */
export interface FakeService {
  port: number;
  /** TCP connections accepted (HTTP: requests). */
  readonly connections: number;
  /** Login attempts: FTP USER commands, PostgreSQL startup messages, Redis commands, HTTP requests with Authorization. */
  readonly loginAttempts: number;
  /** Logins that succeeded. */
  readonly successes: number;
  stop(): Promise<void>;
}

interface Counters {
  connections: number;
  loginAttempts: number;
  successes: number;
}

async function listen(
  server: net.Server | http.Server,
  host: string,
  port: number | undefined,
  counters: Counters,
  sockets: Set<net.Socket>,
): Promise<FakeService> {
  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port ?? 0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("fake service: no port");
  return {
    port: address.port,
    get connections() {
      return counters.connections;
    },
    get loginAttempts() {
      return counters.loginAttempts;
    },
    get successes() {
      return counters.successes;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function lines(socket: net.Socket, onLine: (line: string) => void): void {
  let buffer = "";
  socket.setEncoding("latin1");
  socket.on("data", (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf("\n"); end >= 0; end = buffer.indexOf("\n")) {
      const line = buffer.slice(0, end).replace(/\r$/, "");
      buffer = buffer.slice(end + 1);
      onLine(line);
    }
  });
}

/* ---------------------------------------------------------------- FTP */

export interface FakeFtpOptions {
  host: string;
  port?: number;
  /** Accept `anonymous` / `ftp` with any password. */
  anonymous?: boolean;
  /** Accounts accepted (user → password). */
  accounts?: Record<string, string>;
  /** Greeting after 220. */
  greeting?: string;
}

export async function startFakeFtp(options: FakeFtpOptions): Promise<FakeService> {
  const counters: Counters = { connections: 0, loginAttempts: 0, successes: 0 };
  const server = net.createServer((socket) => {
    counters.connections += 1;
    let user: string | null = null;
    socket.write(`220 ${options.greeting ?? "Serveur FTP de test"}\r\n`);
    lines(socket, (line) => {
      const [verb = "", ...rest] = line.split(" ");
      const arg = rest.join(" ");
      switch (verb.toUpperCase()) {
        case "USER":
          counters.loginAttempts += 1;
          user = arg;
          socket.write("331 Mot de passe requis\r\n");
          break;
        case "PASS": {
          const anonymous = options.anonymous && (user === "anonymous" || user === "ftp");
          const account = user !== null && options.accounts?.[user] === arg;
          if (anonymous || account) {
            counters.successes += 1;
            socket.write("230 Connecté\r\n");
          } else {
            socket.write("530 Identification incorrecte\r\n");
          }
          break;
        }
        case "QUIT":
          socket.end("221 Au revoir\r\n");
          break;
        default:
          socket.write("530 Identifiez-vous avec USER et PASS\r\n");
      }
    });
  });
  return listen(server, options.host, options.port, counters, new Set());
}

/* --------------------------------------------------------- PostgreSQL */

export interface FakePostgresOptions {
  host: string;
  port?: number;
  /** `trust`: any startup is logged in; `password`: SCRAM is asked (never completed). */
  auth: "trust" | "password";
}

function pgMessage(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, "ascii");
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

export async function startFakePostgres(options: FakePostgresOptions): Promise<FakeService> {
  const counters: Counters = { connections: 0, loginAttempts: 0, successes: 0 };
  const server = net.createServer((socket) => {
    counters.connections += 1;
    let buffer = Buffer.alloc(0);
    let started = false;
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          buffer = buffer.subarray(length);
          if (code === 80_877_103) {
            socket.write("N"); // no SSL
            continue;
          }
          started = true;
          counters.loginAttempts += 1;
          if (options.auth === "trust") {
            counters.successes += 1;
            const ok = Buffer.alloc(4);
            socket.write(Buffer.concat([pgMessage("R", ok), pgMessage("Z", Buffer.from("I"))]));
          } else {
            const sasl = Buffer.concat([
              Buffer.from([0, 0, 0, 10]),
              Buffer.from("SCRAM-SHA-256\0\0", "ascii"),
            ]);
            socket.write(pgMessage("R", sasl));
          }
          continue;
        }
        if (buffer.length < 5) return;
        const length = buffer.readInt32BE(1);
        if (buffer.length < 1 + length) return;
        const type = String.fromCharCode(buffer[0] ?? 0);
        buffer = buffer.subarray(1 + length);
        if (type === "X") {
          socket.end();
          return;
        }
      }
    });
  });
  return listen(server, options.host, options.port, counters, new Set());
}

/* -------------------------------------------------------------- Redis */

export interface FakeRedisOptions {
  host: string;
  port?: number;
  /** When set, every command but AUTH answers -NOAUTH until authenticated. */
  password?: string;
}

/** Parses RESP arrays of bulk strings (and inline commands); returns the commands and the rest. */
function parseResp(input: string): { commands: string[][]; rest: string } {
  const commands: string[][] = [];
  let rest = input;
  for (;;) {
    if (rest.startsWith("*")) {
      const header = rest.indexOf("\r\n");
      if (header < 0) break;
      const count = Number(rest.slice(1, header));
      let offset = header + 2;
      const args: string[] = [];
      let complete = true;
      for (let i = 0; i < count; i++) {
        const end = rest.indexOf("\r\n", offset);
        if (end < 0 || rest[offset] !== "$") {
          complete = false;
          break;
        }
        const length = Number(rest.slice(offset + 1, end));
        if (rest.length < end + 2 + length + 2) {
          complete = false;
          break;
        }
        args.push(rest.slice(end + 2, end + 2 + length));
        offset = end + 2 + length + 2;
      }
      if (!complete) break;
      commands.push(args);
      rest = rest.slice(offset);
    } else {
      const end = rest.indexOf("\n");
      if (end < 0) break;
      const line = rest.slice(0, end).replace(/\r$/, "").trim();
      if (line) commands.push(line.split(/\s+/));
      rest = rest.slice(end + 1);
    }
  }
  return { commands, rest };
}

export async function startFakeRedis(options: FakeRedisOptions): Promise<FakeService> {
  const counters: Counters = { connections: 0, loginAttempts: 0, successes: 0 };
  const server = net.createServer((socket) => {
    counters.connections += 1;
    let authenticated = options.password === undefined;
    let pending = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      const parsed = parseResp(pending + chunk);
      pending = parsed.rest;
      for (const [name = "", ...args] of parsed.commands) {
        counters.loginAttempts += 1;
        const command = name.toUpperCase();
        if (command === "QUIT") {
          socket.end("+OK\r\n");
          return;
        }
        if (command === "AUTH") {
          authenticated = args.at(-1) === options.password;
          socket.write(authenticated ? "+OK\r\n" : "-WRONGPASS invalid username-password pair\r\n");
          continue;
        }
        if (!authenticated) {
          socket.write("-NOAUTH Authentication required.\r\n");
          continue;
        }
        if (command === "PING") {
          counters.successes += 1;
          socket.write("+PONG\r\n");
        } else {
          socket.write(`-ERR unknown command '${name}'\r\n`);
        }
      }
    });
  });
  return listen(server, options.host, options.port, counters, new Set());
}

/* ---------------------------------------------------------- HTTP Basic */

export interface FakeHttpBasicOptions {
  host: string;
  port?: number;
  /** Accounts accepted (user → password). */
  accounts: Record<string, string>;
  realm?: string;
}

export interface FakeHttpService extends FakeService {
  /** Every request received (with or without credentials). */
  readonly requests: number;
}

export async function startFakeHttpBasic(options: FakeHttpBasicOptions): Promise<FakeHttpService> {
  const counters: Counters = { connections: 0, loginAttempts: 0, successes: 0 };
  let requests = 0;
  const server = http.createServer((request, response) => {
    requests += 1;
    counters.connections += 1;
    const header = request.headers.authorization;
    if (header) {
      counters.loginAttempts += 1;
      const match = /^Basic\s+(\S+)$/i.exec(header);
      const decoded = match?.[1] ? Buffer.from(match[1], "base64").toString("utf8") : "";
      const colon = decoded.indexOf(":");
      const user = decoded.slice(0, colon);
      if (colon > 0 && options.accounts[user] === decoded.slice(colon + 1)) {
        counters.successes += 1;
        response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
        response.end("<h1>Administration</h1>");
        return;
      }
    }
    response.writeHead(401, {
      "WWW-Authenticate": `Basic realm="${options.realm ?? "Administration"}"`,
      "Content-Type": "text/plain; charset=utf-8",
    });
    response.end("Authentification requise");
  });
  const service = await listen(server, options.host, options.port, counters, new Set());
  return Object.defineProperty(service, "requests", { get: () => requests }) as FakeHttpService;
}

/* ------------------------------------------------------ plain TCP port */

export interface PlainTcpOptions {
  host: string;
  port?: number;
  /** Written on connection, then the connection stays open until the peer closes it. */
  banner?: string;
}

/** A TCP port that speaks no known protocol (optionally sends a banner). */
export async function startPlainTcp(options: PlainTcpOptions): Promise<FakeService> {
  const counters: Counters = { connections: 0, loginAttempts: 0, successes: 0 };
  const server = net.createServer((socket) => {
    counters.connections += 1;
    if (options.banner) socket.write(options.banner);
    socket.on("data", () => {
      // reads and ignores everything
    });
  });
  return listen(server, options.host, options.port, counters, new Set());
}
