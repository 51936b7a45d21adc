import { type Insertable, type Selectable, sql } from "kysely";
import type { Executor } from "../executor.ts";
import type { WatchNotificationsTable, WatchTicketHistoryTable, WatchTicketsTable } from "../schema.ts";

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

// ——— Lifecycle, notifications and views (core/watch/tickets, core/watch/notifications) ———

/** A ticket with the name of its structure and whether the structure can be reached at all. */
export type TicketListRow = WatchTicketRow & {
  structure_name: string;
  /** No contact address and no active member: a notification cannot be sent. */
  no_recipient: boolean;
};

/** What the tickets list filters on; `structureIds` null means every structure. */
export interface TicketListFilter {
  structureIds: readonly string[] | null;
  statuses?: readonly string[];
  kind?: string;
  urgency?: string;
  structureId?: string;
  cveId?: string;
  /** Words searched in the title, CVE, host, IP, domain, product, e-mail and structure name. */
  q?: string;
  limit: number;
  offset: number;
}

function ticketsBase(db: Executor) {
  return db
    .selectFrom("watch_tickets as t")
    .innerJoin("structures as s", "s.id", "t.structure_id")
    .selectAll("t")
    .select("s.name as structure_name")
    .select(
      sql<boolean>`(cardinality(s.contact_emails) = 0 and not exists (
        select 1 from user_structures us join users u on u.id = us.user_id
        where us.structure_id = s.id and us.status = 'active' and u.disabled_at is null))`.as("no_recipient"),
    );
}

/** One page of tickets, most urgent first, then by deadline; with the total count. */
export async function listTickets(
  db: Executor,
  filter: TicketListFilter,
): Promise<{ rows: TicketListRow[]; total: number }> {
  if (filter.structureIds && filter.structureIds.length === 0) return { rows: [], total: 0 };
  let query = ticketsBase(db);
  if (filter.structureIds) query = query.where("t.structure_id", "in", [...filter.structureIds]);
  if (filter.statuses?.length) query = query.where("t.status", "in", [...filter.statuses]);
  if (filter.kind) query = query.where("t.kind", "=", filter.kind);
  if (filter.urgency) query = query.where("t.urgency", "=", filter.urgency);
  if (filter.structureId) query = query.where("t.structure_id", "=", filter.structureId);
  if (filter.cveId) query = query.where("t.cve_id", "=", filter.cveId.toUpperCase());
  for (const word of (filter.q ?? "").trim().split(/\s+/).filter(Boolean).slice(0, 8)) {
    const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(
      sql<boolean>`(t.details::text || ' ' || coalesce(t.cve_id, '') || ' ' || s.name) ilike ${pattern}`,
    );
  }
  const rows = await query
    .select(sql<number>`count(*) over ()::int`.as("total_count"))
    .orderBy(sql`case t.urgency when 'critical' then 0 when 'high' then 1 else 2 end`)
    .orderBy(sql`t.due_on asc nulls last`)
    .orderBy("t.first_seen_at", "desc")
    .orderBy("t.id")
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  const total = rows[0]?.total_count ?? 0;
  return { rows: rows.map(({ total_count: _total, ...row }) => row), total };
}

/** One ticket with its structure's name, or undefined. */
export function findTicket(db: Executor, id: string): Promise<TicketListRow | undefined> {
  return ticketsBase(db).where("t.id", "=", id).executeTakeFirst();
}

/** Tickets by id, locked for a change in the caller's transaction. */
export function lockTickets(db: Executor, ids: readonly string[]): Promise<WatchTicketRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("watch_tickets")
    .selectAll()
    .where("id", "in", [...ids])
    .orderBy("id")
    .forUpdate()
    .execute();
}

/** Applies a change of one ticket and returns it. */
export function updateTicket(
  db: Executor,
  id: string,
  changes: Partial<Omit<NewWatchTicketRow, "id">>,
): Promise<WatchTicketRow | undefined> {
  return db.updateTable("watch_tickets").set(changes).where("id", "=", id).returningAll().executeTakeFirst();
}

/** A history row with the name of who made the change, if a person did. */
export type TicketHistoryView = Selectable<WatchTicketHistoryTable> & {
  actor_name: string | null;
  actor_email: string | null;
};

/** The history of a ticket, oldest first. */
export function listTicketHistory(db: Executor, ticketId: string): Promise<TicketHistoryView[]> {
  return db
    .selectFrom("watch_ticket_history as h")
    .leftJoin("users as u", "u.id", "h.actor_user_id")
    .selectAll("h")
    .select(["u.full_name as actor_name", "u.email as actor_email"])
    .where("h.ticket_id", "=", ticketId)
    .orderBy("h.at")
    .orderBy("h.id")
    .execute();
}

export type WatchNotificationRow = Selectable<WatchNotificationsTable>;

