import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@vigie/config";
import { exposureAuditsRepo } from "@vigie/db";
import { createStructure, createTestDatabase, createUser, type TestDatabase } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../access/policy.ts";
import { authorisePerimeter, savePerimeter, submitPerimeter } from "./perimeter.ts";
import { buildAuditReport } from "./report/build-report.ts";
import { exportAuditReport } from "./report/export-report.ts";
import { renderAuditReportHtml } from "./report/html.ts";
import { runDueAudits } from "./run-audit.ts";
import { launchAuditNow } from "./schedule.ts";

// A real audit on loopback targets this file starts: a Telnet-like banner, an FTP banner, an
// HTTP server disclosing its version, an HTTPS server with a self-signed certificate, inside a
// /29 of 127.0.0.0/8 unique to this process; and a listener just outside the range that must
// never be contacted.

const CHROMIUM = "/usr/bin/chromium";
const A = (process.pid % 200) + 30;
const B = Math.floor(process.pid / 200) % 250;
const NET = `127.${A}.${B}`;
const RANGE = `${NET}.0/29`;
const IP = { telnet: `${NET}.2`, ftp: `${NET}.3`, http: `${NET}.4`, https: `${NET}.5`, outside: `${NET}.9` };
const PORTS = [21, 23, 80, 443];

let database: TestDatabase;
let cert: Actor;
let declarant: Actor;
let other: Actor;
let structureId: string;
let workDir: string;
const servers: { close(): void }[] = [];
let telnet: Server;
let http: HttpServer;
let outsideConnections = 0;
const config = loadConfig({
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  VIGIE_NO_DEMO: "true",
  AUDIT_NMAP: "never",
  AUDIT_RATE_PER_SECOND: "2000",
  AUDIT_TIMEOUT_MS: "1500",
});
const day1 = new Date("2026-05-04T08:00:00Z");
const day2 = new Date("2026-07-06T08:00:00Z");

function listen(server: Server | HttpServer, ip: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, ip, () => resolve());
  });
}

function bannerServer(banner: Buffer | string, reply: string, onConnect?: () => void): Server {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    onConnect?.();
    socket.write(banner);
    socket.on("data", () => socket.write(reply));
  });
  const close = server.close.bind(server);
  server.close = ((cb?: (err?: Error) => void) => {
    for (const s of sockets) s.destroy();
    return close(cb);
  }) as typeof server.close;
  return server;
}

async function actorFor(role: "cert_analyst" | "declarant", structureIds: string[] = []): Promise<Actor> {
  const user = await createUser(database.db, role, { structureIds });
  return {
    userId: user.id,
    email: user.email,
    role,
    regionCode: null,
    authority: null,
    structureIds,
    via: "session",
  };
}

async function ticketsOf(kind?: string) {
  let query = database.db.selectFrom("watch_tickets").selectAll().where("structure_id", "=", structureId);
  if (kind) query = query.where("kind", "=", kind);
  return query.execute();
}

beforeAll(async () => {
  database = await createTestDatabase();
  structureId = (await createStructure(database.db, { name: "CH de la Boucle" })).id;
  cert = await actorFor("cert_analyst");
  declarant = await actorFor("declarant", [structureId]);
  other = await actorFor("declarant", [(await createStructure(database.db, { name: "Autre" })).id]);

  workDir = await mkdtemp(join(tmpdir(), "vigie-audit-run-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      join(workDir, "key.pem"),
      "-out",
      join(workDir, "cert.pem"),
      "-days",
      "30",
      "-subj",
      "/CN=portail.boucle.test",
    ],
    { stdio: "ignore" },
  );

  telnet = bannerServer(
    Buffer.concat([Buffer.from([255, 251, 1, 255, 251, 3]), Buffer.from("\r\nlogin: ")]),
    "Password: ",
  );
  await listen(telnet, IP.telnet, 23);
  const ftp = bannerServer("220 (vsFTPd 3.0.3)\r\n", "530 Please login with USER and PASS.\r\n");
  await listen(ftp, IP.ftp, 21);
  servers.push(ftp);
  http = createHttpServer((req, res) => {
    res.setHeader("Server", "nginx/1.18.0");
    if (req.url === "/") {
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      res.end("<!doctype html><title>Accueil</title><p>Bienvenue au CH de la Boucle</p>");
    } else {
      res.statusCode = 404;
      res.end("<!doctype html><title>404</title><p>Introuvable</p>");
    }
  });
  await listen(http, IP.http, 80);
  const https = createHttpsServer(
    { key: await readFile(join(workDir, "key.pem")), cert: await readFile(join(workDir, "cert.pem")) },
    (req, res) => {
      res.setHeader("Strict-Transport-Security", "max-age=31536000");
      res.statusCode = req.url === "/" ? 200 : 404;
      res.end(req.url === "/" ? "<!doctype html><title>Portail</title><p>Portail</p>" : "introuvable");
    },
  );
  await listen(https, IP.https, 443);
  servers.push(https);
  const outside = bannerServer("220 hors périmètre\r\n", "", () => {
    outsideConnections++;
  });
  await listen(outside, IP.outside, 23);
  servers.push(outside);

  await savePerimeter(
    database.db,
    declarant,
    structureId,
    { domains: [], networks: [RANGE], defaultCredentialsOptIn: false, filteringMailbox: null },
    { now: day1, allowLoopback: true },
  );
  await submitPerimeter(database.db, declarant, structureId, { now: day1 });
  await authorisePerimeter(
    database.db,
    cert,
    structureId,
    { validUntil: "2027-05-01", reference: "Mandat boucle" },
    { now: day1 },
  );
}, 60_000);

