import dgram from "node:dgram";
import net from "node:net";
import { usersRepo } from "@vigie/db";
import { createStructure, createTestDatabase, type TestDatabase } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "../access/policy.ts";
import { createAccount } from "../accounts/create-account.ts";
import { actorForUser } from "../auth/resolve-session.ts";
import { getPerimeter, listPerimeters } from "../exposure-audits/perimeter.ts";
import { buildAuditReport, listAudits } from "../exposure-audits/report/build-report.ts";
import { exportAuditReport } from "../exposure-audits/report/export-report.ts";
import { scheduleAudits } from "../exposure-audits/schedule.ts";
import { exposureAuditStats } from "../exposure-audits/stats.ts";
import { getFilteringCampaign, listFilteringCampaigns } from "../mail-security/campaigns.ts";
import { getMailSecurityTest, listMailSecurityTests } from "../mail-security/posture-tests.ts";
import { DEMO_ACCOUNTS } from "./demo-accounts.ts";
import { DEMO_ASSETS } from "./demo-assets.ts";
import { type AuditsDemoReport, DEMO_AUDITED, DEMO_GHT_CODE, seedAuditsDemo } from "./seed-audits-demo.ts";
import { seedWatchDemo, type WatchDemoReport } from "./seed-watch-demo.ts";

const NOW = new Date("2026-11-28T10:00:00Z");
const DAY = 86_400_000;

let database: TestDatabase;
let report: AuditsDemoReport;
let watch: WatchDemoReport;
let declarant: Actor;
let cert: Actor;
let grenobleId: string;
let laMureId: string;
/** Every outgoing connection or datagram attempted while seeding. */
const attempts: string[] = [];

async function demoActor(role: "declarant" | "cert_analyst"): Promise<Actor> {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  const user = account && (await usersRepo.findUserByEmail(database.db, account.email));
  if (!user) throw new Error(`compte ${role} absent`);
  return actorForUser(database.db, user);
}

beforeAll(async () => {
  database = await createTestDatabase();
  const finess = [...Object.keys(DEMO_ASSETS), DEMO_AUDITED.laMure.finess, DEMO_AUDITED.voiron.finess];
  for (const f of finess) {
    await createStructure(database.db, {
      finessEt: f,
      regionCode: "84",
      name: f === DEMO_AUDITED.grenoble.finess ? "HOPITAL NORD - CHU38" : undefined,
    });
  }
  for (const account of DEMO_ACCOUNTS.filter((a) => a.role === "declarant" || a.role === "cert_analyst")) {
    await createAccount(
      database.db,
      {
        email: account.email,
        fullName: account.fullName,
        jobTitle: account.jobTitle,
        role: account.role,
        regionCode: account.regionCode,
        authority: account.authority,
        password: account.password,
        finess: account.finess ?? [],
      },
      { actor: null, actorLabel: "test" },
      NOW,
    );
  }
  // Nothing may leave the machine: every TCP connection and UDP datagram attempted is recorded
  // (PostgreSQL's own connections to the test server are the only ones expected).
  const connect = net.Socket.prototype.connect;
  const connectSpy = vi.spyOn(net.Socket.prototype, "connect").mockImplementation(function (
    this: net.Socket,
    ...args: unknown[]
  ) {
    // net.connect hands over its normalised arguments as one array
    const first = Array.isArray(args[0]) ? args[0][0] : args[0];
    const target =
      typeof first === "object" && first !== null
        ? ((first as { path?: string; host?: string }).path ??
          (first as { host?: string }).host ??
          "localhost")
        : typeof first === "number"
          ? String(args[1] ?? "localhost")
          : String(first);
    attempts.push(target);
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  });
  const sendSpy = vi.spyOn(dgram.Socket.prototype, "send").mockImplementation((...args: unknown[]) => {
    attempts.push(`udp:${String(args.find((a) => typeof a === "string") ?? "?")}`);
    throw new Error("datagramme interdit pendant la démonstration");
  });
  try {
    // in seedDemo's order: the audits (which declare the demo assets first), then the watch
    report = await seedAuditsDemo(database.db, NOW);
    watch = await seedWatchDemo(database.db, NOW);
    // the recording itself works: a connection attempted now is seen
    const probe = net.connect({ host: "127.0.0.9", port: 9 });
    probe.on("error", () => undefined);
    probe.destroy();
  } finally {
    connectSpy.mockRestore();
    sendSpy.mockRestore();
  }
  declarant = await demoActor("declarant");
  cert = await demoActor("cert_analyst");
  const ids = await database.db.selectFrom("structures").select(["id", "finess_et"]).execute();
  grenobleId = ids.find((s) => s.finess_et === DEMO_AUDITED.grenoble.finess)?.id ?? "";
  laMureId = ids.find((s) => s.finess_et === DEMO_AUDITED.laMure.finess)?.id ?? "";
}, 120_000);
afterAll(async () => {
  await database?.destroy();
});

