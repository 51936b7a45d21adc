import { existsSync } from "node:fs";
import type { ObservatoryDocument } from "@vigie/contracts";
import { importIncidentRecords, searchAuditLog } from "@vigie/core";
import { readReportHtml } from "@vigie/core/observatory/report/read-report-html";
import { REPORT_DATASET_FACTS, reportDatasetRecords } from "@vigie/core/observatory/report/report-dataset";
import { valueAt } from "@vigie/core/observatory/report/rich-text";
import {
  createTestApp,
  createUser,
  type SessionHeaders,
  signIn,
  type TestApp,
  type TestUser,
} from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// GET /api/observatory/report (decision 0010): the yearly report as one HTML file or its PDF,
// always downloaded; its figures are those of GET /api/v1/observatory; an ARS its region only.

const chromiumPath = process.env.VIGIE_CHROMIUM ?? "/usr/bin/chromium";
const chromium = existsSync(chromiumPath);

let t: TestApp;
const users = {} as Record<"lead" | "arsIdf" | "declarant" | "authority", TestUser>;
const sessions = new Map<TestUser, SessionHeaders>();

async function get(user: TestUser | null, url: string) {
  let headers: SessionHeaders = {};
  if (user) {
    headers = sessions.get(user) ?? (await signIn(t, user));
    sessions.set(user, headers);
  }
  return t.app.inject({ method: "GET", url, headers });
}

/** Every figure of the report equals the observatory document the API serves for its year. */
async function expectFiguresFromApi(user: TestUser, html: string, region: string | null): Promise<void> {
  const read = readReportHtml(html);
  expect(read.figures.length).toBeGreaterThan(50);
  const documents = new Map<number, ObservatoryDocument>();
  for (const year of new Set(read.figures.map((f) => f.year))) {
    const response = await get(user, `/api/v1/observatory?year=${year}${region ? `&region=${region}` : ""}`);
    expect(response.statusCode, response.body).toBe(200);
    documents.set(year, response.json() as ObservatoryDocument);
  }
  for (const figure of read.figures) {
    expect(figure.value, `${figure.path} (${figure.year})`).toEqual(
      valueAt(documents.get(figure.year) as ObservatoryDocument, figure.path),
    );
  }
}

beforeAll(async () => {
  t = await createTestApp({ CHROMIUM_PATH: chromiumPath });
  const db = t.database.db;
  const imported = await importIncidentRecords(db, reportDatasetRecords(), { actorLabel: "test" });
  expect(imported.created).toBe(20);
  users.lead = await createUser(db, "cert_lead");
  users.arsIdf = await createUser(db, "ars", { regionCode: "11" });
  users.declarant = await createUser(db, "declarant");
  users.authority = await createUser(db, "authority");
});
afterAll(async () => {
  await t?.close();
});

describe("GET /api/observatory/report", () => {
  it("downloads the national HTML report whose figures are the observatory's", async () => {
    const response = await get(users.lead, "/api/observatory/report?year=2023");
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(response.headers["content-disposition"]).toBe(
      `attachment; filename="observatoire-2023.html"; filename*=UTF-8''observatoire-2023.html`,
    );
    expect(response.headers["cache-control"]).toBe("private, no-store");
    const read = readReportHtml(response.body);
    expect(read.text).toContain(`12 signalements en 2023, soit 50\u202f% de plus qu'en 2022 (8).`);
    expect(read.figures).toContainEqual(
      expect.objectContaining({
        path: "incidents.declared",
        year: 2023,
        value: REPORT_DATASET_FACTS.declared[2023],
      }),
    );
    await expectFiguresFromApi(users.lead, response.body, null);
  });

  it("answers a national authority for the region it names", async () => {
    const response = await get(users.authority, "/api/observatory/report?year=2023&region=76&format=html");
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers["content-disposition"]).toContain('filename="observatoire-2023-occitanie.html"');
    expect(readReportHtml(response.body).title).toContain("— Occitanie");
    await expectFiguresFromApi(users.authority, response.body, "76");
  });

  it.skipIf(!chromium)("downloads the PDF", async () => {
    const response = await get(users.lead, "/api/observatory/report?year=2023&format=pdf");
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    expect(response.headers["content-type"]).toBe("application/pdf");
    expect(response.headers["content-disposition"]).toContain('filename="observatoire-2023.pdf"');
    expect(response.rawPayload.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  });

  it("gives an ARS its own region, refuses another one and audits the refusal", async () => {
    const own = await get(users.arsIdf, "/api/observatory/report?year=2023");
    expect(own.statusCode, own.body).toBe(200);
    expect(own.headers["content-disposition"]).toContain(
      `filename="observatoire-2023-ile-de-france.html"; filename*=UTF-8''observatoire-2023-ile-de-france.html`,
    );
    const read = readReportHtml(own.body);
    expect(read.title).toContain("— Île-de-France");
    expect(read.text).toContain("3 signalements en 2023 pour l'Île-de-France (aucune donnée pour 2022).");
    await expectFiguresFromApi(users.arsIdf, own.body, "11");

    const other = await get(users.arsIdf, "/api/observatory/report?year=2023&region=76");
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    const audit = await searchAuditLog(t.database.db, { action: "observatory.report", limit: 10 });
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({ outcome: "denied", actorUserId: users.arsIdf.id });
  });

  it("refuses declarants and anonymous callers", async () => {
    expect((await get(users.declarant, "/api/observatory/report?year=2023")).statusCode).toBe(403);
    expect((await get(null, "/api/observatory/report?year=2023")).statusCode).toBe(401);
  });

  it("names the wrong parameter in French", async () => {
    const year = await get(users.lead, "/api/observatory/report?year=deux-mille");
    expect(year.statusCode).toBe(400);
    expect(year.json()).toMatchObject({ error: { code: "VALIDATION_FAILED" } });
    expect(JSON.stringify(year.json())).toContain("year");
    const format = await get(users.lead, "/api/observatory/report?year=2023&format=docx");
    expect(format.statusCode).toBe(400);
    expect(JSON.stringify(format.json())).toContain("Le format du rapport est html ou pdf.");
    const region = await get(users.lead, "/api/observatory/report?year=2023&region=99");
    expect(region.statusCode).toBe(400);
    expect(JSON.stringify(region.json())).toContain("Région inconnue");
  });
});

describe("without Chromium", () => {
  let bare: TestApp;
  beforeAll(async () => {
    bare = await createTestApp({ CHROMIUM_PATH: "/chemin/inexistant/chromium" });
  });
  afterAll(async () => {
    await bare?.close();
  });

  it("refuses the PDF with a French 503 and still serves the HTML", async () => {
    const lead = await createUser(bare.database.db, "cert_lead");
    const headers = await signIn(bare, lead);
    const pdf = await bare.app.inject({
      method: "GET",
      url: "/api/observatory/report?year=2023&format=pdf",
      headers,
    });
    expect(pdf.statusCode).toBe(503);
    expect(pdf.json()).toMatchObject({ error: { code: "SERVICE_UNAVAILABLE" } });
    expect(pdf.json().error.message).toContain("Chromium est introuvable (/chemin/inexistant/chromium)");
    expect(pdf.json().error.message).toContain("CHROMIUM_PATH");
    const html = await bare.app.inject({ method: "GET", url: "/api/observatory/report?year=2023", headers });
    expect(html.statusCode).toBe(200);
    expect(readReportHtml(html.body).text).toContain("Aucun signalement n'a été déclaré en 2023.");
  });
});
