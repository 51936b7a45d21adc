import {
  channel,
  dataImpact,
  dataType,
  maliciousType,
  nonMaliciousType,
  OBSERVATORY_FORMAT,
  type ObservatoryDocument,
  operationalImpact,
  origin,
  regionCodes,
  stateAtDeclaration,
  structureTypes,
} from "@vigie/contracts";

// Hand-made documents for the observatory's tests (charts, report, open data): a valid document of zeros, to be filled.

function zeros<T extends string>(codes: readonly T[]): Record<T, number> {
  return Object.fromEntries(codes.map((c) => [c, 0])) as Record<T, number>;
}

/** A valid `vigie.observatory/1` document with every count at zero. */
export function emptyObservatoryDocument(year: number, region: string | null = null): ObservatoryDocument {
  return {
    format: OBSERVATORY_FORMAT,
    year,
    region,
    incidents: {
      declared: 0,
      out_of_scope: 0,
      exercises: 0,
      in_scope: 0,
      by_month: Array(12).fill(0),
      monthly_mean: 0,
      by_quarter: [0, 0, 0, 0],
      by_channel: zeros(channel.values),
    },
    declarants: { distinct: 0, es: 0, esms: 0, several: 0, es_four_or_more: 0, ose: 0 },
    timing: {
      business_hours: 0,
      business_hours_share: 0,
      heatmap: Array.from({ length: 7 }, () => Array(24).fill(0)),
    },
    state_at_declaration: zeros(stateAtDeclaration.values),
    support: {
      requested: 0,
      requested_share: 0,
      requested_by_structure_type: zeros(structureTypes),
      technical_structures: 0,
      technical_by_origin: {
        malicious: zeros(maliciousType.values),
        non_malicious: zeros(nonMaliciousType.values),
      },
    },
    regions: { counts: zeros(regionCodes), activity_index: null },
    structure_types: { counts: zeros(structureTypes), es_share: 0 },
    data_impacts: { counts: zeros(dataImpact.values) },
    data_types: { counts: zeros(dataType.values), impacted_incidents: 0, multi_category_share: null },
    operational_impact: {
      counts: zeros(operationalImpact.values),
      patient_care_affected: 0,
      degraded_mode_mean_hours: null,
    },
    patient_endangerment: { potential: 0, actual: 0 },
    origin: { counts: zeros(origin.values), malicious_share: 0 },
    malicious: { types: zeros(maliciousType.values), multi_qualified: 0, by_quarter: [0, 0, 0, 0], major: 0 },
    non_malicious: { types: zeros(nonMaliciousType.values), by_quarter: [0, 0, 0, 0] },
    complements: { requested: 0, unanswered_structures: 0 },
    authorities: { anssi_structures: 0, fssi_structures: 0 },
    publications: { alerts: 0 },
    watch: { structures_alerted: 0 },
  };
}

/** Sets one cell of the heat map ([weekday][hour], Monday = 0). */
export function setHeatmap(
  document: ObservatoryDocument,
  weekday: number,
  hour: number,
  count: number,
): void {
  const row = document.timing.heatmap[weekday];
  if (!row) throw new Error(`jour ${weekday} hors de la carte`);
  row[hour] = count;
}