/** The notifications that named a ticket, newest first. */
export function listNotificationsOfTicket(db: Executor, ticketId: string): Promise<WatchNotificationRow[]> {
  return db
    .selectFrom("watch_notifications")
    .selectAll()
    .where(sql<boolean>`${ticketId}::uuid = any(ticket_ids)`)
    .orderBy("sent_at", "desc")
    .execute();
}

/** A notification with its structure's name. */
export type NotificationListRow = WatchNotificationRow & { structure_name: string };

/** One page of notifications (newest first), optionally of one structure, with the total. */
export async function listNotifications(
  db: Executor,
  filter: { structureId?: string; acknowledged?: boolean; limit: number; offset: number },
): Promise<{ rows: NotificationListRow[]; total: number }> {
  let query = db
    .selectFrom("watch_notifications as n")
    .innerJoin("structures as s", "s.id", "n.structure_id")
    .selectAll("n")
    .select("s.name as structure_name");
  if (filter.structureId) query = query.where("n.structure_id", "=", filter.structureId);
  if (filter.acknowledged !== undefined) {
    query = query.where("n.acknowledged_at", filter.acknowledged ? "is not" : "is", null);
  }
  const rows = await query
    .select(sql<number>`count(*) over ()::int`.as("total_count"))
    .orderBy("n.sent_at", "desc")
    .orderBy("n.id")
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  const total = rows[0]?.total_count ?? 0;
  return { rows: rows.map(({ total_count: _total, ...row }) => row), total };
}

/** Short descriptions (title, status, urgency) of tickets by id. */
export function ticketBriefs(
  db: Executor,
  ids: readonly string[],
): Promise<Pick<WatchTicketRow, "id" | "status" | "urgency" | "kind" | "cve_id" | "details">[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("watch_tickets")
    .select(["id", "status", "urgency", "kind", "cve_id", "details"])
    .where("id", "in", [...ids])
    .execute();
}

/** Structures that have something to be told: new or reopened tickets, a raised urgency, or a reminder due. */
export async function structuresToNotify(db: Executor, remindBefore: Date): Promise<string[]> {
  const rows = await sql<{ structure_id: string }>`
    select distinct structure_id from watch_tickets
    where ${notifiableCondition(remindBefore)}
    order by structure_id
  `.execute(db);
  return rows.rows.map((r) => r.structure_id);
}

const URGENCY_RANK = sql`(case urgency when 'critical' then 2 when 'high' then 1 else 0 end)`;
const NOTIFIED_RANK = sql`(case notified_urgency when 'critical' then 2 when 'high' then 1 when 'normal' then 0 else -1 end)`;

function notifiableCondition(remindBefore: Date) {
  return sql`(
    status in ('new', 'reopened')
    or (status in ('notified', 'acknowledged') and notified_urgency is not null and ${URGENCY_RANK} > ${NOTIFIED_RANK})
    or (status = 'notified' and greatest(notified_at, last_reminded_at) <= ${remindBefore})
  )`;
}

/** The tickets of a structure to name in its notification, locked for the caller's transaction. */
export async function lockNotifiableTickets(
  db: Executor,
  structureId: string,
  remindBefore: Date,
): Promise<WatchTicketRow[]> {
  const rows = await sql<WatchTicketRow>`
    select * from watch_tickets
    where structure_id = ${structureId} and ${notifiableCondition(remindBefore)}
    order by id
    for update
  `.execute(db);
  return rows.rows;
}

/** Who receives a structure's notifications: its contact addresses and its active members' accounts. */
export async function structureRecipients(
  db: Executor,
  structureId: string,
): Promise<{ name: string; emails: string[] } | undefined> {
  const structure = await db
    .selectFrom("structures")
    .select(["name", "contact_emails"])
    .where("id", "=", structureId)
    .executeTakeFirst();
  if (!structure) return undefined;
  const members = await db
    .selectFrom("user_structures as us")
    .innerJoin("users as u", "u.id", "us.user_id")
    .select("u.email")
    .where("us.structure_id", "=", structureId)
    .where("us.status", "=", "active")
    .where("u.disabled_at", "is", null)
    .orderBy("u.email")
    .execute();
  const seen = new Set<string>();
  const emails: string[] = [];
  for (const email of [...structure.contact_emails, ...members.map((m) => m.email)]) {
    const key = email.trim().toLowerCase();
    if (key && !seen.has(key)) {
      seen.add(key);
      emails.push(email.trim());
    }
  }
  return { name: structure.name, emails };
}

/** Records a structure's notification of the day; undefined when one was already sent that day. */
export function insertNotification(
  db: Executor,
  row: Insertable<WatchNotificationsTable>,
): Promise<{ id: string } | undefined> {
  return db
    .insertInto("watch_notifications")
    .values(row)
    .onConflict((oc) => oc.columns(["structure_id", "paris_day"]).doNothing())
    .returning("id")
    .executeTakeFirst();
}

/** The notification of an acknowledgment link, by the hash of its secret. */
export function findNotificationByTokenHash(
  db: Executor,
  hash: string,
): Promise<WatchNotificationRow | undefined> {
  return db
    .selectFrom("watch_notifications")
    .selectAll()
    .where("ack_token_hash", "=", hash)
    .executeTakeFirst();
}

