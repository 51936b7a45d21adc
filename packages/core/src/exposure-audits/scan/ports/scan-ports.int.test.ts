import type { RunningServices } from "@vigie/test-kit";
import { startServices } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OpenService } from "../types.ts";
import { scanPorts } from "./index.ts";
import {
  hardenedListeners,
  loopbackBlock,
  scanContext,
  TEST_PORTS,
  weakListeners,
} from "./targets.test-helpers.ts";

const net = loopbackBlock(121);
const WEAK = net.ip(10);
const HARDENED = net.ip(11);
const EMPTY = net.ip(12);

let targets: RunningServices;

beforeAll(async () => {
  targets = await startServices([...weakListeners(WEAK), ...hardenedListeners(HARDENED)]);
});
afterAll(async () => {
  await targets?.close();
});

function byPort(services: OpenService[], ip: string): Map<number, OpenService> {
  return new Map(services.filter((s) => s.ip === ip).map((s) => [s.port, s]));
}

describe("scanPorts, built-in engine", () => {
  it("finds the weak host's open ports and identifies services and versions from the banners", async () => {
    const ctx = scanContext(net.subnet);
    const result = await scanPorts(
      ctx,
      [{ ip: WEAK, host: "pacs.hopital.test" }, { ip: EMPTY }],
      TEST_PORTS,
      {
        engine: "never",
      },
    );
    expect(result.engine).toBe("builtin");
    const weak = byPort(result.services, WEAK);
    expect([...weak.keys()]).toEqual(weakListeners(WEAK).map((l) => l.port));
    expect(result.services.filter((s) => s.ip === EMPTY)).toEqual([]);
    expect(weak.get(22)).toMatchObject({
      host: "pacs.hopital.test",
      service: "ssh",
      tls: false,
      product: { vendor: "openbsd", product: "openssh", version: "7.4" },
      banner: "SSH-2.0-OpenSSH_7.4",
    });
    expect(weak.get(21)).toMatchObject({
      service: "ftp",
      product: { vendor: "beasts", product: "vsftpd", version: "3.0.3" },
    });
    expect(weak.get(23)).toMatchObject({ service: "telnet", tls: false });
    expect(weak.get(25)).toMatchObject({
      service: "smtp",
      product: { vendor: "exim", product: "exim", version: "4.96" },
    });
    expect(weak.get(80)).toMatchObject({
      service: "http",
      tls: false,
      product: { vendor: "apache", product: "http_server", version: "2.4.49" },
    });
    expect(weak.get(110)).toMatchObject({
      service: "pop3",
      product: { vendor: "dovecot", product: "dovecot" },
    });
    expect(weak.get(143)).toMatchObject({
      service: "imap",
      product: { vendor: "dovecot", product: "dovecot" },
    });
    expect(weak.get(443)).toMatchObject({
      service: "https",
      tls: true,
      product: { vendor: "f5", product: "nginx", version: "1.22.1" },
    });
    expect(weak.get(3306)).toMatchObject({
      service: "mysql",
      product: { vendor: "mariadb", product: "mariadb", version: "10.11.6" },
    });
    expect(weak.get(3389)).toMatchObject({ service: "rdp" });
    expect(weak.get(5432)).toMatchObject({ service: "postgresql" });
    expect(weak.get(5900)).toMatchObject({ service: "vnc" });
    expect(weak.get(6379)).toMatchObject({
      service: "redis",
      product: { vendor: "redis", product: "redis", version: "7.0.15" },
    });
    expect(weak.get(8080)).toMatchObject({
      service: "http",
      product: { vendor: "microsoft", product: "internet_information_services", version: "10.0" },
    });
    // a DICOM port that says nothing: named by its port, the services phase confirms with C-ECHO
    expect(weak.get(11112)).toMatchObject({ service: "dicom", tls: false });
    expect(weak.get(11112)?.banner).toBeUndefined();
  });

  it("finds only HTTPS on the hardened host, without product when no Server header is sent", async () => {
    const result = await scanPorts(scanContext(net.subnet), [{ ip: HARDENED }], TEST_PORTS, {
      engine: "never",
    });
    expect(result.services).toHaveLength(1);
    expect(result.services[0]).toMatchObject({ ip: HARDENED, port: 443, service: "https", tls: true });
    expect(result.services[0]?.product).toBeUndefined();
  });

  it("refuses a target outside the perimeter before connecting to anything", async () => {
    const outside = loopbackBlock(122).ip(10);
    const seen: string[] = [];
    const witness = await startServices([{ ip: outside, port: 22, kind: "ssh" }], (ip) => seen.push(ip));
    const witnessInside = await startServices([{ ip: net.ip(13), port: 22, kind: "ssh" }], (ip) =>
      seen.push(ip),
    );
    try {
      await expect(
        scanPorts(scanContext(net.subnet), [{ ip: net.ip(13) }, { ip: outside }], [22], { engine: "never" }),
      ).rejects.toThrow(`Adresse hors du périmètre autorisé : ${outside}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen).toEqual([]);
    } finally {
      await witness.close();
      await witnessInside.close();
    }
  });

  it("keeps to the per-target rate: never more new connections in a second than the limit", async () => {
    const ip = net.ip(14);
    const count = 30;
    const rate = 10;
    const stamps: number[] = [];
    const host = await startServices(
      Array.from({ length: count }, () => ({ ip, port: 0, kind: "ssh" as const })),
      () => stamps.push(performance.now()),
    );
    try {
      const started = performance.now();
      const result = await scanPorts(
        scanContext(net.subnet, { rate }),
        [{ ip }],
        host.listeners.map((l) => l.port),
        {
          engine: "never",
        },
      );
      const elapsed = performance.now() - started;
      expect(result.services).toHaveLength(count);
      expect(result.services.every((s) => s.service === "ssh")).toBe(true);
      // one connection per port (the SSH greeting identifies it on the scan's connection)
      expect(stamps).toHaveLength(count);
      let worstSecond = 0;
      for (const start of stamps) {
        worstSecond = Math.max(worstSecond, stamps.filter((t) => t >= start && t < start + 1000).length);
      }
      expect(worstSecond).toBeLessThanOrEqual(rate + 1);
      // 30 connections at 10 per second cannot take less than 2.9 s
      expect(elapsed).toBeGreaterThanOrEqual(((count - 1) * 1000) / rate - 50);
    } finally {
      await host.close();
    }
  });

  it("stops when the audit is cancelled", async () => {
    const controller = new AbortController();
    const ctx = { ...scanContext(net.subnet, { rate: 5 }), signal: controller.signal };
    setTimeout(() => controller.abort(new Error("audit annulé")), 300);
    const started = performance.now();
    await expect(scanPorts(ctx, [{ ip: WEAK }], TEST_PORTS, { engine: "never" })).rejects.toThrow(
      "audit annulé",
    );
    // 20 ports at 5 per second would take 4 s
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
