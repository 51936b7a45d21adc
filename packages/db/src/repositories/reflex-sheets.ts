import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../executor.ts";
import type { ReflexSheetSendingsTable, ReflexSheetsTable, ReflexSheetVersionsTable } from "../schema.ts";

export type ReflexSheetRow = Selectable<ReflexSheetsTable>;
export type ReflexSheetVersionRow = Selectable<ReflexSheetVersionsTable>;
export type ReflexSheetSendingRow = Selectable<ReflexSheetSendingsTable>;
/** A sheet with the TLP of its current version, as listed. */
export type ReflexSheetListRow = ReflexSheetRow & { tlp: ReflexSheetVersionRow["tlp"] };
/** A version with the name of its author (null: seeded by the system). */
export type ReflexSheetVersionWithAuthor = ReflexSheetVersionRow & { created_by_name: string | null };

/** Filters of the library. */
export interface ReflexSheetListFilter {
  /** Any of these categories. */
  categories?: readonly string[] | undefined;
  kind?: ReflexSheetRow["kind"] | undefined;
  /** Words matched (case-insensitive) in the slug, the title and the current body. */
  text?: string | undefined;
  includeArchived?: boolean | undefined;
}

/** Inserts a sheet's head row (its first version is inserted separately). */
export function insertSheet(trx: Executor, row: Insertable<ReflexSheetsTable>): Promise<ReflexSheetRow> {
  return trx.insertInto("reflex_sheets").values(row).returningAll().executeTakeFirstOrThrow();
}

/** Inserts a version; versions are never updated afterwards. */
export function insertVersion(
  trx: Executor,
  row: Insertable<ReflexSheetVersionsTable>,
): Promise<ReflexSheetVersionRow> {
  return trx.insertInto("reflex_sheet_versions").values(row).returningAll().executeTakeFirstOrThrow();
}

/** One sheet by id. */
export function findSheetById(db: Executor, id: string): Promise<ReflexSheetRow | undefined> {
  return db.selectFrom("reflex_sheets").selectAll().where("id", "=", id).executeTakeFirst();
}

/** One sheet by slug. */
export function findSheetBySlug(db: Executor, slug: string): Promise<ReflexSheetRow | undefined> {
  return db.selectFrom("reflex_sheets").selectAll().where("slug", "=", slug).executeTakeFirst();
}

/** One sheet, row-locked until the caller's transaction ends (edits are serialised per sheet). */
export function lockSheet(trx: Executor, id: string): Promise<ReflexSheetRow | undefined> {
  return trx.selectFrom("reflex_sheets").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
}

/** Points a sheet at a new current version (and its title, and optionally a new category). */
export function updateSheetHead(
  trx: Executor,
  id: string,
  changes: { title: string; current_version: number; updated_at: Date; category?: string | undefined },
): Promise<ReflexSheetRow> {
  return trx
    .updateTable("reflex_sheets")
    .set({
      title: changes.title,
      current_version: changes.current_version,
      updated_at: changes.updated_at,
      ...(changes.category ? { category: changes.category } : {}),
    })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Archives a sheet; undefined when it does not exist or is already archived. */
export function archiveSheet(trx: Executor, id: string, at: Date): Promise<ReflexSheetRow | undefined> {
  return trx
    .updateTable("reflex_sheets")
    .set({ archived_at: at, updated_at: at })
    .where("id", "=", id)
    .where("archived_at", "is", null)
    .returningAll()
    .executeTakeFirst();
}

/** The library, by category then title, each sheet with its current TLP. */
export function listSheets(db: Executor, filter: ReflexSheetListFilter): Promise<ReflexSheetListRow[]> {
  let query = db
    .selectFrom("reflex_sheets as s")
    .innerJoin("reflex_sheet_versions as v", (join) =>
      join.onRef("v.sheet_id", "=", "s.id").onRef("v.version", "=", "s.current_version"),
    )
    .selectAll("s")
    .select("v.tlp");
  if (!filter.includeArchived) query = query.where("s.archived_at", "is", null);
  if (filter.categories) {
    if (filter.categories.length === 0) return Promise.resolve([]);
    query = query.where("s.category", "in", [...filter.categories]);
  }
  if (filter.kind) query = query.where("s.kind", "=", filter.kind);
  if (filter.text) {
    const pattern = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb("s.slug", "ilike", pattern),
        eb("s.title", "ilike", pattern),
        eb("v.body", "ilike", pattern),
      ]),
    );
  }
  return query.orderBy("s.category").orderBy("s.title").orderBy("s.id").execute();
}

/** Every version of a sheet, newest first, with its author's name. */
export function listVersions(db: Executor, sheetId: string): Promise<ReflexSheetVersionWithAuthor[]> {
  return db
    .selectFrom("reflex_sheet_versions as v")
    .leftJoin("users as u", "u.id", "v.created_by_user_id")
    .selectAll("v")
    .select("u.full_name as created_by_name")
    .where("v.sheet_id", "=", sheetId)
    .orderBy("v.version", "desc")
    .execute();
}

/** One version of a sheet. */
export function findVersion(
  db: Executor,
  sheetId: string,
  version: number,
): Promise<ReflexSheetVersionRow | undefined> {
  return db
    .selectFrom("reflex_sheet_versions")
    .selectAll()
    .where("sheet_id", "=", sheetId)
    .where("version", "=", version)
    .executeTakeFirst();
}

/** Records that a sheet version was sent on a declaration's thread. */
export function insertSending(
  trx: Executor,
  row: Insertable<ReflexSheetSendingsTable>,
): Promise<ReflexSheetSendingRow> {
  return trx.insertInto("reflex_sheet_sendings").values(row).returningAll().executeTakeFirstOrThrow();
}

/** The sheets sent on a declaration, oldest first. */
export function listSendingsForIncident(db: Executor, incidentId: string): Promise<ReflexSheetSendingRow[]> {
  return db
    .selectFrom("reflex_sheet_sendings")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .orderBy("sent_at")
    .orderBy("id")
    .execute();
}
