import { readFileSync } from "node:fs";
import { type IncidentRecord, IncidentRecordSchema, metropolitanRegionCodes } from "@vigie/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { isValidFiness } from "../directory/finess.ts";
import { validateRecordRules } from "../exchange/validate-record.ts";
import { isBusinessHours } from "../time/business-hours.ts";
import { parisLocalTime } from "../time/paris-time.ts";
import { DEMO_ACTIVITY_REFERENCE } from "./demo-activity-reference.ts";
import { generateObservatoryDemo } from "./observatory-demo.ts";
import { PUBLISHED, PUBLISHED_DATA_IMPACTS, roundsToPercent } from "./published-figures.fixture.ts";

const ES_TYPES = new Set(["es_public", "es_private_nonprofit", "es_private_forprofit", "army_hospital"]);

let records: IncidentRecord[];
const byYear = new Map<number, IncidentRecord[]>();

beforeAll(() => {
  records = generateObservatoryDemo();
  for (const record of records) {
    const year = parisLocalTime(new Date(record.declared_at)).year;
    byYear.set(year, [...(byYear.get(year) ?? []), record]);
  }
});

function of(year: number): IncidentRecord[] {
  return byYear.get(year) ?? [];
}
function inScope(year: number): IncidentRecord[] {
  return of(year).filter((r) => !r.out_of_scope);
}
function distinctStructures(list: readonly IncidentRecord[]): number {
  return new Set(list.map((r) => r.structure.finess_et)).size;
}
function declarationsPerStructure(list: readonly IncidentRecord[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of list) counts.set(r.structure.finess_et, (counts.get(r.structure.finess_et) ?? 0) + 1);
  return counts;
}
function countBy<T extends string>(
  list: readonly IncidentRecord[],
  values: (r: IncidentRecord) => readonly T[],
) {
  const counts: Partial<Record<T, number>> = {};
  for (const r of list) for (const v of values(r)) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

describe("demo observatory records", () => {
  it("are deterministic: the same records on every run", () => {
    const again = generateObservatoryDemo();
    expect(again.length).toBe(records.length);
    expect(JSON.stringify(again)).toBe(JSON.stringify(records));
  });

  it("cover 2021–2023 only, each year in its Paris local year", () => {
    expect([...byYear.keys()].sort()).toEqual([2021, 2022, 2023]);
    expect(records).toHaveLength(733 + 592 + 581);
    for (const [year, list] of byYear) {
      for (const r of list) expect(r.reference.startsWith(`CS-${year}-`)).toBe(true);
    }
  });

  it("all pass the exchange schema and the rules between fields", () => {
    for (const record of records) {
      const parsed = IncidentRecordSchema.safeParse(record);
      expect(parsed.success, `${record.reference}: ${parsed.error?.message}`).toBe(true);
      expect(validateRecordRules(record), record.reference).toEqual([]);
      // Types only with their origin, `none` alone, data types only with data impacts.
      if (record.origin !== "malicious") expect(record.malicious_types).toEqual([]);
      if (record.origin !== "non_malicious") expect(record.non_malicious_types).toEqual([]);
      if (record.data_impacts.includes("none")) {
        expect(record.data_impacts).toEqual(["none"]);
        expect(record.data_types).toEqual([]);
      }
      if (record.data_impacts.length === 0) expect(record.data_types).toEqual([]);
      if (record.complement_answered_at) {
        expect(record.complement_requested_at).toBeTruthy();
        expect(Date.parse(record.complement_answered_at)).toBeGreaterThanOrEqual(
          Date.parse(record.complement_requested_at ?? ""),
        );
      }
      if (record.detected_at)
        expect(Date.parse(record.detected_at)).toBeLessThanOrEqual(Date.parse(record.declared_at));
    }
  });

  it("have unique references numbered in declaration order within each year", () => {
    expect(new Set(records.map((r) => r.reference)).size).toBe(records.length);
    for (const [year, list] of byYear) {
      const sorted = [...list].sort((a, b) => Date.parse(a.declared_at) - Date.parse(b.declared_at));
      expect(sorted.map((r) => r.reference)).toEqual(
        sorted.map((_, i) => `CS-${year}-${String(i + 1).padStart(6, "0")}`),
      );
    }
  });

  it("include the edges of the Paris year and of business hours", () => {
    const at = (reference: string) => records.find((r) => r.reference === reference)?.declared_at;
    // 1 January 2023 00:20 in Paris is still 31 December 2022 in UTC: the first declaration of 2023.
    expect(at("CS-2023-000001")).toBe("2023-01-01T00:20:00+01:00");
    expect(new Date(at("CS-2023-000001") ?? "").getUTCFullYear()).toBe(2022);
    expect(at("CS-2022-000592")).toBe("2022-12-31T23:40:00+01:00");
    const july14 = records.find((r) => r.declared_at === "2023-07-14T10:15:00+02:00");
    expect(july14).toBeDefined();
    expect(isBusinessHours(new Date(july14?.declared_at ?? ""))).toBe(false);
  });

  it("keep one snapshot per structure: real FINESS rows for ES, fictitious ones marked « démonstration »", () => {
    const reference = readFileSync(
      new URL("../../../../reference/etabs_hopitaux_france.csv", import.meta.url),
      "utf8",
    );
    const realFiness = new Set(reference.split("\n").map((line) => line.split(",")[0]));
    const snapshots = new Map<string, string>();
    for (const r of records) {
      const { finess_et, ...rest } = r.structure;
      expect(isValidFiness(finess_et), finess_et).toBe(true);
      const snapshot = JSON.stringify(rest);
      expect(snapshots.get(finess_et) ?? snapshot, finess_et).toBe(snapshot);
      snapshots.set(finess_et, snapshot);
      const fictitious = (r.structure.name ?? "").endsWith("(démonstration)");
      expect(fictitious, `${finess_et} ${r.structure.name}`).toBe(!realFiness.has(finess_et));
      if (ES_TYPES.has(r.structure.type) || r.structure.type === "radiotherapy")
        expect(fictitious).toBe(false);
      if (r.structure.ose) expect(ES_TYPES.has(r.structure.type)).toBe(true);
    }
  });

  it("reproduce the published counts of declarations and declaring structures", () => {
    expect(of(2021)).toHaveLength(PUBLISHED[2021].declared);
    expect(of(2022)).toHaveLength(PUBLISHED[2022].declared);
    expect(of(2023)).toHaveLength(PUBLISHED[2023].declared);
    expect(distinctStructures(of(2021))).toBe(PUBLISHED[2021].structures);
    expect(distinctStructures(of(2022))).toBe(PUBLISHED[2022].structures);
    expect(distinctStructures(of(2023))).toBe(PUBLISHED[2023].structures);
    expect(Math.round(of(2022).length / 12)).toBe(PUBLISHED[2022].monthlyMean);
    expect(Math.round(of(2023).length / 12)).toBe(PUBLISHED[2023].monthlyMean);

    const list = of(2023);
    expect(list.filter((r) => r.out_of_scope)).toHaveLength(PUBLISHED[2023].outOfScope);
    expect(list.filter((r) => r.out_of_scope_reason === "exercise")).toHaveLength(PUBLISHED[2023].exercises);
    const perStructure = declarationsPerStructure(list);
    expect([...perStructure.values()].filter((n) => n >= 2)).toHaveLength(PUBLISHED[2023].several);
    const typeOf = new Map(list.map((r) => [r.structure.finess_et, r.structure.type]));
    const esFour = [...perStructure].filter(
      ([finess, n]) => n >= 4 && ES_TYPES.has(typeOf.get(finess) ?? ""),
    );
    expect(esFour).toHaveLength(PUBLISHED[2023].esFourOrMore);
    // A non-ES structure (a laboratory group) also declared 4 times: the ES filter matters.
    expect([...perStructure].some(([finess, n]) => n >= 4 && !ES_TYPES.has(typeOf.get(finess) ?? ""))).toBe(
      true,
    );
    expect(distinctStructures(list.filter((r) => r.structure.ose))).toBe(PUBLISHED[2023].oseDeclaring);
  });

  it("reproduce the published timing, support and complement figures", () => {
    const list = of(2023);
    const business = list.filter((r) => isBusinessHours(new Date(r.declared_at))).length;
    expect(roundsToPercent(business / list.length, PUBLISHED[2023].businessHoursPercent)).toBe(true);
    for (const year of [2022, 2023] as const) {
      expect(of(year).filter((r) => r.support_requested)).toHaveLength(PUBLISHED[year].supportRequested);
      const silent = of(year).filter((r) => r.complement_requested_at && !r.complement_answered_at);
      expect(distinctStructures(silent)).toBe(PUBLISHED[year].unansweredStructures);
    }
    expect(distinctStructures(list.filter((r) => r.technical_support_provided))).toBe(
      PUBLISHED[2023].technicalStructures,
    );
  });

  it("reproduce the published data impacts of each year (in scope)", () => {
    for (const year of [2021, 2022, 2023] as const) {
      const counts = countBy(inScope(year), (r) => r.data_impacts);
      expect(counts, String(year)).toEqual(PUBLISHED_DATA_IMPACTS[year]);
    }
  });

  it("reproduce the published impacts on patients and qualification shares", () => {
    for (const year of [2022, 2023] as const) {
      const list = inScope(year);
      const care = list.filter(
        (r) => r.operational_impact === "degraded_care" || r.operational_impact === "care_interrupted",
      );
      expect(care, String(year)).toHaveLength(PUBLISHED[year].careAffected);
      const malicious = list.filter((r) => r.origin === "malicious");
      expect(roundsToPercent(malicious.length / list.length, PUBLISHED[year].maliciousPercent)).toBe(true);
      const major = malicious.filter((r) => r.si_effect === "important" || r.si_effect === "extreme");
      expect(major, String(year)).toHaveLength(PUBLISHED[year].major);
    }
    const list = inScope(2023);
    expect(list.filter((r) => r.patient_endangerment === "potential")).toHaveLength(
      PUBLISHED[2023].endangermentPotential,
    );
    expect(list.filter((r) => r.patient_endangerment === "actual")).toHaveLength(
      PUBLISHED[2023].endangermentActual,
    );
    const malicious = list.filter((r) => r.origin === "malicious");
    expect(malicious.filter((r) => r.malicious_types.includes("ransomware"))).toHaveLength(
      PUBLISHED[2023].ransomware,
    );
    const multi = malicious.filter((r) => r.malicious_types.length >= 2).length;
    expect(roundsToPercent(multi / malicious.length, PUBLISHED[2023].maliciousMultiPercent)).toBe(true);

    const nonMalicious = list.filter((r) => r.origin === "non_malicious");
    const types = countBy(nonMalicious, (r) => r.non_malicious_types);
    for (const [type, percent] of Object.entries(PUBLISHED[2023].nonMaliciousPercent)) {
      const share = (types[type as keyof typeof types] ?? 0) / nonMalicious.length;
      expect(roundsToPercent(share, percent), `${type}: ${share}`).toBe(true);
    }
  });

  it("reproduce the published data types of 2023", () => {
    const typed = inScope(2023).filter((r) => r.data_types.length > 0);
    const counts = countBy(typed, (r) => r.data_types);
    const mentions = Object.values(counts).reduce((a, b) => (a ?? 0) + (b ?? 0), 0) ?? 0;
    for (const [type, percent] of Object.entries(PUBLISHED[2023].dataTypePercent)) {
      const share = (counts[type as keyof typeof counts] ?? 0) / mentions;
      expect(roundsToPercent(share, percent), `${type}: ${share}`).toBe(true);
    }
    const several = typed.filter((r) => r.data_types.length >= 2).length;
    expect(roundsToPercent(several / typed.length, PUBLISHED[2023].dataTypeSeveralPercent)).toBe(true);
  });

  it("reproduce the published regions and the activity index of Pays de la Loire", () => {
    const counts = new Map<string, number>();
    for (const r of of(2023)) counts.set(r.structure.region, (counts.get(r.structure.region) ?? 0) + 1);
    const ranked = [...counts].sort((a, b) => b[1] - a[1]);
    expect(ranked.slice(0, 3)).toEqual(PUBLISHED[2023].topRegions.map(([code, n]) => [code, n]));
    expect(ranked[3]?.[1]).toBeLessThan(55);

    const { region, share } = PUBLISHED[2023].activityLeader;
    const shares = DEMO_ACTIVITY_REFERENCE.shares;
    expect(shares[region]).toBe(share);
    expect(Object.keys(shares).sort()).toEqual([...metropolitanRegionCodes].sort());
    const ratios = metropolitanRegionCodes.map(
      (code) => [code, (counts.get(code) ?? 0) / (shares[code] ?? 1)] as const,
    );
    const leader = [...ratios].sort((a, b) => b[1] - a[1])[0];
    expect(leader?.[0]).toBe(region);
  });
});
