import {
  type Expression,
  type Insertable,
  type Selectable,
  type SqlBool,
  sql,
  type Updateable,
} from "kysely";
import type { Executor } from "../executor.ts";
import type { StructuresTable } from "../schema.ts";

export type StructureRow = Selectable<StructuresTable>;
/** A structure with its region's name, as shown on its record. */
export type StructureWithRegionRow = StructureRow & { region_name: string | null };

/** The columns a FINESS import owns; everything else (GHT, OSE/OIV, contacts…) is the CERT's. */
export type ImportedStructure = Pick<
  Insertable<StructuresTable>,
  | "finess_et"
  | "finess_ej"
  | "name"
  | "long_name"
  | "structure_type"
  | "legal_status"
  | "category"
  | "region_code"
  | "department_code"
  | "town"
  | "postal_code"
  | "phone"
  | "siret"
  | "search_text"
  | "source"
>;

/** What an import compares a file line with. */
export type StructureImportState = Pick<
  StructureRow,
  | "id"
  | "finess_et"
  | "finess_ej"
  | "name"
  | "long_name"
  | "structure_type"
  | "structure_type_set_by_hand"
  | "legal_status"
  | "category"
  | "region_code"
  | "department_code"
  | "town"
  | "postal_code"
  | "phone"
  | "siret"
  | "search_text"
  | "source"
>;

/**
 * Which structures a query may return; the same shape as core's `StructureScope`, restated
 * here because the database layer does not depend on the domain.
 */
export type StructureVisibility =
  | { kind: "all" }
  | { kind: "region"; regionCode: string }
  | { kind: "structures"; structureIds: readonly string[] }
  | { kind: "none" };

/** A text query already normalised by the caller (lower-case, accent-free words). */
export interface StructureTextQuery {
  /** Upper-cased FINESS prefix when the text looks like one, else null. */
  finessPrefix: string | null;
  /** Normalised words that must all appear in `search_text`. */
  words: readonly string[];
  /** The normalised words joined by one space, used to rank name matches. */
  phrase: string;
}

// translate() needs equal-length strings: each accented letter maps to one plain letter. Upper
// case is listed too because lower() leaves non-ASCII letters alone under the C locale.
const ACCENTED = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŸŒÆ";
const PLAIN = "aaaaaaceeeeiiiinooooouuuuyyoaaaaaaaceeeeiiiinooooouuuuyyoa";

function normalisedName() {
  return sql<string>`regexp_replace(lower(translate(s.name, ${ACCENTED}, ${PLAIN})), '[^a-z0-9]+', ' ', 'g')`;
}

