import type { StructureType } from "@vigie/contracts";
import { type Executor, structuresRepo } from "@vigie/db";
import { type Actor, assertPermission } from "../access/policy.ts";
import type { StructureHitData } from "./present-structure.ts";
import { parseTextQuery } from "./search-text.ts";

/**
 * The declaration form's autocomplete: structures by FINESS (exact, then prefix) or by words
 * of the name, long name or town, accent- and case-insensitive. Open to every role that may
 * search the directory: hits carry public directory fields only.
 */
export async function searchStructures(
  db: Executor,
  actor: Actor | null,
  query: { q: string; limit: number },
): Promise<StructureHitData[]> {
  assertPermission(actor, "directory:search");
  const text = parseTextQuery(query.q);
  if (text.words.length === 0 && !text.finessPrefix) return [];
  const rows = await structuresRepo.searchStructures(db, text, query.limit);
  return rows.map((r) => ({
    id: r.id,
    finessEt: r.finess_et,
    name: r.name,
    town: r.town,
    departmentCode: r.department_code,
    structureType: r.structure_type as StructureType,
  }));
}
