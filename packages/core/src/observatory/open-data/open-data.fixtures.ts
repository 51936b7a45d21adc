import {
  channel,
  dataImpact,
  dataType,
  maliciousType,
  nonMaliciousType,
  type ObservatoryDocument,
  ObservatoryDocumentSchema,
  operationalImpact,
  regionCodes,
  type StructureType,
  stateAtDeclaration,
  structureTypes,
} from "@vigie/contracts";
import fc from "fast-check";
import { emptyObservatoryDocument } from "../document-fixture.ts";
import type { OpenDataSource } from "./table.ts";

// Hand-made observatory documents for the unit tests, aggregated here from made-up declarations (the real ones are
// computed in SQL by `computeObservatory`; its integration test covers the whole chain).

type CodeOf<T extends readonly string[]> = T[number];

export interface FakeIncident {
  region: string | null;
  month: number; // 0–11
  weekday: number; // 0 = Monday
  hour: number;
  businessHours: boolean;
  channel: CodeOf<typeof channel.values>;
  state: CodeOf<typeof stateAtDeclaration.values>;
  structureType: StructureType;
  supportRequested: boolean;
  complementRequested: boolean;
  scope: "in" | "exercise" | "other";
  origin: "malicious" | "non_malicious" | "undetermined";
  maliciousTypes: Array<CodeOf<typeof maliciousType.values>>;
  nonMaliciousTypes: Array<CodeOf<typeof nonMaliciousType.values>>;
  major: boolean;
  dataImpacts: Array<CodeOf<typeof dataImpact.values>>;
  dataTypes: Array<CodeOf<typeof dataType.values>>;
  operationalImpact: CodeOf<typeof operationalImpact.values> | null;
  endangerment: "none" | "potential" | "actual" | null;
  technicalSupport: boolean;
}

function aggregate(year: number, region: string | null, all: readonly FakeIncident[]): ObservatoryDocument {
  const incidents = region === null ? all : all.filter((i) => i.region === region);
  const doc = emptyObservatoryDocument(year, region);
  const inc = (o: Record<string, number>, k: string) => {
    o[k] = (o[k] ?? 0) + 1;
  };
  const arr = (a: number[], i: number) => {
    a[i] = (a[i] ?? 0) + 1;
  };
  for (const i of incidents) {
    const quarter = Math.floor(i.month / 3);
    doc.incidents.declared++;
    arr(doc.incidents.by_month, i.month);
    arr(doc.incidents.by_quarter, quarter);
    inc(doc.incidents.by_channel, i.channel);
    arr(doc.timing.heatmap[i.weekday] as number[], i.hour);
    if (i.businessHours) doc.timing.business_hours++;
    inc(doc.state_at_declaration, i.state);
    inc(doc.structure_types.counts, i.structureType);
    if (i.region) inc(doc.regions.counts, i.region);
    if (i.supportRequested) {
      doc.support.requested++;
      inc(doc.support.requested_by_structure_type, i.structureType);
    }
    if (i.complementRequested) doc.complements.requested++;
    if (i.scope !== "in") {
      doc.incidents.out_of_scope++;
      if (i.scope === "exercise") doc.incidents.exercises++;
      continue;
    }
    doc.incidents.in_scope++;
    inc(doc.origin.counts, i.origin);
    if (i.origin === "malicious") {
      for (const t of i.maliciousTypes) inc(doc.malicious.types, t);
      if (i.maliciousTypes.length >= 2) doc.malicious.multi_qualified++;
      arr(doc.malicious.by_quarter, quarter);
      if (i.major) doc.malicious.major++;
      if (i.technicalSupport)
        for (const t of i.maliciousTypes) inc(doc.support.technical_by_origin.malicious, t);
    }
    if (i.origin === "non_malicious") {
      for (const t of i.nonMaliciousTypes) inc(doc.non_malicious.types, t);
      arr(doc.non_malicious.by_quarter, quarter);
      if (i.technicalSupport) {
        for (const t of i.nonMaliciousTypes) inc(doc.support.technical_by_origin.non_malicious, t);
      }
    }
    for (const d of i.dataImpacts) inc(doc.data_impacts.counts, d);
    for (const d of i.dataTypes) inc(doc.data_types.counts, d);
    if (i.dataTypes.length > 0) doc.data_types.impacted_incidents++;
    if (i.operationalImpact) inc(doc.operational_impact.counts, i.operationalImpact);
    if (i.endangerment === "potential") doc.patient_endangerment.potential++;
    if (i.endangerment === "actual") doc.patient_endangerment.actual++;
  }
  return ObservatoryDocumentSchema.parse(doc);
}

export function sourceOf(year: number, incidents: readonly FakeIncident[]): OpenDataSource {
  return {
    year,
    national: aggregate(year, null, incidents),
    regions: Object.fromEntries(regionCodes.map((code) => [code, aggregate(year, code, incidents)])),
  };
}

const oneOf = <T>(values: readonly T[]) => fc.constantFrom(...values);
const someOf = <T>(values: readonly T[]) => fc.uniqueArray(fc.constantFrom(...values), { maxLength: 3 });

// Big regions get most declarations, the overseas ones a few, a handful have no region.
const regionArb = fc.oneof(
  { weight: 12, arbitrary: oneOf(["11", "76", "84", "32"]) },
  { weight: 6, arbitrary: oneOf(["24", "27", "28", "44", "52", "53", "75", "93"]) },
  { weight: 1, arbitrary: oneOf(["01", "02", "03", "04", "06", "94"]) },
  { weight: 1, arbitrary: fc.constant(null) },
);

export const incidentArb: fc.Arbitrary<FakeIncident> = fc.record({
  region: regionArb,
  month: fc.integer({ min: 0, max: 11 }),
  weekday: fc.integer({ min: 0, max: 6 }),
  hour: fc.integer({ min: 0, max: 23 }),
  businessHours: fc.boolean(),
  channel: oneOf(channel.values),
  state: oneOf(stateAtDeclaration.values),
  structureType: oneOf(structureTypes),
  supportRequested: fc.boolean(),
  complementRequested: fc.boolean(),
  scope: fc.constantFrom("in", "in", "in", "in", "exercise", "other"),
  origin: oneOf(["malicious", "non_malicious", "undetermined"] as const),
  maliciousTypes: someOf(maliciousType.values),
  nonMaliciousTypes: someOf(nonMaliciousType.values),
  major: fc.boolean(),
  dataImpacts: someOf(dataImpact.values),
  dataTypes: someOf(dataType.values),
  operationalImpact: fc.option(oneOf(operationalImpact.values)),
  endangerment: fc.option(oneOf(["none", "potential", "actual"] as const)),
  technicalSupport: fc.boolean(),
});
