import {
  type FakeHttpService,
  type FakeService,
  startFakeFtp,
  startFakeHttpBasic,
  startFakePostgres,
  startFakeRedis,
} from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PerimeterGuard } from "../perimeter-guard.ts";
import { TargetLimiter } from "../target-limiter.ts";
import type { OpenService, ScanContext, ScanFinding } from "../types.ts";
import { defaultCredentials } from "./default-credentials.ts";
import { checkServices } from "./index.ts";

const WEAK = "127.31.3.10";
const HARDENED = "127.31.3.20";

function context(allowDefaultCredentials: boolean): ScanContext {
  return {
    guard: new PerimeterGuard([], ["127.31.3.0/24"]),
    limiter: new TargetLimiter(100),
    userAgent: "VigieScanner/1.0 (test)",
    dnsServers: [],
    timeoutMs: 1500,
    allowDefaultCredentials,
  };
}

const open = (ip: string, port: number, service: string): OpenService => ({
  ip,
  port,
  transport: "tcp",
  service,
  tls: false,
});

interface Targets {
  ftp: FakeService;
  vendorFtp: FakeService;
  postgres: FakeService;
  redis: FakeService;
  http: FakeHttpService;
}

let weak: Targets;
let hardened: Targets;

beforeAll(async () => {
  weak = {
    ftp: await startFakeFtp({ host: WEAK, anonymous: true }),
    vendorFtp: await startFakeFtp({ host: WEAK, accounts: { admin: "admin" } }),
    postgres: await startFakePostgres({ host: WEAK, auth: "trust" }),
    redis: await startFakeRedis({ host: WEAK }),
    http: await startFakeHttpBasic({ host: WEAK, accounts: { admin: "admin" }, realm: "Console PACS" }),
  };
  hardened = {
    ftp: await startFakeFtp({
      host: HARDENED,
      anonymous: false,
      accounts: { exploitation: "Vx9!tR-42#long" },
    }),
    vendorFtp: await startFakeFtp({ host: HARDENED, accounts: { admin: "Un-Secret-Robuste-2026" } }),
    postgres: await startFakePostgres({ host: HARDENED, auth: "password" }),
    redis: await startFakeRedis({ host: HARDENED, password: "secret-redis-robuste" }),
    http: await startFakeHttpBasic({ host: HARDENED, accounts: { admin: "Un-Secret-Robuste-2026" } }),
  };
});

afterAll(async () => {
  for (const targets of [weak, hardened]) {
    if (targets) await Promise.all(Object.values(targets).map((t) => t.stop()));
  }
});

const servicesOf = (ip: string, t: Targets): OpenService[] => [
  open(ip, t.ftp.port, "ftp"),
  open(ip, t.vendorFtp.port, "ftp"),
  open(ip, t.postgres.port, "postgresql"),
  open(ip, t.redis.port, "redis"),
  open(ip, t.http.port, "http"),
];

const attempts = (t: Targets) =>
  Object.values(t).reduce((sum, s) => sum + s.loginAttempts + s.connections, 0);
const credentialFindings = (findings: ScanFinding[]) => findings.filter((f) => f.category === "credentials");

describe("default credentials", () => {
  it("without the opt-in, nothing is tried on weak services", async () => {
    const { findings } = await checkServices(context(false), servicesOf(WEAK, weak));
    expect(attempts(weak)).toBe(0);
    expect(weak.http.requests).toBe(0);
    expect(credentialFindings(findings)).toEqual([]);
    // The services are still reported as exposed.
    expect(findings.map((f) => f.check).sort()).toEqual([
      "service.ftp",
      "service.ftp",
      "service.postgresql",
      "service.redis",
    ]);
  });

  it("with the opt-in, weak services are found, with no working password in the evidence", async () => {
    const { findings } = await checkServices(context(true), servicesOf(WEAK, weak));
    const found = credentialFindings(findings);
    const byPort = new Map(found.map((f) => [f.target.port, f]));
    expect(found).toHaveLength(5);

    const anonymous = byPort.get(weak.ftp.port);
    expect(anonymous).toMatchObject({
      check: "credentials.ftp",
      severity: "high",
      title: "Accès FTP anonyme autorisé",
    });
    expect(anonymous?.evidence).toContain("compte « anonymous » accepté");
    expect(weak.ftp.successes).toBe(1);
    expect(weak.ftp.loginAttempts).toBe(1); // stopped at the first success

    const vendor = byPort.get(weak.vendorFtp.port);
    expect(vendor).toMatchObject({ check: "credentials.ftp", severity: "critical" });
    expect(vendor?.evidence).toContain("entrée « ftp-admin-admin »");
    expect(weak.vendorFtp.loginAttempts).toBe(2);

    const postgres = byPort.get(weak.postgres.port);
    expect(postgres).toMatchObject({ check: "credentials.postgresql", severity: "critical" });
    expect(postgres?.evidence).toContain("compte « postgres » accepté sans mot de passe");

    const redis = byPort.get(weak.redis.port);
    expect(redis).toMatchObject({ check: "credentials.redis", severity: "critical" });
    expect(redis?.evidence).toContain("+PONG");

    const basic = byPort.get(weak.http.port);
    expect(basic).toMatchObject({ check: "credentials.http", severity: "critical" });
    expect(basic?.evidence).toContain("Console PACS");
    expect(basic?.evidence).toContain("entrée « http-admin-admin »");
    expect(weak.http.successes).toBe(1);

    for (const finding of found) {
      expect(finding.title).toMatch(/[éèàç]|Accès|Identifiants|accessible|accepte/);
      expect(finding.remediation.length).toBeGreaterThan(60);
      // No password of the list in clear (the documented entry is named instead).
      for (const entry of defaultCredentials) {
        if (entry.password && entry.password !== entry.username) {
          expect(finding.evidence).not.toContain(entry.password);
        }
      }
      expect(finding.evidence).not.toMatch(/admin\s*\/\s*admin|admin:admin|YWRtaW46YWRtaW4=/);
    }
  });

  it("with the opt-in, hardened services yield no credential finding and few attempts", async () => {
    const { findings } = await checkServices(context(true), servicesOf(HARDENED, hardened));
    expect(credentialFindings(findings)).toEqual([]);
    expect(hardened.ftp.loginAttempts).toBe(2);
    expect(hardened.vendorFtp.loginAttempts).toBe(2);
    expect(hardened.postgres.loginAttempts).toBe(1);
    expect(hardened.http.loginAttempts).toBe(3);
    for (const t of Object.values(hardened)) expect(t.successes).toBe(0);
    // They are still exposed services.
    expect(findings.map((f) => f.check)).toContain("service.redis");
  });

  it("without the opt-in, hardened services are not touched either", async () => {
    const before = attempts(hardened);
    await checkServices(context(false), servicesOf(HARDENED, hardened));
    expect(attempts(hardened)).toBe(before);
  });
});
