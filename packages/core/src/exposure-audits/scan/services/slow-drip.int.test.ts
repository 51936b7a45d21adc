import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { PerimeterGuard } from "../perimeter-guard.ts";
import { TargetLimiter } from "../target-limiter.ts";
import type { OpenService, ScanContext } from "../types.ts";
import { CONNECTION_DEADLINE_TIMEOUTS } from "./connection.ts";
import { checkDefaultCredentials } from "./default-credentials.ts";
import { dicomEcho } from "./dicom.ts";

/**
 * Hostile peers that never stop talking, each byte (or line, or PDU) arriving before the idle
 * timeout: every probe must still end within its overall deadline.
 */
const HOST = "127.31.9.10";
const TIMEOUT_MS = 300;
const DRIP_MS = 100;
/** The deadline plus room for the event loop and the connection set-up. */
const BOUND_MS = CONNECTION_DEADLINE_TIMEOUTS * TIMEOUT_MS + 700;

const ctx: ScanContext = {
  guard: new PerimeterGuard([], ["127.31.9.0/24"]),
  limiter: new TargetLimiter(1000),
  userAgent: "VigieScanner/1.0 (test)",
  dnsServers: [],
  timeoutMs: TIMEOUT_MS,
  allowDefaultCredentials: true,
};

const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();
let connections = 0;

/** A server that writes `first` then `next()` every DRIP_MS, forever, to each client. */
async function startDrip(first: Buffer | string, next: () => Buffer | string): Promise<number> {
  const server = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.write(first);
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write(next());
    }, DRIP_MS);
    socket.on("close", () => clearInterval(timer));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, HOST, () => resolve());
  });
  servers.push(server);
  const address = server.address();
  if (!address || typeof address !== "object") throw new Error("adresse d'écoute inconnue");
  return address.port;
}

afterAll(async () => {
  for (const server of servers) {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});

const tcp = (port: number, service: string): OpenService => ({
  ip: HOST,
  port,
  transport: "tcp",
  service,
  tls: false,
});

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; elapsed: number }> {
  const started = Date.now();
  const value = await run();
  return { value, elapsed: Date.now() - started };
}

describe("service probes against slow-drip peers", () => {
  it("ends an endless FTP multi-line greeting within the deadline", async () => {
    const before = connections;
    const port = await startDrip("220-Bienvenue\r\n", () => "220-encore une ligne\r\n");
    const { value, elapsed } = await timed(() => checkDefaultCredentials(ctx, tcp(port, "ftp"), "ftp"));
    expect(value).toBeNull();
    expect(connections - before).toBe(1);
    expect(elapsed).toBeLessThan(BOUND_MS);
  });

  it("ends an HTTP answer whose headers drip byte by byte within the deadline", async () => {
    const port = await startDrip("HTTP/1.1 401 Unauthorized\r\nX-Goutte: ", () => "a");
    const { value, elapsed } = await timed(() => checkDefaultCredentials(ctx, tcp(port, "http"), "http"));
    expect(value).toBeNull();
    expect(elapsed).toBeLessThan(BOUND_MS);
  });

  it("ends a DICOM peer sending endless P-DATA fragments within the deadline", async () => {
    const ac = Buffer.alloc(68 + 8);
    ac.writeUInt16BE(1, 0);
    // presentation context 1 accepted (no transfer syntax sub-item)
    ac.writeUInt8(0x21, 68);
    ac.writeUInt16BE(4, 70);
    ac.writeUInt8(1, 72);
    const header = Buffer.alloc(6);
    header.writeUInt8(0x02, 0);
    header.writeUInt32BE(ac.length, 2);
    // a data set fragment (not the last): a C-ECHO-RSP never ends this way
    const pdv = Buffer.from([0, 0, 0, 4, 1, 0x00, 0xaa, 0xbb]);
    const pData = Buffer.concat([Buffer.from([0x04, 0, 0, 0, 0, pdv.length]), pdv]);
    const port = await startDrip(Buffer.concat([header, ac]), () => pData);
    const { value, elapsed } = await timed(() => dicomEcho(ctx, HOST, port));
    expect(value.associated).toBe(true);
    expect(value.echoStatus).toBeUndefined();
    expect(elapsed).toBeLessThan(BOUND_MS);
  });
});
