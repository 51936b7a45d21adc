import { createServer, type Server } from "node:net";
import { loadConfig } from "@vigie/config";
import {
  createStructure,
  createTestDatabase,
  createUser,
  type Hospital,
  startHospital,
  type TestDatabase,
} from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorisePerimeter, savePerimeter, submitPerimeter } from "./perimeter.ts";
import { buildAuditReport } from "./report/build-report.ts";
import { exportAuditReport } from "./report/export-report.ts";
import { runDueAudits } from "./run-audit.ts";
import { launchAuditNow } from "./schedule.ts";

// The full audit of a test « hospital » (issue 8, « done when »): four hosts in a network
// namespace this file creates — a name server allowing zone transfers, a weak nginx, a PACS
// answering DICOM to any AE title beside Telnet and RDP, a VPN portal in TLS 1.0 with an expired
// certificate. The audit goes through every phase as the `audits.run` job does (nmap when
// installed), then the report is rendered in HTML and PDF.

const OUTSIDE = `127.67.${process.pid % 250}.1`;
let hospital: Hospital;
let database: TestDatabase;
let outside: Server[] = [];
let outsideConnections = 0;
const now = new Date();

beforeAll(async () => {
  outside = await Promise.all(
    [80, 443].map(
      (port) =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer((socket) => {
            outsideConnections += 1;
            socket.destroy();
          });
          server.once("error", reject);
          server.listen(port, OUTSIDE, () => resolve(server));
        }),
    ),
  );
  hospital = await startHospital({ outsideIp: OUTSIDE });
  database = await createTestDatabase();
}, 120_000);

afterAll(async () => {
  await hospital?.stop();
  await database?.close();
  for (const server of outside) server.close();
});

describe("full audit of the « hospital » namespace", () => {
  it("maps the exposure, finds each weakness, opens tickets and writes the report", async () => {
    const { db } = database;
    const structure = await createStructure(db, { name: "Centre hospitalier de test" });
    const lead = await createUser(db, "cert_lead");
    const context = { now, actorLabel: "test" };
    await savePerimeter(
      db,
      null,
      structure.id,
      {
        domains: [hospital.domain],
        networks: hospital.networks,
        defaultCredentialsOptIn: false,
        filteringMailbox: null,
      },
      context,
    );
    await submitPerimeter(db, null, structure.id, context);
    const validUntil = new Date(now.getTime() + 365 * 86_400_000).toISOString().slice(0, 10);
    await authorisePerimeter(
      db,
      null,
      structure.id,
      { validUntil, reference: "MANDAT-HOPITAL-2026" },
      { ...context, grantedByUserId: lead.id },
    );
    await launchAuditNow(db, null, structure.id, context);

    const config = loadConfig({
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      VIGIE_NO_DEMO: "true",
      AUDIT_DNS_SERVERS: hospital.dnsServer,
      AUDIT_RATE_PER_SECOND: "500",
      AUDIT_TIMEOUT_MS: "2000",
    });
    const run = await runDueAudits(db, config, now, { ports: hospital.ports, trustedCa: hospital.rootCaPem });
    expect(run.audits).toHaveLength(1);
    const outcome = run.audits[0];
    expect(outcome?.error).toBeNull();
    expect(outcome?.status).toBe("succeeded");

    const report = await buildAuditReport(db, null, outcome?.id ?? "", now);
    const codes = report.findings.map((f) => f.checkCode);
    // passive phase: the open zone transfer and the dangling alias
    expect(codes).toContain("dns.axfr.allowed");
    expect(codes).toContain("dns.cname.dangling");
    // sensitive services, DICOM confirmed by a real association
    const dicom = report.findings.find((f) => f.checkCode === "service.dicom");
    expect(dicom?.severity).toBe("critical");
    expect(dicom?.ip).toBe(hospital.hosts.pacs);
    expect(codes).toContain("service.telnet");
    expect(codes).toContain("service.rdp");
    // TLS of the VPN portal: TLS 1.0 and an expired certificate
    const vpnTls = report.findings.filter((f) => f.category === "tls" && f.ip === hospital.hosts.vpn);
    expect(vpnTls.map((f) => f.checkCode).join(" ")).toMatch(/tls1_0|tls10|1\.0/i);
    expect(vpnTls.some((f) => /expir/i.test(f.checkCode))).toBe(true);
    // the weak web server: its .git folder and its version
    const web = report.findings.filter((f) => f.category === "http" && f.ip === hospital.hosts.www);
    expect(web.some((f) => f.checkCode.startsWith("http.file.") && /git/.test(f.checkCode))).toBe(true);
    expect(web.some((f) => f.checkCode === "http.version_disclosure")).toBe(true);
    // every finding is new on a first audit, with evidence and a French remediation
    expect(report.findings.every((f) => f.change === "new" && f.evidence && f.remediation)).toBe(true);

    // the exposure map names the hosts; the extranet outside the perimeter is reported, never contacted
    const mapped = report.exposure.flatMap((h) => h.services.map((s) => `${s.ip}:${s.port}`));
    expect(mapped).toContain(`${hospital.hosts.pacs}:104`);
    expect(mapped).toContain(`${hospital.hosts.www}:${hospital.httpsPort}`);
    expect(report.outOfPerimeter).toContainEqual({ name: `extranet.${hospital.domain}`, ip: OUTSIDE });
    expect(outsideConnections).toBe(0);

    // findings became watch tickets, once each
    const tickets = await db
      .selectFrom("watch_tickets")
      .select(["kind", "finding_key", "urgency"])
      .where("structure_id", "=", structure.id)
      .execute();
    expect(tickets.some((t) => t.kind === "exposure" && t.finding_key.includes("dns.axfr.allowed"))).toBe(
      true,
    );
    expect(tickets.filter((t) => t.kind === "sensitive_service").length).toBeGreaterThanOrEqual(3);
    expect(new Set(tickets.map((t) => t.finding_key)).size).toBe(tickets.length);
    const products = await db
      .selectFrom("assets")
      .select(["match_product", "version"])
      .where("structure_id", "=", structure.id)
      .where("source", "=", "audit")
      .where("kind", "=", "product")
      .execute();
    expect(products.some((p) => p.match_product === "nginx" && p.version)).toBe(true);

    // the report, in French, in HTML and PDF
    const html = await exportAuditReport(db, null, outcome?.id ?? "", "html", { now });
    const text = html.content.toString("utf8");
    expect(text).toContain("Centre hospitalier de test");
    expect(text).toContain(`extranet.${hospital.domain}`);
    expect(text).toMatch(/Critique/);
    expect(text).toContain("Restreindre les associations DICOM aux titres AE");
    const pdf = await exportAuditReport(db, null, outcome?.id ?? "", "pdf", {
      now,
      chromiumPath: "/usr/bin/chromium",
    });
    expect(pdf.content.subarray(0, 5).toString()).toBe("%PDF-");
  }, 300_000);
});
