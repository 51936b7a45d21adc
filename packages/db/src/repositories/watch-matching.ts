import { type Insertable, type Selectable, sql } from "kysely";
import type { Executor } from "../executor.ts";
import type { VulnerabilitiesTable, VulnerabilityCriteriaTable, WatchMatchRunsTable } from "../schema.ts";

export type WatchMatchRunRow = Selectable<WatchMatchRunsTable>;

/** What matching reads of a vulnerability. */
export interface MatchVulnerabilityRow {
  cve_id: string;
  description: string | null;
  in_kev: boolean;
  kev_ransomware: boolean;
  kev_vendor: string | null;
  kev_product: string | null;
  kev_name: string | null;
  kev_action: string | null;
  advisory_ids: string[];
}

/** One criterion as matching reads it. */
export interface MatchCriterionRow {
  cve_id: string;
  criteria: string;
  vendor: string;
  product: string;
  version: string;
  version_start_including: string | null;
  version_start_excluding: string | null;
  version_end_including: string | null;
  version_end_excluding: string | null;
}

/** What matching reads of an asset. */
export interface MatchAssetRow {
  id: string;
  structure_id: string;
  kind: string;
  host: string | null;
  port: number | null;
  service: string | null;
  vendor: string | null;
  product: string | null;
  version: string | null;
  cpe: string | null;
  match_vendor: string | null;
  match_product: string | null;
}

const ASSET_COLUMNS = [
  "id",
  "structure_id",
  "kind",
  "host",
  "port",
  "service",
  "vendor",
  "product",
  "version",
  "cpe",
  "match_vendor",
  "match_product",
] as const;

/** Every vulnerability (a few thousand rows: the KEV catalog and the NVD records kept). */
export function listMatchVulnerabilities(db: Executor): Promise<MatchVulnerabilityRow[]> {
  return db
    .selectFrom("vulnerabilities")
    .select([
      "cve_id",
      "description",
      "in_kev",
      "kev_ransomware",
      "kev_vendor",
      "kev_product",
      "kev_name",
      "kev_action",
      "advisory_ids",
    ])
    .execute();
}

/** Every criterion, loaded once per run and grouped in memory by vendor and product. */
export function listMatchCriteria(db: Executor): Promise<MatchCriterionRow[]> {
  return db
    .selectFrom("vulnerability_criteria")
    .select([
      "cve_id",
      "criteria",
      "vendor",
      "product",
      "version",
      "version_start_including",
      "version_start_excluding",
      "version_end_including",
      "version_end_excluding",
    ])
    .execute();
}

/** Which assets a page reads. */
export type MatchAssetSelection =
  | { kind: "all" }
  | { kind: "updated_since"; since: Date }
  | {
      kind: "products";
      /** CPE vendor and product pairs ('' for assets without a vendor). */
      pairs: readonly { vendor: string; product: string }[];
      /** Every asset of these vendors (KEV entries matched on names). */
      vendors: readonly string[];
    };

/**
 * One page of product and service assets, in id order after `afterId` (keyset pagination,
 * memory bounded by `limit`). The `products` selection reads the `assets_match_idx` index.
 */
export function listMatchAssets(
  db: Executor,
  selection: MatchAssetSelection,
  afterId: string | null,
  limit: number,
): Promise<MatchAssetRow[]> {
  let query = db
    .selectFrom("assets")
    .select([...ASSET_COLUMNS])
    .where("kind", "in", ["product", "service"]);
  if (afterId) query = query.where("id", ">", afterId);
  if (selection.kind === "updated_since") query = query.where("updated_at", ">", selection.since);
  if (selection.kind === "products") {
    const { pairs, vendors } = selection;
    if (pairs.length === 0 && vendors.length === 0) return Promise.resolve([]);
    const vendorsOf = pairs.map((p) => p.vendor);
    const productsOf = pairs.map((p) => p.product);
    query = query
      .where("match_product", "is not", null)
      .where((eb) =>
        eb.or([
          ...(pairs.length
            ? [
                sql<boolean>`(match_vendor, match_product) in (select * from unnest(${vendorsOf}::text[], ${productsOf}::text[]))`,
              ]
            : []),
          ...(vendors.length ? [sql<boolean>`match_vendor = any(${[...vendors]}::text[])`] : []),
        ]),
      );
  }
  return query.orderBy("id").limit(limit).execute();
}

