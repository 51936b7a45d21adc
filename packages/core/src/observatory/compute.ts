import {
  AppError,
  channel,
  dataImpact,
  dataType,
  esStructureTypes,
  maliciousType,
  metropolitanRegionCodes,
  nonMaliciousType,
  OBSERVATORY_FORMAT,
  type ObservatoryDocument,
  operationalImpact,
  regionCodes,
  stateAtDeclaration,
  structureTypes,
} from "@vigie/contracts";
import { type CodeCombination, type CodeCounts, type Executor, observatoryRepo } from "@vigie/db";
import {
  BUSINESS_DAY_END_HOUR,
  BUSINESS_DAY_START_HOUR,
  frenchPublicHolidays,
} from "../time/business-hours.ts";
import { parisLocalTime, parisStartOfDay } from "../time/paris-time.ts";

/** The request: a year, nationally (`region` null) or for one region (INSEE code). */
export interface ObservatoryRequest {
  year: number;
  region: string | null;
}

/** A map listing every code, in the taxonomy's order, zeros included. */
function everyCode<const T extends readonly string[]>(
  codes: T,
  counts: CodeCounts,
): Record<T[number], number> {
  return Object.fromEntries(codes.map((code) => [code, counts[code] ?? 0])) as Record<T[number], number>;
}

/** a ÷ b, 0 when b is 0 (the document's shares are not rounded). */
const share = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Four quarterly counts from twelve monthly ones. */
const quarters = (months: readonly number[]): number[] =>
  [0, 1, 2, 3].map((q) => months.slice(q * 3, q * 3 + 3).reduce((sum, n) => sum + n, 0));

function bump(counts: number[], index: number, n: number): void {
  counts[index] = (counts[index] ?? 0) + n;
}

/** The time figures of a year from its declarations per hour, read in Europe/Paris time. */
function timeFigures(year: number, byUtcHour: ReadonlyMap<number, number>) {
  const holidays = frenchPublicHolidays(year);
  const byMonth = Array<number>(12).fill(0);
  const heatmap = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  let businessHours = 0;
  for (const [instant, n] of byUtcHour) {
    // Paris is a whole number of hours from UTC: the hour starting at `instant` is one local hour.
    const local = parisLocalTime(new Date(instant));
    bump(byMonth, local.month - 1, n);
    bump(heatmap[local.isoWeekday - 1] ?? [], local.hour, n);
    const open =
      local.isoWeekday <= 5 && local.hour >= BUSINESS_DAY_START_HOUR && local.hour < BUSINESS_DAY_END_HOUR;
    if (open && !holidays.has(local.date)) businessHours += n;
  }
  return { byMonth, heatmap, businessHours };
}

/** Per code, the in-scope incidents carrying it, from the distinct combinations of the fields. */
function carried(
  combinations: readonly CodeCombination[],
  field: (c: CodeCombination) => readonly string[] | null,
  only: (c: CodeCombination) => boolean = () => true,
): CodeCounts {
  const counts: CodeCounts = {};
  for (const combination of combinations) {
    if (!only(combination)) continue;
    for (const code of new Set(field(combination) ?? [])) counts[code] = (counts[code] ?? 0) + combination.n;
  }
  return counts;
}

/** In-scope incidents whose field holds at least `atLeast` codes. */
function holding(
  combinations: readonly CodeCombination[],
  field: (c: CodeCombination) => readonly string[] | null,
  atLeast: number,
): number {
  return combinations.reduce((sum, c) => sum + ((field(c)?.length ?? 0) >= atLeast ? c.n : 0), 0);
}

/** True for an INSEE region code of the 18 regions. */
export function isRegionCode(code: string): boolean {
  return (regionCodes as readonly string[]).includes(code);
}

/** Throws a validation error naming `region` unless the code is one of the 18 regions. */
export function assertRegionCode(code: string): void {
  if (!isRegionCode(code)) {
    const message = `Région inconnue : « ${code} » n'est pas le code INSEE d'une des 18 régions (par exemple 76).`;
    throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "region", message }] });
  }
}

/**
 * The regional activity index (decision 0010): for the metropolitan regions the reference gives
 * a share for, declarations ÷ share of national hospital activity, scaled so the highest is 100
 * (all 0 when nothing was declared). A region the reference gives no share for has no index: its
 * key is absent rather than a made-up value. No reference loaded → null.
 */
export function activityIndex(
  counts: Readonly<Record<string, number>>,
  shares: Readonly<Record<string, number>> | null,
): Record<string, number> | null {
  if (!shares) return null;
  const raw: Array<[string, number]> = [];
  for (const code of metropolitanRegionCodes) {
    const regionShare = shares[code];
    if (regionShare !== undefined && regionShare > 0) raw.push([code, (counts[code] ?? 0) / regionShare]);
  }
  const highest = Math.max(0, ...raw.map(([, value]) => value));
  // x / x is exactly 1 in floating point: the highest is exactly 100.
  return Object.fromEntries(raw.map(([code, value]) => [code, highest === 0 ? 0 : (value / highest) * 100]));
}

/**
 * The observatory document `vigie.observatory/1` (`shared/spec/observatory.md`) of a Paris
 * calendar year, nationally or for the declarations of one region's structures (as they were
 * when they declared). Counted in SQL over the year's rows (effective values: qualified once
 * qualified, declared before); no access check here — callers decide who may read what.
 */
