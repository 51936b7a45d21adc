import { loadConfig } from "@vigie/config";
import {
  DeclarationInput,
  type IncidentRecord,
  type IncidentRecordInput,
  IncidentRecordSchema,
  type ObservatoryDocument,
  ObservatoryDocumentSchema,
} from "@vigie/contracts";
import { createStructure, createTestDatabase, type TestDatabase } from "@vigie/test-kit";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { declarationSettingsFrom } from "../declarations/settings.ts";
import { submitDeclaration } from "../declarations/submit-declaration.ts";
import { DEMO_PUBLICATIONS } from "../demo/demo-publications.ts";
import { withFinessCheckDigit } from "../directory/finess.ts";
import { importIncidentRecords } from "../exchange/import-incidents.ts";
import { publishAsSystem } from "../publications/manage-publications.ts";
import { loadActivityReference } from "./activity-references.ts";
import { activityIndex, computeObservatory } from "./compute.ts";

/**
 * A hand-built year, designed so every definition of `shared/spec/observatory.md` is hit, with
 * each expected figure worked out below from the records (Paris local times in the comments;
 * 2023: summer time from Sunday 26 March 01:00 UTC to Sunday 29 October 01:00 UTC).
 */

type StructureInput = IncidentRecordInput["structure"];
const structure = (
  base: string,
  type: StructureInput["type"],
  region: string,
  ose = false,
): StructureInput => ({
  finess_et: withFinessCheckDigit(base),
  name: `Structure ${base}`,
  type,
  region,
  ose,
});
const A = structure("31000001", "es_public", "76", true); // Occitanie, OSE
const B = structure("31000002", "esms", "76");
const C = structure("75000003", "es_private_forprofit", "11");
const D = structure("69000004", "lbm", "84", true); // OSE, only out-of-scope declarations
const E = structure("44000005", "es_private_nonprofit", "52");
const F = structure("13000006", "grades", "93");
const G = structure("97100007", "es_public", "01"); // Guadeloupe: not metropolitan

const record = (
  reference: string,
  declaredAt: string,
  s: StructureInput,
  rest: Partial<IncidentRecordInput> = {},
) => IncidentRecordSchema.parse({ reference, declared_at: declaredAt, structure: s, ...rest });

