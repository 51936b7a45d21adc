import { type IncidentRecord, type IncidentRecordInput, IncidentRecordSchema } from "@vigie/contracts";
import { describe, expect, it } from "vitest";
import { withFinessCheckDigit } from "../directory/finess.ts";
import { validateRecordRules } from "./validate-record.ts";

const FINESS = withFinessCheckDigit("75000001");

function record(overrides: Partial<IncidentRecordInput> = {}): IncidentRecord {
  return IncidentRecordSchema.parse({
    reference: "CS-2023-000001",
    declared_at: "2023-03-14T10:30:00+01:00",
    structure: { finess_et: FINESS, type: "es_public", region: "11" },
    ...overrides,
  });
}

const paths = (r: IncidentRecord) => validateRecordRules(r).map((p) => p.path);

describe("rules between the fields of a vigie.incident/1 record", () => {
  it("accepts a minimal record and a complete one", () => {
    expect(validateRecordRules(record())).toEqual([]);
    expect(
      validateRecordRules(
        record({
          origin: "malicious",
          malicious_types: ["ransomware", "data_leak"],
          si_effect: "important",
          data_impacts: ["personal_info_disclosure", "data_integrity"],
          data_types: ["personal_health"],
          complement_requested_at: "2023-03-15T10:00:00+01:00",
          complement_answered_at: "2023-03-15T09:00:00Z",
          title: "Rançongiciel — 😀",
        }),
      ),
    ).toEqual([]);
  });

  it("checks the FINESS check digit, and accepts Corsica's 2A/2B", () => {
    const wrong = `${FINESS.slice(0, 8)}${(Number(FINESS[8]) + 1) % 10}`;
    const problems = validateRecordRules(
      record({ structure: { finess_et: wrong, type: "esms", region: "11" } }),
    );
    expect(problems).toEqual([
      { path: "structure.finess_et", message: expect.stringContaining("clé de contrôle") },
    ]);
    const corsica = withFinessCheckDigit("2A000123");
    expect(paths(record({ structure: { finess_et: corsica, type: "esms", region: "94" } }))).toEqual([]);
    expect(paths(record({ structure: { finess_et: "75000001", type: "esms", region: "11" } }))).toEqual([
      "structure.finess_et",
    ]);
    // Lower case or spaces are not the 9 characters of a FINESS number.
    expect(
      paths(record({ structure: { finess_et: corsica.toLowerCase(), type: "esms", region: "94" } })),
    ).toEqual(["structure.finess_et"]);
  });

  it("accepts the 18 INSEE region codes only", () => {
    for (const region of ["01", "02", "03", "04", "06", "11", "94", "84"]) {
      expect(paths(record({ structure: { finess_et: FINESS, type: "lbm", region } }))).toEqual([]);
    }
    for (const region of ["05", "72", "1", "011", "FR-IDF"]) {
      expect(paths(record({ structure: { finess_et: FINESS, type: "lbm", region } }))).toEqual([
        "structure.region",
      ]);
    }
  });

  it("requires the reason when out of scope, refuses it otherwise, and no origin out of scope", () => {
    expect(paths(record({ out_of_scope: true }))).toEqual(["out_of_scope_reason"]);
    expect(paths(record({ out_of_scope: true, out_of_scope_reason: "exercise" }))).toEqual([]);
    expect(paths(record({ out_of_scope_reason: "exercise" }))).toEqual(["out_of_scope_reason"]);
    expect(
      paths(record({ out_of_scope: true, out_of_scope_reason: "duplicate", origin: "undetermined" })),
    ).toEqual(["origin"]);
  });

  it("takes the types only with their origin, naming each value", () => {
    expect(paths(record({ origin: "non_malicious", malicious_types: ["ransomware", "fraud"] }))).toEqual([
      "malicious_types[0]",
      "malicious_types[1]",
    ]);
    expect(paths(record({ malicious_types: ["ransomware"] }))).toEqual(["malicious_types[0]"]);
    expect(paths(record({ origin: "malicious", non_malicious_types: ["human_error"] }))).toEqual([
      "non_malicious_types[0]",
    ]);
    expect(paths(record({ origin: "non_malicious", non_malicious_types: ["human_error"] }))).toEqual([]);
  });

  it("refuses duplicates in every list, at the repeated position", () => {
    expect(
      paths(
        record({
          origin: "malicious",
          malicious_types: ["ransomware", "fraud", "ransomware"],
          affected_systems: ["messaging", "messaging"],
          filings: ["cnil", "cnil"],
          authorities_involved: ["anssi", "fssi", "anssi"],
        }),
      ),
    ).toEqual(["malicious_types[2]", "affected_systems[1]", "filings[1]", "authorities_involved[2]"]);
  });

  it("takes data impact `none` alone, and data types only when data were hit", () => {
    expect(paths(record({ data_impacts: ["data_integrity", "none"] }))).toEqual(["data_impacts[1]"]);
    expect(paths(record({ data_impacts: ["none"] }))).toEqual([]);
    expect(paths(record({ data_types: ["personal_health"] }))).toEqual(["data_types"]);
    expect(paths(record({ data_impacts: ["none"], data_types: ["personal_other"] }))).toEqual(["data_types"]);
    expect(paths(record({ data_impacts: ["other"], data_types: ["personal_other"] }))).toEqual([]);
  });

  it("never answers a complement before it was requested, nor without a request", () => {
    expect(
      paths(
        record({
          complement_requested_at: "2023-03-15T10:00:00+01:00",
          // 08:59 UTC is 09:59 in Paris: one minute before the request.
          complement_answered_at: "2023-03-15T08:59:00Z",
        }),
      ),
    ).toEqual(["complement_answered_at"]);
    expect(
      paths(
        record({
          complement_requested_at: "2023-03-15T10:00:00+01:00",
          complement_answered_at: "2023-03-15T09:00:00Z",
        }),
      ),
    ).toEqual([]);
    expect(paths(record({ complement_answered_at: "2023-03-15T09:00:00Z" }))).toEqual([
      "complement_answered_at",
    ]);
    expect(paths(record({ complement_requested_at: "2023-03-15T10:00:00+01:00" }))).toEqual([]);
  });

  it("refuses texts PostgreSQL cannot store and integers beyond 32 bits", () => {
    expect(paths(record({ description: "a\u0000b", title: "x\ud800y" }))).toEqual(["title", "description"]);
    expect(paths(record({ persons_affected: 2_147_483_648 }))).toEqual(["persons_affected"]);
    expect(paths(record({ persons_affected: 2_147_483_647, description: "🏥 ok" }))).toEqual([]);
  });
});
