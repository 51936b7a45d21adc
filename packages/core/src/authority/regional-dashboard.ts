import { AppError, type RegionalDashboard, type RegionalDashboardQuery } from "@vigie/contracts";
import { authorityViewsRepo, type Executor, type IncidentVisibility, regionsRepo } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission, REGION_HIDDEN_TLPS, structureScope } from "../access/policy.ts";
import { parisLocalTime, parisStartOfDay } from "../time/paris-time.ts";

export type RegionalDashboardData = z.infer<typeof RegionalDashboard>;

/** The instants the 12 months of a year begin in Paris, and the next year's first instant. */
export function parisMonthStarts(year: number): Date[] {
  const starts: Date[] = [];
  for (let month = 1; month <= 12; month++) {
    starts.push(parisStartOfDay(`${year}-${String(month).padStart(2, "0")}-01`));
  }
  starts.push(parisStartOfDay(`${year + 1}-01-01`));
  return starts;
}

function invalid(field: string, message: string): never {
  throw new AppError("VALIDATION_FAILED", { message, fields: [{ field, message }] });
}

/**
 * The declarations of a region a reader may see (decision 0009): an ARS its own region's, minus
 * the TLPs the policy hides from it; the CERT any region it names (`region`, required).
 */
async function dashboardVisibility(
  db: Executor,
  actor: Actor,
  region: string | undefined,
): Promise<Extract<IncidentVisibility, { kind: "region" }>> {
  const scope = structureScope(actor);
  if (scope.kind === "region") {
    if (region !== undefined && region !== scope.regionCode) {
      throw new AppError("FORBIDDEN", {
        message: "Vous ne consultez que le tableau de bord de votre région.",
      });
    }
    return { kind: "region", regionCode: scope.regionCode, hiddenTlps: REGION_HIDDEN_TLPS };
  }
  if (scope.kind !== "all") throw new AppError("FORBIDDEN");
  if (region === undefined) invalid("region", "Choisissez la région du tableau de bord.");
  if (!(await regionsRepo.findRegion(db, region))) invalid("region", "Région inconnue.");
  return { kind: "region", regionCode: region, hiddenTlps: [] };
}

/**
 * The regional dashboard for a Paris calendar year (the current one by default): declarations
 * per month of declaration (Paris time), per structure type (as declared), per effective
 * origin ("undetermined" while unknown) and operational impact, and how many affected care.
 */
export async function getRegionalDashboard(
  db: Executor,
  actor: Actor | null,
  query: z.output<typeof RegionalDashboardQuery>,
  now: Date,
): Promise<RegionalDashboardData> {
  assertPermission(actor, "dashboards:read");
  const visibility = await dashboardVisibility(db, actor, query.region);
  const year = query.year ?? parisLocalTime(now).year;
  const figures = await authorityViewsRepo.regionalFigures(db, visibility, parisMonthStarts(year));
  return { year, regionCode: visibility.regionCode, ...figures };
}
