import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { queryDns } from "@vigie/core";
import { stopDaemon } from "./daemon.ts";

/**
 * An authoritative DNS server for tests: Debian's Knot DNS (`knotd`) on a loopback address the
 * test chooses, port 53, with the test's zones, optionally DNSSEC-signed by Knot itself and with
 * zone transfers allowed to anyone (the weak setting) or refused (the default).
 */

export interface TestZone {
  /** `hopital.test` */
  origin: string;
  /**
   * Zone file lines after `$ORIGIN` and `$TTL` (relative or absolute names). A SOA is added when
   * absent, and `@ NS ns1` + `ns1 A <server address>` when there is no NS record.
   */
  records: string;
  /** Knot signs the zone (ECDSA P-256, keys generated at start). */
  dnssec?: boolean;
  /** Anyone may transfer the zone (AXFR). */
  allowTransfer?: boolean;
}

export interface KnotServer {
  address: string;
  port: number;
  /** `127.53.0.1:53`: what `AUDIT_DNS_SERVERS` takes. */
  server: string;
  /** DS records of the signed zones (`origin` → DS lines), for a parent or a trust anchor. */
  ds: Map<string, string[]>;
  stop(): Promise<void>;
}

let counter = 0;

/** A loopback address of its own for each server: 127.53.<pid>.<n>. */
export function knotTestAddress(): string {
  counter += 1;
  return `127.53.${process.pid % 250}.${(counter % 250) + 1}`;
}

function zoneText(zone: TestZone, address: string): string {
  const lines = [`$ORIGIN ${zone.origin}.`, "$TTL 300"];
  if (!/\sSOA\s/i.test(zone.records)) {
    lines.push(`@ IN SOA ns1.${zone.origin}. hostmaster.${zone.origin}. 1 3600 900 604800 300`);
  }
  if (!/\sNS\s/i.test(zone.records)) lines.push("@ IN NS ns1", `ns1 IN A ${address}`);
  lines.push(zone.records, "");
  return lines.join("\n");
}

async function waitForAnswer(
  address: string,
  origin: string,
  child: ChildProcess,
  log: string,
): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const response = await queryDns({ ip: address, port: 53 }, origin, "SOA", { timeoutMs: 300 });
      if (response.answers.some((a) => a.type === "SOA")) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const text = existsSync(log) ? await readFile(log, "utf8") : "";
  child.kill("SIGKILL");
  throw new Error(`knotd n'a pas démarré sur ${address} :\n${text.slice(-2000)}`);
}

/** Starts knotd with the zones; resolves once every zone answers (and is signed when asked). */
export async function startKnot(options: { zones: TestZone[]; address?: string }): Promise<KnotServer> {
  if (spawnSync("knotd", ["--version"]).status !== 0) {
    throw new Error("knotd est introuvable : installez le paquet Debian « knot » (apt-get install knot).");
  }
  const address = options.address ?? knotTestAddress();
  const dir = await mkdtemp(join(tmpdir(), "vigie-knot-"));
  await mkdir(join(dir, "zones"));
  await mkdir(join(dir, "db"));
  const zoneConfig: string[] = [];
  for (const zone of options.zones) {
    await writeFile(join(dir, "zones", `${zone.origin}.zone`), zoneText(zone, address));
    zoneConfig.push(`  - domain: ${zone.origin}`);
    if (zone.allowTransfer) zoneConfig.push("    acl: [transfer_any]");
    if (zone.dnssec) zoneConfig.push("    dnssec-signing: on", "    dnssec-policy: test");
  }
  const log = join(dir, "knot.log");
  const config = [
    "server:",
    `  rundir: "${dir}"`,
    `  listen: [ "${address}@53" ]`,
    "database:",
    `  storage: "${join(dir, "db")}"`,
    "control:",
    `  listen: "${join(dir, "knot.sock")}"`,
    "log:",
    `  - target: "${log}"`,
    "    any: info",
    "acl:",
    "  - id: transfer_any",
    "    address: [ 0.0.0.0/0, ::/0 ]",
    "    action: transfer",
    "policy:",
    "  - id: test",
    "    algorithm: ecdsap256sha256",
    "    ksk-lifetime: 0",
    "    zsk-lifetime: 0",
    "template:",
    "  - id: default",
    `    storage: "${join(dir, "zones")}"`,
    '    file: "%s.zone"',
    "    zonefile-sync: -1",
    "    journal-content: none",
    "zone:",
    ...zoneConfig,
    "",
  ].join("\n");
  const configFile = join(dir, "knot.conf");
  await writeFile(configFile, config);
  const child = spawn("knotd", ["-c", configFile], { stdio: "ignore" });
  const stop = (): Promise<void> => stopDaemon(child, dir);
  try {
    for (const zone of options.zones) await waitForAnswer(address, zone.origin, child, log);
    const ds = new Map<string, string[]>();
    for (const zone of options.zones.filter((z) => z.dnssec)) {
      // signing happens right after loading: wait for the DNSKEY, then read the DS
      const deadline = Date.now() + 15_000;
      for (;;) {
        const keys = await queryDns({ ip: address, port: 53 }, zone.origin, "DNSKEY", {
          timeoutMs: 500,
          dnssec: true,
        });
        if (keys.answers.some((a) => a.type === "DNSKEY")) break;
        if (Date.now() > deadline) throw new Error(`knotd n'a pas signé ${zone.origin}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const out = spawnSync("keymgr", ["-c", configFile, zone.origin, "ds"], { encoding: "utf8" });
      ds.set(
        zone.origin,
        out.stdout
          .split("\n")
          .map((l) => l.trim())
          .filter(Boolean),
      );
    }
    return { address, port: 53, server: `${address}:53`, ds, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
