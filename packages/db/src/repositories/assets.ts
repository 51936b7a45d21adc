import { type Insertable, type Selectable, sql, type Updateable } from "kysely";
import type { Executor } from "../executor.ts";
import type { AssetsTable } from "../schema.ts";

export type AssetRow = Selectable<AssetsTable>;
/** An asset with its structure's name and FINESS, and its open tickets. */
export type AssetWithStructureRow = AssetRow & {
  structure_name: string;
  structure_finess: string;
  open_tickets: number;
};
export type NewAssetRow = Insertable<AssetsTable>;

/** Who owns a domain or a network that a new asset would take. */
export interface AssetOwnerRow {
  id: string;
  structure_id: string;
  structure_name: string;
  structure_finess: string;
  kind: string;
  domain: string | null;
  network: string | null;
}

/** Filters of the inventory. */
export interface AssetListFilter {
  /** Only these structures; undefined: every structure. */
  structureIds?: readonly string[] | undefined;
  kind?: string | undefined;
  /** Words matched (case-insensitive) in the domain, network, host, vendor, product, version, service, label. */
  text?: string | undefined;
}

const OPEN_STATUSES = ["new", "notified", "acknowledged", "reopened"] as const;

/**
 * Serialises the changes to every structure's inventory until the transaction ends: ownership
 * (a domain or an overlapping range taken by another structure) is checked then written, and
 * two structures declaring the same range at once must not both pass the check.
 */
export async function lockOwnership(trx: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('vigie.assets.ownership'))`.execute(trx);
}

function withStructure(db: Executor) {
  return db
    .selectFrom("assets as a")
    .innerJoin("structures as s", "s.id", "a.structure_id")
    .selectAll("a")
    .select([
      "s.name as structure_name",
      "s.finess_et as structure_finess",
      sql<number>`(select count(*)::int from watch_tickets t where t.asset_id = a.id and t.status in (${sql.join(
        OPEN_STATUSES.map((status) => sql`${status}`),
      )}))`.as("open_tickets"),
    ]);
}

function filtered(db: Executor, filter: AssetListFilter) {
  let query = db.selectFrom("assets as a").innerJoin("structures as s", "s.id", "a.structure_id");
  if (filter.structureIds) {
    if (filter.structureIds.length === 0) return query.where(sql<boolean>`false`);
    query = query.where("a.structure_id", "in", filter.structureIds);
  }
  if (filter.kind) query = query.where("a.kind", "=", filter.kind);
  for (const word of (filter.text ?? "").split(/\s+/).filter(Boolean)) {
    const like = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(
      sql<boolean>`concat_ws(' ', a.domain, a.network::text, a.host, a.vendor, a.product, a.version, a.cpe,
        a.service, a.label, s.name, s.finess_et) ilike ${like}`,
    );
  }
  return query;
}

/** One page of assets (by structure name, kind, then value) and the total count. */
export async function listAssets(
  db: Executor,
  filter: AssetListFilter,
  page: { offset: number; limit: number },
): Promise<{ rows: AssetWithStructureRow[]; total: number }> {
  const ids = await filtered(db, filter)
    .select("a.id")
    .orderBy("s.name")
    .orderBy("a.kind")
    .orderBy(sql`coalesce(a.domain, a.network::text, a.host, '')`)
    .orderBy("a.product")
    .orderBy("a.port")
    .orderBy("a.id")
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  const count = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<string>().as("total"))
    .executeTakeFirstOrThrow();
  if (ids.length === 0) return { rows: [], total: Number(count.total) };
  const rows = await withStructure(db)
    .where(
      "a.id",
      "in",
      ids.map((r) => r.id),
    )
    .execute();
  const order = new Map(ids.map((r, i) => [r.id, i]));
  rows.sort((x, y) => (order.get(x.id) ?? 0) - (order.get(y.id) ?? 0));
  return { rows, total: Number(count.total) };
}

/** One asset with its structure, or undefined. */
export function findAssetById(db: Executor, id: string): Promise<AssetWithStructureRow | undefined> {
  return withStructure(db).where("a.id", "=", id).executeTakeFirst();
}

/** Every asset of a structure (the CSV import compares against them). */
export function listStructureAssets(db: Executor, structureId: string): Promise<AssetRow[]> {
  return db.selectFrom("assets").selectAll().where("structure_id", "=", structureId).execute();
}

/** The asset holding this domain, whatever its structure. */
export function findDomainOwner(db: Executor, domain: string): Promise<AssetOwnerRow | undefined> {
  return db
    .selectFrom("assets as a")
    .innerJoin("structures as s", "s.id", "a.structure_id")
    .select([
      "a.id",
      "a.structure_id",
      "s.name as structure_name",
      "s.finess_et as structure_finess",
      "a.kind",
      "a.domain",
      "a.network",
    ])
    .where("a.kind", "=", "domain")
    .where("a.domain", "=", domain)
    .executeTakeFirst();
}

/**
 * The addresses and ranges overlapping a network (`&&`: either contains the other), whatever
 * their structure, except the asset being edited; answered by the gist index.
 */
export function findOverlappingNetworks(
  db: Executor,
  network: string,
  exceptAssetId?: string,
): Promise<AssetOwnerRow[]> {
  let query = db
    .selectFrom("assets as a")
    .innerJoin("structures as s", "s.id", "a.structure_id")
    .select([
      "a.id",
      "a.structure_id",
      "s.name as structure_name",
      "s.finess_et as structure_finess",
      "a.kind",
      "a.domain",
      sql<string>`a.network::text`.as("network"),
    ])
    .where("a.network", "is not", null)
    .where(sql<boolean>`a.network && ${network}::cidr`);
  if (exceptAssetId) query = query.where("a.id", "<>", exceptAssetId);
  return query.orderBy("a.network").execute();
}

/** Inserts assets (one statement). */
export async function insertAssets(trx: Executor, rows: readonly NewAssetRow[]): Promise<AssetRow[]> {
  if (rows.length === 0) return [];
  return trx
    .insertInto("assets")
    .values([...rows])
    .returningAll()
    .execute();
}

/** Replaces an asset's fields. */
export function updateAsset(
  trx: Executor,
  id: string,
  changes: Updateable<AssetsTable>,
): Promise<AssetRow | undefined> {
  return trx.updateTable("assets").set(changes).where("id", "=", id).returningAll().executeTakeFirst();
}

/** Deletes an asset (its tickets keep their history, `asset_id` set to null). */
export async function deleteAsset(trx: Executor, id: string): Promise<boolean> {
  const result = await trx.deleteFrom("assets").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