/** Marks a notification's link used (the first time only). */
export async function markNotificationAcknowledged(db: Executor, id: string, now: Date): Promise<void> {
  await db
    .updateTable("watch_notifications")
    .set({ acknowledged_at: now })
    .where("id", "=", id)
    .where("acknowledged_at", "is", null)
    .execute();
}

/** Marks acknowledged, by a link, the notifications that named these tickets and are not yet. */
export async function markNotificationsOfTicketsAcknowledged(
  db: Executor,
  structureId: string,
  ticketIds: readonly string[],
  now: Date,
): Promise<void> {
  if (ticketIds.length === 0) return;
  await db
    .updateTable("watch_notifications")
    .set({ acknowledged_at: now })
    .where("structure_id", "=", structureId)
    .where("acknowledged_at", "is", null)
    .where(sql<boolean>`ticket_ids && ${[...ticketIds]}::uuid[]`)
    .execute();
}

/** A year's figures of the watch (Paris time bounds given by the caller). */
export interface WatchYearFigures {
  alertedStructures: number;
  acknowledgingStructures: number;
  byKind: { kind: string; structures: number }[];
  byStructureType: { structure_type: string; structures: number }[];
  byRegion: { region_code: string | null; region_name: string | null; structures: number }[];
  tickets: { kind: string; urgency: string; opened: number; fixed: number; open: number }[];
}

/** Structures alerted within [from, to), by ticket kind, structure type and region; tickets opened, fixed and open. */
export async function watchYearFigures(db: Executor, from: Date, to: Date): Promise<WatchYearFigures> {
  const alerted = sql`(select distinct n.structure_id from watch_notifications n
    where n.sent_at >= ${from} and n.sent_at < ${to})`;
  const totals = await sql<{ alerted: number; acknowledging: number }>`
    select count(*)::int as alerted,
      count(*) filter (where exists (
        select 1 from watch_ticket_history h join watch_tickets t on t.id = h.ticket_id
        where t.structure_id = a.structure_id and h.to_status = 'acknowledged'
          and h.at >= ${from} and h.at < ${to}))::int as acknowledging
    from ${alerted} a
  `.execute(db);
  const byKind = await sql<{ kind: string; structures: number }>`
    select t.kind, count(distinct n.structure_id)::int as structures
    from watch_notifications n
    cross join lateral unnest(n.ticket_ids) as nt(id)
    join watch_tickets t on t.id = nt.id
    where n.sent_at >= ${from} and n.sent_at < ${to}
    group by t.kind order by t.kind
  `.execute(db);
  const byStructureType = await sql<{ structure_type: string; structures: number }>`
    select s.structure_type, count(*)::int as structures
    from ${alerted} a join structures s on s.id = a.structure_id
    group by s.structure_type order by structures desc, s.structure_type
  `.execute(db);
  const byRegion = await sql<{ region_code: string | null; region_name: string | null; structures: number }>`
    select s.region_code, r.name as region_name, count(*)::int as structures
    from ${alerted} a join structures s on s.id = a.structure_id
    left join regions r on r.code = s.region_code
    group by s.region_code, r.name order by structures desc, s.region_code nulls last
  `.execute(db);
  const tickets = await sql<{ kind: string; urgency: string; opened: number; fixed: number; open: number }>`
    select kind, urgency,
      count(*) filter (where first_seen_at >= ${from} and first_seen_at < ${to})::int as opened,
      count(*) filter (where status = 'fixed' and fixed_at >= ${from} and fixed_at < ${to})::int as fixed,
      count(*) filter (where status in ('new', 'notified', 'acknowledged', 'reopened'))::int as open
    from watch_tickets
    group by kind, urgency order by kind, urgency
  `.execute(db);
  return {
    alertedStructures: totals.rows[0]?.alerted ?? 0,
    acknowledgingStructures: totals.rows[0]?.acknowledging ?? 0,
    byKind: byKind.rows,
    byStructureType: byStructureType.rows,
    byRegion: byRegion.rows,
    tickets: tickets.rows,
  };
}

/** The asset a ticket is about, for its detail page. */
export function findTicketAsset(db: Executor, assetId: string) {
  return db
    .selectFrom("assets")
    .select([
      "id",
      "kind",
      "label",
      "domain",
      "network",
      "host",
      "port",
      "service",
      "vendor",
      "product",
      "version",
    ])
    .where("id", "=", assetId)
    .executeTakeFirst();
}

/** The summary of a vulnerability a ticket names. */
export function findTicketVulnerability(db: Executor, cveId: string) {
  return db
    .selectFrom("vulnerabilities")
    .select([
      "cve_id",
      "kev_name",
      "description",
      "cvss_score",
      "cvss_severity",
      "in_kev",
      "kev_added_on",
      "kev_ransomware",
      "kev_action",
    ])
    .where("cve_id", "=", cveId)
    .executeTakeFirst();
}
