import { randomInt } from "node:crypto";
import dgram from "node:dgram";
import { getServers } from "node:dns";
import net from "node:net";
import dnsPacket from "dns-packet";

/**
 * A small DNS client (decision 0012) on `dns-packet`: the audits need what `node:dns` does not
 * give — the response flags (AA, AD), the DNSSEC records (DO bit), the rcode of a failure and
 * zone transfers (AXFR over TCP). Queries go to the configured servers (`AUDIT_DNS_SERVERS`),
 * else the system's.
 */

export interface DnsServer {
  ip: string;
  port: number;
}

export type DnsRecordType = dnsPacket.RecordType;
export type DnsAnswer = dnsPacket.Answer;

export interface DnsResponse {
  /** NOERROR, NXDOMAIN, SERVFAIL, REFUSED, NOTAUTH, … */
  rcode: string;
  authoritative: boolean;
  /** AD: the resolver validated the answer with DNSSEC. */
  authenticated: boolean;
  answers: DnsAnswer[];
  authorities: DnsAnswer[];
  additionals: DnsAnswer[];
}

export interface DnsQueryOptions {
  timeoutMs: number;
  /** Sets the DO bit (EDNS0): the answers carry their RRSIG records. */
  dnssec?: boolean;
  /** Asks over TCP (otherwise UDP, then TCP when the answer is truncated). */
  tcp?: boolean;
  signal?: AbortSignal;
}

/** "192.0.2.53", "192.0.2.53:5353", "[2001:db8::53]:53", "2001:db8::53". */
export function parseDnsServer(spec: string): DnsServer {
  const s = spec.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracketed?.[1]) return { ip: bracketed[1], port: bracketed[2] ? Number(bracketed[2]) : 53 };
  if (net.isIPv6(s)) return { ip: s, port: 53 };
  const [ip, port] = s.split(":");
  if (!ip || !net.isIP(ip)) throw new Error(`Serveur DNS invalide : « ${spec} »`);
  return { ip, port: port ? Number(port) : 53 };
}

/** The configured servers, else the system's resolvers. */
export function dnsServersOf(specs: readonly string[]): DnsServer[] {
  return (specs.length > 0 ? specs : getServers()).map(parseDnsServer);
}

function question(name: string, type: DnsRecordType, dnssec: boolean): Buffer {
  return dnsPacket.encode({
    type: "query",
    id: randomInt(0, 65_536),
    flags: dnsPacket.RECURSION_DESIRED | (dnssec ? dnsPacket.AUTHENTIC_DATA : 0),
    questions: [{ type, name, class: "IN" }],
    additionals: [
      {
        type: "OPT",
        name: ".",
        udpPayloadSize: 4096,
        flags: dnssec ? dnsPacket.DNSSEC_OK : 0,
      } as dnsPacket.Answer,
    ],
  });
}

function toResponse(packet: dnsPacket.Packet): DnsResponse {
  const flags = packet.flags ?? 0;
  return {
    rcode: (packet as { rcode?: string }).rcode ?? "NOERROR",
    authoritative: (flags & dnsPacket.AUTHORITATIVE_ANSWER) !== 0,
    authenticated: (flags & dnsPacket.AUTHENTIC_DATA) !== 0,
    answers: packet.answers ?? [],
    authorities: packet.authorities ?? [],
    additionals: (packet.additionals ?? []).filter((a) => a.type !== "OPT"),
  };
}

function withTimeout<T>(
  options: DnsQueryOptions,
  what: string,
  run: (done: (err: Error | null, value?: T) => void) => () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let cleanup = (): void => {};
    let settled = false;
    const finish = (err: Error | null, value?: T): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      cleanup();
      if (err) reject(err);
      else resolve(value as T);
    };
    const onAbort = (): void => finish(new Error("Requête DNS interrompue"));
    const timer = setTimeout(() => finish(new Error(`Pas de réponse DNS (${what})`)), options.timeoutMs);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    cleanup = run(finish);
  });
}

function queryUdp(server: DnsServer, message: Buffer, options: DnsQueryOptions): Promise<dnsPacket.Packet> {
  return withTimeout(options, `${server.ip}:${server.port}`, (done) => {
    const socket = dgram.createSocket(net.isIPv6(server.ip) ? "udp6" : "udp4");
    const id = message.readUInt16BE(0);
    socket.on("error", (err) => done(err));
    socket.on("message", (data, from) => {
      // only the server asked may answer (an off-path sender guessing the id is ignored)
      if (from.port !== server.port || net.isIP(from.address) === 0) return;
      if (from.address.replace(/^::ffff:/, "") !== server.ip.replace(/^::ffff:/, "")) return;
      try {
        const packet = dnsPacket.decode(data);
        if (packet.id === id) done(null, packet);
      } catch (err) {
        done(err as Error);
      }
    });
    socket.send(message, server.port, server.ip);
    return () => socket.close();
  });
}