/** How many product or service assets changed since a time. */
export async function countAssetsUpdatedSince(db: Executor, since: Date): Promise<number> {
  const row = await db
    .selectFrom("assets")
    .select(sql<string>`count(*)`.as("n"))
    .where("kind", "in", ["product", "service"])
    .where("updated_at", ">", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The CVEs whose matching inputs changed since a time (criteria, KEV membership, ransomware use). */
export async function listVulnerabilitiesChangedSince(db: Executor, since: Date): Promise<string[]> {
  const rows = await db
    .selectFrom("vulnerabilities")
    .select("cve_id")
    .where("match_changed_at", ">", since)
    .orderBy("cve_id")
    .execute();
  return rows.map((r) => r.cve_id);
}

/** The criteria vendor and product pairs of some CVEs. */
export async function listCriteriaProducts(
  db: Executor,
  cveIds: readonly string[],
): Promise<{ vendor: string; product: string }[]> {
  if (cveIds.length === 0) return [];
  return db
    .selectFrom("vulnerability_criteria")
    .select(["vendor", "product"])
    .distinct()
    .where(sql<boolean>`cve_id = any(${[...cveIds]}::text[])`)
    .execute();
}

/**
 * Assets that open vulnerability or service tickets point to but that matching no longer reads
 * (no longer a product or service): a full run closes their tickets.
 */
export async function listUnmatchableTicketAssets(
  db: Executor,
  kinds: readonly string[],
  openStatuses: readonly string[],
): Promise<string[]> {
  const rows = await db
    .selectFrom("watch_tickets as t")
    .leftJoin("assets as a", "a.id", "t.asset_id")
    .select("t.asset_id")
    .distinct()
    .where("t.kind", "in", [...kinds])
    .where("t.status", "in", [...openStatuses])
    .where("t.asset_id", "is not", null)
    .where((eb) => eb.or([eb("a.id", "is", null), eb("a.kind", "not in", ["product", "service"])]))
    .execute();
  return rows.map((r) => r.asset_id as string);
}

/** The start of the last finished run (of a mode when given): an incremental run looks for changes since. */
export async function lastFinishedRunStart(db: Executor, mode?: string): Promise<Date | null> {
  let query = db.selectFrom("watch_match_runs").select("started_at").where("finished_at", "is not", null);
  if (mode) query = query.where("mode", "=", mode);
  const row = await query.orderBy("started_at", "desc").limit(1).executeTakeFirst();
  return row?.started_at ?? null;
}

/** Records the start of a run. */
export async function insertMatchRun(db: Executor, mode: string, startedAt: Date): Promise<string> {
  const row = await db
    .insertInto("watch_match_runs")
    .values({ mode, started_at: startedAt })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Records the end of a run and its counts. */
export async function finishMatchRun(
  db: Executor,
  id: string,
  values: Omit<Insertable<WatchMatchRunsTable>, "id" | "mode" | "started_at">,
): Promise<WatchMatchRunRow> {
  return db
    .updateTable("watch_match_runs")
    .set(values)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The most recent runs first. */
export function listMatchRuns(db: Executor, limit: number): Promise<WatchMatchRunRow[]> {
  return db.selectFrom("watch_match_runs").selectAll().orderBy("started_at", "desc").limit(limit).execute();
}

// --- writing vulnerabilities directly (benchmark and tests without a feed file) -------------

/** Inserts or replaces vulnerabilities as given (no source bookkeeping: the feeds do that). */
export async function upsertVulnerabilityRows(
  db: Executor,
  rows: readonly Insertable<VulnerabilitiesTable>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto("vulnerabilities")
      .values(rows.slice(i, i + 1000))
      .onConflict((oc) =>
        oc.column("cve_id").doUpdateSet((eb) => ({
          description: eb.ref("excluded.description"),
          in_kev: eb.ref("excluded.in_kev"),
          kev_ransomware: eb.ref("excluded.kev_ransomware"),
          kev_vendor: eb.ref("excluded.kev_vendor"),
          kev_product: eb.ref("excluded.kev_product"),
          kev_name: eb.ref("excluded.kev_name"),
          kev_action: eb.ref("excluded.kev_action"),
          match_changed_at: eb.ref("excluded.match_changed_at"),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .execute();
  }
}

/** Appends criteria rows (several statements of at most 2 000 rows). */
export async function insertCriteriaRows(
  db: Executor,
  rows: readonly Insertable<VulnerabilityCriteriaTable>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    await db
      .insertInto("vulnerability_criteria")
      .values(rows.slice(i, i + 2000))
      .execute();
  }
}
