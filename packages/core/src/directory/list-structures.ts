import type { StructurePage, StructureType } from "@vigie/contracts";
import { type Executor, structuresRepo } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission, structureScope } from "../access/policy.ts";
import { toStructureView } from "./present-structure.ts";
import { parseTextQuery } from "./search-text.ts";

/** A page of the directory (the `StructurePage` contract). */
export type StructurePageData = z.infer<typeof StructurePage>;

/** Filters and page of the directory list. */
export interface ListStructuresQuery {
  q?: string | undefined;
  region?: string | undefined;
  type?: StructureType | undefined;
  page: number;
  pageSize: number;
}

/**
 * The directory, filtered and paginated, restricted to what the actor may see: all of it for
 * the CERT and administrators, their region for an ARS, their own structures for a declarant.
 */
export async function listStructures(
  db: Executor,
  actor: Actor | null,
  query: ListStructuresQuery,
): Promise<StructurePageData> {
  assertPermission(actor, "structures:read");
  const q = query.q?.trim();
  const { rows, total } = await structuresRepo.listStructures(
    db,
    {
      visibility: structureScope(actor),
      text: q ? parseTextQuery(q) : undefined,
      regionCode: query.region,
      structureType: query.type,
    },
    { offset: (query.page - 1) * query.pageSize, limit: query.pageSize },
  );
  return { items: rows.map(toStructureView), total, page: query.page, pageSize: query.pageSize };
}
