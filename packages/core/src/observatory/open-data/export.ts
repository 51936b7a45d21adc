import type { ObservatoryDocument, ObservatoryQuery } from "@vigie/contracts";
import type { Executor } from "@vigie/db";
import { type Actor, assertPermission } from "../../access/policy.ts";
import { computeObservatory } from "../compute.ts";
import { authorizeObservatoryRegion } from "../read-observatory.ts";
import { openDataCsv, openDataFileNames } from "./csv.ts";
import { openDataJsonSchema } from "./json-schema.ts";
import { openDataRegionCodes } from "./regions.ts";
import { buildOpenDataRows, type OpenDataRow } from "./table.ts";

/**
 * The open-data rows of a Paris calendar year (decision 0010): the national document and the 18
 * regional ones, computed in one read-only repeatable-read transaction (one snapshot, so the
 * regions never count a declaration the national figure missed), turned into protected rows.
 */
export async function computeOpenDataRows(db: Executor, year: number): Promise<OpenDataRow[]> {
  const compute = async (tx: Executor) => {
    const national = await computeObservatory(tx, { year, region: null });
    const regions: Record<string, ObservatoryDocument> = {};
    for (const code of openDataRegionCodes)
      regions[code] = await computeObservatory(tx, { year, region: code });
    return buildOpenDataRows({ year, national, regions });
  };
  if (db.isTransaction) return compute(db);
  return db.transaction().setIsolationLevel("repeatable read").setAccessMode("read only").execute(compute);
}

/** The open-data files of a year, ready to write: the CSV and its JSON Schema. */
export interface OpenDataFiles {
  year: number;
  rows: OpenDataRow[];
  csv: { fileName: string; content: string };
  schema: { fileName: string; content: string };
}

/** `vigie opendata`: the whole file (national, every region, declarations without region). */
export async function exportOpenData(db: Executor, year: number): Promise<OpenDataFiles> {
  const rows = await computeOpenDataRows(db, year);
  const names = openDataFileNames(year);
  return {
    year,
    rows,
    csv: { fileName: names.csv, content: openDataCsv(rows) },
    schema: { fileName: names.schema, content: `${JSON.stringify(openDataJsonSchema(), null, 2)}\n` },
  };
}

/**
 * `GET /api/observatory/open-data`: `observatory:read`. The CERT and the national authorities
 * get the whole file, or one region's lines (`region`); an ARS gets only its region's lines (a
 * request without region is answered for it, another region is refused, the refusal audited).
 * The lines are those of the whole file, cut out after disclosure control of the whole table,
 * so an ARS reads exactly what is published for its region.
 */
export async function getOpenDataCsv(
  db: Executor,
  actor: Actor | null,
  query: ObservatoryQuery,
  context: { now?: Date; ip?: string | null } = {},
): Promise<{ fileName: string; content: string }> {
  const region = await authorizeObservatoryRegion(db, actor, query, {
    action: "observatory.open_data",
    ...context,
  });
  const rows = await computeOpenDataRows(db, query.year);
  if (region === null) return { fileName: openDataFileNames(query.year).csv, content: openDataCsv(rows) };
  return {
    fileName: `observatoire-${query.year}-region-${region}.csv`,
    content: openDataCsv(rows.filter((row) => row.code_region === region)),
  };
}

/** `GET /api/observatory/open-data/schema`: the JSON Schema of the CSV's lines. */
export function getOpenDataSchema(actor: Actor | null): Record<string, unknown> {
  assertPermission(actor, "observatory:read");
  return openDataJsonSchema();
}