export async function computeObservatory(
  db: Executor,
  query: ObservatoryRequest,
): Promise<ObservatoryDocument> {
  const { year, region } = query;
  if (region !== null) assertRegionCode(region);
  const quarterStart = (month: string) => parisStartOfDay(`${year}-${month}-01`);
  const figures = await observatoryRepo.observatoryFigures(
    db,
    {
      from: parisStartOfDay(`${year}-01-01`),
      quarterStarts: [quarterStart("04"), quarterStart("07"), quarterStart("10")],
      to: parisStartOfDay(`${year + 1}-01-01`),
      region,
      codes: {
        channel: channel.values,
        state: stateAtDeclaration.values,
        operationalImpact: operationalImpact.values,
      },
    },
    esStructureTypes,
  );
  const reference = await observatoryRepo.activityReferenceFor(db, year);
  const cert = await observatoryRepo.certActivityFigures(db, {
    from: parisStartOfDay(`${year}-01-01`),
    to: parisStartOfDay(`${year + 1}-01-01`),
    region,
  });
  const time = timeFigures(year, figures.byUtcHour);
  const { combinations } = figures;
  const dataTypes = (c: CodeCombination) => c.dataTypes;
  const maliciousTypes = (c: CodeCombination) => c.maliciousTypes;
  const nonMaliciousTypes = (c: CodeCombination) => c.nonMaliciousTypes;
  const technical = (c: CodeCombination) => c.technicalSupport;
  const dataTypeIncidents = holding(combinations, dataTypes, 1);
  const declared = figures.declared;
  const inScope = declared - figures.outOfScope;
  const regionCounts = everyCode(regionCodes, figures.byRegion);
  const structureTypeCounts = everyCode(structureTypes, figures.byStructureType);
  const esDeclarations = esStructureTypes.reduce((sum, type) => sum + structureTypeCounts[type], 0);
  const operationalCounts = everyCode(operationalImpact.values, figures.byOperationalImpact);
  const originCounts = {
    malicious: figures.malicious,
    non_malicious: figures.nonMalicious,
    // Null origin (not yet known) counts as undetermined.
    undetermined: inScope - figures.malicious - figures.nonMalicious,
  };

  return {
    format: OBSERVATORY_FORMAT,
    year,
    region,
    incidents: {
      declared,
      out_of_scope: figures.outOfScope,
      exercises: figures.exercises,
      in_scope: inScope,
      by_month: time.byMonth,
      monthly_mean: declared / 12,
      by_quarter: quarters(time.byMonth),
      by_channel: everyCode(channel.values, figures.byChannel),
    },
    declarants: {
      distinct: figures.structures,
      es: figures.esStructures,
      esms: figures.esmsStructures,
      several: figures.severalStructures,
      es_four_or_more: figures.esFourOrMoreStructures,
      ose: figures.oseStructures,
    },
    timing: {
      business_hours: time.businessHours,
      business_hours_share: share(time.businessHours, declared),
      heatmap: time.heatmap,
    },
    state_at_declaration: everyCode(stateAtDeclaration.values, figures.byState),
    support: {
      requested: figures.supportRequested,
      requested_share: share(figures.supportRequested, declared),
      requested_by_structure_type: everyCode(structureTypes, figures.supportByStructureType),
      technical_structures: figures.technicalStructures,
      technical_by_origin: {
        malicious: everyCode(maliciousType.values, carried(combinations, maliciousTypes, technical)),
        non_malicious: everyCode(
          nonMaliciousType.values,
          carried(combinations, nonMaliciousTypes, technical),
        ),
      },
    },
    regions: {
      counts: regionCounts,
      activity_index: activityIndex(regionCounts, reference?.shares ?? null),
    },
    structure_types: {
      counts: structureTypeCounts,
      es_share: share(esDeclarations, declared),
    },
    data_impacts: {
      counts: everyCode(
        dataImpact.values,
        carried(combinations, (c) => c.dataImpacts),
      ),
    },
    data_types: {
      counts: everyCode(dataType.values, carried(combinations, dataTypes)),
      impacted_incidents: dataTypeIncidents,
      multi_category_share:
        dataTypeIncidents === 0 ? null : holding(combinations, dataTypes, 2) / dataTypeIncidents,
    },
    operational_impact: {
      counts: operationalCounts,
      patient_care_affected: operationalCounts.degraded_care + operationalCounts.care_interrupted,
      degraded_mode_mean_hours:
        figures.degradedHoursCount === 0 ? null : figures.degradedHoursSum / figures.degradedHoursCount,
    },
    patient_endangerment: {
      potential: figures.endangermentPotential,
      actual: figures.endangermentActual,
    },
    origin: {
      counts: originCounts,
      malicious_share: share(originCounts.malicious, inScope),
    },
    malicious: {
      types: everyCode(maliciousType.values, carried(combinations, maliciousTypes)),
      multi_qualified: holding(combinations, maliciousTypes, 2),
      by_quarter: figures.maliciousByQuarter,
      major: figures.maliciousMajor,
    },
    non_malicious: {
      types: everyCode(nonMaliciousType.values, carried(combinations, nonMaliciousTypes)),
      by_quarter: figures.nonMaliciousByQuarter,
    },
    complements: {
      requested: figures.complementsRequested,
      unanswered_structures: figures.unansweredComplementStructures,
    },
    authorities: {
      anssi_structures: figures.anssiStructures,
      fssi_structures: figures.fssiStructures,
    },
    publications: { alerts: cert.alertsPublished },
    watch: { structures_alerted: cert.structuresAlerted },
  };
}
