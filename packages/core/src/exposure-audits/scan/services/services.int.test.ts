import { type SensitiveService, sensitiveServices } from "@vigie/contracts";
import { type FakeService, startPlainTcp } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PerimeterGuard } from "../perimeter-guard.ts";
import { TargetLimiter } from "../target-limiter.ts";
import type { OpenService, ScanContext } from "../types.ts";
import { sensitiveServiceRules } from "./catalogue.ts";
import { checkServices } from "./index.ts";

const IP = "127.31.2.10";

function context(allowDefaultCredentials = false, ranges = ["127.31.2.0/24"]): ScanContext {
  return {
    guard: new PerimeterGuard([], ranges),
    limiter: new TargetLimiter(50),
    userAgent: "VigieScanner/1.0 (test)",
    dnsServers: [],
    timeoutMs: 1500,
    allowDefaultCredentials,
  };
}

const open = (port: number, service: string | null, extra: Partial<OpenService> = {}): OpenService => ({
  ip: IP,
  port,
  transport: "tcp",
  service,
  tls: false,
  ...extra,
});

// Every kind except DICOM (confirmed by a real association, see dicom.int.test.ts).
const kinds = (Object.keys(sensitiveServices) as SensitiveService[]).filter((k) => k !== "dicom");

let listener: FakeService;

beforeAll(async () => {
  // Ports that accept connections but speak nothing: no probe may talk to them without opt-in.
  listener = await startPlainTcp({ host: IP });
});

afterAll(async () => {
  await listener?.stop();
});

describe("sensitive services", () => {
  it.each(kinds)(
    "an exposed %s service is a finding with its severity and French remediation",
    async (kind) => {
      const port = sensitiveServices[kind].port;
      const { findings, services } = await checkServices(context(), [
        open(port, kind, { banner: `${kind} ready\r\n`, host: "srv.chu-exemple.fr" }),
      ]);
      expect(services[0]?.service).toBe(kind);
      expect(findings).toHaveLength(1);
      const finding = findings[0];
      expect(finding?.check).toBe(`service.${kind}`);
      expect(finding?.category).toBe("service");
      expect(finding?.severity).toBe(sensitiveServiceRules[kind].severity);
      expect(["medium", "high", "critical"]).toContain(finding?.severity);
      expect(finding?.title).toContain(sensitiveServices[kind].label);
      expect(finding?.evidence).toContain(`srv.chu-exemple.fr (${IP}), port ${port}/tcp`);
      expect(finding?.evidence).toContain(`bannière « ${kind} ready »`);
      expect(finding?.remediation.length).toBeGreaterThan(60);
      expect(finding?.target).toMatchObject({ ip: IP, port, service: kind, host: "srv.chu-exemple.fr" });
    },
  );

  it("grades the services as documented", async () => {
    const { findings } = await checkServices(context(), [
      open(3389, "rdp"),
      open(445, "smb"),
      open(23, "telnet"),
      open(21, "ftp"),
      open(6379, "redis"),
      open(27017, "mongodb"),
      open(9200, "elasticsearch"),
      open(5432, "postgresql"),
    ]);
    expect(Object.fromEntries(findings.map((f) => [f.check, f.severity]))).toEqual({
      "service.rdp": "critical",
      "service.smb": "critical",
      "service.telnet": "critical",
      "service.ftp": "medium",
      "service.redis": "critical",
      "service.mongodb": "critical",
      "service.elasticsearch": "critical",
      "service.postgresql": "high",
    });
  });

  it("understands nmap's service names and the usual ports of unnamed services", async () => {
    const { findings } = await checkServices(context(), [
      open(3389, "ms-wbt-server"),
      open(445, "microsoft-ds"),
      open(1433, "ms-sql-s"),
      open(5900, null),
      open(9200, "http"),
      open(8080, "http"),
      open(22, "ssh"),
      open(5985, "http"),
    ]);
    expect(findings.map((f) => f.check).sort()).toEqual([
      "service.elasticsearch",
      "service.mssql",
      "service.rdp",
      "service.smb",
      "service.vnc",
      "service.winrm",
    ]);
    const vnc = findings.find((f) => f.check === "service.vnc");
    expect(vnc?.evidence).toContain("service non identifié");
  });

  it("makes no connection at all for sensitive services without the opt-in", async () => {
    const before = listener.connections;
    const { findings } = await checkServices(context(false), [
      open(listener.port, "ftp"),
      open(listener.port, "postgresql"),
      open(listener.port, "redis"),
      open(listener.port, "rdp"),
      open(listener.port, "http"),
    ]);
    expect(findings).toHaveLength(4);
    expect(listener.connections).toBe(before);
  });

  it("refuses to probe an address outside the perimeter", async () => {
    await expect(
      checkServices(context(true, ["127.31.3.0/24"]), [open(listener.port, "redis")]),
    ).rejects.toThrow(/hors du périmètre/);
  });
});
