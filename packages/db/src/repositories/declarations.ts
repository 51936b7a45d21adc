import { type Insertable, type Selectable, sql } from "kysely";
import type { Executor } from "../executor.ts";
import type {
  IncidentMessagesTable,
  IncidentStatusChangesTable,
  IncidentsTable,
  StructuresTable,
} from "../schema.ts";
import { type IncidentVisibility, visibleIncidentIds } from "./incident-visibility.ts";

export type IncidentRow = Selectable<IncidentsTable>;
export type NewIncidentRow = Insertable<IncidentsTable>;
export type IncidentMessageRow = Selectable<IncidentMessagesTable>;
export type IncidentStatusChangeRow = Selectable<IncidentStatusChangesTable>;
export type IncidentStatus = IncidentRow["status"];

/**
 * Takes the next number of a year's sequence and gives it to the incident as its reference,
 * `prefix` + the number padded to `width` digits, in one statement (the counter row stays locked
 * until the transaction ends, so numbers are gapless). Returns the updated incident.
 */
export async function assignReference(
  trx: Executor,
  incidentId: string,
  year: number,
  format: { prefix: string; width: number },
): Promise<IncidentRow> {
  const result = await sql<IncidentRow>`
    with next as (
      insert into reference_counters (year, last_value) values (${year}, 1)
      on conflict (year) do update set last_value = reference_counters.last_value + 1
      returning last_value
    )
    update incidents set reference = ${format.prefix} || lpad(next.last_value::text, ${format.width}, '0')
    from next where incidents.id = ${incidentId}
    returning incidents.*`.execute(trx);
  const row = result.rows[0];
  if (!row) throw new Error(`incident ${incidentId} introuvable pour sa référence`);
  return row;
}

/**
 * Inserts an incident unless its idempotency key is already taken; returns the new id, or
 * undefined when another submission with the same key got there first.
 */