const records: IncidentRecord[] = [
  // #1 Sunday 1 January 00:30 (31 Dec 23:30 UTC: already 2023 in Paris), public holiday.
  record("CS-2023-000001", "2022-12-31T23:30:00Z", A, {
    channel: "phone_oncall",
    state_at_declaration: "support_needed",
    support_requested: true,
    origin: "malicious",
    malicious_types: ["ransomware", "data_leak"],
    si_effect: "extreme",
    data_impacts: ["data_loss_or_unavailability", "personal_info_disclosure"],
    data_types: ["personal_health", "personal_other"],
    operational_impact: "care_interrupted",
    degraded_mode_hours: 48,
    patient_endangerment: "potential",
    technical_support_provided: true,
    authorities_involved: ["anssi"],
    complement_requested_at: "2023-01-02T10:00:00Z",
    complement_answered_at: "2023-01-03T10:00:00Z",
  }),
  // #2 Monday 27 March 09:30 summer time (07:30 UTC): HO/JO.
  record("CS-2023-000002", "2023-03-27T07:30:00Z", A, {
    state_at_declaration: "resolved",
    origin: "malicious",
    malicious_types: ["malicious_message"],
    si_effect: "low",
    data_impacts: ["none"],
    operational_impact: "none",
    complement_requested_at: "2023-03-28T09:00:00Z", // never answered
  }),
  // #3 Easter Monday 10 April 10:00: a public holiday, not HO/JO.
  record("CS-2023-000003", "2023-04-10T08:00:00Z", A, {
    state_at_declaration: "in_progress",
    origin: "non_malicious",
    non_malicious_types: ["infrastructure_failure"],
    data_impacts: ["data_loss_or_unavailability"],
    data_types: ["technical_sensitive"],
    operational_impact: "degraded_care", // care affected, duration unknown
    technical_support_provided: true,
    authorities_involved: ["anssi"],
  }),
  // #4 Wednesday 12 July 14:00: origin and operational impact unknown (null).
  record("CS-2023-000004", "2023-07-12T12:00:00Z", A, { channel: "email" }),
  // #5 Sunday 26 March 03:30 summer time, the night of the change.
  record("CS-2023-000005", "2023-03-26T01:30:00Z", B, {
    support_requested: true,
    origin: "malicious",
    malicious_types: ["account_compromise"],
    si_effect: "important",
    data_impacts: ["structure_data_disclosure"],
    data_types: ["confidential_strategic"],
    operational_impact: "degraded_support",
    degraded_mode_hours: 5, // not care affected: not in the mean
    authorities_involved: ["fssi"],
  }),
  // #6 Friday 27 October 18:30, still summer time (16:30 UTC): closed.
  record("CS-2023-000006", "2023-10-27T16:30:00Z", B, {
    state_at_declaration: "resolved",
    origin: "undetermined",
    data_impacts: ["data_integrity"],
    operational_impact: "degraded_care",
    degraded_mode_hours: 12,
    patient_endangerment: "actual",
    complement_requested_at: "2023-10-28T08:00:00Z", // never answered
  }),
  // #7 Monday 30 October 09:30, winter time again (08:30 UTC): HO/JO.
  record("CS-2023-000007", "2023-10-30T08:30:00Z", C, {
    channel: "other",
    state_at_declaration: "in_progress",
    origin: "non_malicious",
    non_malicious_types: ["telecom_loss", "human_error"],
    data_impacts: ["data_loss_or_unavailability", "data_integrity"],
    data_types: ["personal_health"],
    operational_impact: "care_interrupted",
    degraded_mode_hours: 6,
    technical_support_provided: true,
  }),
  // #8 Wednesday 14 June 10:00: an exercise, out of scope — none of its impacts count.
  record("CS-2023-000008", "2023-06-14T08:00:00Z", C, {
    out_of_scope: true,
    out_of_scope_reason: "exercise",
    support_requested: true,
    data_impacts: ["other"],
    operational_impact: "care_interrupted",
    degraded_mode_hours: 1000,
    patient_endangerment: "actual",
    technical_support_provided: true,
    authorities_involved: ["anssi"],
    complement_requested_at: "2023-06-15T08:00:00Z", // never answered
  }),
  // #9 Friday 14 July 10:00 (national day): out of scope, duplicate.
  record("CS-2023-000009", "2023-07-14T08:00:00Z", D, {
    channel: "email",
    state_at_declaration: "resolved",
    out_of_scope: true,
    out_of_scope_reason: "duplicate",
  }),
  // #10 Wednesday 15 November 14:00: malicious without a type yet.
  record("CS-2023-000010", "2023-11-15T13:00:00Z", E, {
    state_at_declaration: "support_needed",
    support_requested: true,
    origin: "malicious",
    si_effect: "moderate",
    data_impacts: ["personal_info_disclosure"],
    data_types: ["personal_health", "personal_other", "technical_sensitive"],
    operational_impact: "none",
    technical_support_provided: true,
    complement_requested_at: "2023-11-16T08:00:00Z",
    complement_answered_at: "2023-11-16T09:00:00Z",
  }),
  // #11 Sunday 31 December 23:30 (22:30 UTC): still 2023 in Paris.
  record("CS-2023-000011", "2023-12-31T22:30:00Z", F, {
    channel: "phone_oncall",
    state_at_declaration: "support_needed",
    support_requested: true,
    origin: "malicious",
    malicious_types: ["ransomware"],
    si_effect: "important",
    data_impacts: ["data_loss_or_unavailability"],
    data_types: ["personal_health"],
    operational_impact: "degraded_care",
    degraded_mode_hours: 30,
    technical_support_provided: true,
    authorities_involved: ["anssi", "fssi"],
  }),
  // #12 Tuesday 7 February 10:00: an exercise.
  record("CS-2023-000012", "2023-02-07T09:00:00Z", D, {
    out_of_scope: true,
    out_of_scope_reason: "exercise",
  }),
  // #13 Ascension, Thursday 18 May 09:00: not HO/JO.
  record("CS-2023-000013", "2023-05-18T07:00:00Z", G, {
    state_at_declaration: "in_progress",
    origin: "non_malicious",
    non_malicious_types: ["power_outage"],
    operational_impact: "degraded_care",
    degraded_mode_hours: 3,
    patient_endangerment: "potential",
  }),
  // #14 Wednesday 1 February 11:00.
  record("CS-2023-000014", "2023-02-01T10:00:00Z", B, {
    state_at_declaration: "resolved",
    origin: "non_malicious",
    non_malicious_types: ["application_bug"],
    operational_impact: "none",
    technical_support_provided: true,
  }),
  // #15 Tuesday 5 September 14:00: out of scope, not a health IS.
  record("CS-2023-000015", "2023-09-05T12:00:00Z", B, {
    out_of_scope: true,
    out_of_scope_reason: "not_health_is",
  }),
  // Not 2023 in Paris: 1 January 2024 00:30, and 31 December 2022 23:59:59.
  record("CS-2024-000001", "2023-12-31T23:30:00Z", F, {
    origin: "malicious",
    malicious_types: ["ransomware"],
    si_effect: "extreme",
    operational_impact: "care_interrupted",
  }),
  record("CS-2022-000099", "2022-12-31T22:59:59Z", A, { support_requested: true }),
];

