import type { RegionView } from "@vigie/contracts";
import { type Executor, regionsRepo } from "@vigie/db";
import type { z } from "zod";

/** A region and its ARS (the `RegionView` contract). */
export type RegionViewData = z.infer<typeof RegionView>;

/** The regions with their ARS: metropolitan regions first, each group in French alphabetical order. */
export async function listRegions(db: Executor): Promise<RegionViewData[]> {
  const rows = await regionsRepo.listRegions(db);
  return rows
    .map((r) => ({
      code: r.code,
      name: r.name,
      iso: r.iso,
      arsName: r.ars_name,
      metropolitan: r.metropolitan,
    }))
    .sort((a, b) => Number(b.metropolitan) - Number(a.metropolitan) || a.name.localeCompare(b.name, "fr"));
}
