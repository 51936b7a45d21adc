import type { StructureType } from "@vigie/contracts";
import { type Executor, structuresRepo } from "@vigie/db";
import type { StructureHitData } from "./present-structure.ts";
import { parseTextQuery } from "./search-text.ts";

/**
 * The autocomplete of the declaration and registration forms: structures by FINESS (exact, then
 * prefix) or by words of the name, long name or town, accent- and case-insensitive. Hits carry
 * only the public fields of the FINESS registry (open data), so anyone may search — including a
 * declarant registering, or declaring without an account.
 */
export async function searchStructures(
  db: Executor,
  query: { q: string; limit: number },
): Promise<StructureHitData[]> {
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