let database: TestDatabase;
let national: ObservatoryDocument;

beforeAll(async () => {
  database = await createTestDatabase();
  const report = await importIncidentRecords(database.db, records, { actorLabel: "test" });
  expect(report.problems).toEqual([]);
  expect(report.created).toBe(records.length);
  national = await computeObservatory(database.db, { year: 2023, region: null });
});
afterAll(async () => {
  await database?.destroy();
});

const zeros = (n: number) => Array<number>(n).fill(0);

describe("computeObservatory on a hand-built year", () => {
  it("returns a valid vigie.observatory/1 document for the request", () => {
    expect(ObservatoryDocumentSchema.parse(national)).toEqual(national);
    expect(national).toMatchObject({ format: "vigie.observatory/1", year: 2023, region: null });
  });

  it("counts the year's declarations in Paris time, out of scope and exercises", () => {
    // 15 declared in 2023 (#1 … #15), not CS-2024-000001 nor CS-2022-000099.
    // Out of scope: #8, #9, #12, #15; exercises: #8, #12.
    expect(national.incidents).toEqual({
      declared: 15,
      out_of_scope: 4,
      exercises: 2,
      in_scope: 11,
      // Jan #1 · Feb #12 #14 · Mar #2 #5 · Apr #3 · May #13 · Jun #8 · Jul #4 #9 · Sep #15 · Oct #6 #7 · Nov #10 · Dec #11
      by_month: [1, 2, 2, 1, 1, 1, 2, 0, 1, 2, 1, 1],
      monthly_mean: 15 / 12,
      by_quarter: [5, 3, 3, 4],
      by_channel: { portal: 10, phone_oncall: 2, email: 2, other: 1 },
    });
  });

  it("identifies structures by FINESS: several declarations, ES with four or more, OSE", () => {
    // A (4, ES, OSE), B (4, ESMS), C (2, ES), D (2, OSE), E (1, ES), F (1), G (1, ES).
    expect(national.declarants).toEqual({
      distinct: 7,
      es: 4,
      esms: 1,
      several: 4,
      es_four_or_more: 1,
      ose: 2,
    });
  });

  it("counts HO/JO on Paris local time, public holidays and weekends excluded", () => {
    // HO/JO: #2 (Mon 09:30 summer time), #4, #7 (Mon 09:30 winter time), #8, #10, #12, #14, #15.
    // Not: #1 (Sunday, 1 January), #3 (Easter Monday 10:00), #5 (Sunday), #6 (Friday 18:30),
    // #9 (14 July 10:00), #11 (Sunday), #13 (Ascension 09:00).
    expect(national.timing.business_hours).toBe(8);
    expect(national.timing.business_hours_share).toBe(8 / 15);
    const heatmap = Array.from({ length: 7 }, () => zeros(24));
    const cells: Array<[number, number]> = [
      [6, 0], // #1
      [0, 9], // #2
      [0, 10], // #3
      [2, 14], // #4
      [6, 3], // #5
      [4, 18], // #6
      [0, 9], // #7
      [2, 10], // #8
      [4, 10], // #9
      [2, 14], // #10
      [6, 23], // #11
      [1, 10], // #12
      [3, 9], // #13
      [2, 11], // #14
      [1, 14], // #15
    ];
    for (const [day, hour] of cells) {
      const row = heatmap[day] as number[];
      row[hour] = (row[hour] ?? 0) + 1;
    }
    expect(national.timing.heatmap).toEqual(heatmap);
  });

  it("counts the state at declaration, support asked and technical support", () => {
    expect(national.state_at_declaration).toEqual({
      resolved: 4,
      in_progress: 3,
      support_needed: 3,
      unknown: 5,
    });
    expect(national.support).toEqual({
      // #1 (A), #5 (B), #8 (C, out of scope but declared), #10 (E), #11 (F).
      requested: 5,
      requested_share: 5 / 15,
      requested_by_structure_type: {
        es_public: 1,
        es_private_nonprofit: 1,
        es_private_forprofit: 1,
        army_hospital: 0,
        esms: 1,
        lbm: 0,
        radiotherapy: 0,
        grades: 1,
        other: 0,
      },
      // A (#1 #3), B (#14), C (#7 #8), E (#10), F (#11).
      technical_structures: 5,
      // In scope with technical support: malicious #1 (ransomware, data leak), #10 (no type),
      // #11 (ransomware); non-malicious #3, #7 (telecom, human error), #14.
      technical_by_origin: {
        malicious: {
          account_compromise: 0,
          malicious_message: 0,
          ransomware: 2,
          is_compromise: 0,
          data_leak: 1,
          malware: 0,
          vulnerability_exploitation: 0,
          denial_of_service: 0,
          defacement: 0,
          equipment_theft: 0,
          fraud: 0,
          other: 0,
        },
        non_malicious: {
          infrastructure_failure: 1,
          telecom_loss: 1,
          application_bug: 1,
          power_outage: 0,
          human_error: 1,
          other: 0,
        },
      },
    });
  });

  it("lists all 18 regions and every structure type, zeros included", () => {
    expect(national.regions.counts).toEqual({
      "01": 1,
      "02": 0,
      "03": 0,
      "04": 0,
      "06": 0,
      "11": 2,
      "24": 0,
      "27": 0,
      "28": 0,
      "32": 0,
      "44": 0,
      "52": 1,
      "53": 0,
      "75": 0,
      "76": 8,
      "84": 2,
      "93": 1,
      "94": 0,
    });
    expect(national.regions.activity_index).toBeNull(); // no reference loaded yet
    expect(national.structure_types).toEqual({
      counts: {
        es_public: 5,
        es_private_nonprofit: 1,
        es_private_forprofit: 2,
        army_hospital: 0,
        esms: 4,
        lbm: 2,
        radiotherapy: 0,
        grades: 1,
        other: 0,
      },
      es_share: 8 / 15,
    });
  });

  it("counts data impacts and types on the in-scope incidents only", () => {
    // #8 (out of scope) carries "other": not counted.
    expect(national.data_impacts.counts).toEqual({
      data_loss_or_unavailability: 4, // #1 #3 #7 #11
      none: 1, // #2
      personal_info_disclosure: 2, // #1 #10
      structure_data_disclosure: 1, // #5
      data_integrity: 2, // #6 #7
      other: 0,
    });
    expect(national.data_types).toEqual({
      counts: { personal_health: 4, personal_other: 2, technical_sensitive: 2, confidential_strategic: 1 },
      impacted_incidents: 6, // #1 #3 #5 #7 #10 #11
      multi_category_share: 2 / 6, // #1 #10
    });
  });

  it("counts operational impacts without the null ones, and the mean degraded time of care affected", () => {
    expect(national.operational_impact).toEqual({
      // #4 has no operational impact: counted nowhere.
      counts: { none: 3, degraded_support: 1, degraded_care: 4, care_interrupted: 2 },
      patient_care_affected: 6,
      // Care affected with a duration: #1 48 h, #6 12 h, #7 6 h, #11 30 h, #13 3 h (#3 has none;
      // #5 is support only; #8 is out of scope).
      degraded_mode_mean_hours: (48 + 12 + 6 + 30 + 3) / 5,
    });
    expect(national.patient_endangerment).toEqual({ potential: 2, actual: 1 });
  });

  it("counts origins (null as undetermined), malicious and non-malicious types and quarters", () => {
    expect(national.origin).toEqual({
      counts: { malicious: 5, non_malicious: 4, undetermined: 2 },
      malicious_share: 5 / 11,
    });
    expect(national.malicious).toEqual({
      types: {
        account_compromise: 1,
        malicious_message: 1,
        ransomware: 2,
        is_compromise: 0,
        data_leak: 1,
        malware: 0,
        vulnerability_exploitation: 0,
        denial_of_service: 0,
        defacement: 0,
        equipment_theft: 0,
        fraud: 0,
        other: 0,
      },
      multi_qualified: 1, // #1
      by_quarter: [3, 0, 0, 2], // #1 #2 #5 | #10 #11
      major: 3, // #1 extreme, #5 and #11 important
    });
    expect(national.non_malicious).toEqual({
      types: {
        infrastructure_failure: 1,
        telecom_loss: 1,
        application_bug: 1,
        power_outage: 1,
        human_error: 1,
        other: 0,
      },
      by_quarter: [1, 2, 0, 1], // #14 | #3 #13 | | #7
    });
  });

  it("counts complements and authorities per structure", () => {
    // Requested: #1 #2 #6 #8 #10; never answered: #2 (A), #6 (B), #8 (C).
    expect(national.complements).toEqual({ requested: 5, unanswered_structures: 3 });
    // ANSSI: A (#1 and #3: once), C (#8), F (#11); FSSI: B (#5), F (#11).
    expect(national.authorities).toEqual({ anssi_structures: 3, fssi_structures: 2 });
  });

  it("restricts every figure to one region's structures", async () => {
    const occitanie = await computeObservatory(database.db, { year: 2023, region: "76" });
    expect(ObservatoryDocumentSchema.parse(occitanie)).toEqual(occitanie);
    expect(occitanie.region).toBe("76");
    // A: #1 #2 #3 #4, B: #5 #6 #14 #15 (out of scope).
    expect(occitanie.incidents).toMatchObject({ declared: 8, out_of_scope: 1, exercises: 0, in_scope: 7 });
    expect(occitanie.incidents.by_month).toEqual([1, 1, 2, 1, 0, 0, 1, 0, 1, 1, 0, 0]);
    expect(occitanie.declarants).toEqual({
      distinct: 2,
      es: 1,
      esms: 1,
      several: 2,
      es_four_or_more: 1,
      ose: 1,
    });
    expect(occitanie.regions.counts["76"]).toBe(8);
    expect(Object.values(occitanie.regions.counts).reduce((a, b) => a + b, 0)).toBe(8);
    expect(occitanie.origin.counts).toEqual({ malicious: 3, non_malicious: 2, undetermined: 2 });
    expect(occitanie.timing.business_hours).toBe(4); // #2 #4 #14 #15
    expect(occitanie.complements).toEqual({ requested: 3, unanswered_structures: 2 });
    expect(occitanie.authorities).toEqual({ anssi_structures: 1, fssi_structures: 1 });

    const guyane = await computeObservatory(database.db, { year: 2023, region: "03" });
    expect(guyane.incidents.declared).toBe(0);
    expect(guyane.timing.business_hours_share).toBe(0);
    expect(guyane.support.requested_share).toBe(0);
    expect(guyane.origin.malicious_share).toBe(0);
    expect(guyane.data_types.multi_category_share).toBeNull();
    expect(guyane.operational_impact.degraded_mode_mean_hours).toBeNull();
  });

  it("runs within a caller's transaction and leaves its settings as they were", async () => {
    await database.db.transaction().execute(async (trx) => {
      const settings = () =>
        sql<{ w: string; p: string }>`select current_setting('work_mem') as w,
          current_setting('max_parallel_workers_per_gather') as p`.execute(trx);
      const before = (await settings()).rows[0];
      const inside = await computeObservatory(trx, { year: 2023, region: null });
      expect(inside).toEqual(national);
      expect((await settings()).rows[0]).toEqual(before);
    });
  });

  it("refuses an unknown region code, naming the field", async () => {
    await expect(computeObservatory(database.db, { year: 2023, region: "99" })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fields: [{ field: "region" }],
    });
  });

  it("takes the next and previous years' boundary declarations into their own Paris year", async () => {
    const y2024 = await computeObservatory(database.db, { year: 2024, region: null });
    expect(y2024.incidents.declared).toBe(1);
    expect(y2024.incidents.by_month[0]).toBe(1);
    expect(y2024.timing.heatmap[0]?.[0]).toBe(1); // Monday 1 January 2024 00:30
    const y2022 = await computeObservatory(database.db, { year: 2022, region: null });
    expect(y2022.incidents.by_month[11]).toBe(1);
    expect(y2022.timing.heatmap[5]?.[23]).toBe(1); // Saturday 31 December 2022 23:59
  });
});

