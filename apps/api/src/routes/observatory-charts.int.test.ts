import type { IncidentRecordInput, ObservatoryChart } from "@vigie/contracts";
import { IncidentRecordSchema, ObservatoryChartsResponseSchema } from "@vigie/contracts";
import { importIncidentRecords, observatoryChartsFor, withFinessCheckDigit } from "@vigie/core";
import {
  createStructure,
  createTestApp,
  createUser,
  type SessionHeaders,
  signIn,
  type TestApp,
  type TestUser,
} from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// GET /api/observatory/charts (decision 0010): the report's charts computed from the data, for
// a year, nationally or for a region; an ARS only its region.

let t: TestApp;
const users = {} as Record<"lead" | "analyst" | "authority" | "arsIdf" | "declarant", TestUser>;
const sessions = new Map<TestUser, SessionHeaders>();
type Structure = Awaited<ReturnType<typeof createStructure>>;
let hospitalIdf: Structure;
let ehpadOcc: Structure;
const clinicFiness = withFinessCheckDigit("31000777");

function record(
  fields: Partial<IncidentRecordInput> & Pick<IncidentRecordInput, "reference" | "declared_at">,
) {
  return IncidentRecordSchema.parse({
    structure: { finess_et: hospitalIdf.finessEt, name: hospitalIdf.name, type: "es_public", region: "11" },
    tlp: "green",
    ...fields,
  });
}

async function get(user: TestUser | null, url: string) {
  let headers: SessionHeaders = {};
  if (user) {
    const known = sessions.get(user);
    headers = known ?? (await signIn(t, user));
    sessions.set(user, headers);
  }
  return t.app.inject({ method: "GET", url, headers });
}

function chartOf(charts: ObservatoryChart[], id: string): ObservatoryChart {
  const chart = charts.find((c) => c.id === id);
  if (!chart) throw new Error(`no chart ${id}`);
  return chart;
}

const rowOf = (chart: ObservatoryChart, label: string) => chart.table.rows.find((r) => r[0] === label);

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  hospitalIdf = await createStructure(db, { regionCode: "11", structureType: "es_public" });
  ehpadOcc = await createStructure(db, { regionCode: "76", departmentCode: "31", structureType: "esms" });
  // In the directory, never declaring: counted in the directory's shares only.
  await createStructure(db, { regionCode: "11", structureType: "es_private_nonprofit" });
  await createStructure(db, { regionCode: "76", departmentCode: "31", structureType: "es_public" });
  users.lead = await createUser(db, "cert_lead");
  users.analyst = await createUser(db, "cert_analyst");
  users.authority = await createUser(db, "authority", { authority: "anssi" });
  users.arsIdf = await createUser(db, "ars", { regionCode: "11" });
  users.declarant = await createUser(db, "declarant", { structureIds: [hospitalIdf.id] });

  const report = await importIncidentRecords(db, [
    // Tuesday 10 January 2023, 10:00 in Paris: working hours; Île-de-France.
    record({
      reference: "CS-2023-000001",
      declared_at: "2023-01-10T10:00:00+01:00",
      support_requested: true,
      state_at_declaration: "support_needed",
      origin: "malicious",
      malicious_types: ["ransomware"],
      si_effect: "important",
      operational_impact: "degraded_care",
      data_impacts: ["data_loss_or_unavailability"],
    }),
    // Friday 20 January 2023, 21:30: out of hours; an EHPAD in Occitanie.
    record({
      reference: "CS-2023-000002",
      declared_at: "2023-01-20T21:30:00+01:00",
      structure: { finess_et: ehpadOcc.finessEt, name: ehpadOcc.name, type: "esms", region: "76" },
      state_at_declaration: "resolved",
      origin: "non_malicious",
      non_malicious_types: ["telecom_loss"],
      operational_impact: "none",
      data_impacts: ["none"],
    }),
    // Sunday 5 March 2023: a clinic not yet in the directory (the import adds it), Occitanie.
    record({
      reference: "CS-2023-000003",
      declared_at: "2023-03-05T09:15:00+01:00",
      structure: {
        finess_et: clinicFiness,
        name: "Clinique du Canal",
        type: "es_private_forprofit",
        region: "76",
      },
      state_at_declaration: "in_progress",
      origin: "malicious",
      malicious_types: ["account_compromise", "data_leak"],
      data_impacts: ["personal_info_disclosure"],
      data_types: ["personal_health", "personal_other"],
      operational_impact: "degraded_support",
    }),
    // 14 July 2023 (a public holiday), an exercise: out of scope.
    record({
      reference: "CS-2023-000004",
      declared_at: "2023-07-14T11:00:00+02:00",
      out_of_scope: true,
      out_of_scope_reason: "exercise",
    }),
    // The year before, June.
    record({
      reference: "CS-2022-000001",
      declared_at: "2022-06-01T10:00:00+02:00",
      origin: "malicious",
      malicious_types: ["ransomware"],
      operational_impact: "care_interrupted",
    }),
  ]);
  expect(report.problems).toEqual([]);
  expect(report.created).toBe(5);
});
afterAll(async () => {
  await t?.close();
});

