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

/** Moves an incident to a new status. */
export async function updateIncidentStatus(
  trx: Executor,
  incidentId: string,
  status: IncidentStatus,
  at: Date,
): Promise<void> {
  await trx.updateTable("incidents").set({ status, updated_at: at }).where("id", "=", incidentId).execute();
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
  origins?: readonly string[] | undefined;
  /** Proposed malicious or non-malicious types. */
  types?: readonly string[] | undefined;
  operationalImpacts?: readonly string[] | undefined;
  channels?: readonly IncidentRow["channel"][] | undefined;
  supportRequested?: boolean | undefined;
  outOfHours?: boolean | undefined;
  declaredFrom?: Date | undefined;
  /** Exclusive upper bound. */
  declaredBefore?: Date | undefined;
  sort?: "declared_desc" | "declared_asc" | "status" | undefined;
  limit: number;
  offset: number;
}

/** Incidents per status. */
export type IncidentStatusCounts = Record<IncidentStatus, number>;

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

/**
 * A page of incidents within a visibility (newest first unless sorted otherwise), the total
 * matching, and the counts per status within the same filters except the status one.
 */
export async function listIncidents(
  db: Executor,
  visibility: IncidentVisibility,
  filter: IncidentListFilter,
): Promise<{ rows: IncidentRow[]; total: number; counts: IncidentStatusCounts }> {
  const counts = Object.fromEntries(STATUS_ORDER.map((s) => [s, 0])) as IncidentStatusCounts;
  if (visibility.kind === "none") return { rows: [], total: 0, counts };
  let query = db.selectFrom("incidents as i");
  const visible = visibleIncidentIds(db, visibility);
  if (visible) query = query.where("i.id", "in", visible);
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
  if (present(filter.origins)) query = query.where("i.proposed_origin", "in", filter.origins);
  if (present(filter.types)) {
    const types = sql`cast(${sql.val([...filter.types])} as text[])`;
    query = query.where((eb) =>
      eb.or([
        eb(sql<boolean>`i.proposed_malicious_types && ${types}`, "=", true),
        eb(sql<boolean>`i.proposed_non_malicious_types && ${types}`, "=", true),
      ]),
    );
  }
  if (present(filter.operationalImpacts)) {
    query = query.where("i.operational_impact", "in", filter.operationalImpacts);
  }
  if (present(filter.channels)) query = query.where("i.channel", "in", filter.channels);
  if (filter.supportRequested !== undefined) {
    query = query.where("i.support_requested", "=", filter.supportRequested);
  }
  if (filter.outOfHours !== undefined) query = query.where("i.out_of_hours", "=", filter.outOfHours);
  if (filter.declaredFrom) query = query.where("i.declared_at", ">=", filter.declaredFrom);
  if (filter.declaredBefore) query = query.where("i.declared_at", "<", filter.declaredBefore);

  const statuses = filter.statuses ?? [];
  let page = query.selectAll("i");
  if (present(statuses)) page = page.where("i.status", "in", statuses);
  if (filter.sort === "status") {
    page = page.orderBy(sql`array_position(${sql.val([...STATUS_ORDER])}::text[], i.status::text)`);
  }
  const direction = filter.sort === "declared_asc" ? "asc" : "desc";
  page = page.orderBy("i.declared_at", direction).orderBy("i.reference", direction);

  // Sequential: PGlite serialises connections, and the caller may hold a transaction.
  const rows = await page.limit(filter.limit).offset(filter.offset).execute();
  const grouped = await query
    .select(["i.status", sql<string>`count(*)`.as("n")])
    .groupBy("i.status")
    .execute();
  let total = 0;
  for (const { status, n } of grouped) {
    counts[status] = Number(n);
    if (!present(statuses) || statuses.includes(status)) total += Number(n);
  }
  return { rows, total, counts };
}
