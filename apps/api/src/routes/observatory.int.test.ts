import { type IncidentRecordInput, IncidentRecordSchema, ObservatoryDocumentSchema } from "@vigie/contracts";
import { computeObservatory, importIncidentRecords, withFinessCheckDigit } from "@vigie/core";
import {
  createTestApp,
  createUser,
  type SessionHeaders,
  signIn,
  type TestApp,
  type TestUser,
} from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let t: TestApp;
const users = {} as Record<"lead" | "analyst" | "arsOccitanie" | "authority" | "declarant", TestUser>;
const sessions = {} as Record<keyof typeof users, SessionHeaders>;

const structure = (base: string, region: string) => ({
  finess_et: withFinessCheckDigit(base),
  type: "es_public" as const,
  region,
});
const record = (
  reference: string,
  declaredAt: string,
  s: IncidentRecordInput["structure"],
  origin: "malicious" | null,
) => IncidentRecordSchema.parse({ reference, declared_at: declaredAt, structure: s, origin });

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  // 2023: three declarations in Occitanie (76), one in Île-de-France (11) — one of them TLP:RED,
  // counted all the same (aggregates reveal no content).
  const occitanie = structure("31000011", "76");
  const paris = structure("75000012", "11");
  const report = await importIncidentRecords(
    db,
    [
      record("CS-2023-000101", "2023-02-01T10:00:00Z", occitanie, "malicious"),
      record("CS-2023-000102", "2023-05-01T10:00:00Z", occitanie, null),
      { ...record("CS-2023-000103", "2023-09-01T10:00:00Z", occitanie, "malicious"), tlp: "red" },
      record("CS-2023-000104", "2023-03-01T10:00:00Z", paris, null),
    ],
    { actorLabel: "test" },
  );
  expect(report.problems).toEqual([]);
  users.lead = await createUser(db, "cert_lead");
  users.analyst = await createUser(db, "cert_analyst");
  users.arsOccitanie = await createUser(db, "ars", { regionCode: "76" });
  users.authority = await createUser(db, "authority", { authority: "anssi" });
  users.declarant = await createUser(db, "declarant");
  for (const key of Object.keys(users) as Array<keyof typeof users>)
    sessions[key] = await signIn(t, users[key]);
});
afterAll(async () => {
  await t?.close();
});

function get(url: string, headers: Record<string, string>) {
  return t.app.inject({ method: "GET", url, headers });
}

async function tokenOf(who: keyof typeof users, scopes: string[]): Promise<Record<string, string>> {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/tokens",
    headers: sessions[who],
    payload: { name: `Observatoire ${who}`, scopes },
  });
  expect(response.statusCode, response.body).toBe(201);
  return { authorization: `Bearer ${response.json().token}` };
}

