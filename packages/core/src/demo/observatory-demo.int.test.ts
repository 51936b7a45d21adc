import type { ObservatoryDocument } from "@vigie/contracts";
import { createTestDatabase, type TestDatabase } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeclarationSettings } from "../declarations/settings.ts";
import { computeObservatory } from "../observatory/compute.ts";
import { PUBLISHED, PUBLISHED_DATA_IMPACTS, roundsToPercent } from "./published-figures.fixture.ts";
import { type DemoSeedReport, seedDemo } from "./seed-demo.ts";

// The demo seeded into a fresh database, read back through the observatory: every figure of the
// table « Published figures » of shared/spec/observatory.md must come out.

const NOW = new Date("2026-11-28T10:00:00Z");
const SETTINGS: DeclarationSettings = {
  publicUrl: "http://127.0.0.1:3000",
  oncallPhone: "01 00 00 00 00",
  oncallEmail: "astreinte@example.test",
  firstResponseUrgentMinutes: 30,
  firstResponseHours: 4,
  qualificationDays: 5,
  complementDueDays: 5,
  complementReminderDays: [2, 4],
  complementExpiryDays: 15,
};

let database: TestDatabase;
let first: DemoSeedReport;
const documents = new Map<number, ObservatoryDocument>();

function document(year: 2021 | 2022 | 2023): ObservatoryDocument {
  const doc = documents.get(year);
  if (!doc) throw new Error(`pas de document ${year}`);
  return doc;
}

