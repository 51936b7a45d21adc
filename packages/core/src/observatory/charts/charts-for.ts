import {
  type ObservatoryChartsResponse,
  type ObservatoryQuery,
  type StructureType,
  structureTypes,
} from "@vigie/contracts";
import { directoryCompositionRepo, type Executor, regionsRepo } from "@vigie/db";
import type { Actor } from "../../access/policy.ts";
import { computeObservatory } from "../compute.ts";
import { authorizeObservatoryRegion } from "../read-observatory.ts";
import { observatoryCharts } from "./charts.ts";

/**
 * The charts of a year, nationally (`region` null) or for one region: the year's document and
 * the two before it (the previous year is compared where the report compares, the data impacts
 * over three years), the regions' names, and the directory's structures per type in the same
 * region (the denominators of figure 9). No access check: the caller has resolved the region.
 */
export async function observatoryChartsFor(
  db: Executor,
  query: { year: number; region: string | null },
): Promise<ObservatoryChartsResponse> {
  const { year, region } = query;
  const doc = await computeObservatory(db, { year, region });
  const previous = await computeObservatory(db, { year: year - 1, region });
  const beforePrevious = await computeObservatory(db, { year: year - 2, region });
  const regions = await regionsRepo.listRegions(db);
  const listed = await directoryCompositionRepo.countStructuresByType(db, region);
  const directoryCounts: Partial<Record<StructureType, number>> = {};
  for (const type of structureTypes) directoryCounts[type] = listed[type] ?? 0;
  const charts = observatoryCharts(doc, [previous, beforePrevious], {
    regionNames: Object.fromEntries(regions.map((r) => [r.code, r.name])),
    directoryCounts,
  });
  return { year, region, previousYear: year - 1, declared: doc.incidents.declared, charts };
}

/**
 * `GET /api/observatory/charts`: `observatory:read`; the CERT and the national authorities any
 * region or the whole country, an ARS its own region only (decision 0010, the same rule as the
 * document's, `observatoryRegionFor`); a refusal is audited.
 */
export async function getObservatoryCharts(
  db: Executor,
  actor: Actor | null,
  query: ObservatoryQuery,
  context: { now?: Date; ip?: string | null } = {},
): Promise<ObservatoryChartsResponse> {
  const region = await authorizeObservatoryRegion(db, actor, query, {
    action: "observatory.charts",
    ...context,
  });
  return observatoryChartsFor(db, { year: query.year, region });
}