describe("GET /api/v1/observatory", () => {
  it("returns exactly the document of the year for the CERT, with a session", async () => {
    const response = await get("/api/v1/observatory?year=2023", sessions.analyst);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(ObservatoryDocumentSchema.parse(body)).toEqual(body);
    expect(body).toEqual(
      JSON.parse(JSON.stringify(await computeObservatory(t.database.db, { year: 2023, region: null }))),
    );
    expect(body.incidents.declared).toBe(4);
    expect(body.regions.counts).toMatchObject({ "76": 3, "11": 1 });
    expect(body.origin.counts.malicious).toBe(2);
  });

  it("answers an API token carrying observatory:read, refuses one without it", async () => {
    const token = await tokenOf("lead", ["observatory:read"]);
    const national = await get("/api/v1/observatory?year=2023", token);
    expect(national.statusCode, national.body).toBe(200);
    expect(national.json().incidents.declared).toBe(4);
    const regional = await get("/api/v1/observatory?year=2023&region=11", token);
    expect(regional.json()).toMatchObject({ region: "11", incidents: { declared: 1 } });

    const other = await tokenOf("lead", ["declarations:read"]);
    const refused = await get("/api/v1/observatory?year=2023", other);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe("FORBIDDEN");
  });

  it("lets a national authority read the nation", async () => {
    const response = await get("/api/v1/observatory?year=2023", sessions.authority);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().region).toBeNull();
  });

  it("answers an ARS for its own region only", async () => {
    const implicit = await get("/api/v1/observatory?year=2023", sessions.arsOccitanie);
    expect(implicit.statusCode, implicit.body).toBe(200);
    // Its region, TLP:RED included: the three declarations of Occitanie.
    expect(implicit.json()).toMatchObject({ region: "76", incidents: { declared: 3 } });
    expect(implicit.json().regions.counts["11"]).toBe(0);

    const explicit = await get("/api/v1/observatory?year=2023&region=76", sessions.arsOccitanie);
    expect(explicit.json()).toEqual(implicit.json());

    const elsewhere = await get("/api/v1/observatory?year=2023&region=11", sessions.arsOccitanie);
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().error.code).toBe("FORBIDDEN");
    expect(elsewhere.json().error.message).toContain("sa région (76)");
    const denied = await t.database.db
      .selectFrom("audit_log")
      .select(["action", "outcome", "details"])
      .where("actor_user_id", "=", users.arsOccitanie.id)
      .where("action", "=", "observatory.read")
      .execute();
    expect(denied).toEqual([
      { action: "observatory.read", outcome: "denied", details: { year: 2023, region: "11" } },
    ]);

    // The same rules through the ARS's API token.
    const token = await tokenOf("arsOccitanie", ["observatory:read"]);
    expect((await get("/api/v1/observatory?year=2023", token)).json().region).toBe("76");
    expect((await get("/api/v1/observatory?year=2023&region=11", token)).statusCode).toBe(403);
  });

  it("refuses a declarant and an anonymous caller", async () => {
    expect((await get("/api/v1/observatory?year=2023", sessions.declarant)).statusCode).toBe(403);
    expect((await get("/api/v1/observatory?year=2023", {})).statusCode).toBe(401);
  });

  it("names the field of a bad year or region, in French", async () => {
    for (const [query, field] of [
      ["", "year"],
      ["?year=deux-mille", "year"],
      ["?year=1999", "year"],
      ["?year=2023&region=7", "region"],
      ["?year=2023&region=99", "region"],
    ] as const) {
      const response = await get(`/api/v1/observatory${query}`, sessions.analyst);
      expect(response.statusCode, query).toBe(400);
      const error = response.json().error;
      expect(error.code).toBe("VALIDATION_FAILED");
      expect(error.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(error.fields[0].message).toMatch(/année|région|Région/);
    }
  });
});

describe("regional activity references", () => {
  const reference = {
    referenceYear: 2022,
    source: "PMSI MCO 2022, ATIH",
    shares: { "76": 0.1, "11": 0.2 },
  };

  it("are loaded by a cert_lead, listed to the observatory's readers, and feed the index", async () => {
    const put = await t.app.inject({
      method: "PUT",
      url: "/api/observatory/activity-references/2022",
      headers: sessions.lead,
      payload: reference,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({
      referenceYear: 2022,
      source: reference.source,
      shares: reference.shares,
    });
    expect(put.json().loadedBy).toBe(users.lead.full_name);

    const list = await get("/api/observatory/activity-references", sessions.analyst);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json()).toHaveLength(1);

    // 76: 3 ÷ 0.1 = 30 (the highest), 11: 1 ÷ 0.2 = 5 → 5 / 30 × 100.
    const doc = (await get("/api/v1/observatory?year=2023", sessions.analyst)).json();
    expect(doc.regions.activity_index).toEqual({ "76": 100, "11": (5 / 30) * 100 });
  });

  it("refuses the load to other roles and bad references, naming the field", async () => {
    const asAnalyst = await t.app.inject({
      method: "PUT",
      url: "/api/observatory/activity-references/2022",
      headers: sessions.analyst,
      payload: reference,
    });
    expect(asAnalyst.statusCode).toBe(403);
    for (const [payload, field] of [
      [{ ...reference, shares: { "01": 0.01 } }, "shares.01"],
      [{ ...reference, shares: { "76": 0.7, "11": 0.7 } }, "shares"],
      [{ ...reference, shares: { "76": 0 } }, "shares.76"],
      [{ ...reference, source: " " }, "source"],
      [{ ...reference, referenceYear: 2021 }, "referenceYear"],
    ] as const) {
      const response = await t.app.inject({
        method: "PUT",
        url: "/api/observatory/activity-references/2022",
        headers: sessions.lead,
        payload,
      });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
  });
});