export async function insertIncidentOnce(
  trx: Executor,
  incident: NewIncidentRow,
): Promise<string | undefined> {
  const row = await trx
    .insertInto("incidents")
    .values(incident)
    .onConflict((oc) => oc.column("idempotency_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id;
}

/** The incident submitted with this idempotency key, if any. */
export function findIncidentByIdempotencyKey(db: Executor, key: string): Promise<IncidentRow | undefined> {
  return db.selectFrom("incidents").selectAll().where("idempotency_key", "=", key).executeTakeFirst();
}

/** One incident by id. */
export function findIncidentById(db: Executor, id: string): Promise<IncidentRow | undefined> {
  return db.selectFrom("incidents").selectAll().where("id", "=", id).executeTakeFirst();
}

/** One incident by id, row-locked for an update in the caller's transaction. */
export function lockIncident(trx: Executor, id: string): Promise<IncidentRow | undefined> {
  return trx.selectFrom("incidents").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
}

/** The incident a follow-up link opens (the link's sha256 is stored, never the link). */
export function findIncidentByFollowTokenHash(db: Executor, hash: string): Promise<IncidentRow | undefined> {
  return db.selectFrom("incidents").selectAll().where("follow_token_hash", "=", hash).executeTakeFirst();
}

/** Structures of the directory, by FINESS ET. */
export function findStructuresByFiness(
  db: Executor,
  finessEts: readonly string[],
): Promise<Selectable<StructuresTable>[]> {
  if (finessEts.length === 0) return Promise.resolve([]);
  return db.selectFrom("structures").selectAll().where("finess_et", "in", finessEts).execute();
}

/** Records every structure a declaration names, in the declared order. */
export async function insertIncidentStructures(
  trx: Executor,
  incidentId: string,
  structureIds: readonly string[],
): Promise<void> {
  if (structureIds.length === 0) return;
  await trx
    .insertInto("incident_structures")
    .values(
      structureIds.map((structureId, position) => ({
        incident_id: incidentId,
        structure_id: structureId,
        position,
      })),
    )
    .execute();
}

/** Ids of the structures an incident names, in the declared order. */
export async function incidentStructureIds(db: Executor, incidentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("incident_structures")
    .select("structure_id")
    .where("incident_id", "=", incidentId)
    .orderBy("position")
    .execute();
  return rows.map((r) => r.structure_id);
}

/** True when the user has an active membership of one of the structures. */
export async function hasActiveMembership(
  db: Executor,
  userId: string,
  structureIds: readonly string[],
): Promise<boolean> {
  if (structureIds.length === 0) return false;
  const row = await db
    .selectFrom("user_structures")
    .select("user_id")
    .where("user_id", "=", userId)
    .where("structure_id", "in", structureIds)
    .where("status", "=", "active")
    .executeTakeFirst();
  return row !== undefined;
}

/** The handling times a change of status sets or clears (left out: unchanged). */
export interface StatusTimes {
  acknowledged_at?: Date | null;
  resolved_at?: Date | null;
  closed_at?: Date | null;
}

/** Moves an incident to a new status, with the handling times that change with it. */
export async function updateIncidentStatus(
  trx: Executor,
  incidentId: string,
  status: IncidentStatus,
  at: Date,
  times: StatusTimes = {},
): Promise<void> {
  await trx
    .updateTable("incidents")
    .set({ ...times, status, updated_at: at })
    .where("id", "=", incidentId)
    .execute();
}

/** Appends a line to an incident's status history. */
export async function insertStatusChange(
  trx: Executor,
  change: Insertable<IncidentStatusChangesTable>,
): Promise<void> {
  await trx.insertInto("incident_status_changes").values(change).execute();
}

/** An incident's status history, oldest first. */
export function listStatusChanges(db: Executor, incidentId: string): Promise<IncidentStatusChangeRow[]> {
  return db
    .selectFrom("incident_status_changes")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .orderBy("id")
    .execute();
}

/**
 * Adds a message to an incident's thread. Call with the incident row locked: its time is kept
 * strictly after the thread's last message (by a microsecond if the clock has not moved), so
 * the thread reads in the order it was written.
 */
export function insertMessage(
  trx: Executor,
  message: Insertable<IncidentMessagesTable>,
): Promise<IncidentMessageRow> {
  const at = new Date(message.created_at ?? new Date()).toISOString();
  return trx
    .insertInto("incident_messages")
    .values({
      ...message,
      created_at: sql<Date>`greatest(${at}::timestamptz, (
        select max(created_at) + interval '1 microsecond' from incident_messages
        where incident_id = ${message.incident_id}
      ))`,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** An incident's thread, oldest first. */
export function listMessages(db: Executor, incidentId: string): Promise<IncidentMessageRow[]> {
  return db
    .selectFrom("incident_messages")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

/** Filters of the incidents list (the CERT's queue). Lists match any of their values. */
export interface IncidentListFilter {
  statuses?: readonly IncidentStatus[] | undefined;
  /** Folded words (lower case, no accents): each must begin a word of the incident's document. */
  words?: readonly string[] | undefined;
  /**
   * A reference typed in the search (CS-2026-000123): matched on the column, not the document —
   * the reference is given at the end of the submission, and refreshing the document then would
   * cost every declaration a second full-text update under the shared locks.
   */
  reference?: string | undefined;
  structureTypes?: readonly string[] | undefined;
  regionCodes?: readonly string[] | undefined;
  /** Effective origin: the qualified one once qualified, the declared one before. */
  origins?: readonly string[] | undefined;
  /** Effective malicious or non-malicious types (qualified once qualified, declared before). */
  types?: readonly string[] | undefined;
  /** Effective operational impact (qualified once qualified, declared before). */
  operationalImpacts?: readonly string[] | undefined;
  channels?: readonly IncidentRow["channel"][] | undefined;
  supportRequested?: boolean | undefined;
  outOfHours?: boolean | undefined;
  declaredFrom?: Date | undefined;
  /** Exclusive upper bound. */
  declaredBefore?: Date | undefined;
  /** An assignee's id, or null for the unassigned cases. */
  assigneeId?: string | null | undefined;
  /** Past a deadline at `now` (see `overdueAt`). */
  overdue?: boolean | undefined;
  qualified?: boolean | undefined;
  eventId?: string | undefined;
  sort?: "declared_desc" | "declared_asc" | "status" | "due" | undefined;
  /** The time deadlines are compared with (overdue filter, counters, `due` sort). */
  now: Date;
  /** The CERT's counters (overdue, unassigned, the viewer's), for the viewer of this id. */
  countersFor?: string | undefined;
  limit: number;
  offset: number;
}

/** A line of the incidents list: the incident with its assignee's name and its event's reference. */
export type IncidentListRow = IncidentRow & { assignee_name: string | null; event_reference: string | null };

/** Incidents per status. */
export type IncidentStatusCounts = Record<IncidentStatus, number>;

/** The CERT's counters among the open cases matching the filters (status filter aside). */
export interface IncidentCounters {
  overdue: number;
  unassigned: number;
  mine: number;
}

const STATUS_ORDER: readonly IncidentStatus[] = [
  "new",
  "triage",
  "in_progress",
  "waiting_declarant",
  "resolved",
  "closed",
];

const present = <T>(values: readonly T[] | undefined): values is readonly T[] =>
  values !== undefined && values.length > 0;

/** Still being handled: neither resolved nor closed (written as the partial indexes of 0010 are). */
const OPEN = sql<boolean>`i.status not in ('resolved', 'closed')`;

/**
 * Past a deadline at `now` (decision 0008): still new past the first-response deadline, or not
 * qualified and still open past the qualification deadline. Never null; each branch matches a
 * partial index of migration 0010. `core/cases/deadlines.ts` `isOverdue` says the same.
 */
export function overdueAt(now: Date) {
  return sql<boolean>`(
    (i.status = 'new' and i.first_response_due_at is not null and i.first_response_due_at < ${now})
    or (i.qualified_at is null and i.status not in ('resolved', 'closed')
        and i.qualification_due_at is not null and i.qualification_due_at < ${now}))`;
}

/** The next deadline of a case: its first response while new, its qualification while unqualified. */
const NEXT_DUE = sql`least(
  case when i.status = 'new' then i.first_response_due_at end,
  case when i.qualified_at is null and i.status not in ('resolved', 'closed') then i.qualification_due_at end)`;

/**
 * A page of incidents within a visibility (newest first unless sorted otherwise), the total
 * matching, the counts per status within the same filters except the status one and, when asked,
 * the CERT's counters among the open cases.
 */
export async function listIncidents(
  db: Executor,
  visibility: IncidentVisibility,
  filter: IncidentListFilter,
): Promise<{
  rows: IncidentListRow[];
  total: number;
  counts: IncidentStatusCounts;
  counters?: IncidentCounters;
}> {
  const counts = Object.fromEntries(STATUS_ORDER.map((s) => [s, 0])) as IncidentStatusCounts;
  const noCounters = filter.countersFor ? { counters: { overdue: 0, unassigned: 0, mine: 0 } } : {};
  if (visibility.kind === "none") return { rows: [], total: 0, counts, ...noCounters };
  let query = db.selectFrom("incidents as i");
  const visible = visibleIncidentIds(db, visibility);
  if (visible) query = query.where("i.id", "in", visible);
  // Builders are immutable: the query is another object once a filter applies.
  const unfiltered = query;
  if (filter.reference) query = query.where("i.reference", "=", filter.reference);
  if (present(filter.words)) {
    // Word beginnings, all required; the words are [a-z0-9]+ so the tsquery syntax is safe.
    const tsquery = filter.words
      .filter((w) => /^[a-z0-9]+$/.test(w))
      .map((w) => `${w}:*`)
      .join(" & ");
    if (tsquery !== "") {
      query = query.where(
        "i.id",
        "in",
        db
          .selectFrom("incident_search as fts")
          .select("fts.incident_id")
          .where(sql<boolean>`fts.document @@ to_tsquery('simple', ${tsquery})`),
      );
    }
  }
  if (present(filter.structureTypes)) {
    query = query.where(sql<string>`i.structure_snapshot->>'structureType'`, "in", filter.structureTypes);
  }
  if (present(filter.regionCodes)) {
    query = query.where(sql<string>`i.structure_snapshot->>'regionCode'`, "in", filter.regionCodes);
  }
  if (present(filter.origins)) query = query.where("i.effective_origin", "in", filter.origins);
  if (present(filter.types)) {
    const types = sql`cast(${sql.val([...filter.types])} as text[])`;
    query = query.where((eb) =>
      eb.or([
        eb(sql<boolean>`i.effective_malicious_types && ${types}`, "=", true),
        eb(sql<boolean>`i.effective_non_malicious_types && ${types}`, "=", true),
      ]),
    );
  }
  if (present(filter.operationalImpacts)) {
    query = query.where("i.effective_operational_impact", "in", filter.operationalImpacts);
  }
  if (present(filter.channels)) query = query.where("i.channel", "in", filter.channels);
  if (filter.supportRequested !== undefined) {
    query = query.where("i.support_requested", "=", filter.supportRequested);
  }
  if (filter.outOfHours !== undefined) query = query.where("i.out_of_hours", "=", filter.outOfHours);
  if (filter.declaredFrom) query = query.where("i.declared_at", ">=", filter.declaredFrom);
  if (filter.declaredBefore) query = query.where("i.declared_at", "<", filter.declaredBefore);
  if (filter.assigneeId === null) query = query.where("i.assignee_user_id", "is", null);
  else if (filter.assigneeId !== undefined) query = query.where("i.assignee_user_id", "=", filter.assigneeId);
  if (filter.overdue !== undefined) {
    const overdue = overdueAt(filter.now);
    query = query.where(filter.overdue ? overdue : sql<boolean>`not ${overdue}`);
  }
  if (filter.qualified !== undefined) {
    query = query.where("i.qualified_at", filter.qualified ? "is not" : "is", null);
  }
  if (filter.eventId) query = query.where("i.event_id", "=", filter.eventId);

  const statuses = filter.statuses ?? [];
  let page = query
    .leftJoin("users as assignee", "assignee.id", "i.assignee_user_id")
    .leftJoin("events as ev", "ev.id", "i.event_id")
    .selectAll("i")
    .select(["assignee.full_name as assignee_name", "ev.reference as event_reference"]);
  if (present(statuses)) page = page.where("i.status", "in", statuses);
  if (filter.sort === "status") {
    page = page.orderBy(sql`array_position(${sql.val([...STATUS_ORDER])}::text[], i.status::text)`);
  }
  if (filter.sort === "due") page = page.orderBy(sql`${NEXT_DUE} asc nulls last`);
  const direction = filter.sort === "declared_asc" ? "asc" : "desc";
  page = page.orderBy("i.declared_at", direction).orderBy("i.reference", direction);

  // Sequential: PGlite serialises connections, and the caller may hold a transaction.
  const rows = await page.limit(filter.limit).offset(filter.offset).execute();
  // The CERT's counters, among the open cases. Filtered, they are taken in the same pass as the
  // counts per status (which read the matching rows anyway: a search's on the covering index
  // incidents_id_handling_idx, the others' in the table); unfiltered, the counts per status read
  // the small status index and one more query reads the open cases only (index-only on the
  // partial incidents_open_handling_idx).
  const viewer = filter.countersFor;
  const inOnePass = viewer !== undefined && query !== unfiltered;
  const zero = sql<string>`0`;
  const grouped = await query
    .select([
      "i.status",
      sql<string>`count(*)`.as("n"),
      (inOnePass ? sql<string>`count(*) filter (where ${overdueAt(filter.now)})` : zero).as("overdue"),
      (inOnePass ? sql<string>`count(*) filter (where i.assignee_user_id is null)` : zero).as("unassigned"),
      (inOnePass ? sql<string>`count(*) filter (where i.assignee_user_id = ${viewer})` : zero).as("mine"),
    ])
    .groupBy("i.status")
    .execute();
  let total = 0;
  const counters: IncidentCounters = { overdue: 0, unassigned: 0, mine: 0 };
  for (const row of grouped) {
    counts[row.status] = Number(row.n);
    if (!present(statuses) || statuses.includes(row.status)) total += Number(row.n);
    if (row.status === "resolved" || row.status === "closed") continue;
    counters.overdue += Number(row.overdue);
    counters.unassigned += Number(row.unassigned);
    counters.mine += Number(row.mine);
  }
  if (viewer === undefined) return { rows, total, counts };
  if (inOnePass) return { rows, total, counts, counters };
  const counted = await query
    .where(OPEN)
    .select([
      sql<string>`count(*) filter (where ${overdueAt(filter.now)})`.as("overdue"),
      sql<string>`count(*) filter (where i.assignee_user_id is null)`.as("unassigned"),
      sql<string>`count(*) filter (where i.assignee_user_id = ${viewer})`.as("mine"),
    ])
    .executeTakeFirst();
  return {
    rows,
    total,
    counts,
    counters: {
      overdue: Number(counted?.overdue ?? 0),
      unassigned: Number(counted?.unassigned ?? 0),
      mine: Number(counted?.mine ?? 0),
    },
  };
}
