import type { IncidentRecordInput } from "@vigie/contracts";
import { IncidentRecordSchema } from "@vigie/contracts";
import {
  importIncidentRecords,
  type OpenDataRow,
  openDataCellKey,
  readOpenDataCsv,
  recomputableWithheldCells,
  withFinessCheckDigit,
} from "@vigie/core";
import {
  createTestApp,
  createUser,
  type SessionHeaders,
  signIn,
  type TestApp,
  type TestUser,
} from "@vigie/test-kit";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// GET /api/observatory/open-data and /schema (decision 0010): the publication file of a year,
// from the observatory documents, with statistical disclosure control.

let t: TestApp;
const users = {} as Record<"lead" | "authority" | "arsIdf" | "arsCorse" | "declarant", TestUser>;
const sessions = new Map<TestUser, SessionHeaders>();

interface Structure {
  finess: string;
  name: string;
  type: "es_public" | "esms" | "es_private_forprofit";
  region: string;
}
const structures: Structure[] = [
  {
    finess: withFinessCheckDigit("31000101"),
    name: "CHU de Toulouse Essai",
    type: "es_public",
    region: "76",
  },
  {
    finess: withFinessCheckDigit("34000202"),
    name: "Clinique Occitane Essai",
    type: "es_private_forprofit",
    region: "76",
  },
  {
    finess: withFinessCheckDigit("75000303"),
    name: "Hôpital Parisien Essai",
    type: "es_public",
    region: "11",
  },
  { finess: withFinessCheckDigit("93000404"), name: "EHPAD Francilien Essai", type: "esms", region: "11" },
  { finess: withFinessCheckDigit("35000505"), name: "CH Rennais Essai", type: "es_public", region: "53" },
  {
    finess: withFinessCheckDigit("2A000606"),
    name: "Centre Hospitalier Corse Essai",
    type: "es_public",
    region: "94",
  },
];
const [toulouse, clinic, paris, ehpad, rennes, corse] = structures as [
  Structure,
  Structure,
  Structure,
  Structure,
  Structure,
  Structure,
];

let sequence = 0;
/** A 2023 declaration (or `year`), on a Tuesday morning of `month` (1–12). */
function record(structure: Structure, month: number, fields: Partial<IncidentRecordInput> = {}, year = 2023) {
  sequence++;
  return IncidentRecordSchema.parse({
    reference: `CS-${year}-${String(sequence).padStart(6, "0")}`,
    declared_at: `${year}-${String(month).padStart(2, "0")}-14T10:00:00+01:00`,
    structure: {
      finess_et: structure.finess,
      name: structure.name,
      type: structure.type,
      region: structure.region,
    },
    origin: "non_malicious",
    non_malicious_types: ["infrastructure_failure"],
    operational_impact: "none",
    data_impacts: ["none"],
    title: `Panne confidentielle numéro ${sequence}`,
    description: "Texte libre SECRET-NE-PAS-PUBLIER : le serveur du bloc opératoire est tombé.",
    tlp: "amber",
    ...fields,
  });
}

// Declarations of 2023: Occitanie 30, Île-de-France 25, Bretagne 7, Corse 3 (small) = 65.
const records = [
  ...Array.from({ length: 20 }, (_, i) => record(toulouse, 1 + (i % 12))),
  ...Array.from({ length: 10 }, (_, i) =>
    record(clinic, 1 + (i % 6), {
      origin: "malicious",
      malicious_types: ["ransomware"],
      non_malicious_types: [],
    }),
  ),
  ...Array.from({ length: 20 }, (_, i) =>
    record(paris, 1 + (i % 12), { channel: i < 15 ? "portal" : "email" }),
  ),
  ...Array.from({ length: 5 }, () => record(ehpad, 6, { tlp: "red" })),
  ...Array.from({ length: 7 }, () => record(rennes, 3)),
  // Corse: 2 by portal, 1 by phone, one of them TLP:RED — counted all the same.
  record(corse, 2),
  record(corse, 2, { tlp: "red" }),
  record(corse, 9, {
    channel: "phone_oncall",
    origin: "malicious",
    malicious_types: ["data_leak"],
    non_malicious_types: [],
  }),
  // The year before: not in the 2023 file.
  ...Array.from({ length: 4 }, () => record(rennes, 5, {}, 2022)),
];