describe("seedAuditsDemo", () => {
  it("runs three audits, one mail test and one campaign, without any network activity", () => {
    expect(report.assetsDeclared).toBe(Object.values(DEMO_ASSETS).flat().length);
    expect(report.auditsRun).toBe(3);
    expect(report.ticketsOpened).toBeGreaterThan(0);
    expect(report.mailTests).toBe(1);
    expect(report.filteringCampaigns).toBe(1);
    const loopback = /^(localhost|127\.\d+\.\d+\.\d+|::1|\/.*)$/;
    expect(attempts).toContain("127.0.0.9");
    expect(attempts.filter((a) => !loopback.test(a))).toEqual([]);
    expect(attempts.filter((a) => a.startsWith("udp:"))).toEqual([]);
  });

  it("the CHU's two audits, two months apart, succeeded; the second shows new, fixed and still present", async () => {
    const audits = (await listAudits(database.db, cert, { page: 1 })).items;
    expect(audits).toHaveLength(3);
    expect(new Set(audits.map((a) => a.status))).toEqual(new Set(["succeeded"]));
    const chu = audits
      .filter((a) => a.structureId === grenobleId)
      .sort((a, b) => a.scheduledFor.localeCompare(b.scheduledFor));
    expect(chu).toHaveLength(2);
    const [first, second] = chu as [(typeof chu)[number], (typeof chu)[number]];
    const daysBefore = (iso: string | null) =>
      Math.round((NOW.getTime() - new Date(iso ?? "").getTime()) / DAY);
    expect(daysBefore(first.finishedAt)).toBe(120);
    expect(daysBefore(second.finishedAt)).toBe(59);

    const detail = await buildAuditReport(database.db, declarant, second.id, NOW);
    expect(detail.previousAuditId).toBe(first.id);
    const codes = (change: string) =>
      detail.findings
        .filter((f) => f.change === change)
        .map((f) => f.checkCode)
        .sort();
    expect(codes("new")).toEqual(["dns.cname.dangling"]);
    expect(detail.fixed.map((f) => f.checkCode).sort()).toEqual([
      "http.file.git_config",
      "http.file.git_head",
      "tls.protocol.tls1_0",
      "tls.protocol.tls1_1",
    ]);
    expect(codes("still_open")).toEqual(
      expect.arrayContaining([
        "dns.axfr.allowed",
        "dns.out_of_perimeter",
        "http.header.hsts",
        "http.version_disclosure",
        "service.dicom",
        "service.rdp",
        "tls.cert.expired",
      ]),
    );
    expect(detail.counts).toMatchObject({ new: 1, fixed: 4, stillOpen: 20, outOfPerimeter: 1 });
    expect(detail.counts?.bySeverity.critical).toBe(2);
    expect(detail.outOfPerimeter).toEqual([{ name: "rdv.chu-demo.test", ip: "192.0.2.200" }]);
    // the exposure map names the portal with its product and leaves the outside address out
    const portal = detail.exposure.find((h) => h.name === "acces.chu-demo.test");
    expect(portal?.services.find((s) => s.port === 443)).toMatchObject({
      product: "NetScaler ADC",
      version: "13.1-49.14",
    });
    expect(detail.exposure.flatMap((h) => h.ips)).not.toContain("192.0.2.200");
    expect(detail.authorisation?.inForce).toBe(false);
  });

  it("opened watch tickets: exposure findings, the sensitive services, the fixed ones closed", async () => {
    const tickets = await database.db
      .selectFrom("watch_tickets")
      .select(["kind", "finding_key", "status", "urgency"])
      .where("structure_id", "=", grenobleId)
      .execute();
    const byKey = new Map(tickets.map((t) => [t.finding_key, t]));
    expect(byKey.get("audit:dns.axfr.allowed:chu-demo.test")).toMatchObject({
      kind: "exposure",
      urgency: "high",
    });
    expect(byKey.get("audit:dns.cname.dangling:enquetes.chu-demo.test")?.status).toBe("new");
    expect(byKey.get("audit:http.file.git_head:203.0.113.30:443")?.status).toBe("fixed");
    expect(byKey.get("audit:tls.protocol.tls1_0:203.0.113.10:443")?.status).toBe("fixed");
    expect(byKey.get("audit:tls.cert.expired:203.0.113.10:443")?.status).not.toBe("fixed");
    // the exposed DICOM and RDP are the watch's own sensitive-service tickets, not a second one
    const sensitive = tickets.filter((t) => t.kind === "sensitive_service");
    expect(sensitive.length).toBeGreaterThanOrEqual(2);
    expect(tickets.some((t) => t.finding_key.startsWith("audit:service."))).toBe(false);
    // the watch's demo, seeded afterwards, still found the CHU's vulnerable NetScaler
    expect(watch.assetsCreated).toBe(0);
    expect(watch.ticketsOpened).toBeGreaterThan(0);
    const citrixBleed = await database.db
      .selectFrom("watch_tickets")
      .select("id")
      .where("structure_id", "=", grenobleId)
      .where("cve_id", "=", "CVE-2023-4966")
      .execute();
    expect(citrixBleed).toHaveLength(1);
    const last = (await listAudits(database.db, cert, { structureId: grenobleId, page: 1 })).items[0];
    const detail = await buildAuditReport(database.db, cert, last?.id ?? "", NOW);
    for (const code of ["service.rdp", "service.dicom", "dns.axfr.allowed", "tls.cert.expired"]) {
      expect(detail.findings.find((f) => f.checkCode === code)?.ticketId, code).toBeTruthy();
    }
  });

  it("schedules nothing: every authorisation ended yesterday; the renewal waits for the CERT", async () => {
    expect(await scheduleAudits(database.db, NOW)).toEqual({ scheduled: 0, beyondAuthorisation: 0 });
    expect(await scheduleAudits(database.db, new Date(NOW.getTime() + 90 * DAY))).toEqual({
      scheduled: 0,
      beyondAuthorisation: 0,
    });
    const pending = await database.db
      .selectFrom("exposure_audits")
      .select("id")
      .where("status", "in", ["scheduled", "running"])
      .execute();
    expect(pending).toEqual([]);

    const perimeter = await getPerimeter(database.db, declarant, grenobleId, NOW);
    expect(perimeter.status).toBe("submitted");
    expect(perimeter.domains).toEqual(["chu-demo.test"]);
    expect(perimeter.networks).toEqual(["203.0.113.0/26", "2001:db8:3800::/64"]);
    expect(perimeter.authorisation).toMatchObject({ inForce: false, networks: ["203.0.113.0/26"] });
    const toReview = await listPerimeters(database.db, cert, { status: "submitted" }, NOW);
    expect(toReview.map((p) => p.structureId)).toEqual([grenobleId]);
    expect((await getPerimeter(database.db, cert, laMureId, NOW)).status).toBe("validated");
  });

  it("renders the report in HTML", async () => {
    const last = (await listAudits(database.db, cert, { structureId: grenobleId, page: 1 })).items[0];
    const rendered = await exportAuditReport(database.db, declarant, last?.id ?? "", "html", { now: NOW });
    expect(rendered.contentType).toBe("text/html; charset=utf-8");
    const html = rendered.content.toString("utf8");
    expect(html).toContain("Nouveaux constats (1)");
    expect(html).toContain("Corrigés depuis le précédent audit (4)");
    expect(html).toContain("Transfert de zone DNS (AXFR) autorisé à n&#39;importe qui");
    expect(html).toContain("Service DICOM exposé acceptant toute association");
    expect(html).toContain("rdv.chu-demo.test");
  });

  it("the CERT's figures count both hospitals and their GHT", async () => {
    const stats = await exposureAuditStats(database.db, cert, 2026, NOW);
    expect(stats.audits).toBe(3);
    expect(stats.structuresAudited).toBe(2);
    expect(stats.byStructureType).toEqual([
      expect.objectContaining({ structureType: "es_public", audits: 3 }),
    ]);
    // two of the GHT's three hospitals audited
    expect(stats.ghtCovered).toBe(1);
    expect(stats.ghtOverHalf).toBe(1);
    expect(stats.progress).toMatchObject({ perimetersToReview: 1, scheduled: 0, running: 0 });
    const ght = await database.db
      .selectFrom("structures")
      .select("finess_et")
      .where("ght_code", "=", DEMO_GHT_CODE)
      .execute();
    expect(ght.map((s) => s.finess_et).sort()).toEqual(["380000026", "380000067", "380000406"]);
  });

  it("the mail posture test and the filtering campaign read back through the use cases", async () => {
    const tests = await listMailSecurityTests(database.db, declarant, {});
    expect(tests).toHaveLength(1);
    const test = await getMailSecurityTest(database.db, declarant, tests[0]?.id ?? "");
    expect(test).toMatchObject({ domain: "chu-demo.test", status: "succeeded", error: null });
    const status = (code: string) => test.controls.find((c) => c.code === code)?.status;
    expect(status("spf.all")).toBe("warn");
    expect(status("dkim.found")).toBe("pass");
    expect(status("dnssec.signed")).toBe("fail");
    expect(status("mta_sts.record")).toBe("warn");
    expect(status("starttls.offered.mail.chu-demo.test")).toBe("pass");
    expect(test.controls.some((c) => c.family === "dmarc" && c.status !== "pass")).toBe(true);
    expect(test.counts.fail).toBeGreaterThan(0);
    expect(test.counts.pass).toBeGreaterThan(0);

    const campaigns = await listFilteringCampaigns(database.db, cert, { structureId: grenobleId });
    expect(campaigns).toHaveLength(1);
    const campaign = await getFilteringCampaign(database.db, declarant, campaigns[0]?.id ?? "");
    expect(campaign).toMatchObject({
      mailbox: "test-filtrage@chu-demo.test",
      status: "reported",
      reportedVia: "structure",
    });
    expect(campaign.messages.length).toBeGreaterThan(100);
    const category = (name: string) => campaign.byCategory.find((c) => c.category === name);
    expect(category("sender")?.arrived).toBe(category("sender")?.sent);
    expect(category("malware")?.arrived).toBe(2);
    const arrived = campaign.messages.filter((m) => m.arrived).length;
    expect(arrived).toBeGreaterThan(0);
    expect(arrived).toBeLessThan(campaign.messages.length);
  });

  it("changes nothing when run again", async () => {
    const count = async (
      table: "exposure_audits" | "watch_tickets" | "mail_security_tests" | "mail_filter_campaigns",
    ) =>
      Number(
        (
          await database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await Promise.all(
      (["exposure_audits", "watch_tickets", "mail_security_tests", "mail_filter_campaigns"] as const).map(
        count,
      ),
    );
    const again = await seedAuditsDemo(database.db, new Date(NOW.getTime() + 3_600_000));
    expect(again).toEqual({
      assetsDeclared: 0,
      auditsRun: 0,
      ticketsOpened: 0,
      mailTests: 0,
      filteringCampaigns: 0,
    });
    const after = await Promise.all(
      (["exposure_audits", "watch_tickets", "mail_security_tests", "mail_filter_campaigns"] as const).map(
        count,
      ),
    );
    expect(after).toEqual(before);
    expect((await getPerimeter(database.db, declarant, grenobleId, NOW)).status).toBe("submitted");
  });
});
