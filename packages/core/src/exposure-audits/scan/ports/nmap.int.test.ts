import { AppError } from "@vigie/contracts";
import { type RunningServices, startServices } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OpenService } from "../types.ts";
import { findNmap, scanPorts } from "./index.ts";
import {
  hardenedListeners,
  loopbackBlock,
  scanContext,
  TEST_PORTS,
  weakListeners,
} from "./targets.test-helpers.ts";

const net = loopbackBlock(123);
const WEAK = net.ip(10);
const HARDENED = net.ip(11);
const nmapAvailable = findNmap() !== null;

let targets: RunningServices;
beforeAll(async () => {
  targets = await startServices([...weakListeners(WEAK), ...hardenedListeners(HARDENED)]);
});
afterAll(async () => {
  await targets?.close();
});

const openPorts = (services: OpenService[]) => services.map((s) => `${s.ip}:${s.port}`);

describe("scanPorts, engine choice", () => {
  it("fails clearly, in French, when nmap is required but missing", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      const error = await scanPorts(scanContext(net.subnet), [{ ip: WEAK }], [22], {
        engine: "always",
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toMatch(/nmap est introuvable/);
      // "auto" falls back to the built-in scan
      const auto = await scanPorts(scanContext(net.subnet), [{ ip: WEAK }], [22], { engine: "auto" });
      expect(auto.engine).toBe("builtin");
      expect(auto.services.map((s) => s.service)).toEqual(["ssh"]);
    } finally {
      process.env.PATH = path;
    }
  });

  it("refuses, with nmap too, a target outside the perimeter", async () => {
    await expect(
      scanPorts(scanContext(net.subnet), [{ ip: "127.0.0.1" }], [22], { engine: "always" }),
    ).rejects.toThrow("hors du périmètre");
  });
});

describe.skipIf(!nmapAvailable)("scanPorts, nmap engine (real nmap)", () => {
  let nmap: Awaited<ReturnType<typeof scanPorts>>;
  let builtin: Awaited<ReturnType<typeof scanPorts>>;

  beforeAll(async () => {
    const list = [{ ip: WEAK, host: "pacs.hopital.test" }, { ip: HARDENED }];
    nmap = await scanPorts(scanContext(net.subnet), list, TEST_PORTS, {
      engine: "always",
      ratePerSecond: 200,
    });
    builtin = await scanPorts(scanContext(net.subnet), list, TEST_PORTS, { engine: "never" });
  }, 120_000);

  it("parses nmap's report into the same service names and CPE products", () => {
    expect(nmap.engine).toBe("nmap");
    expect(nmap.nmapVersion).toMatch(/^\d+\.\d+/);
    const weak = new Map(nmap.services.filter((s) => s.ip === WEAK).map((s) => [s.port, s]));
    expect(weak.get(22)).toMatchObject({
      host: "pacs.hopital.test",
      service: "ssh",
      product: { vendor: "openbsd", product: "openssh", version: "7.4" },
    });
    expect(weak.get(21)).toMatchObject({
      service: "ftp",
      product: { vendor: "beasts", product: "vsftpd", version: "3.0.3" },
    });
    expect(weak.get(23)?.service).toBe("telnet");
    expect(weak.get(80)).toMatchObject({
      service: "http",
      product: { vendor: "apache", product: "http_server", version: "2.4.49" },
    });
    expect(weak.get(443)).toMatchObject({
      service: "https",
      tls: true,
      product: { vendor: "f5", product: "nginx", version: "1.22.1" },
    });
    expect(weak.get(3389)?.service).toBe("rdp");
    expect(weak.get(3306)?.service).toBe("mysql");
    expect(weak.get(11112)?.service).toBe("dicom");
    const hardened = nmap.services.filter((s) => s.ip === HARDENED);
    expect(hardened.map((s) => [s.port, s.service, s.tls])).toEqual([[443, "https", true]]);
  });

  it("finds the same open ports as the built-in engine", () => {
    expect(openPorts(nmap.services)).toEqual(openPorts(builtin.services));
    // what each engine identified, for docs/audits/comparison-ports.md
    const rows = builtin.services.map((b) => {
      const n = nmap.services.find((s) => s.ip === b.ip && s.port === b.port);
      const show = (s?: OpenService) =>
        `${s?.service ?? "?"}${s?.tls ? "+tls" : ""} ${s?.product ? `${s.product.vendor ?? ""}/${s.product.product} ${s.product.version ?? ""}` : "-"}`;
      return `${b.ip}:${b.port}\tbuiltin=${show(b)}\tnmap=${show(n)}`;
    });
    console.info(rows.join("\n"));
    const sameService = builtin.services.filter(
      (b) => nmap.services.find((s) => s.ip === b.ip && s.port === b.port)?.service === b.service,
    );
    // the names agree on (almost) every port; differences are explained in the comparison document
    expect(sameService.length).toBeGreaterThanOrEqual(builtin.services.length - 2);
  });
});