describe("regional activity index", () => {
  it("follows the reference of the latest year ≤ the observatory's year, else the oldest", async () => {
    // 2022 reference: five regions only. Raw index = declarations ÷ share:
    // 11: 2/0.2 = 10, 52: 1/0.05 = 20, 76: 8/0.1 = 80, 84: 2/0.125 = 16, 93: 1/0.08 = 12.5.
    await loadActivityReference(database.db, "command-line", {
      referenceYear: 2022,
      source: "PMSI 2022 (essai)",
      shares: { "11": 0.2, "52": 0.05, "76": 0.1, "84": 0.125, "93": 0.08 },
    });
    const doc = await computeObservatory(database.db, { year: 2023, region: null });
    expect(doc.regions.activity_index).toEqual({ "11": 12.5, "52": 25, "76": 100, "84": 20, "93": 15.625 });

    // A 2025 reference with every metropolitan region at the same share: 2023 still reads 2022.
    const even = Object.fromEntries(
      ["11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"].map((c) => [c, 0.07]),
    );
    await loadActivityReference(database.db, "command-line", {
      referenceYear: 2025,
      source: "PMSI 2025",
      shares: even,
    });
    expect(
      (await computeObservatory(database.db, { year: 2023, region: null })).regions.activity_index,
    ).toEqual(doc.regions.activity_index);
    // 2026 reads 2025 (no declaration: all 0, 13 regions); 2021 has none ≤ it: the oldest, 2022.
    const y2026 = await computeObservatory(database.db, { year: 2026, region: null });
    expect(Object.keys(y2026.regions.activity_index ?? {}).sort()).toEqual(Object.keys(even).sort());
    expect(Object.values(y2026.regions.activity_index ?? {})).toEqual(zeros(13));
    const y2021 = await computeObservatory(database.db, { year: 2021, region: null });
    expect(Object.keys(y2021.regions.activity_index ?? {}).sort()).toEqual(["11", "52", "76", "84", "93"]);

    // With a region, the index is computed on that region's declarations only.
    const occitanie = await computeObservatory(database.db, { year: 2023, region: "76" });
    expect(occitanie.regions.activity_index).toEqual({ "11": 0, "52": 0, "76": 100, "84": 0, "93": 0 });

    // Reloading a year replaces its reference.
    await loadActivityReference(database.db, "command-line", {
      referenceYear: 2022,
      source: "PMSI 2022 (corrigé)",
      shares: { "11": 0.1, "76": 0.4 },
    });
    // 11: 2/0.1 = 20, 76: 8/0.4 = 20: both the highest.
    expect(
      (await computeObservatory(database.db, { year: 2023, region: null })).regions.activity_index,
    ).toEqual({
      "11": 100,
      "76": 100,
    });
  });

  it("is a pure scaling: highest 100, all 0 without declarations, regions without a share left out", () => {
    expect(activityIndex({ "11": 4, "76": 1 }, null)).toBeNull();
    expect(activityIndex({ "11": 4, "76": 1, "01": 50 }, { "11": 0.5, "76": 0.5 })).toEqual({
      "11": 100,
      "76": 25,
    });
    expect(activityIndex({}, { "11": 0.5 })).toEqual({ "11": 0 });
  });

  it("refuses overseas regions and shares summing above 100 %, naming the field", async () => {
    await expect(
      loadActivityReference(database.db, "command-line", {
        referenceYear: 2024,
        source: "x",
        shares: { "01": 0.01 },
      }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED", fields: [{ field: "shares.01" }] });
    await expect(
      loadActivityReference(database.db, "command-line", {
        referenceYear: 2024,
        source: "x",
        shares: { "11": 0.6, "76": 0.6 },
      }),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED", fields: [{ field: "shares" }] });
  });
});

describe("a portal declaration", () => {
  it("counts exactly like the same incident imported", async () => {
    const portalStructure = await createStructure(database.db, {
      structureType: "es_public",
      regionCode: "11",
    });
    // Imported: Tuesday 10 March 2020 10:00 Paris. Portal: Tuesday 9 March 2021 10:00 Paris.
    const imported = IncidentRecordSchema.parse({
      reference: "CS-2020-000001",
      declared_at: "2020-03-10T09:00:00Z",
      structure: { finess_et: portalStructure.finessEt, type: "es_public", region: "11" },
      state_at_declaration: "support_needed",
      support_requested: true,
      origin: "malicious",
      malicious_types: ["ransomware", "malware"],
      data_impacts: ["personal_info_disclosure"],
      data_types: ["personal_health"],
      operational_impact: "degraded_care",
      degraded_mode_hours: 4,
      patient_endangerment: "potential",
    });
    expect((await importIncidentRecords(database.db, [imported], { actorLabel: "test" })).problems).toEqual(
      [],
    );
    await submitDeclaration(
      database.db,
      DeclarationInput.parse({
        idempotencyKey: "6f1d3c1e-2a4b-4c5d-8e9f-0a1b2c3d4e5f",
        finess: [portalStructure.finessEt],
        declarant: {
          fullName: "Claire Martin",
          jobTitle: "RSSI",
          email: "rssi@ch-essai.fr",
          phone: "0102030405",
        },
        title: "Chiffrement des serveurs",
        description: "Message de rançon sur les serveurs de fichiers, partages inaccessibles.",
        detectedAt: "2021-03-09T08:00:00Z",
        proposedOrigin: "malicious",
        proposedMaliciousTypes: ["ransomware", "malware"],
        proposedNonMaliciousTypes: [],
        affectedSystems: [],
        operationalImpact: "degraded_care",
        degradedModeHours: 4,
        patientEndangerment: "potential",
        dataImpacts: ["personal_info_disclosure"],
        dataTypes: ["personal_health"],
        stateAtDeclaration: "support_needed",
        supportRequested: true,
        filings: [],
        tlp: "amber",
      }),
      {
        actor: null,
        mode: "portal",
        now: new Date("2021-03-09T09:00:00Z"),
        settings: declarationSettingsFrom(loadConfig({ NODE_ENV: "test" })),
      },
    );
    const fromImport = await computeObservatory(database.db, { year: 2020, region: null });
    const fromPortal = await computeObservatory(database.db, { year: 2021, region: null });
    expect(fromPortal.incidents.declared).toBe(1);
    expect(fromPortal.malicious.types.ransomware).toBe(1);
    expect(fromPortal.declarants.distinct).toBe(1);
    expect({ ...fromPortal, year: 2020 }).toEqual(fromImport);
  });
});

// Last: it adds publications and notifications to the shared database (revisions cannot be deleted).
describe("computeObservatory, the CERT's own activity", () => {
  it("counts the CERT's alerts published and the structures its watch alerted, in the Paris year", async () => {
    const [base] = DEMO_PUBLICATIONS;
    if (!base) throw new Error("no demo publication");
    const { publishedAt: _, ...content } = base;
    const publish = (
      kind: "alert" | "bulletin",
      title: string,
      at: string,
      tlp: "clear" | "amber" = "clear",
    ) => publishAsSystem(database.db, { ...content, kind, title, tlp }, { now: new Date(at) });
    await publish("alert", "Alerte du 1er janvier 2023, 00 h 30 à Paris", "2022-12-31T23:30:00Z");
    await publish("alert", "Alerte réservée de juin", "2023-06-01T08:00:00Z", "amber");
    await publish("bulletin", "Bulletin de juillet", "2023-07-01T08:00:00Z");
    await publish("alert", "Alerte du 1er janvier 2024, 00 h 30 à Paris", "2023-12-31T23:30:00Z");

    const idOf = async (s: StructureInput) =>
      (
        await database.db
          .selectFrom("structures")
          .select("id")
          .where("finess_et", "=", s.finess_et)
          .executeTakeFirstOrThrow()
      ).id;
    const notify = async (s: StructureInput, sentAt: string, n: number) =>
      database.db
        .insertInto("watch_notifications")
        .values({
          structure_id: await idOf(s),
          paris_day: sentAt.slice(0, 10),
          sent_at: sentAt,
          recipients: ["rssi@example.test"],
          ticket_ids: [],
          ack_token_hash: `hash-${n}`,
          ack_expires_at: "2030-01-01T00:00:00Z",
        })
        .execute();
    await notify(A, "2022-12-31T23:30:00Z", 1); // 1 January 2023 in Paris
    await notify(A, "2023-03-01T08:00:00Z", 2); // the same structure again
    await notify(C, "2023-05-01T08:00:00Z", 3);
    await notify(F, "2023-12-31T23:30:00Z", 4); // 2024 in Paris

    const year = await computeObservatory(database.db, { year: 2023, region: null });
    expect(year.publications).toEqual({ alerts: 2 });
    expect(year.watch).toEqual({ structures_alerted: 2 });
    const occitanie = await computeObservatory(database.db, { year: 2023, region: "76" });
    // Alerts are national; the structures alerted are the region's (A).
    expect(occitanie.publications).toEqual({ alerts: 2 });
    expect(occitanie.watch).toEqual({ structures_alerted: 1 });
    const next = await computeObservatory(database.db, { year: 2024, region: null });
    expect(next.publications).toEqual({ alerts: 1 });
    expect(next.watch).toEqual({ structures_alerted: 1 });
  });
});
