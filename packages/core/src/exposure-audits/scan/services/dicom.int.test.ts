import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { type DicomResponder, type FakeService, startDicomResponder, startPlainTcp } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PerimeterGuard } from "../perimeter-guard.ts";
import { TargetLimiter } from "../target-limiter.ts";
import type { OpenService, ScanContext } from "../types.ts";
import { dicomEcho } from "./dicom.ts";
import { checkServices } from "./index.ts";

const run = promisify(execFile);
const WEAK = "127.31.1.10";
const HARDENED = "127.31.1.11";
const PLAIN = "127.31.1.104";

// Namespace hosting dcmtk's storescp (it listens on every interface: never on the host's).
const NS = `vigie-svc-${process.pid}`;
const VETH_HOST = `vsvh${process.pid % 10_000_000}`;
const VETH_NS = `vsvn${process.pid % 10_000_000}`;
const NET = `10.213.${process.pid % 250}`;
const NS_IP = `${NET}.2`;

function context(ranges: string[], allowDefaultCredentials = false): ScanContext {
  return {
    guard: new PerimeterGuard([], ranges),
    limiter: new TargetLimiter(50),
    userAgent: "VigieScanner/1.0 (test)",
    dnsServers: [],
    timeoutMs: 2000,
    allowDefaultCredentials,
  };
}

const service = (ip: string, port: number, name: string | null): OpenService => ({
  ip,
  port,
  transport: "tcp",
  service: name,
  tls: false,
});

function dcmtkAvailable(): boolean {
  return ["echoscu", "storescp"].every((tool) => spawnSync("which", [tool]).status === 0);
}

const DCMTK_MISSING = "dcmtk est requis pour ce test (echoscu, storescp) : apt-get install dcmtk";

let weak: DicomResponder;
let hardened: DicomResponder;
let plain: FakeService;

beforeAll(async () => {
  weak = await startDicomResponder({ host: WEAK, implementationVersion: "FAKE_PACS_3.2" });
  hardened = await startDicomResponder({ host: HARDENED, aeTitle: "PACS-CHU" });
  plain = await startPlainTcp({ host: PLAIN, port: 104, banner: "HELLO\r\n" });
});

afterAll(async () => {
  await Promise.all([weak?.stop(), hardened?.stop(), plain?.stop()]);
});

describe("DICOM C-ECHO client against the test responder", () => {
  it("a weak SCP accepts any called AE title and answers C-ECHO: critical finding", async () => {
    const before = weak.echoes;
    const result = await dicomEcho(context(["127.31.1.0/24"]), WEAK, weak.port);
    expect(result).toMatchObject({ speaksDicom: true, associated: true, echoStatus: 0, released: true });
    expect(result.implementationVersion).toBe("FAKE_PACS_3.2");
    expect(weak.echoes).toBe(before + 1);
    expect(weak.calledAeTitles.at(-1)).toBe("ANY-SCP");

    const { findings, services } = await checkServices(context(["127.31.1.0/24"]), [
      service(WEAK, weak.port, "dicom"),
    ]);
    expect(services[0]?.service).toBe("dicom");
    expect(findings).toHaveLength(1);
    const finding = findings[0];
    expect(finding).toMatchObject({ check: "service.dicom", category: "service", severity: "critical" });
    expect(finding?.evidence).toContain("C-ECHO réussi");
    expect(finding?.evidence).toContain("FAKE_PACS_3.2");
    expect(finding?.evidence).toContain(`${WEAK}, port ${weak.port}/tcp`);
    expect(finding?.remediation).toMatch(/VPN/);
  });

  it("a hardened SCP rejects an unknown called AE title: exposed port, not confirmed open", async () => {
    const result = await dicomEcho(context(["127.31.1.0/24"]), HARDENED, hardened.port);
    expect(result).toEqual({
      speaksDicom: true,
      associated: false,
      rejected: { result: 1, source: 1, reason: 7 },
    });
    expect(hardened.echoes).toBe(0);

    const { findings, services } = await checkServices(context(["127.31.1.0/24"]), [
      service(HARDENED, hardened.port, "dicom"),
    ]);
    expect(services[0]?.service).toBe("dicom");
    expect(findings).toHaveLength(1);
    expect(findings[0]?.severity).toBe("high");
    expect(findings[0]?.title).toBe("Port DICOM exposé sur Internet");
    expect(findings[0]?.evidence).toContain("titre AE appelé non reconnu");
    expect(findings[0]?.evidence).not.toContain("C-ECHO réussi");
    // With the right called AE title the association is accepted (the responder is not broken).
    const right = await dicomEcho(context(["127.31.1.0/24"]), HARDENED, hardened.port, {
      calledAe: "PACS-CHU",
    });
    expect(right.echoStatus).toBe(0);
  });

  it("a TCP port 104 that does not speak DICOM is not confirmed and its service is reset", async () => {
    const connections = plain.connections;
    const { findings, services } = await checkServices(context(["127.31.1.0/24"]), [
      service(PLAIN, 104, "dicom"),
      service(PLAIN, 104, null),
    ]);
    expect(plain.connections).toBe(connections + 2);
    expect(findings).toEqual([]);
    expect(services.map((s) => s.service)).toEqual([null, null]);
  });

  it("never connects outside the perimeter", async () => {
    await expect(dicomEcho(context(["127.31.9.0/24"]), WEAK, weak.port)).rejects.toThrow(/hors du périmètre/);
  });
});

