import { z } from "zod";
import { type StructureType, StructureTypeSchema } from "./roles.ts";
import {
  channel,
  dataImpact,
  dataType,
  maliciousType,
  nonMaliciousType,
  operationalImpact,
  origin,
  stateAtDeclaration,
} from "./taxonomy.ts";

// `shared/spec/observatory.md`: the document `vigie.observatory/1`, path by path. Maps from a
// code list every code of the taxonomy (zeros included); shares are not rounded.

export const OBSERVATORY_FORMAT = "vigie.observatory/1";

/** Structure types that count as "ES" (établissement de santé), per the taxonomy. */
export const esStructureTypes: readonly StructureType[] = [
  "es_public",
  "es_private_nonprofit",
  "es_private_forprofit",
  "army_hospital",
];

/** INSEE codes of the 13 metropolitan regions (the activity index covers these). */
export const metropolitanRegionCodes = [
  "11",
  "24",
  "27",
  "28",
  "32",
  "44",
  "52",
  "53",
  "75",
  "76",
  "84",
  "93",
  "94",
] as const;
/** INSEE codes of the 18 regions (`shared/data/regions.csv`). */
export const regionCodes = ["01", "02", "03", "04", "06", ...metropolitanRegionCodes] as const;

const count = z.number().int().min(0);
const share = z.number().min(0).max(1);
function countMap<T extends readonly [string, ...string[]]>(codes: T) {
  return z.record(z.enum(codes), count);
}
const quarters = z.array(count).length(4);

export const ObservatoryQuerySchema = z.object({
  year: z.coerce
    .number({ error: "L'année doit être un nombre." })
    .int("L'année doit être un nombre entier.")
    .min(2000, "L'année doit être comprise entre 2000 et 2100.")
    .max(2100, "L'année doit être comprise entre 2000 et 2100."),
  region: z
    .string()
    .regex(/^\d{2}$/, "La région est un code INSEE à deux chiffres (par exemple 76).")
    .nullish(),
});
export type ObservatoryQuery = z.infer<typeof ObservatoryQuerySchema>;

export const ObservatoryDocumentSchema = z.strictObject({
  format: z.literal(OBSERVATORY_FORMAT),
  year: z.number().int(),
  region: z.string().nullable(),
  incidents: z.strictObject({
    declared: count,
    out_of_scope: count,
    exercises: count,
    in_scope: count,
    by_month: z.array(count).length(12),
    monthly_mean: z.number().min(0),
    by_quarter: quarters,
    by_channel: countMap(channel.values),
  }),
  declarants: z.strictObject({
    distinct: count,
    es: count,
    esms: count,
    several: count,
    es_four_or_more: count,
    ose: count,
  }),
  timing: z.strictObject({
    business_hours: count,
    /** business_hours / declared; 0 when nothing was declared. */
    business_hours_share: share,
    /** 7 × 24: [weekday][hour], Monday = 0, Europe/Paris hour. */
    heatmap: z.array(z.array(count).length(24)).length(7),
  }),
  state_at_declaration: countMap(stateAtDeclaration.values),
  support: z.strictObject({
    requested: count,
    requested_share: share,
    requested_by_structure_type: z.record(StructureTypeSchema, count),
    technical_structures: count,
    technical_by_origin: z.strictObject({
      malicious: countMap(maliciousType.values),
      non_malicious: countMap(nonMaliciousType.values),
    }),
  }),
  regions: z.strictObject({
    /** All 18 regions. */
    counts: z.record(z.string(), count),
    /** The 13 metropolitan regions, highest = 100; null when no activity reference is loaded. */
    activity_index: z.record(z.string(), z.number().min(0).max(100)).nullable(),
  }),
  structure_types: z.strictObject({
    counts: z.record(StructureTypeSchema, count),
    es_share: share,
  }),
  data_impacts: z.strictObject({ counts: countMap(dataImpact.values) }),
  data_types: z.strictObject({
    counts: countMap(dataType.values),
    impacted_incidents: count,
    multi_category_share: share.nullable(),
  }),
  operational_impact: z.strictObject({
    counts: countMap(operationalImpact.values),
    patient_care_affected: count,
    degraded_mode_mean_hours: z.number().min(0).nullable(),
  }),
  patient_endangerment: z.strictObject({ potential: count, actual: count }),
  origin: z.strictObject({
    counts: countMap(origin.values),
    malicious_share: share,
  }),
  malicious: z.strictObject({
    types: countMap(maliciousType.values),
    multi_qualified: count,
    by_quarter: quarters,
    major: count,
  }),
  non_malicious: z.strictObject({
    types: countMap(nonMaliciousType.values),
    by_quarter: quarters,
  }),
  complements: z.strictObject({
    requested: count,
    unanswered_structures: count,
  }),
  authorities: z.strictObject({
    anssi_structures: count,
    fssi_structures: count,
  }),
  // Further indicators the spec allows (decision 0011): the CERT's publications and watch.
  publications: z.strictObject({ alerts: count }),
  watch: z.strictObject({ structures_alerted: count }),
});
export type ObservatoryDocument = z.infer<typeof ObservatoryDocumentSchema>;