async function countIncidents(): Promise<number> {
  const row = await database.db
    .selectFrom("incidents")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

beforeAll(async () => {
  database = await createTestDatabase();
  first = await seedDemo(database.db, NOW, SETTINGS);
  for (const year of [2021, 2022, 2023] as const) {
    documents.set(year, await computeObservatory(database.db, { year, region: null }));
  }
}, 180_000);
afterAll(async () => {
  await database?.destroy();
});

describe("seeding the demo observatory", () => {
  it("imports the 2021–2023 declarations and the activity reference beside the sample declarations", async () => {
    expect(first.observatoryRecordsImported).toBe(733 + 592 + 581);
    expect(first.activityReferenceLoaded).toBe(true);
    expect(first.declarationsCreated).toBe(3);
    expect(await countIncidents()).toBe(733 + 592 + 581 + 3);
  });

  it("adds nothing when run again", async () => {
    const again = await seedDemo(database.db, new Date(NOW.getTime() + 60_000), SETTINGS);
    expect(again.observatoryRecordsImported).toBe(0);
    expect(again.activityReferenceLoaded).toBe(false);
    expect(again.declarationsCreated).toBe(0);
    expect(await countIncidents()).toBe(733 + 592 + 581 + 3);
    // The observatory is unchanged.
    expect(await computeObservatory(database.db, { year: 2023, region: null })).toEqual(document(2023));
  }, 60_000);
});

describe("the observatory of the demo reproduces the published figures", () => {
  it("declarations per year, out of scope, exercises, monthly mean", () => {
    expect(document(2021).incidents.declared).toBe(PUBLISHED[2021].declared);
    expect(document(2022).incidents.declared).toBe(PUBLISHED[2022].declared);
    expect(document(2023).incidents.declared).toBe(PUBLISHED[2023].declared);
    expect(document(2023).incidents.out_of_scope).toBe(PUBLISHED[2023].outOfScope);
    expect(document(2023).incidents.exercises).toBe(PUBLISHED[2023].exercises);
    expect(document(2023).incidents.in_scope).toBe(PUBLISHED[2023].declared - PUBLISHED[2023].outOfScope);
    expect(Math.round(document(2022).incidents.monthly_mean)).toBe(PUBLISHED[2022].monthlyMean);
    expect(Math.round(document(2023).incidents.monthly_mean)).toBe(PUBLISHED[2023].monthlyMean);
    expect(document(2023).incidents.by_month.reduce((a, b) => a + b, 0)).toBe(PUBLISHED[2023].declared);
  });

  it("declaring structures, several declarations, ES with four or more, OSE", () => {
    expect(document(2021).declarants.distinct).toBe(PUBLISHED[2021].structures);
    expect(document(2022).declarants.distinct).toBe(PUBLISHED[2022].structures);
    const declarants = document(2023).declarants;
    expect(declarants.distinct).toBe(PUBLISHED[2023].structures);
    expect(declarants.several).toBe(PUBLISHED[2023].several);
    expect(declarants.es_four_or_more).toBe(PUBLISHED[2023].esFourOrMore);
    expect(declarants.ose).toBe(PUBLISHED[2023].oseDeclaring);
  });

  it("declared in business hours (HO/JO, Paris time, public holidays excluded)", () => {
    const timing = document(2023).timing;
    expect(roundsToPercent(timing.business_hours_share, PUBLISHED[2023].businessHoursPercent)).toBe(true);
    expect(timing.business_hours / document(2023).incidents.declared).toBe(timing.business_hours_share);
  });

  it("support requested and structures given technical support", () => {
    expect(document(2022).support.requested).toBe(PUBLISHED[2022].supportRequested);
    expect(document(2023).support.requested).toBe(PUBLISHED[2023].supportRequested);
    expect(document(2023).support.technical_structures).toBe(PUBLISHED[2023].technicalStructures);
  });

  it("data impacts of each year", () => {
    for (const year of [2021, 2022, 2023] as const) {
      expect(document(year).data_impacts.counts, String(year)).toEqual(PUBLISHED_DATA_IMPACTS[year]);
    }
  });

  it("patient care affected and patient endangerment", () => {
    expect(document(2022).operational_impact.patient_care_affected).toBe(PUBLISHED[2022].careAffected);
    expect(document(2023).operational_impact.patient_care_affected).toBe(PUBLISHED[2023].careAffected);
    expect(document(2023).patient_endangerment.potential).toBe(PUBLISHED[2023].endangermentPotential);
    expect(document(2023).patient_endangerment.actual).toBe(PUBLISHED[2023].endangermentActual);
  });

  it("malicious share, ransomware, several types, major incidents", () => {
    expect(roundsToPercent(document(2022).origin.malicious_share, PUBLISHED[2022].maliciousPercent)).toBe(
      true,
    );
    expect(roundsToPercent(document(2023).origin.malicious_share, PUBLISHED[2023].maliciousPercent)).toBe(
      true,
    );
    const doc = document(2023);
    expect(doc.malicious.types.ransomware).toBe(PUBLISHED[2023].ransomware);
    expect(
      roundsToPercent(
        doc.malicious.multi_qualified / doc.origin.counts.malicious,
        PUBLISHED[2023].maliciousMultiPercent,
      ),
    ).toBe(true);
    expect(document(2022).malicious.major).toBe(PUBLISHED[2022].major);
    expect(doc.malicious.major).toBe(PUBLISHED[2023].major);
  });

  it("non-malicious types: infrastructure, telecom, application bug", () => {
    const doc = document(2023);
    for (const [type, percent] of Object.entries(PUBLISHED[2023].nonMaliciousPercent)) {
      const share =
        doc.non_malicious.types[type as keyof typeof doc.non_malicious.types] /
        doc.origin.counts.non_malicious;
      expect(roundsToPercent(share, percent), `${type}: ${share}`).toBe(true);
    }
  });

  it("data types among the incidents that touched data", () => {
    const dataTypes = document(2023).data_types;
    const mentions = Object.values(dataTypes.counts).reduce((a, b) => a + b, 0);
    for (const [type, percent] of Object.entries(PUBLISHED[2023].dataTypePercent)) {
      const share = dataTypes.counts[type as keyof typeof dataTypes.counts] / mentions;
      expect(roundsToPercent(share, percent), `${type}: ${share}`).toBe(true);
    }
    expect(
      roundsToPercent(dataTypes.multi_category_share ?? -1, PUBLISHED[2023].dataTypeSeveralPercent),
    ).toBe(true);
  });

  it("structures that never answered a request for complements", () => {
    expect(document(2022).complements.unanswered_structures).toBe(PUBLISHED[2022].unansweredStructures);
    expect(document(2023).complements.unanswered_structures).toBe(PUBLISHED[2023].unansweredStructures);
  });

  it("the three regions with most declarations and the activity index of Pays de la Loire", () => {
    const regions = document(2023).regions;
    const ranked = Object.entries(regions.counts).sort((a, b) => b[1] - a[1]);
    expect(ranked.slice(0, 3)).toEqual(PUBLISHED[2023].topRegions.map(([code, n]) => [code, n]));
    expect(ranked[3]?.[1]).toBeLessThan(PUBLISHED[2023].topRegions[2][1]);
    const { region } = PUBLISHED[2023].activityLeader;
    expect(regions.activity_index?.[region]).toBe(100);
    for (const [code, index] of Object.entries(regions.activity_index ?? {})) {
      if (code !== region) expect(index, code).toBeLessThan(100);
    }
  });
});
