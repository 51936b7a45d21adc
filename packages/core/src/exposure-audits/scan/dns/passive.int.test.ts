import dgram from "node:dgram";
import net from "node:net";
import {
  type KnotServer,
  knotTestAddress,
  type RdapServer,
  startKnot,
  startRdapServer,
} from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PerimeterGuard } from "../perimeter-guard.ts";
import { TargetLimiter } from "../target-limiter.ts";
import type { ScanContext } from "../types.ts";
import { type PassiveResult, runPassivePhase } from "./index.ts";

/**
 * The passive DNS phase against a real authoritative server (Knot) serving a weak zone and a
 * hardened one, an RDAP registry of our own, and listeners on the addresses outside the
 * perimeter that count every connection (there must be none).
 */

const octet = process.pid % 250;
const knotAddress = knotTestAddress();
/** The perimeter's range for the hosts; the Knot address is in the perimeter too (AXFR). */
const inside = (n: number) => `127.60.${octet}.${n}`;
/** Addresses outside the perimeter: never contacted. */
const outside = (n: number) => `127.61.${octet}.${n}`;
const DAY = 86_400_000;
const now = new Date("2026-03-02T09:00:00Z");

/** TCP (53, 80, 443) and UDP (53) listeners counting what reaches an address. */
interface Recorder {
  ip: string;
  contacts: number;
  close(): Promise<void>;
}

async function recordContacts(ip: string): Promise<Recorder> {
  const recorder = { ip, contacts: 0 } as Recorder;
  const tcp = await Promise.all(
    [53, 80, 443].map(
      (port) =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer((socket) => {
            recorder.contacts += 1;
            socket.destroy();
          });
          server.once("error", reject);
          server.listen(port, ip, () => resolve(server));
        }),
    ),
  );
  const udp = dgram.createSocket("udp4");
  udp.on("message", () => {
    recorder.contacts += 1;
  });
  await new Promise<void>((resolve, reject) => {
    udp.once("error", reject);
    udp.bind(53, ip, () => resolve());
  });
  recorder.close = async () => {
    await Promise.all(tcp.map((s) => new Promise((r) => s.close(r))));
    await new Promise<void>((r) => udp.close(() => r()));
  };
  return recorder;
}

function contextFor(domains: string[], knot: KnotServer): ScanContext {
  return {
    guard: new PerimeterGuard(domains, [`${knotAddress}/32`, `127.60.${octet}.0/24`]),
    limiter: new TargetLimiter(50),
    userAgent: "VigieScanner/1.0 (+http://127.0.0.1/audits/scanner)",
    dnsServers: [knot.server],
    timeoutMs: 2000,
    allowDefaultCredentials: false,
  };
}

const checks = (result: PassiveResult) => result.findings.map((f) => f.check);
const hostNames = (result: PassiveResult) => result.hosts.map((h) => h.name);