/** Sends one query over TCP and reads messages until `isLast` says the exchange is over. */
function exchangeTcp(
  server: DnsServer,
  message: Buffer,
  options: DnsQueryOptions,
  isLast: (packet: dnsPacket.Packet, all: dnsPacket.Packet[]) => boolean,
): Promise<dnsPacket.Packet[]> {
  return withTimeout(options, `${server.ip}:${server.port}/tcp`, (done) => {
    const socket = net.connect({ host: server.ip, port: server.port });
    const packets: dnsPacket.Packet[] = [];
    let buffer = Buffer.alloc(0);
    socket.on("connect", () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(message.length);
      socket.write(Buffer.concat([length, message]));
    });
    socket.on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      try {
        while (buffer.length >= 2) {
          const size = buffer.readUInt16BE(0);
          if (buffer.length < 2 + size) break;
          const packet = dnsPacket.decode(buffer.subarray(2, 2 + size));
          buffer = buffer.subarray(2 + size);
          packets.push(packet);
          if (isLast(packet, packets)) {
            done(null, packets);
            return;
          }
        }
      } catch (err) {
        // a malformed answer from the server fails this exchange, never the process
        done(new Error(`Réponse DNS illisible de ${server.ip}:${server.port} : ${(err as Error).message}`));
      }
    });
    socket.on("error", (err) => done(err));
    socket.on("close", () => done(null, packets));
    return () => socket.destroy();
  });
}

/** One query to one server: UDP, then TCP when truncated (or TCP when asked). */
export async function queryDns(
  server: DnsServer,
  name: string,
  type: DnsRecordType,
  options: DnsQueryOptions,
): Promise<DnsResponse> {
  const message = question(name, type, options.dnssec ?? false);
  if (!options.tcp) {
    const packet = await queryUdp(server, message, options);
    if (((packet.flags ?? 0) & dnsPacket.TRUNCATED_RESPONSE) === 0) return toResponse(packet);
  }
  const [packet] = await exchangeTcp(server, message, options, () => true);
  if (!packet) throw new Error(`Connexion DNS fermée sans réponse (${server.ip}:${server.port})`);
  return toResponse(packet);
}

/** Asks each server in turn until one answers (any rcode); throws when none answers. */
export async function resolveDns(
  servers: readonly DnsServer[],
  name: string,
  type: DnsRecordType,
  options: DnsQueryOptions,
): Promise<DnsResponse> {
  let lastError: Error | null = null;
  for (const server of servers) {
    try {
      return await queryDns(server, name, type, options);
    } catch (err) {
      lastError = err as Error;
    }
  }
  throw lastError ?? new Error("Aucun serveur DNS configuré");
}

export interface ZoneTransferResult {
  /** The server sent the zone. */
  allowed: boolean;
  rcode: string;
  records: DnsAnswer[];
}

/**
 * Tries a zone transfer (AXFR over TCP). The caller checks the server's address against the
 * perimeter first: a transfer attempt is a connection to that server.
 */
export async function zoneTransfer(
  server: DnsServer,
  zone: string,
  options: DnsQueryOptions,
): Promise<ZoneTransferResult> {
  const message = dnsPacket.encode({
    type: "query",
    id: randomInt(0, 65_536),
    flags: 0,
    questions: [{ type: "AXFR", name: zone, class: "IN" }],
  });
  const packets = await exchangeTcp(server, message, options, (packet, all) => {
    if ((packet as { rcode?: string }).rcode && (packet as { rcode?: string }).rcode !== "NOERROR")
      return true;
    const soas = all.flatMap((p) => p.answers ?? []).filter((a) => a.type === "SOA").length;
    return soas >= 2 || (packet.answers ?? []).length === 0;
  });
  const first = packets[0];
  const rcode = (first as { rcode?: string } | undefined)?.rcode ?? (first ? "NOERROR" : "NO_ANSWER");
  const records = packets.flatMap((p) => p.answers ?? []);
  return { allowed: rcode === "NOERROR" && records.some((r) => r.type === "SOA"), rcode, records };
}