describe("cross-check with dcmtk", () => {
  let storescp: ChildProcess | null = null;
  let outputDir: string | null = null;
  let namespaceCreated = false;

  afterAll(async () => {
    if (storescp?.pid) {
      storescp.kill("SIGTERM");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (namespaceCreated) {
      spawnSync("ip", ["link", "del", VETH_HOST]);
      spawnSync("ip", ["netns", "del", NS]);
    }
    if (outputDir) rmSync(outputDir, { recursive: true, force: true });
  });

  it("dcmtk echoscu succeeds against the test responder", async () => {
    expect(dcmtkAvailable(), DCMTK_MISSING).toBe(true);
    const before = weak.echoes;
    const { stderr } = await run("echoscu", [
      "-v",
      "-to",
      "5",
      "-aet",
      "ECHOSCU",
      "-aec",
      "N-IMPORTE",
      WEAK,
      String(weak.port),
    ]);
    expect(stderr).toContain("Received Echo Response (Success)");
    expect(weak.echoes).toBe(before + 1);
    expect(weak.calledAeTitles.at(-1)).toBe("N-IMPORTE");

    // And the hardened responder refuses echoscu's unknown called AE title.
    await expect(
      run("echoscu", ["-to", "5", "-aet", "ECHOSCU", "-aec", "N-IMPORTE", HARDENED, String(hardened.port)]),
    ).rejects.toThrow();
    const ok = await run("echoscu", ["-v", "-to", "5", "-aec", "PACS-CHU", HARDENED, String(hardened.port)]);
    expect(ok.stderr).toContain("Received Echo Response (Success)");
  });

  it("the audit's client succeeds against dcmtk storescp", async () => {
    expect(dcmtkAvailable(), DCMTK_MISSING).toBe(true);
    const setup = (args: string[]) => {
      const result = spawnSync("ip", args, { encoding: "utf8" });
      expect(result.status, `ip ${args.join(" ")} : ${result.stderr}`).toBe(0);
    };
    setup(["netns", "add", NS]);
    namespaceCreated = true;
    setup(["link", "add", VETH_HOST, "type", "veth", "peer", "name", VETH_NS, "netns", NS]);
    setup(["addr", "add", `${NET}.1/30`, "dev", VETH_HOST]);
    setup(["link", "set", VETH_HOST, "up"]);
    setup(["-n", NS, "addr", "add", `${NS_IP}/30`, "dev", VETH_NS]);
    setup(["-n", NS, "link", "set", VETH_NS, "up"]);
    setup(["-n", NS, "link", "set", "lo", "up"]);

    outputDir = mkdtempSync(path.join(tmpdir(), "vigie-storescp-"));
    storescp = spawn("ip", ["netns", "exec", NS, "storescp", "-aet", "STORESCP", "-od", outputDir, "11112"], {
      stdio: "ignore",
    });
    // Wait until it listens.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const up = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ host: NS_IP, port: 11112 });
        socket.once("connect", () => {
          socket.destroy();
          resolve(true);
        });
        socket.once("error", () => resolve(false));
      });
      if (up) break;
      expect(Date.now() < deadline, "storescp n'a pas démarré").toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const ctx = context([`${NET}.0/30`]);
    const result = await dicomEcho(ctx, NS_IP, 11112);
    expect(result).toMatchObject({ speaksDicom: true, associated: true, echoStatus: 0, released: true });
    expect(result.implementationVersion).toMatch(/^OFFIS_DCMTK/);

    const { findings } = await checkServices(ctx, [service(NS_IP, 11112, null)]);
    expect(findings.map((f) => [f.check, f.severity])).toEqual([["service.dicom", "critical"]]);
    expect(findings[0]?.evidence).toContain("OFFIS_DCMTK");
  }, 30_000);
});
