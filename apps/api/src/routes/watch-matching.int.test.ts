import { normaliseProduct, startSession } from "@vigie/core";
import { readNvdFixture } from "@vigie/core/watch/matching/nvd-fixtures";
import { assetsRepo, watchMatchingRepo } from "@vigie/db";
import { createStructure, createTestApp, createUser, type TestApp, type TestUser } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSRF_HEADER, SESSION_COOKIE } from "../plugins/auth.ts";

// Matching through the API, for the CERT: a run on demand (full or incremental), its audit
// entry, the runs' history, and who may ask.
let t: TestApp;
let analyst: TestUser;
let declarant: TestUser;
let structureId: string;

async function sessionOf(user: TestUser): Promise<Record<string, string>> {
  const started = await startSession(
    t.database.db,
    user,
    { ttlHours: 12, mfaAlreadySatisfied: true },
    t.clock.now,
  );
  return { cookie: `${SESSION_COOKIE}=${started.cookieValue}`, [CSRF_HEADER]: started.csrfToken };
}
async function call(user: TestUser, method: "GET" | "POST", url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: await sessionOf(user),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  structureId = (await createStructure(db)).id;
  analyst = await createUser(db, "cert_analyst");
  declarant = await createUser(db, "declarant", { structureIds: [structureId] });
  // Citrix Bleed as the feeds would store it: the KEV entry and the real NVD record's criteria
  const { criteria } = readNvdFixture("CVE-2023-4966");
  await watchMatchingRepo.upsertVulnerabilityRows(db, [
    {
      cve_id: "CVE-2023-4966",
      in_kev: true,
      kev_ransomware: true,
      kev_vendor: "Citrix",
      kev_product: "NetScaler ADC and NetScaler Gateway",
      kev_action: "Apply mitigations and kill all active and persistent sessions per vendor instructions.",
      match_changed_at: t.clock.now,
      updated_at: t.clock.now,
    },
  ]);
  await watchMatchingRepo.insertCriteriaRows(
    db,
    criteria.map((c) => ({
      cve_id: c.cveId,
      criteria: c.criteria,
      part: "a",
      vendor: c.vendor,
      product: c.product,
      version: c.version,
      version_start_including: c.versionStartIncluding,
      version_start_excluding: c.versionStartExcluding,
      version_end_including: c.versionEndIncluding,
      version_end_excluding: c.versionEndExcluding,
    })),
  );
  const match = normaliseProduct("Citrix", "NetScaler Gateway");
  await assetsRepo.insertAssets(db, [
    {
      structure_id: structureId,
      kind: "product",
      host: "vpn.ch-api.test",
      port: 443,
      vendor: "Citrix",
      product: "NetScaler Gateway",
      version: "14.1-8.6",
      match_vendor: match?.matchVendor ?? null,
      match_product: match?.matchProduct ?? null,
      source: "manual",
      created_at: t.clock.now,
      updated_at: t.clock.now,
    },
  ]);
  t.clock.advance(60_000);
});
afterAll(async () => {
  await t?.close();
});

describe("POST /api/watch/matching/run and GET /api/watch/matching/runs", () => {
  it("runs a full match for an analyst, opens the ticket and audits the run", async () => {
    const response = await call(analyst, "POST", "/api/watch/matching/run", { mode: "full" });
    expect(response.statusCode, response.body).toBe(200);
    const report = response.json();
    expect(report).toMatchObject({ mode: "full", assetsConsidered: 1, findings: 1, opened: 1, fixed: 0 });
    const tickets = await t.database.db.selectFrom("watch_tickets").selectAll().execute();
    expect(tickets).toMatchObject([
      { cve_id: "CVE-2023-4966", confidence: "confirmed", urgency: "critical" },
    ]);
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select(["action", "object_id", "actor_user_id"])
      .where("action", "=", "watch.match")
      .execute();
    expect(audit).toEqual([{ action: "watch.match", object_id: report.runId, actor_user_id: analyst.id }]);
  });

  it("runs incrementally by default: nothing changed, nothing considered", async () => {
    t.clock.advance(60_000);
    const response = await call(analyst, "POST", "/api/watch/matching/run", {});
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      mode: "incremental",
      assetsConsidered: 0,
      vulnerabilitiesConsidered: 0,
    });
  });

  it("lists the runs, most recent first", async () => {
    const response = await call(analyst, "GET", "/api/watch/matching/runs?limit=10");
    expect(response.statusCode).toBe(200);
    const { items } = response.json();
    expect(items.map((r: { mode: string }) => r.mode)).toEqual(["incremental", "full"]);
    expect(items[1]).toMatchObject({ assetsConsidered: 1, ticketsOpened: 1, findings: 1 });
  });

  it("names the field of a bad mode in French", async () => {
    const response = await call(analyst, "POST", "/api/watch/matching/run", { mode: "tout" });
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.json())).toContain("mode");
    expect(JSON.stringify(response.json())).toContain("Mode attendu");
  });

  it("refuses a declarant (watch:handle is the CERT's)", async () => {
    expect((await call(declarant, "POST", "/api/watch/matching/run", { mode: "full" })).statusCode).toBe(403);
    expect((await call(declarant, "GET", "/api/watch/matching/runs")).statusCode).toBe(403);
  });
});
