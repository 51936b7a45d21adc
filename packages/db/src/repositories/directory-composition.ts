import type { Executor } from "../executor.ts";

/**
 * How many structures of each type the directory holds, in one region or in all: the
 * denominators of the observatory's « part des établissements » (figure 9 of the report).
 */
export async function countStructuresByType(
  db: Executor,
  regionCode: string | null,
): Promise<Record<string, number>> {
  let query = db
    .selectFrom("structures")
    .select(["structure_type", (eb) => eb.fn.countAll<string>().as("count")])
    .groupBy("structure_type");
  if (regionCode !== null) query = query.where("region_code", "=", regionCode);
  const rows = await query.execute();
  return Object.fromEntries(rows.map((row) => [row.structure_type, Number(row.count)]));
}
