import { loadConfig } from "@vigie/config";
import { type IncidentRecord, type IncidentRecordInput, IncidentRecordSchema } from "@vigie/contracts";
import { createStructure, createTestDatabase, createUser, type TestDatabase } from "@vigie/test-kit";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { declarationSettingsFrom } from "../declarations/settings.ts";
import { submitDeclaration } from "../declarations/submit-declaration.ts";
import { withFinessCheckDigit } from "../directory/finess.ts";
import { canonicalJson, canonicalRecord } from "./canonical.ts";
import { exportIncidentsText } from "./export-incidents.ts";
import { importIncidentFile, importIncidentRecords } from "./import-incidents.ts";

const NOW = new Date("2026-11-28T10:00:00Z");
const LYON = withFinessCheckDigit("69000123");
const AJACCIO = withFinessCheckDigit("2A000456");
const LILLE = withFinessCheckDigit("59000789");

/** A valid record of the format, as written in a file. */
function input(reference: string, overrides: Partial<IncidentRecordInput> = {}): IncidentRecordInput {
  return {
    reference,
    // Tuesday 14 March 2023, 10:30 in Paris: business hours.
    declared_at: "2023-03-14T10:30:00+01:00",
    structure: { finess_et: LYON, name: "Hospices Civils d'Essai", type: "es_public", region: "84" },
    ...overrides,
  };
}
const parse = (records: IncidentRecordInput[]): IncidentRecord[] =>
  records.map((r) => IncidentRecordSchema.parse(r));
const jsonl = (records: IncidentRecordInput[]) => `${records.map((r) => JSON.stringify(r)).join("\n")}\n`;

/** A varied sample: every kind of value the format carries. */
const SAMPLE: IncidentRecordInput[] = [
  input("CS-2023-000012", {
    detected_at: "2023-03-14T08:00:00+01:00",
    channel: "phone_oncall",
    structure: {
      finess_et: LYON,
      name: "Hospices Civils d'Essai",
      type: "es_public",
      region: "84",
      department: "69",
      ose: true,
      oiv: false,
      ght_support: true,
      ght: "ARA-01",
    },
    state_at_declaration: "support_needed",
    support_requested: true,
    origin: "malicious",
    malicious_types: ["ransomware", "data_leak"],
    si_effect: "extreme",
    data_impacts: ["personal_info_disclosure", "data_loss_or_unavailability"],
    data_types: ["personal_health", "personal_other"],
    operational_impact: "care_interrupted",
    degraded_mode_hours: 36.25,
    patient_endangerment: "potential",
    affected_systems: ["patient_record", "servers"],
    persons_affected: 12000,
    filings: ["complaint", "cnil"],
    technical_support_provided: true,
    authorities_involved: ["anssi"],
    complement_requested_at: "2023-03-15T09:00:00+01:00",
    complement_answered_at: "2023-03-16T14:45:30.250+01:00",
    event_ref: "EV-2023-0042",
    tlp: "red",
    title: "Rançongiciel : « chiffrement » des serveurs 🔒",
    description: 'Ligne 1\nLigne 2 — guillemets "doubles", tabulation\t, émoji 🏥 et 中文.',
  }),
  // Saturday 1 July 2023 in Ajaccio (Corsica), out of scope: an exercise.
  input("CS-2023-000007", {
    declared_at: "2023-07-01T09:00:00Z",
    structure: { finess_et: AJACCIO, type: "esms", region: "94" },
    out_of_scope: true,
    out_of_scope_reason: "exercise",
    channel: "email",
  }),
  // 14 July 2023 at 11:00 Paris: a public holiday. Non-malicious, nothing else known.
  input("CS-2023-000009", {
    declared_at: "2023-07-14T11:00:00+02:00",
    structure: { finess_et: LILLE, name: "Clinique du Nord", type: "es_private_forprofit", region: "32" },
    origin: "non_malicious",
    non_malicious_types: ["telecom_loss"],
    data_impacts: ["none"],
    operational_impact: "degraded_support",
    event_ref: "EV-2023-0042",
    tlp: "green",
  }),
  // 31 December 2022 23:30 UTC is 1 January 2023 00:30 in Paris: a 2023 declaration.
  input("IMPORT-ANCIEN-1", {
    declared_at: "2022-12-31T23:30:00Z",
    structure: { finess_et: LILLE, name: "Clinique du Nord", type: "es_private_forprofit", region: "32" },
    origin: "undetermined",
    operational_impact: null,
    patient_endangerment: null,
    persons_affected: 0,
    degraded_mode_hours: 0,
  }),
];

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.destroy();
});