/** A region's share of national hospital activity, as loaded by the CERT. */
export const ActivityReferenceInputSchema = z.object({
  referenceYear: z.coerce
    .number({ error: "L'année de référence doit être un nombre." })
    .int("L'année de référence doit être un nombre entier.")
    .min(2000, "L'année de référence doit être comprise entre 2000 et 2100.")
    .max(2100, "L'année de référence doit être comprise entre 2000 et 2100."),
  source: z
    .string()
    .trim()
    .min(1, "Indiquez la source des parts d'activité (par exemple « PMSI MCO 2022, ATIH »).")
    .max(500, "La source tient en 500 caractères au plus."),
  /** INSEE region code → share of national activity, 0 < share ≤ 1. */
  shares: z.record(
    z.string().regex(/^\d{2}$/, "Code de région INSEE à deux chiffres attendu."),
    z
      .number({ error: "La part d'activité doit être un nombre." })
      .gt(0, "La part d'activité doit être strictement positive.")
      .max(1, "La part d'activité est une fraction (5,1 % s'écrit 0.051)."),
  ),
});
export type ActivityReferenceInput = z.infer<typeof ActivityReferenceInputSchema>;

export const ActivityReferenceSchema = z.object({
  referenceYear: z.number().int(),
  source: z.string(),
  loadedAt: z.string(),
  loadedBy: z.string().nullable(),
  shares: z.record(z.string(), z.number()),
});
export type ActivityReference = z.infer<typeof ActivityReferenceSchema>;

/**
 * One chart of the observatory, drawn on the server from the document (the dashboards show it,
 * the yearly report embeds it): the SVG, its definition and population stated in French, and
 * the accessible table of its data (also the CSV download).
 */
export const ObservatoryChartSchema = z.object({
  /** Stable identifier, e.g. `declarations-by-month` (file names of the downloads). */
  id: z.string(),
  /** The report's section: key figures, declarations, timing, state, regions, structures,
   * impacts, patients, malicious, non-malicious, support. */
  section: z.enum([
    "key_figures",
    "declarations",
    "timing",
    "state",
    "regions",
    "structures",
    "impacts",
    "patients",
    "malicious",
    "non_malicious",
    "support",
  ]),
  title: z.string(),
  /** What is counted, in French (the document's definition). */
  definition: z.string(),
  /** Which population, in French (declared / in scope, year, region). */
  population: z.string(),
  /** Self-contained SVG (width/height/viewBox set, role="img", <title> and <desc>). */
  svg: z.string(),
  table: z.object({
    caption: z.string(),
    columns: z.array(z.string()),
    rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
  }),
});
export type ObservatoryChart = z.infer<typeof ObservatoryChartSchema>;

export const ObservatoryChartsResponseSchema = z.object({
  year: z.number().int(),
  region: z.string().nullable(),
  /** The previous year's document was computed too: charts compare both years where it helps. */
  previousYear: z.number().int(),
  /** Declarations of the year (0: the charts are empty; the dashboards say so). */
  declared: z.number().int().min(0).optional(),
  charts: z.array(ObservatoryChartSchema),
});
export type ObservatoryChartsResponse = z.infer<typeof ObservatoryChartsResponseSchema>;

/** `GET /api/observatory/report`: the yearly report of `year` (and `region`), as HTML or PDF. */
export const ObservatoryReportQuerySchema = ObservatoryQuerySchema.extend({
  format: z.enum(["html", "pdf"], { error: "Le format du rapport est html ou pdf." }).default("html"),
});
export type ObservatoryReportQuery = z.infer<typeof ObservatoryReportQuerySchema>;
