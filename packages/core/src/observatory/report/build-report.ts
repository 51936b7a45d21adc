import { type StructureType, structureTypes } from "@vigie/contracts";
import { directoryCompositionRepo, type Executor, observatoryRepo, regionsRepo } from "@vigie/db";
import { observatoryCharts } from "../charts/charts.ts";
import { computeObservatory } from "../compute.ts";
import type { ObservatoryReport } from "./report.ts";

/**
 * Everything the yearly report shows, for a year, nationally (`region` null) or for one region:
 * the year's document and the previous one (the comparisons), the one before (the charts show
 * data impacts over three years), the charts, the regions' names. No access check: the caller
 * has resolved the region the actor may read.
 */
export async function buildReport(
  db: Executor,
  query: { year: number; region: string | null },
  now: Date = new Date(),
): Promise<ObservatoryReport> {
  const { year, region } = query;
  const current = await computeObservatory(db, { year, region });
  const previous = await computeObservatory(db, { year: year - 1, region });
  const beforePrevious = await computeObservatory(db, { year: year - 2, region });
  const regions = await regionsRepo.listRegions(db);
  const regionNames = Object.fromEntries(regions.map((r) => [r.code, r.name]));
  const listed = await directoryCompositionRepo.countStructuresByType(db, region);
  const directoryCounts: Partial<Record<StructureType, number>> = {};
  for (const type of structureTypes) directoryCounts[type] = listed[type] ?? 0;
  const charts = observatoryCharts(current, [previous, beforePrevious], { regionNames, directoryCounts });
  // The reference the national index used (the document has an index only when one is loaded).
  const reference =
    region === null && current.regions.activity_index
      ? await observatoryRepo.activityReferenceFor(db, year)
      : undefined;
  return {
    year,
    previousYear: year - 1,
    region: region === null ? null : { code: region, name: regionNames[region] ?? `Région ${region}` },
    regionNames,
    current,
    previous,
    charts,
    activityReference: reference
      ? { referenceYear: reference.reference_year, source: reference.source }
      : null,
    generatedAt: now,
  };
}