describe("GET /api/observatory/charts", () => {
  it("gives the CERT the national charts of a year, with the previous year compared", async () => {
    const response = await get(users.lead, "/api/observatory/charts?year=2023");
    expect(response.statusCode, response.body).toBe(200);
    const body = ObservatoryChartsResponseSchema.parse(response.json());
    expect(body).toMatchObject({ year: 2023, region: null, previousYear: 2022, declared: 4 });
    const ids = body.charts.map((c) => c.id);
    expect(ids).toContain("regions-counts");
    expect(ids).toContain("data-impacts");

    const months = chartOf(body.charts, "declarations-by-month");
    expect(months.table.columns).toEqual(["Mois", "2022", "2023"]);
    expect(rowOf(months, "Janvier")).toEqual(["Janvier", 0, 2]);
    expect(rowOf(months, "Mars")).toEqual(["Mars", 0, 1]);
    expect(rowOf(months, "Juin")).toEqual(["Juin", 1, 0]);
    expect(rowOf(months, "Juillet")).toEqual(["Juillet", 0, 1]);
    expect(rowOf(months, "Total")).toEqual(["Total", 1, 4]);

    const key = chartOf(body.charts, "key-figures");
    expect(rowOf(key, "Déclarations reçues")).toEqual(["Déclarations reçues", 1, 4]);
    expect(rowOf(key, "Incidents hors périmètre")).toEqual(["Incidents hors périmètre", 0, 1]);
    expect(rowOf(key, "Dont exercices de crise cyber")).toEqual(["Dont exercices de crise cyber", 0, 1]);
    expect(rowOf(key, "Structures déclarantes")).toEqual(["Structures déclarantes", 1, 3]);
    // Only the 10 January declaration is in working hours: Sunday, 21:30 and 14 July are not.
    expect(rowOf(key, "Déclarations en heures et jours ouvrés")?.[2]).toBe("25\u00a0%");

    // Tuesday 10:00, Friday 21:00 and 11:00 (Paris time), Sunday 9:00.
    const heat = chartOf(body.charts, "declarations-by-weekday-hour");
    expect(rowOf(heat, "Mardi")?.[11]).toBe(1);
    expect(rowOf(heat, "Vendredi")?.[22]).toBe(1);
    expect(rowOf(heat, "Vendredi")?.[12]).toBe(1);
    expect(rowOf(heat, "Dimanche")?.[10]).toBe(1);
    expect(rowOf(heat, "Lundi")?.[25]).toBe(0);

    const regions = chartOf(body.charts, "regions-counts");
    expect(rowOf(regions, "Île-de-France")?.slice(1, 3)).toEqual([1, 2]);
    expect(rowOf(regions, "Occitanie")?.slice(1, 3)).toEqual([0, 2]);
    expect(regions.svg).toContain("Occitanie");

    const malicious = chartOf(body.charts, "malicious-types");
    expect(rowOf(malicious, "Rançongiciel")?.[1]).toBe(1);
    expect(rowOf(malicious, "Fuite de données")?.[1]).toBe(1);
    const impacts = chartOf(body.charts, "data-impacts");
    expect(impacts.table.columns.slice(1, 4)).toEqual(["2021", "2022", "2023"]);

    // The directory's ES (all regions): 2 public (one never declared), 1 private non-profit,
    // and the clinic the import added.
    const directory = chartOf(body.charts, "es-types-vs-directory");
    expect(directory.table.rows.map((r) => r[3])).toEqual([2, 1, 1, 0]);
    // Declarations by ES: the Île-de-France hospital twice, the clinic once.
    expect(directory.table.rows.map((r) => r[1])).toEqual([2, 0, 1, 0]);
  });

  it("computes the same charts as the use case, for a region the CERT names", async () => {
    const response = await get(users.analyst, "/api/observatory/charts?year=2023&region=76");
    expect(response.statusCode, response.body).toBe(200);
    const body = ObservatoryChartsResponseSchema.parse(response.json());
    expect(body.region).toBe("76");
    expect(body.declared).toBe(2);
    expect(body.charts.map((c) => c.id)).not.toContain("regions-counts");
    const direct = await observatoryChartsFor(t.database.db, { year: 2023, region: "76" });
    expect(body).toEqual(direct);
    const structures = chartOf(body.charts, "structure-types");
    expect(structures.population).toContain("structures de la région Occitanie");
    // In Occitanie's directory: one public hospital and the imported clinic.
    expect(chartOf(body.charts, "es-types-vs-directory").table.rows.map((r) => r[3])).toEqual([1, 0, 1, 0]);
  });

  it("answers an ARS for its own region only", async () => {
    const own = await get(users.arsIdf, "/api/observatory/charts?year=2023");
    expect(own.statusCode, own.body).toBe(200);
    const body = ObservatoryChartsResponseSchema.parse(own.json());
    expect(body.region).toBe("11");
    expect(body.declared).toBe(2);
    const named = await get(users.arsIdf, "/api/observatory/charts?year=2023&region=11");
    expect(named.statusCode).toBe(200);
    expect(ObservatoryChartsResponseSchema.parse(named.json()).region).toBe("11");
    const other = await get(users.arsIdf, "/api/observatory/charts?year=2023&region=76");
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe("FORBIDDEN");
    // The refusal is in the audit log.
    const denied = await t.database.db
      .selectFrom("audit_log")
      .select(["action", "outcome", "actor_user_id"])
      .where("action", "=", "observatory.charts")
      .execute();
    expect(denied).toEqual([
      { action: "observatory.charts", outcome: "denied", actor_user_id: users.arsIdf.id },
    ]);
  });

  it("lets a national authority read the national charts, and refuses the others", async () => {
    const authority = await get(users.authority, "/api/observatory/charts?year=2023");
    expect(authority.statusCode).toBe(200);
    const declarant = await get(users.declarant, "/api/observatory/charts?year=2023");
    expect(declarant.statusCode).toBe(403);
    const anonymous = await get(null, "/api/observatory/charts?year=2023");
    expect(anonymous.statusCode).toBe(401);
  });

  it("refuses an unknown region and an impossible year, in French", async () => {
    const region = await get(users.lead, "/api/observatory/charts?year=2023&region=99");
    expect(region.statusCode).toBe(400);
    expect(region.json().error.code).toBe("VALIDATION_FAILED");
    expect(region.json().error.fields[0].field).toBe("region");
    expect(region.json().error.fields[0].message).toMatch(/^Région inconnue/);
    const year = await get(users.lead, "/api/observatory/charts?year=1999");
    expect(year.statusCode).toBe(400);
    expect(JSON.stringify(year.json())).toContain("L'année doit être comprise entre 2000 et 2100.");
  });
});
