import { withFinessCheckDigit } from "@vigie/core/directory/finess";
import { createTestApp, createUser, type SessionHeaders, signIn, type TestApp } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let t: TestApp;
const as = {} as Record<"declarant" | "analyst" | "lead" | "ars", SessionHeaders>;
const FINESS = withFinessCheckDigit("13000555");

function record(reference: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    reference,
    declared_at: "2023-09-05T14:00:00+02:00",
    structure: { finess_et: FINESS, name: "Assistance Publique d'Essai", type: "es_public", region: "93" },
    origin: "non_malicious",
    non_malicious_types: ["infrastructure_failure"],
    ...extra,
  });
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  as.declarant = await signIn(t, await createUser(db, "declarant"));
  as.analyst = await signIn(t, await createUser(db, "cert_analyst"));
  as.ars = await signIn(t, await createUser(db, "ars", { regionCode: "93" }));
  as.lead = await signIn(t, await createUser(db, "cert_lead"));
});
afterAll(async () => {
  await t?.close();
});

function upload(
  headers: SessionHeaders,
  body: string | Buffer,
  contentType = "application/x-ndjson",
  query = "",
) {
  return t.app.inject({
    method: "POST",
    url: `/api/incidents/import${query}`,
    headers: { ...headers, "content-type": contentType },
    payload: body,
  });
}

describe("POST /api/incidents/import and GET /api/incidents/export", () => {
  it("refuses the roles without observatory:manage", async () => {
    const file = `${record("CS-2023-000001")}\n`;
    for (const headers of [as.declarant, as.analyst, as.ars]) {
      const res = await upload(headers, file);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe("FORBIDDEN");
      const exported = await t.app.inject({ method: "GET", url: "/api/incidents/export?year=2023", headers });
      expect(exported.statusCode).toBe(403);
    }
    expect((await upload({}, file)).statusCode).toBe(401);
    const count = await t.database.db
      .selectFrom("incidents")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirst();
    expect(Number(count?.n)).toBe(0);
  });

  it("answers 422 with the problems of a rejected file, and writes nothing", async () => {
    const file = [
      record("CS-2023-000001"),
      record("CS-2023-000002", { data_impacts: ["none", "other"] }),
    ].join("\r\n");
    const res = await upload(as.lead, file);
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.error.code).toBe("IMPORT_REJECTED");
    expect(body.error.details).toEqual({
      records: 2,
      problems: [{ line: 2, path: "data_impacts[0]", message: expect.stringContaining("« none »") }],
      truncated: false,
    });
    expect(body.error.fields).toEqual([
      { field: "ligne 2, champ data_impacts[0]", message: expect.any(String) },
    ]);
    const exported = await t.app.inject({
      method: "GET",
      url: "/api/incidents/export?year=2023",
      headers: as.lead,
    });
    expect(exported.body).toBe("");
  });

  it("imports JSON Lines (any accepted content type) and CSV for a CERT lead, idempotently", async () => {
    const file = `${record("CS-2023-000001")}\n${record("CS-2023-000002", { tlp: "clear" })}\n`;
    const res = await upload(as.lead, file, "text/plain; charset=utf-8");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      format: "vigie.incident/1",
      records: 2,
      created: 2,
      updated: 0,
      unchanged: 0,
      problems: [],
      truncated: false,
    });
    expect((await upload(as.lead, Buffer.from(file))).json()).toMatchObject({ created: 0, unchanged: 2 });

    const csv = `reference,declared_at,structure.finess_et,structure.type,structure.region\nCS-2023-000003,2023-10-01T10:00:00+02:00,${FINESS},es_public,93\n`;
    const fromCsv = await upload(as.lead, csv, "text/csv");
    expect(fromCsv.json()).toMatchObject({ created: 1, problems: [] });
    // The format may be imposed whatever the content type.
    const forced = await upload(as.lead, csv, "text/plain", "?format=jsonl");
    expect(forced.statusCode).toBe(422);
    expect(forced.json().error.details.problems[0]).toMatchObject({ line: 1, path: "" });
  });

  it("updates a changed record only with update=true", async () => {
    const changed = `${record("CS-2023-000002", { tlp: "green" })}\n`;
    const refused = await upload(as.lead, changed);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details.problems[0]).toMatchObject({ line: 1, path: "reference" });
    const updated = await upload(as.lead, changed, "application/x-ndjson", "?update=true");
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ updated: 1, created: 0 });
    const bad = await upload(as.lead, changed, "application/x-ndjson", "?update=oui");
    expect(bad.statusCode).toBe(400);
  });

  it("exports a year as a JSON Lines download, and audits imports and exports", async () => {
    const res = await t.app.inject({
      method: "GET",
      url: "/api/incidents/export?year=2023&region=93",
      headers: as.lead,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/x-ndjson; charset=utf-8");
    expect(res.headers["content-disposition"]).toContain("incidents-2023-93.jsonl");
    const lines = res.body
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.reference, l.tlp])).toEqual([
      ["CS-2023-000001", "amber"],
      ["CS-2023-000002", "green"],
      ["CS-2023-000003", "amber"],
    ]);
    const other = await t.app.inject({
      method: "GET",
      url: "/api/incidents/export?year=2023&region=11",
      headers: as.lead,
    });
    expect(other.body).toBe("");
    const invalid = await t.app.inject({
      method: "GET",
      url: "/api/incidents/export?year=23",
      headers: as.lead,
    });
    expect(invalid.statusCode).toBe(400);

    const audit = await t.database.db
      .selectFrom("audit_log")
      .select(["action", "actor_label"])
      .where("action", "in", ["incidents.import", "incidents.export"])
      .orderBy("id")
      .execute();
    // The export after the rejected file, then the four imports that wrote, then two exports.
    expect(audit.map((a) => a.action)).toEqual([
      "incidents.export",
      "incidents.import",
      "incidents.import",
      "incidents.import",
      "incidents.import",
      "incidents.export",
      "incidents.export",
    ]);
  });
});