async function countRows(table: "incidents" | "structures" | "events" | "incident_structures") {
  const row = await database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
async function importAudits() {
  return database.db
    .selectFrom("audit_log")
    .select(["action", "actor_label", "details"])
    .where("action", "=", "incidents.import")
    .orderBy("id")
    .execute();
}
async function incident(reference: string) {
  return database.db
    .selectFrom("incidents")
    .selectAll()
    .where("reference", "=", reference)
    .executeTakeFirstOrThrow();
}
async function clear() {
  await sql`delete from incidents; delete from events; delete from event_reference_counters;
    delete from reference_counters; delete from structures where source = 'import'`.execute(database.db);
}

describe("importing records", () => {
  beforeEach(clear);

  it("writes each record as a closed, anonymous, qualified incident whose effective values are the record's", async () => {
    const existing = await createStructure(database.db, { finessEt: LYON, regionCode: "84", town: "LYON" });
    const structuresBefore = await countRows("structures");
    const report = await importIncidentRecords(database.db, parse(SAMPLE), { now: NOW, actorLabel: "test" });
    expect(report).toEqual({
      format: "vigie.incident/1",
      records: 4,
      created: 4,
      updated: 0,
      unchanged: 0,
      problems: [],
      truncated: false,
    });

    const row = await incident("CS-2023-000012");
    expect(row).toMatchObject({
      status: "closed",
      standing: "anonymous",
      channel: "phone_oncall",
      declarant_user_id: null,
      structure_id: existing.id,
      out_of_scope: false,
      origin: "malicious",
      proposed_origin: "malicious",
      effective_origin: "malicious",
      effective_malicious_types: ["ransomware", "data_leak"],
      effective_data_impacts: ["personal_info_disclosure", "data_loss_or_unavailability"],
      effective_data_types: ["personal_health", "personal_other"],
      effective_operational_impact: "care_interrupted",
      effective_patient_endangerment: "potential",
      si_effect: "extreme",
      degraded_mode_hours: "36.25",
      persons_affected: 12000,
      technical_support_provided: true,
      authorities_involved: ["anssi"],
      tlp: "red",
      out_of_hours: false,
    });
    expect(new Date(row.imported_at as Date)).toEqual(NOW);
    expect(new Date(row.qualified_at as Date)).toEqual(NOW);
    expect(new Date(row.closed_at as Date)).toEqual(NOW);
    expect(new Date(row.declared_at)).toEqual(new Date("2023-03-14T09:30:00Z"));
    expect(new Date(row.complement_answered_at as Date)).toEqual(new Date("2023-03-16T13:45:30.250Z"));
    expect(row.idempotency_key).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(row.request_hash).toMatch(/^[0-9a-f]{64}$/);
    // The structure as it was declared (the record's), with the directory row's id and town.
    expect(row.structure_snapshot).toEqual({
      id: existing.id,
      finessEt: LYON,
      name: "Hospices Civils d'Essai",
      town: "LYON",
      structureType: "es_public",
      regionCode: "84",
      departmentCode: "69",
      ose: true,
      oiv: false,
      ghtCode: "ARA-01",
      ghtSupport: true,
      structures: [{ id: existing.id, finessEt: LYON, name: "Hospices Civils d'Essai", town: "LYON" }],
    });
    const links = await database.db
      .selectFrom("incident_structures")
      .selectAll()
      .where("incident_id", "=", row.id)
      .execute();
    expect(links).toEqual([{ incident_id: row.id, structure_id: existing.id, position: 0 }]);

    // A null operational impact: the declared column holds "none", the effective one null.
    const unknownImpact = await incident("IMPORT-ANCIEN-1");
    expect(unknownImpact.operational_impact).toBe("none");
    expect(unknownImpact.qualified_operational_impact).toBeNull();
    expect(unknownImpact.effective_operational_impact).toBeNull();
    expect(unknownImpact.detected_at).toBeNull();
    expect(unknownImpact.title).toBe("");

    // Out of hours: a Saturday, a public holiday (14 July), and 00:30 in Paris.
    expect((await incident("CS-2023-000007")).out_of_hours).toBe(true);
    expect((await incident("CS-2023-000009")).out_of_hours).toBe(true);
    expect(unknownImpact.out_of_hours).toBe(true);

    // Two FINESS were unknown to the directory: created from the records, marked as imported.
    expect(await countRows("structures")).toBe(structuresBefore + 2);
    const created = await database.db
      .selectFrom("structures")
      .selectAll()
      .where("finess_et", "in", [AJACCIO, LILLE])
      .orderBy("finess_et")
      .execute();
    expect(created.map((s) => [s.finess_et, s.name, s.structure_type, s.region_code, s.source])).toEqual([
      [AJACCIO, `Structure ${AJACCIO}`, "esms", "94", "import"],
      [LILLE, "Clinique du Nord", "es_private_forprofit", "32", "import"],
    ]);

    // One event for the two records naming it, under its own reference; counters raised.
    const events = await database.db.selectFrom("events").selectAll().execute();
    expect(events.map((e) => [e.reference, e.status])).toEqual([["EV-2023-0042", "closed"]]);
    expect((await incident("CS-2023-000009")).event_id).toBe(events[0]?.id);
    expect(await database.db.selectFrom("reference_counters").selectAll().execute()).toEqual([
      { year: 2023, last_value: 12 },
    ]);
    expect(await database.db.selectFrom("event_reference_counters").selectAll().execute()).toEqual([
      { year: 2023, last_value: 42 },
    ]);
  });

  it("takes the snapshot in the portal's shape, so screens and statistics read both alike", async () => {
    const structure = await createStructure(database.db, { regionCode: "11" });
    await importIncidentRecords(
      database.db,
      parse([
        input("CS-2023-000100", { structure: { finess_et: structure.finessEt, type: "lbm", region: "11" } }),
      ]),
    );
    await submitDeclaration(
      database.db,
      {
        idempotencyKey: "0b8f2a52-3f4e-4c5d-8e9f-0a1b2c3d4e5f",
        finess: [structure.finessEt],
        declarant: {
          fullName: "Claire Martin",
          jobTitle: "RSSI",
          email: "rssi@essai.fr",
          phone: "0102030405",
          otherContact: undefined,
        },
        title: "Messagerie compromise",
        description: "Des courriels frauduleux sont partis de la boîte du directeur.",
        detectedAt: "2023-05-02T08:00:00Z",
        proposedMaliciousTypes: [],
        proposedNonMaliciousTypes: [],
        affectedSystems: [],
        operationalImpact: "none",
        dataImpacts: [],
        dataTypes: [],
        stateAtDeclaration: "resolved",
        supportRequested: false,
        filings: [],
        tlp: "amber",
        patientEndangermentDetails: undefined,
        otherStructuresAffected: undefined,
        measuresTaken: undefined,
        providerName: undefined,
      },
      {
        actor: null,
        mode: "portal",
        now: new Date("2023-05-02T09:00:00Z"),
        settings: declarationSettingsFrom(loadConfig({ NODE_ENV: "test" })),
      },
    );
    const rows = await database.db
      .selectFrom("incidents")
      .select(["reference", "structure_snapshot"])
      .execute();
    const keys = (snapshot: unknown) => Object.keys(snapshot as object).sort();
    const [imported, portal] = [
      rows.find((r) => r.reference === "CS-2023-000100"),
      rows.find((r) => r.reference !== "CS-2023-000100"),
    ];
    expect(keys(imported?.structure_snapshot)).toEqual(keys(portal?.structure_snapshot));
    // The portal never reuses an imported number: the next declaration of 2023 comes after it.
    expect(portal?.reference).toBe("CS-2023-000101");
  });

  it("writes the same search document as the per-row trigger", async () => {
    await importIncidentRecords(database.db, parse(SAMPLE.slice(0, 1)));
    const read = () =>
      database.db
        .selectFrom("incident_search as s")
        .innerJoin("incidents as i", "i.id", "s.incident_id")
        .select(sql<string>`s.document::text`.as("document"))
        .where("i.reference", "=", "CS-2023-000012")
        .executeTakeFirstOrThrow();
    const imported = await read();
    expect(imported.document).toContain("'rancongiciel'");
    expect(imported.document).toContain("'hospices'");
    // Touching the title makes the trigger recompute the document from the row.
    await sql`update incidents set title = title || '' where reference = 'CS-2023-000012'`.execute(
      database.db,
    );
    expect(await read()).toEqual(imported);
  });

  it("skips identical records (the reference is the key), whatever their offsets", async () => {
    await importIncidentRecords(database.db, parse(SAMPLE), { now: NOW });
    const before = await countRows("incidents");
    const audits = (await importAudits()).length;
    // The same instants written in UTC, optional texts absent instead of empty.
    const same = SAMPLE.map((r) => ({
      ...r,
      declared_at: new Date(r.declared_at).toISOString(),
      ...(r.title ? {} : { title: "" }),
    }));
    const report = await importIncidentRecords(database.db, parse(same), { now: new Date() });
    expect(report).toMatchObject({ records: 4, created: 0, updated: 0, unchanged: 4, problems: [] });
    expect(await countRows("incidents")).toBe(before);
    const all = await importAudits();
    expect(all).toHaveLength(audits + 1);
    expect(all.at(-1)?.details).toMatchObject({ records: 4, created: 0, unchanged: 4 });
  });

  it("refuses a different record under a stored reference unless asked to update, then updates it", async () => {
    await importIncidentRecords(database.db, parse(SAMPLE), { now: NOW });
    const changed = {
      ...SAMPLE[2],
      tlp: "amber",
      non_malicious_types: ["human_error"],
    } as IncidentRecordInput;
    const file = jsonl([input("CS-2023-000500"), changed]);

    const refused = await importIncidentFile(database.db, file, { format: "jsonl" });
    expect(refused.created + refused.updated + refused.unchanged).toBe(0);
    expect(refused.problems).toEqual([
      { line: 2, path: "reference", message: expect.stringContaining("CS-2023-000009 existe déjà") },
    ]);
    expect(await countRows("incidents")).toBe(4);
    expect((await incident("CS-2023-000009")).tlp).toBe("green");

    const later = new Date("2026-12-01T08:00:00Z");
    const updated = await importIncidentFile(database.db, file, {
      format: "jsonl",
      update: true,
      now: later,
    });
    expect(updated).toMatchObject({ records: 2, created: 1, updated: 1, unchanged: 0, problems: [] });
    const row = await incident("CS-2023-000009");
    expect(row).toMatchObject({
      tlp: "amber",
      effective_non_malicious_types: ["human_error"],
      status: "closed",
    });
    expect(new Date(row.qualified_at as Date)).toEqual(later);
    expect(await countRows("incidents")).toBe(5);
    // Importing it again is now a no-op.
    expect(await importIncidentFile(database.db, file, { format: "jsonl" })).toMatchObject({ unchanged: 2 });
  });

  it("writes nothing when one line is invalid, and names every problem", async () => {
    const structures = await countRows("structures");
    const audits = (await importAudits()).length;
    const file = [
      JSON.stringify(input("OK-1", { structure: { finess_et: AJACCIO, type: "esms", region: "94" } })),
      "",
      JSON.stringify(input("BAD-1", { origin: "non_malicious", malicious_types: ["fraud"] })),
      JSON.stringify(input("OK-1")),
      JSON.stringify({ ...input("BAD-2"), severity: "high" }),
    ].join("\r\n");
    const report = await importIncidentFile(database.db, file, { format: "jsonl" });
    expect(report.records).toBe(4);
    expect(report.problems.map((p) => [p.line, p.path])).toEqual([
      [3, "malicious_types[0]"],
      [4, "reference"],
      [5, "severity"],
    ]);
    expect(report.problems[1]?.message).toBe("Référence « OK-1 » déjà présente dans le fichier (ligne 1).");
    expect(await countRows("incidents")).toBe(0);
    expect(await countRows("structures")).toBe(structures);
    expect(await importAudits()).toHaveLength(audits);
  });

  it("imports the CSV variant", async () => {
    const csv = [
      "reference,declared_at,structure.finess_et,structure.name,structure.type,structure.region,origin,malicious_types,data_impacts,title",
      `CS-2023-000321,2023-02-01T10:00:00+01:00,${LILLE},"Clinique du Nord, site 2",es_private_forprofit,32,malicious,malicious_message|account_compromise,none,Hameçonnage`,
    ].join("\n");
    const report = await importIncidentFile(database.db, Buffer.from(csv), { format: "csv", now: NOW });
    expect(report).toMatchObject({ created: 1, problems: [] });
    expect(await incident("CS-2023-000321")).toMatchObject({
      effective_malicious_types: ["malicious_message", "account_compromise"],
      effective_data_impacts: ["none"],
      title: "Hameçonnage",
    });
  });
});

describe("export", () => {
  beforeEach(clear);

  it("writes a year's incidents (Paris time) in order, with their effective values, one region or all", async () => {
    await importIncidentRecords(
      database.db,
      parse([...SAMPLE, input("CS-2022-000001", { declared_at: "2022-12-31T22:59:59Z" })]),
    );
    const lines = (await exportIncidentsText(database.db, { year: 2023 })).trimEnd().split("\n");
    // Ordered by declared_at: 1 January 00:30, 14 March, 1 July, 14 July.
    expect(lines.map((l) => JSON.parse(l).reference)).toEqual([
      "IMPORT-ANCIEN-1",
      "CS-2023-000012",
      "CS-2023-000007",
      "CS-2023-000009",
    ]);
    expect(JSON.parse(lines[0] as string).declared_at).toBe("2023-01-01T00:30:00+01:00");
    expect(JSON.parse(lines[1] as string).complement_answered_at).toBe("2023-03-16T14:45:30.250+01:00");
    expect(JSON.parse(lines[3] as string).declared_at).toBe("2023-07-14T11:00:00+02:00");
    const north = await exportIncidentsText(database.db, { year: 2023, region: "32" });
    expect(
      north
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l).reference),
    ).toEqual(["IMPORT-ANCIEN-1", "CS-2023-000009"]);
    expect(await exportIncidentsText(database.db, { year: 2022 })).toContain('"CS-2022-000001"');
    expect(await exportIncidentsText(database.db, { year: 2021 })).toBe("");
    await expect(exportIncidentsText(database.db, { year: 2023, region: "99" })).rejects.toThrow();
  });

  it("import(export(x)) is the identity on the format's fields, through a fresh database", async () => {
    await importIncidentRecords(database.db, parse(SAMPLE), { now: NOW });
    const exported = await exportIncidentsText(database.db, { year: 2023 });
    const canonical = (records: IncidentRecord[]) =>
      records.map((r) => canonicalJson(canonicalRecord(r))).sort();
    const reread = exported
      .trimEnd()
      .split("\n")
      .map((l) => IncidentRecordSchema.parse(JSON.parse(l)));
    expect(canonical(reread)).toEqual(canonical(parse(SAMPLE)));

    const fresh = await createTestDatabase();
    try {
      const report = await importIncidentFile(fresh.db, exported, { format: "jsonl" });
      expect(report).toMatchObject({ created: 4, problems: [] });
      expect(await exportIncidentsText(fresh.db, { year: 2023 })).toBe(exported);
    } finally {
      await fresh.destroy();
    }
  });

  it("exports a portal declaration with the CERT's values once qualified (decision 0010)", async () => {
    const user = await createUser(database.db, "cert_lead");
    await importIncidentRecords(database.db, parse([input("CS-2023-000001", { origin: "undetermined" })]), {
      actorUserId: user.id,
    });
    const row = await incident("CS-2023-000001");
    expect(row.qualified_by_user_id).toBe(user.id);
    // The CERT later requalifies: the export follows the qualification, not what was declared.
    await database.db
      .updateTable("incidents")
      .set({ origin: "non_malicious", non_malicious_types: ["power_outage"] })
      .where("id", "=", row.id)
      .execute();
    const [line] = (await exportIncidentsText(database.db, { year: 2023 })).trimEnd().split("\n");
    expect(JSON.parse(line as string)).toMatchObject({
      origin: "non_malicious",
      non_malicious_types: ["power_outage"],
    });
  });
});
