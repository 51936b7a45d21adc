import { type Selectable, sql } from "kysely";
import type { Executor } from "../executor.ts";
import type { EventsTable } from "../schema.ts";
import type { IncidentRow } from "./declarations.ts";

export type EventRow = Selectable<EventsTable>;
/** An event with the number of declarations linked to it. */
export type EventListRow = EventRow & { declaration_count: number };

/**
 * Creates an event and gives it the next number of the year's sequence as its reference,
 * `prefix` + the number padded to `width` digits, in one statement (the counter row stays locked
 * until the transaction ends, so numbers are gapless).
 */
export async function insertEventWithReference(
  trx: Executor,
  event: {
    title: string;
    analysis: string;
    tlp: string;
    createdByUserId: string | null;
    at: Date;
  },
  year: number,
  format: { prefix: string; width: number },
): Promise<EventRow> {
  const result = await sql<EventRow>`
    with next as (
      insert into event_reference_counters (year, last_value) values (${year}, 1)
      on conflict (year) do update set last_value = event_reference_counters.last_value + 1
      returning last_value
    )
    insert into events (reference, title, analysis, tlp, created_by_user_id, created_at, updated_at)
    select ${format.prefix} || lpad(next.last_value::text, ${format.width}, '0'),
      ${event.title}, ${event.analysis}, ${event.tlp}, ${event.createdByUserId},
      ${event.at.toISOString()}::timestamptz, ${event.at.toISOString()}::timestamptz
    from next
    returning *`.execute(trx);
  const row = result.rows[0];
  if (!row) throw new Error("événement non créé");
  return row;
}

export function findEventById(db: Executor, id: string): Promise<EventRow | undefined> {
  return db.selectFrom("events").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The event, its row locked until the transaction ends (links and messages are serialised). */
export function lockEvent(trx: Executor, id: string): Promise<EventRow | undefined> {
  return trx.selectFrom("events").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
}

/** Events by id (for the references shown on messages and declarations). */
export async function findEventsByIds(db: Executor, ids: readonly string[]): Promise<EventRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom("events")
    .selectAll()
    .where("id", "in", [...ids])
    .execute();
}

export function updateEvent(
  trx: Executor,
  id: string,
  changes: Partial<Pick<EventRow, "title" | "analysis" | "tlp" | "status">> & { updated_at: Date },
): Promise<EventRow> {
  return trx.updateTable("events").set(changes).where("id", "=", id).returningAll().executeTakeFirstOrThrow();
}

/** Filters of the events list. */
export interface EventListFilter {
  /** Folded words (lower case, no accents, [a-z0-9]+): each must begin a word of the reference or title. */
  words?: readonly string[] | undefined;
  status?: "open" | "closed" | undefined;
  limit: number;
  offset: number;
}

// The reference and title folded by `vigie_search_fold` (migration 0008), the SQL twin of
// core's `normaliseSearchText` the query words come from; a leading space marks word starts.
const foldedText = sql<string>`' ' || vigie_search_fold(e.reference || ' ' || e.title)`;

/** A page of events (open ones first, newest first), with their declaration counts and the total. */
export async function listEvents(
  db: Executor,
  filter: EventListFilter,
): Promise<{ rows: EventListRow[]; total: number }> {
  let query = db.selectFrom("events as e");
  if (filter.status) query = query.where("e.status", "=", filter.status);
  for (const word of filter.words ?? []) {
    if (!/^[a-z0-9]+$/.test(word)) continue;
    query = query.where(sql<boolean>`strpos(${foldedText}, ${` ${word}`}) > 0`);
  }
  const rows = await query
    .selectAll("e")
    .select((eb) =>
      eb
        .selectFrom("incidents as i")
        .select(sql<number>`count(*)::int`.as("n"))
        .whereRef("i.event_id", "=", "e.id")
        .as("declaration_count"),
    )
    .orderBy(sql`case when e.status = 'open' then 0 else 1 end`)
    .orderBy("e.created_at", "desc")
    .orderBy("e.reference", "desc")
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  const count = await query.select(sql<string>`count(*)`.as("n")).executeTakeFirst();
  return {
    rows: rows.map((r) => ({ ...r, declaration_count: Number(r.declaration_count ?? 0) })),
    total: Number(count?.n ?? 0),
  };
}

/** The declarations linked to an event, newest first. */
export function listEventIncidents(db: Executor, eventId: string): Promise<IncidentRow[]> {
  return db
    .selectFrom("incidents")
    .selectAll()
    .where("event_id", "=", eventId)
    .orderBy("declared_at", "desc")
    .orderBy("reference", "desc")
    .execute();
}

/** Incidents named by id or by reference (those not found are simply absent). */
export async function findIncidentsByIdsOrReferences(
  db: Executor,
  ids: readonly string[],
  references: readonly string[],
): Promise<IncidentRow[]> {
  if (ids.length === 0 && references.length === 0) return [];
  return db
    .selectFrom("incidents")
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(ids.length > 0 ? [eb("id", "in", [...ids])] : []),
        ...(references.length > 0 ? [eb("reference", "in", [...references])] : []),
      ]),
    )
    .forUpdate()
    .execute();
}

/** Links incidents to an event, or unlinks them (null); nothing else changes on them. */
export async function setIncidentsEvent(
  trx: Executor,
  incidentIds: readonly string[],
  eventId: string | null,
): Promise<void> {
  if (incidentIds.length === 0) return;
  await trx
    .updateTable("incidents")
    .set({ event_id: eventId })
    .where("id", "in", [...incidentIds])
    .execute();
}

/** Marks a thread message as sent through an event, with its TLP. */
export async function markMessageSentThroughEvent(
  trx: Executor,
  messageId: string,
  eventId: string,
  tlp: string,
): Promise<void> {
  await trx
    .updateTable("incident_messages")
    .set({ event_id: eventId, tlp })
    .where("id", "=", messageId)
    .execute();
}