async function get(user: TestUser | null, url: string) {
  let headers: SessionHeaders = {};
  if (user) {
    headers = sessions.get(user) ?? (await signIn(t, user));
    sessions.set(user, headers);
  }
  return t.app.inject({ method: "GET", url, headers });
}

type Line = OpenDataRow;

function lines(csv: string): Line[] {
  return readOpenDataCsv(csv) as unknown as Line[];
}

function cell(rows: Line[], code: string | null, indicateur: string, modalite: string): Line {
  const niveau = code === null ? "national" : "regional";
  const found = rows.find(
    (r) =>
      r.niveau === niveau && r.code_region === code && r.indicateur === indicateur && r.modalite === modalite,
  );
  if (!found) throw new Error(`no line ${code} ${indicateur} ${modalite}`);
  return found;
}

let fullCsv: string;
let fullResponse: Awaited<ReturnType<typeof get>>;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  users.lead = await createUser(db, "cert_lead");
  users.authority = await createUser(db, "authority", { authority: "fssi" });
  users.arsIdf = await createUser(db, "ars", { regionCode: "11" });
  users.arsCorse = await createUser(db, "ars", { regionCode: "94" });
  users.declarant = await createUser(db, "declarant");
  const report = await importIncidentRecords(db, records);
  expect(report.problems).toEqual([]);
  expect(report.created).toBe(records.length);
  fullResponse = await get(users.lead, "/api/observatory/open-data?year=2023");
  expect(fullResponse.statusCode, fullResponse.body).toBe(200);
  fullCsv = fullResponse.body;
});
afterAll(async () => {
  await t?.close();
});