function textMatch(query: StructureTextQuery): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [];
  if (query.words.length > 0) {
    conditions.push(
      sql<SqlBool>`(${sql.join(
        query.words.map((w) => sql`s.search_text ilike ${`%${w}%`}`),
        sql` and `,
      )})`,
    );
  }
  if (query.finessPrefix) {
    conditions.push(sql<SqlBool>`s.finess_et like ${`${query.finessPrefix}%`}`);
    conditions.push(sql<SqlBool>`s.finess_ej = ${query.finessPrefix}`);
  }
  if (conditions.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(conditions, sql` or `)})`;
}

function visibilityMatch(visibility: StructureVisibility): Expression<SqlBool> {
  switch (visibility.kind) {
    case "all":
      return sql<SqlBool>`true`;
    case "region":
      return sql<SqlBool>`s.region_code = ${visibility.regionCode}`;
    case "structures":
      if (visibility.structureIds.length === 0) return sql<SqlBool>`false`;
      return sql<SqlBool>`s.id in (${sql.join(visibility.structureIds.map((id) => sql`${id}::uuid`))})`;
    case "none":
      return sql<SqlBool>`false`;
  }
}

/**
 * Autocomplete: structures matching a FINESS prefix or every word, best first — exact FINESS,
 * FINESS prefix, name starting with the text, a name word starting with it, name containing
 * it, then matches on the long name or the town.
 */
export function searchStructures(db: Executor, query: StructureTextQuery, limit: number) {
  const finess = query.finessPrefix ?? "";
  const name = normalisedName();
  const rank = sql<number>`case
      when s.finess_et = ${finess} then 0
      when ${finess} <> '' and s.finess_et like ${`${finess}%`} then 1
      when ${query.phrase} <> '' and ${name} like ${`${query.phrase}%`} then 2
      when ${query.phrase} <> '' and ${name} like ${`% ${query.phrase}%`} then 3
      when ${query.phrase} <> '' and ${name} like ${`%${query.phrase}%`} then 4
      else 5 end`;
  return db
    .selectFrom("structures as s")
    .select(["s.id", "s.finess_et", "s.name", "s.town", "s.department_code", "s.structure_type"])
    .where(textMatch(query))
    .orderBy(rank)
    .orderBy("s.name")
    .orderBy("s.finess_et")
    .limit(limit)
    .execute();
}

/** Filters of the directory list. */
export interface StructureListFilter {
  visibility: StructureVisibility;
  text?: StructureTextQuery | undefined;
  regionCode?: string | undefined;
  structureType?: string | undefined;
}

function listQuery(db: Executor, filter: StructureListFilter) {
  let query = db
    .selectFrom("structures as s")
    .leftJoin("regions as r", "r.code", "s.region_code")
    .where(visibilityMatch(filter.visibility));
  if (filter.text) query = query.where(textMatch(filter.text));
  if (filter.regionCode) query = query.where("s.region_code", "=", filter.regionCode);
  if (filter.structureType) query = query.where("s.structure_type", "=", filter.structureType);
  return query;
}

/** One page of the directory within the visibility and filters, by name, and the total count. */
export async function listStructures(
  db: Executor,
  filter: StructureListFilter,
  page: { offset: number; limit: number },
): Promise<{ rows: StructureWithRegionRow[]; total: number }> {
  const rows = await listQuery(db, filter)
    .selectAll("s")
    .select("r.name as region_name")
    .orderBy("s.name")
    .orderBy("s.finess_et")
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  const count = await listQuery(db, filter)
    .select((eb) => eb.fn.countAll<string>().as("total"))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(count.total) };
}

/** A structure with its region's name, or undefined. */
export function findStructureById(db: Executor, id: string): Promise<StructureWithRegionRow | undefined> {
  return db
    .selectFrom("structures as s")
    .leftJoin("regions as r", "r.code", "s.region_code")
    .selectAll("s")
    .select("r.name as region_name")
    .where("s.id", "=", id)
    .executeTakeFirst();
}

/** A structure by its FINESS ET number, or undefined. */
export function findStructureByFiness(db: Executor, finessEt: string): Promise<StructureRow | undefined> {
  return db.selectFrom("structures").selectAll().where("finess_et", "=", finessEt).executeTakeFirst();
}

/** The import-owned columns of the structures having these FINESS ET numbers. */
export function findImportStates(
  db: Executor,
  finessEts: readonly string[],
): Promise<StructureImportState[]> {
  if (finessEts.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("structures")
    .select([
      "id",
      "finess_et",
      "finess_ej",
      "name",
      "long_name",
      "structure_type",
      "structure_type_set_by_hand",
      "legal_status",
      "category",
      "region_code",
      "department_code",
      "town",
      "postal_code",
      "phone",
      "siret",
      "search_text",
      "source",
    ])
    .where("finess_et", "in", finessEts)
    .execute();
}

/**
 * Inserts or updates structures by FINESS ET in one statement. Only import-owned columns are
 * written: the CERT's GHT, OSE/OIV flags, contacts and mail domains are never touched, nor a
 * type the CERT set by hand.
 */
export async function upsertImportedStructures(
  db: Executor,
  rows: readonly ImportedStructure[],
  now: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto("structures")
    .values(rows.map((r) => ({ ...r, created_at: now, updated_at: now })))
    .onConflict((oc) =>
      oc.column("finess_et").doUpdateSet((eb) => ({
        finess_ej: eb.ref("excluded.finess_ej"),
        name: eb.ref("excluded.name"),
        long_name: eb.ref("excluded.long_name"),
        structure_type: sql<string>`case when structures.structure_type_set_by_hand
          then structures.structure_type else excluded.structure_type end`,
        legal_status: eb.ref("excluded.legal_status"),
        category: eb.ref("excluded.category"),
        region_code: eb.ref("excluded.region_code"),
        department_code: eb.ref("excluded.department_code"),
        town: eb.ref("excluded.town"),
        postal_code: eb.ref("excluded.postal_code"),
        phone: eb.ref("excluded.phone"),
        siret: eb.ref("excluded.siret"),
        search_text: eb.ref("excluded.search_text"),
        source: eb.ref("excluded.source"),
        updated_at: eb.ref("excluded.updated_at"),
      })),
    )
    .execute();
}

/** Updates a structure and returns it with its region's name. */
export async function updateStructure(
  db: Executor,
  id: string,
  changes: Updateable<StructuresTable>,
  now: Date,
): Promise<StructureWithRegionRow | undefined> {
  const updated = await db
    .updateTable("structures")
    .set({ ...changes, updated_at: now })
    .where("id", "=", id)
    .returning("id")
    .executeTakeFirst();
  return updated ? findStructureById(db, id) : undefined;
}

/** Number of structures in the directory. */
export async function countStructures(db: Executor): Promise<number> {
  const row = await db
    .selectFrom("structures")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