afterAll(async () => {
  for (const server of [...servers, telnet, http]) server?.close();
  await database?.destroy();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe("an audit on loopback targets", () => {
  let firstId: string;

  it("finds the exposed services, opens tickets, never leaves the range", async () => {
    await launchAuditNow(database.db, cert, structureId, { now: day1 });
    const report = await runDueAudits(database.db, config, day1, { ports: PORTS });
    expect(report.audits).toHaveLength(1);
    const outcome = report.audits[0];
    expect(outcome?.error).toBeNull();
    expect(outcome?.status).toBe("succeeded");
    firstId = outcome?.id as string;

    const detail = await buildAuditReport(database.db, declarant, firstId);
    const checks = detail.findings.map((f) => `${f.checkCode}@${f.ip}:${f.port}`);
    expect(checks).toContain(`service.telnet@${IP.telnet}:23`);
    expect(checks).toContain(`service.ftp@${IP.ftp}:21`);
    expect(detail.findings.some((f) => f.category === "tls" && f.ip === IP.https)).toBe(true);
    expect(detail.findings.some((f) => f.category === "http" && f.ip === IP.http)).toBe(true);
    expect(detail.findings.every((f) => f.change === "new")).toBe(true);
    // most severe first
    const order = ["critical", "high", "medium", "low", "info"];
    const ranks = detail.findings.map((f) => order.indexOf(f.severity));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(detail.counts).toMatchObject({ openPorts: 4, hosts: 4, new: detail.findings.length, fixed: 0 });
    expect(detail.exposure.flatMap((h) => h.services.map((s) => `${s.ip}:${s.port}`)).sort()).toEqual(
      [`${IP.ftp}:21`, `${IP.http}:80`, `${IP.https}:443`, `${IP.telnet}:23`].sort(),
    );
    expect(detail.scanner).toMatchObject({ engine: "builtin", userAgent: config.auditUserAgent, ports: 4 });
    expect(outsideConnections).toBe(0);

    // the exposed Telnet is the watch's sensitive-service ticket, not a second exposure ticket
    const telnetFinding = detail.findings.find((f) => f.checkCode === "service.telnet");
    const sensitive = await ticketsOf("sensitive_service");
    expect(sensitive.map((t) => t.id)).toContain(telnetFinding?.ticketId);
    const exposure = await ticketsOf("exposure");
    expect(exposure.some((t) => t.finding_key === telnetFinding?.findingKey)).toBe(false);
    const httpFinding = detail.findings.find((f) => f.category === "http" && f.severity !== "info");
    expect(exposure.find((t) => t.finding_key === httpFinding?.findingKey)?.id).toBe(httpFinding?.ticketId);
    const infoFinding = detail.findings.find((f) => f.severity === "info" && f.category !== "service");
    if (infoFinding) expect(infoFinding.ticketId).toBeNull();

    // assets found by the audit: the Telnet service and the nginx version
    const assets = await database.db
      .selectFrom("assets")
      .selectAll()
      .where("structure_id", "=", structureId)
      .where("source", "=", "audit")
      .execute();
    expect(assets.some((a) => a.kind === "service" && a.service === "telnet" && a.host === IP.telnet)).toBe(
      true,
    );
    expect(
      assets.some(
        (a) => a.kind === "product" && a.product?.toLowerCase() === "nginx" && a.version === "1.18.0",
      ),
    ).toBe(true);

    // another structure's member sees nothing
    await expect(buildAuditReport(database.db, other, firstId)).rejects.toMatchObject({ code: "NOT_FOUND" });
  }, 120_000);

  it("a failed audit keeps a French error and changes no ticket", async () => {
    const before = (await ticketsOf()).map((t) => `${t.id}:${t.status}`).sort();
    await launchAuditNow(database.db, cert, structureId, { now: new Date(day1.getTime() + 3_600_000) });
    const report = await runDueAudits(database.db, config, new Date(day1.getTime() + 3_600_000), {
      ports: PORTS,
      phases: {
        services: async () => {
          throw new Error("sonde en panne");
        },
      },
    });
    expect(report.audits[0]).toMatchObject({ status: "failed" });
    expect(report.audits[0]?.error).toMatch(/^L'audit n'a pas pu aboutir : sonde en panne/);
    expect((await ticketsOf()).map((t) => `${t.id}:${t.status}`).sort()).toEqual(before);
    const failed = await exposureAuditsRepo.findAudit(database.db, report.audits[0]?.id as string);
    expect(failed?.status).toBe("failed");
  }, 60_000);

  it("a second audit after a fix reports it fixed and fixes the tickets", async () => {
    const firstDetail = await buildAuditReport(database.db, cert, firstId);
    const telnetFinding = firstDetail.findings.find((f) => f.checkCode === "service.telnet");
    const httpKeys = firstDetail.findings.filter((f) => f.ip === IP.http).map((f) => f.findingKey);
    expect(httpKeys.length).toBeGreaterThan(0);
    // the structure closes Telnet and its plain HTTP server
    await new Promise((resolve) => telnet.close(resolve));
    await new Promise((resolve) => http.close(resolve));

    await launchAuditNow(database.db, cert, structureId, { now: day2 });
    const report = await runDueAudits(database.db, config, day2, { ports: PORTS });
    expect(report.audits[0]?.status).toBe("succeeded");
    const detail = await buildAuditReport(database.db, declarant, report.audits[0]?.id as string);
    expect(detail.previousAuditId).toBe(firstId);
    const fixedKeys = detail.fixed.map((f) => f.findingKey);
    expect(fixedKeys).toContain(telnetFinding?.findingKey);
    for (const key of httpKeys) expect(fixedKeys).toContain(key);
    expect(detail.fixed.every((f) => f.change === "fixed")).toBe(true);
    expect(detail.findings.find((f) => f.checkCode === "service.ftp")?.change).toBe("still_open");
    expect(detail.counts?.fixed).toBe(detail.fixed.length);

    const tickets = await ticketsOf();
    expect(tickets.find((t) => t.id === telnetFinding?.ticketId)?.status).toBe("fixed");
    for (const key of httpKeys) {
      const ticket = tickets.find((t) => t.finding_key === key);
      if (ticket) expect(ticket.status).toBe("fixed");
    }
    const ftpTicket = detail.findings.find((f) => f.checkCode === "service.ftp")?.ticketId;
    expect(tickets.find((t) => t.id === ftpTicket)?.status).not.toBe("fixed");
    const telnetAsset = await database.db
      .selectFrom("assets")
      .select("id")
      .where("structure_id", "=", structureId)
      .where("service", "=", "telnet")
      .execute();
    expect(telnetAsset).toEqual([]);
    expect(outsideConnections).toBe(0);

    const html = renderAuditReportHtml(detail);
    for (const section of [
      "Synthèse",
      "Cartographie de l'exposition",
      "Constats par gravité",
      "Ce qui a changé depuis l'audit du 4 mai 2026",
      "Corrigés depuis le précédent audit",
      "Toujours présents",
      "Périmètre et autorisation",
      "Identité du scanner",
      "Mandat boucle",
    ]) {
      expect(html).toContain(section);
    }
    expect(html).not.toMatch(/<script/i);
  }, 120_000);

  it("escapes what the targets said and prints the PDF with Chromium", async () => {
    const [latest] = (
      await exposureAuditsRepo.listAudits(
        database.db,
        { structureIds: [structureId], status: "succeeded" },
        { offset: 0, limit: 1 },
      )
    ).rows;
    const detail = await buildAuditReport(database.db, cert, latest?.id as string);
    const tampered = {
      ...detail,
      findings: [
        {
          ...(detail.findings[0] as (typeof detail.findings)[number]),
          evidence: '<img src=x onerror="alert(1)">',
        },
      ],
    };
    const html = renderAuditReportHtml(tampered);
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(html).not.toContain("<img src=x");

    expect(existsSync(CHROMIUM)).toBe(true);
    const pdf = await exportAuditReport(database.db, declarant, latest?.id as string, "pdf", {
      chromiumPath: CHROMIUM,
    });
    expect(pdf.content.subarray(0, 4).toString("latin1")).toBe("%PDF");
    expect(pdf.fileName).toMatch(/^audit-exposition-ch-de-la-boucle-2026-07-06\.pdf$/);
  }, 120_000);
});