describe("GET /api/observatory/open-data", () => {
  it("sends the year's CSV as a download", () => {
    expect(fullResponse.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(fullResponse.headers["content-disposition"]).toContain('filename="observatoire-2023.csv"');
    expect(fullCsv.split("\n")[0]).toBe(
      "annee,niveau,code_region,nom_region,population,indicateur,libelle_indicateur,modalite,libelle_modalite,valeur,statut",
    );
  });

  it("publishes the large counts and withholds Corse's 3 declarations", () => {
    const rows = lines(fullCsv);
    // 30 + 25 + 7 + 3, the 2022 declarations left out.
    expect(cell(rows, null, "declarations", "total")).toMatchObject({ valeur: 65, statut: "publie" });
    // The regions' totals are published as counted, or withheld as complements, never as secret.
    for (const [code, count] of [
      ["76", 30],
      ["11", 25],
      ["53", 7],
    ] as const) {
      const total = cell(rows, code, "declarations", "total");
      expect(total.statut === "publie" ? total.valeur : total.statut).toBe(
        total.statut === "publie" ? count : "secret_secondaire",
      );
    }
    // Malicious: Occitanie 10, Corse 1 (secret), nationally 11 — so 11 − 10 would give Corse's 1
    // back: Occitanie's 10, the smallest other count, is withheld as a complement.
    expect(cell(rows, null, "origine", "malicious")).toMatchObject({ valeur: 11, statut: "publie" });
    expect(cell(rows, "94", "origine", "malicious")).toMatchObject({ valeur: null, statut: "secret" });
    expect(cell(rows, "76", "origine", "malicious")).toMatchObject({
      valeur: null,
      statut: "secret_secondaire",
    });
    expect(cell(rows, "24", "declarations", "total")).toMatchObject({ valeur: 0, statut: "publie" });
    // Corse: 3 declarations, 2 by portal, 1 by phone: all secret, values empty.
    for (const [indicateur, modalite] of [
      ["declarations", "total"],
      ["canal", "portal"],
      ["canal", "phone_oncall"],
      ["types_malveillants", "data_leak"],
    ] as const) {
      expect(cell(rows, "94", indicateur, modalite)).toMatchObject({ valeur: null, statut: "secret" });
    }
    expect(fullCsv).toContain(
      "2023,regional,94,Corse,declarations,declarations,Déclarations reçues,total,Total,,secret\n",
    );
    // Without a complement, 65 − 30 − 25 − 7 would give Corse's 3 back: one region's total is withheld too.
    const regionalTotals = rows.filter((r) => r.niveau === "regional" && r.indicateur === "declarations");
    expect(regionalTotals.filter((r) => r.statut === "secret_secondaire").length).toBeGreaterThanOrEqual(1);
  });

  it("leaves no withheld count that a reader can recompute from the totals", () => {
    const rows = lines(fullCsv);
    expect(rows.filter((r) => r.statut !== "publie").length).toBeGreaterThan(0);
    expect(rows.every((r) => r.statut === "publie" || r.valeur === null)).toBe(true);
    expect(rows.every((r) => r.valeur === null || r.valeur === 0 || r.valeur >= 5)).toBe(true);
    expect(recomputableWithheldCells(rows)).toEqual([]);
  });

  it("names no structure and copies no free text", () => {
    for (const s of structures) {
      expect(fullCsv).not.toContain(s.finess);
      expect(fullCsv).not.toContain(s.name);
    }
    expect(fullCsv).not.toContain("SECRET-NE-PAS-PUBLIER");
    expect(fullCsv).not.toContain("Panne confidentielle");
    expect(fullCsv).not.toMatch(/CS-20\d\d-/);
  });

  it("validates, line by line, against the JSON Schema it is published with", async () => {
    const response = await get(users.authority, "/api/observatory/open-data/schema");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("application/schema+json; charset=utf-8");
    const schema = response.json() as Record<string, unknown>;
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
    const rows = lines(fullCsv);
    expect(rows.length).toBeGreaterThan(1000);
    const invalid = rows.filter((row) => !validate(row));
    expect(invalid).toEqual([]);
  });

  it("gives a national authority the whole file, and the CERT one region's lines", async () => {
    const authority = await get(users.authority, "/api/observatory/open-data?year=2023");
    expect(authority.statusCode).toBe(200);
    expect(authority.body).toBe(fullCsv);
    const occitanie = await get(users.lead, "/api/observatory/open-data?year=2023&region=76");
    expect(occitanie.headers["content-disposition"]).toContain("observatoire-2023-region-76.csv");
    const rows = lines(occitanie.body);
    expect(new Set(rows.map((r) => r.code_region))).toEqual(new Set(["76"]));
  });

  it("gives an ARS its region's lines, exactly as in the whole file, and nothing else", async () => {
    const full = new Map(lines(fullCsv).map((r) => [openDataCellKey(r), r]));
    const read: Record<string, Line[]> = {};
    for (const [user, region] of [
      [users.arsIdf, "11"],
      [users.arsCorse, "94"],
    ] as const) {
      const response = await get(user, "/api/observatory/open-data?year=2023");
      expect(response.statusCode).toBe(200);
      const rows = lines(response.body);
      read[region] = rows;
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.code_region).toBe(region);
        expect(row).toEqual(full.get(openDataCellKey(row)));
      }
      expect(rows.length).toBe([...full.values()].filter((r) => r.code_region === region).length);
    }
    // Corse's own ARS reads its 3 as secret too: the lines are the published ones.
    expect(cell(read["94"] ?? [], "94", "declarations", "total").statut).toBe("secret");
    const other = await get(users.arsIdf, "/api/observatory/open-data?year=2023&region=76");
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe("FORBIDDEN");
  });

  it("refuses readers without observatory:read and bad years", async () => {
    expect((await get(null, "/api/observatory/open-data?year=2023")).statusCode).toBe(401);
    const declarant = await get(users.declarant, "/api/observatory/open-data?year=2023");
    expect(declarant.statusCode).toBe(403);
    expect((await get(users.declarant, "/api/observatory/open-data/schema")).statusCode).toBe(403);
    const bad = await get(users.lead, "/api/observatory/open-data?year=1999");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].field).toBe("year");
    const unknown = await get(users.lead, "/api/observatory/open-data?year=2023&region=99");
    expect(unknown.statusCode).toBe(400);
  });
});
