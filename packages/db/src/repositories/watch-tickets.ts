import { type Insertable, type Selectable, sql } from "kysely";
import type { Executor } from "../executor.ts";
import type { WatchTicketHistoryTable, WatchTicketsTable } from "../schema.ts";

export type WatchTicketRow = Selectable<WatchTicketsTable>;
export type NewWatchTicketRow = Insertable<WatchTicketsTable>;
export type NewWatchTicketHistoryRow = Insertable<WatchTicketHistoryTable>;

/** What recording a finding needs to know of the ticket it may already have. */
export type ExistingTicketRow = Pick<
  WatchTicketRow,
  "id" | "structure_id" | "finding_key" | "status" | "urgency" | "due_on" | "false_positive_until"
>;

/** The tickets of these (structure, finding key) pairs, in one query. */
export function findTicketsByKeys(
  db: Executor,
  keys: readonly { structureId: string; findingKey: string }[],
): Promise<ExistingTicketRow[]> {
  if (keys.length === 0) return Promise.resolve([]);
  const structureIds = keys.map((k) => k.structureId);
  const findingKeys = keys.map((k) => k.findingKey);
  return db
    .selectFrom("watch_tickets as t")
    .innerJoin(
      sql<{
        structure_id: string;
        finding_key: string;
      }>`(select unnest(${structureIds}::uuid[]) as structure_id, unnest(${findingKeys}::text[]) as finding_key)`.as(
        "k",
      ),
      (join) =>
        join.onRef("k.structure_id", "=", "t.structure_id").onRef("k.finding_key", "=", "t.finding_key"),
    )
    .select([
      "t.id",
      "t.structure_id",
      "t.finding_key",
      "t.status",
      "t.urgency",
      "t.due_on",
      "t.false_positive_until",
    ])
    .execute();
}

/** Inserts new tickets; returns their ids in the order given. */
export async function insertTickets(db: Executor, rows: readonly NewWatchTicketRow[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await db
    .insertInto("watch_tickets")
    .values([...rows])
    .returning("id")
    .execute();
  return inserted.map((r) => r.id);
}

/** One ticket seen again by a finding: what changes. */
export interface SeenTicketUpdate {
  id: string;
  status: string;
  urgency: string;
  confidence: string;
  details: string;
  dueOn: string | null;
  /** true when the ticket is reopened: the fix, the false positive and the last notice are forgotten. */
  reopen: boolean;
}

/** Applies the updates of tickets seen again, in one statement. */
export async function updateSeenTickets(
  db: Executor,
  updates: readonly SeenTicketUpdate[],
  now: Date,
): Promise<void> {
  if (updates.length === 0) return;
  const col = <K extends keyof SeenTicketUpdate>(key: K) => updates.map((u) => u[key]);
  await sql`
    update watch_tickets t set
      status = v.status,
      urgency = v.urgency,
      confidence = v.confidence,
      details = v.details::jsonb,
      due_on = v.due_on::date,
      last_seen_at = ${now},
      updated_at = ${now},
      fixed_at = case when v.reopen then null else t.fixed_at end,
      false_positive_until = case when v.reopen then null else t.false_positive_until end,
      false_positive_reason = case when v.reopen then null else t.false_positive_reason end,
      notified_urgency = case when v.reopen then null else t.notified_urgency end
    from (
      select unnest(${col("id")}::uuid[]) as id, unnest(${col("status")}::text[]) as status,
        unnest(${col("urgency")}::text[]) as urgency, unnest(${col("confidence")}::text[]) as confidence,
        unnest(${col("details")}::text[]) as details, unnest(${col("dueOn")}::text[]) as due_on,
        unnest(${col("reopen")}::boolean[]) as reopen
    ) v
    where t.id = v.id
  `.execute(db);
}

/** Which open tickets a matching pass evaluated (see core/watch/tickets/record-findings.ts). */
export interface TicketScopeFilter {
  kinds: readonly string[];
  openStatuses: readonly string[];
  structureIds?: readonly string[];
  assetIds?: readonly string[];
  cveIds?: readonly string[];
}

/** The open tickets within a scope: kinds, and structures, and (assets or CVEs) when given. */
export function listOpenTicketsInScope(db: Executor, scope: TicketScopeFilter): Promise<ExistingTicketRow[]> {
  let query = db
    .selectFrom("watch_tickets")
    .select(["id", "structure_id", "finding_key", "status", "urgency", "due_on", "false_positive_until"])
    .where("kind", "in", [...scope.kinds])
    .where("status", "in", [...scope.openStatuses]);
  if (scope.structureIds) {
    if (scope.structureIds.length === 0) return Promise.resolve([]);
    query = query.where("structure_id", "in", [...scope.structureIds]);
  }
  const { assetIds, cveIds } = scope;
  if (assetIds || cveIds) {
    if ((assetIds?.length ?? 0) === 0 && (cveIds?.length ?? 0) === 0) return Promise.resolve([]);
    query = query.where((eb) =>
      eb.or([
        ...(assetIds?.length ? [eb("asset_id", "in", [...assetIds])] : []),
        ...(cveIds?.length ? [eb("cve_id", "in", [...cveIds])] : []),
      ]),
    );
  }
  return query.execute();
}

/** Marks tickets fixed (only those still in one of `fromStatuses`); returns the ids changed. */
export async function markTicketsFixed(
  db: Executor,
  ids: readonly string[],
  fromStatuses: readonly string[],
  now: Date,
): Promise<{ id: string; status_before: string; urgency: string }[]> {
  if (ids.length === 0) return [];
  const result = await sql<{ id: string; status_before: string; urgency: string }>`
    update watch_tickets t set status = 'fixed', fixed_at = ${now}, updated_at = ${now}
    from (select id, status as status_before from watch_tickets where id = any(${[...ids]}::uuid[]) for update) b
    where t.id = b.id and b.status_before = any(${[...fromStatuses]}::text[])
    returning t.id, b.status_before, t.urgency
  `.execute(db);
  return result.rows;
}

/** Appends rows to the tickets' history. */
export async function insertTicketHistory(
  db: Executor,
  rows: readonly NewWatchTicketHistoryRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto("watch_ticket_history")
    .values([...rows])
    .execute();
}
