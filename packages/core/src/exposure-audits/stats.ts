import { type ExposureAuditStats, type StructureType, structureTypeLabels } from "@vigie/contracts";
import { type Executor, exposureAuditsRepo as repo } from "@vigie/db";
import { type Actor, assertPermission } from "../access/policy.ts";
import { parisStartOfDay } from "../time/paris-time.ts";

/** The structure types counted as hospitals (« ES ») of a GHT. */
export const GHT_HOSPITAL_TYPES: readonly StructureType[] = [
  "es_public",
  "es_private_nonprofit",
  "es_private_forprofit",
  "army_hospital",
];

/** A waiting audit planned more than a day ago is late. */
const OVERDUE_AFTER_MS = 86_400_000;

/**
 * The CERT's figures (`watch:handle`) for a Paris year: audits succeeded, distinct structures,
 * by structure type, GHT covered (at least one audited hospital) and GHT with more than half of
 * their hospitals audited (as the 2023 report: « 432 CH sur 105 GHT, pour 72 GHT plus de 50 %
 * des ES audités »), and where the programme stands now.
 */
export async function exposureAuditStats(
  db: Executor,
  actor: Actor | null,
  year: number,
  now: Date = new Date(),
): Promise<ExposureAuditStats> {
  if (actor) assertPermission(actor, "watch:handle");
  const from = parisStartOfDay(`${year}-01-01`);
  const to = parisStartOfDay(`${year + 1}-01-01`);
  const figures = await repo.auditYearFigures(db, from, to, GHT_HOSPITAL_TYPES);
  const progress = await repo.auditProgress(
    db,
    new Date(now.getTime() - OVERDUE_AFTER_MS),
    new Date(now.getTime() - 30 * 86_400_000),
  );
  return {
    year,
    audits: figures.audits,
    structuresAudited: figures.structures,
    byStructureType: figures.byType.map((t) => ({
      structureType: t.structure_type,
      label: structureTypeLabels[t.structure_type as StructureType] ?? t.structure_type,
      audits: t.audits,
    })),
    ghtCovered: figures.ghtCovered,
    ghtOverHalf: figures.ghtOverHalf,
    progress: {
      validatedPerimeters: progress.validated_perimeters,
      perimetersToReview: progress.perimeters_to_review,
      scheduled: progress.scheduled,
      overdue: progress.overdue,
      running: progress.running,
      failedLast30Days: progress.failed_recently,
    },
  };
}