describe("runPassivePhase", () => {
  let knot: KnotServer | undefined;
  let rdap: RdapServer | undefined;
  const recorders: Recorder[] = [];

  beforeAll(async () => {
    knot = await startKnot({
      address: knotAddress,
      zones: [
        {
          origin: "faible.test",
          allowTransfer: true,
          records: [
            "@ IN NS ns1",
            "@ IN NS ns2",
            `ns1 IN A ${knotAddress}`,
            `ns2 IN A ${outside(53)}`,
            `@ IN A ${inside(1)}`,
            "@ IN MX 10 mx",
            `mx IN A ${inside(2)}`,
            `www IN A ${inside(3)}`,
            `secret-interne IN A ${inside(4)}`,
            `extranet IN A ${outside(10)}`,
            `mixte IN A ${inside(5)}`,
            `mixte IN A ${outside(11)}`,
            "ancien IN CNAME disparu",
            "cdn IN CNAME faible.cloud-fournisseur.test.",
            "vide IN CNAME sans-adresse",
            'sans-adresse IN TXT "rien"',
          ].join("\n"),
        },
        { origin: "cloud-fournisseur.test", records: `autre-client IN A ${outside(20)}` },
        {
          origin: "robuste.test",
          records: [
            `@ IN A ${inside(30)}`,
            '@ IN CAA 0 issue "letsencrypt.org"',
            "www IN CNAME web",
            `web IN A ${inside(31)}`,
            `vpn IN A ${inside(32)}`,
            `pacs IN A ${inside(33)}`,
            `portail-patients IN A ${inside(34)}`,
            `cache-secret IN A ${inside(35)}`,
          ].join("\n"),
        },
        { origin: "autre.test", records: `www IN A ${inside(40)}` },
        { origin: "joker.test", records: `* IN A ${inside(50)}\nvpn IN A ${inside(51)}` },
      ],
    });
    rdap = await startRdapServer({
      domains: {
        "faible.test": { expiresAt: new Date(now.getTime() + 10 * DAY) },
        "robuste.test": { expiresAt: new Date(now.getTime() + 365 * DAY) },
      },
    });
    for (const ip of [outside(53), outside(10), outside(11), outside(20), inside(3)]) {
      recorders.push(await recordContacts(ip));
    }
  });

  afterAll(async () => {
    await Promise.all(recorders.map((r) => r.close()));
    await rdap?.stop();
    await knot?.stop();
  });

  describe("weak zone", () => {
    let result: PassiveResult;
    beforeAll(async () => {
      if (!knot || !rdap) throw new Error("cibles non démarrées");
      result = await runPassivePhase(contextFor(["faible.test"], knot), {
        domains: ["faible.test"],
        ctNames: ["www.faible.test", "inexistant-ct.faible.test", "www.autre.test"],
        now,
        rdapUrl: rdap.url,
      });
    });

    it("reports the zone transfer, tried only on the name server inside the perimeter", () => {
      const axfr = result.findings.filter((f) => f.check === "dns.axfr.allowed");
      expect(axfr).toHaveLength(1);
      expect(axfr[0]).toMatchObject({ category: "dns", severity: "high", target: { domain: "faible.test" } });
      expect(axfr[0]?.evidence).toContain(`ns1.faible.test (${knotAddress}) : zone transmise`);
      expect(axfr[0]?.evidence).toContain(`ns2.faible.test (${outside(53)}) : non testé`);
      const ns2 = recorders.find((r) => r.ip === outside(53));
      expect(ns2?.contacts).toBe(0);
    });

    it("finds the names the transfer revealed", () => {
      const secret = result.hosts.find((h) => h.name === "secret-interne.faible.test");
      expect(secret).toEqual({
        name: "secret-interne.faible.test",
        ips: [inside(4)],
        inPerimeter: true,
        sources: ["axfr"],
      });
      expect(result.hosts.find((h) => h.name === "www.faible.test")?.sources).toEqual(["ct", "dns", "axfr"]);
      expect(result.hosts.find((h) => h.name === "mx.faible.test")?.sources).toContain("dns");
    });

    it("reports each alias leading nowhere, and only those", () => {
      const dangling = result.findings.filter((f) => f.check === "dns.cname.dangling");
      expect(dangling.map((f) => f.target.host).sort()).toEqual([
        "ancien.faible.test",
        "cdn.faible.test",
        "vide.faible.test",
      ]);
      expect(dangling.every((f) => f.severity === "high")).toBe(true);
      expect(dangling.find((f) => f.target.host === "ancien.faible.test")?.evidence).toContain(
        "disparu.faible.test n'existe pas (réponse NXDOMAIN)",
      );
      expect(dangling.find((f) => f.target.host === "vide.faible.test")?.evidence).toContain(
        "n'a aucune adresse",
      );
    });

    it("reports the missing CAA record and the domain expiring in 10 days", () => {
      expect(result.findings.find((f) => f.check === "dns.caa.missing")).toMatchObject({
        severity: "low",
        target: { domain: "faible.test" },
      });
      const expiry = result.findings.find((f) => f.check === "dns.domain.expiry");
      expect(expiry).toMatchObject({ severity: "high", target: { domain: "faible.test" } });
      expect(expiry?.title).toContain("dans 10 jours");
      expect(rdap?.requests).toContain("/domain/faible.test");
    });

    it("sorts hosts into the perimeter and reports the others without contacting them", () => {
      const byName = new Map(result.hosts.map((h) => [h.name, h]));
      expect(byName.get("www.faible.test")?.inPerimeter).toBe(true);
      expect(byName.get("faible.test")).toMatchObject({
        ips: [inside(1)],
        inPerimeter: true,
        sources: ["declared"],
      });
      expect(byName.get("extranet.faible.test")).toMatchObject({ ips: [outside(10)], inPerimeter: false });
      expect(byName.get("mixte.faible.test")).toMatchObject({
        ips: [inside(5), outside(11)],
        inPerimeter: false,
      });
      expect(result.outOfPerimeter).toEqual([
        { name: "extranet.faible.test", ip: outside(10) },
        { name: "mixte.faible.test", ip: outside(11) },
        { name: "ns2.faible.test", ip: outside(53) },
      ]);
      const info = result.findings.find((f) => f.check === "dns.out_of_perimeter");
      expect(info?.severity).toBe("info");
      expect(info?.evidence).toContain(`extranet.faible.test → ${outside(10)}`);
      for (const recorder of recorders)
        expect({ ip: recorder.ip, contacts: recorder.contacts }).toEqual({ ip: recorder.ip, contacts: 0 });
    });

    it("never follows names outside the declared domains", () => {
      expect(hostNames(result).every((n) => n === "faible.test" || n.endsWith(".faible.test"))).toBe(true);
      expect(
        result.records.some((r) => r.name.endsWith("autre.test") || r.name.includes("cloud-fournisseur")),
      ).toBe(false);
      expect(hostNames(result)).not.toContain("inexistant-ct.faible.test");
    });

    it("records what each name holds", () => {
      expect(result.records).toContainEqual({
        name: "faible.test",
        type: "MX",
        values: ["10 mx.faible.test"],
      });
      expect(result.records).toContainEqual({
        name: "faible.test",
        type: "NS",
        values: ["ns1.faible.test", "ns2.faible.test"],
      });
      expect(result.records).toContainEqual({
        name: "ancien.faible.test",
        type: "CNAME",
        values: ["disparu.faible.test"],
      });
      expect(result.records).toContainEqual({
        name: "sans-adresse.faible.test",
        type: "TXT",
        values: ["rien"],
      });
    });
  });

  describe("hardened zone", () => {
    let result: PassiveResult;
    beforeAll(async () => {
      if (!knot || !rdap) throw new Error("cibles non démarrées");
      result = await runPassivePhase(contextFor(["robuste.test"], knot), {
        domains: ["robuste.test"],
        ctNames: ["portail-patients.robuste.test", "*.robuste.test", "www.autre.test"],
        now,
        rdapUrl: rdap.url,
      });
    });

    it("reports none of the weak zone's problems", () => {
      for (const check of [
        "dns.axfr.allowed",
        "dns.axfr.untested",
        "dns.cname.dangling",
        "dns.caa.missing",
        "dns.domain.expiry",
        "dns.rdap.unavailable",
        "dns.out_of_perimeter",
      ]) {
        expect(checks(result)).not.toContain(check);
      }
      expect(result.outOfPerimeter).toEqual([]);
      expect(rdap?.requests).toContain("/domain/robuste.test");
    });

    it("discovers names from certificate transparency and the wordlist, not the others", () => {
      const byName = new Map(result.hosts.map((h) => [h.name, h]));
      expect(byName.get("portail-patients.robuste.test")).toEqual({
        name: "portail-patients.robuste.test",
        ips: [inside(34)],
        inPerimeter: true,
        sources: ["ct"],
      });
      expect(byName.get("vpn.robuste.test")?.sources).toEqual(["dns"]);
      expect(byName.get("pacs.robuste.test")?.ips).toEqual([inside(33)]);
      // an alias found by the wordlist: its target's addresses, the target found too
      expect(byName.get("www.robuste.test")?.ips).toEqual([inside(31)]);
      expect(byName.get("web.robuste.test")?.sources).toEqual(["dns"]);
      // neither in CT nor in the wordlist, and the zone cannot be transferred
      expect(byName.has("cache-secret.robuste.test")).toBe(false);
      expect(hostNames(result).some((n) => n.endsWith("autre.test"))).toBe(false);
      expect(result.hosts.every((h) => h.inPerimeter)).toBe(true);
    });
  });

  it("says in an info finding when the RDAP service cannot be reached", async () => {
    if (!knot) throw new Error("cibles non démarrées");
    const gone = await startRdapServer({
      domains: { "robuste.test": { expiresAt: new Date(now.getTime() - DAY) } },
    });
    await gone.stop();
    const result = await runPassivePhase(contextFor(["robuste.test"], knot), {
      domains: ["robuste.test"],
      ctNames: [],
      now,
      rdapUrl: gone.url,
    });
    const info = result.findings.filter((f) => f.check === "dns.rdap.unavailable");
    expect(info).toHaveLength(1);
    expect(info[0]).toMatchObject({ severity: "info", target: { domain: "robuste.test" } });
    expect(info[0]?.evidence).toContain("service RDAP injoignable");
    expect(checks(result)).not.toContain("dns.domain.expiry");
  });

  it("reports an expired domain as critical", async () => {
    if (!knot) throw new Error("cibles non démarrées");
    const expired = await startRdapServer({
      domains: { "robuste.test": { expiresAt: new Date(now.getTime() - 3 * DAY) } },
    });
    try {
      const result = await runPassivePhase(contextFor(["robuste.test"], knot), {
        domains: ["robuste.test"],
        ctNames: [],
        now,
        rdapUrl: expired.url,
      });
      const expiry = result.findings.find((f) => f.check === "dns.domain.expiry");
      expect(expiry?.severity).toBe("critical");
      expect(expiry?.title).toContain("expiré");
    } finally {
      await expired.stop();
    }
  });

  it("keeps from the wordlist only the names a wildcard does not answer", async () => {
    if (!knot) throw new Error("cibles non démarrées");
    const result = await runPassivePhase(contextFor(["joker.test"], knot), {
      domains: ["joker.test"],
      ctNames: ["extranet.joker.test"],
      now,
    });
    // the apex has no address of its own (a wildcard does not cover it); www, mail… are wildcard answers
    expect(hostNames(result)).toEqual(["extranet.joker.test", "ns1.joker.test", "vpn.joker.test"]);
    expect(result.hosts.find((h) => h.name === "extranet.joker.test")?.ips).toEqual([inside(50)]);
    expect(result.findings.find((f) => f.check === "dns.rdap.unavailable")?.evidence).toContain(
      "AUDIT_RDAP_URL",
    );
  });

  it("fails clearly when the DNS servers do not answer", async () => {
    const ctx: ScanContext = {
      ...contextFor(["robuste.test"], knot as KnotServer),
      dnsServers: [`${outside(99)}:53`],
    };
    ctx.timeoutMs = 300;
    await expect(runPassivePhase(ctx, { domains: ["robuste.test"], ctNames: [], now })).rejects.toThrow(
      /ne répondent pas/,
    );
  });
});
