import dgram from "node:dgram";
import { createServer, type Server } from "node:net";
import dnsPacket from "dns-packet";
import { afterAll, describe, expect, it } from "vitest";
import { queryDns, zoneTransfer } from "./dns-client.ts";

// Hostile name servers, on loopback: a malformed answer over TCP fails the exchange (never the
// process), and a UDP answer from another address or port than the server asked is ignored.
const HOST = `127.54.${process.pid % 250}.1`;
const closers: (() => void)[] = [];
afterAll(() => {
  for (const close of closers) close();
});

describe("dns-client against hostile servers", () => {
  it("rejects a malformed zone transfer answer without throwing out of the socket", async () => {
    const server: Server = createServer((socket) => {
      socket.once("data", () => {
        const garbage = Buffer.from([0x00, 0x05, 0xde, 0xad, 0xbe, 0xef, 0x00]);
        socket.write(garbage);
      });
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, HOST, () => resolve()));
    closers.push(() => server.close());
    const port = (server.address() as { port: number }).port;
    await expect(zoneTransfer({ ip: HOST, port }, "hopital.test", { timeoutMs: 2000 })).rejects.toThrow(
      /Réponse DNS illisible/,
    );
  });

  it("ignores a UDP answer sent from another port than the server's", async () => {
    const server = dgram.createSocket("udp4");
    const other = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => server.bind(0, HOST, () => resolve()));
    await new Promise<void>((resolve) => other.bind(0, HOST, () => resolve()));
    closers.push(
      () => server.close(),
      () => other.close(),
    );
    let answered = 0;
    server.on("message", (data, from) => {
      const query = dnsPacket.decode(data);
      const answer = dnsPacket.encode({
        type: "response",
        id: query.id ?? 0,
        flags: dnsPacket.AUTHORITATIVE_ANSWER,
        questions: query.questions,
        answers: [{ type: "A", name: "www.hopital.test", ttl: 60, data: "127.0.0.99" }],
      });
      answered += 1;
      other.send(answer, from.port, from.address);
    });
    const port = server.address().port;
    await expect(queryDns({ ip: HOST, port }, "www.hopital.test", "A", { timeoutMs: 800 })).rejects.toThrow(
      /Pas de réponse DNS/,
    );
    expect(answered).toBe(1);
  });
});
