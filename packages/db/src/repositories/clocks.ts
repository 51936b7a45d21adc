import { type Insertable, type Selectable, sql } from "kysely";
import type { Executor } from "../executor.ts";
import type { RegulatoryClocksTable } from "../schema.ts";
import { type IncidentVisibility, visibleIncidentIds } from "./incident-visibility.ts";

export type ClockRow = Selectable<RegulatoryClocksTable>;
export type NewClockRow = Insertable<RegulatoryClocksTable>;
export type ClockKindCode = ClockRow["kind"];
/** A clock with what its lists show of its case. */
export type ClockWithCaseRow = ClockRow & { reference: string; structure_name: string | null };

/** Which clocks a list shows: still open, due within the window, past due, or all. */
export type ClockListState = "open" | "due_soon" | "overdue" | "all";

function withCase(db: Executor) {
  return db
    .selectFrom("regulatory_clocks as c")
    .innerJoin("incidents as i", "i.id", "c.incident_id")
    .selectAll("c")
    .select(["i.reference", sql<string | null>`i.structure_snapshot->>'name'`.as("structure_name")]);
}

/**
 * Opens clocks, in the caller's transaction; a kind a case already has (the unique index, every
 * kind but intermediate reports) is left as it is. Returns the clocks actually opened.
 */
export function insertClocksOnce(trx: Executor, rows: readonly NewClockRow[]): Promise<ClockRow[]> {
  if (rows.length === 0) return Promise.resolve([]);
  return trx
    .insertInto("regulatory_clocks")
    .values([...rows])
    .onConflict((oc) =>
      oc.columns(["incident_id", "kind"]).where("kind", "<>", "nis2_intermediate").doNothing(),
    )
    .returningAll()
    .execute();
}

/** Opens one clock (an intermediate report asked for), in the caller's transaction. */
export function insertClock(trx: Executor, row: NewClockRow): Promise<ClockRow> {
  return trx.insertInto("regulatory_clocks").values(row).returningAll().executeTakeFirstOrThrow();
}

/** A case's clocks (cancelled ones included), by due date. */
export function listForIncident(db: Executor, incidentId: string): Promise<ClockWithCaseRow[]> {
  return withCase(db)
    .where("c.incident_id", "=", incidentId)
    .orderBy("c.due_at")
    .orderBy("c.created_at")
    .orderBy("c.id")
    .execute();
}

/** One clock of a case, or undefined. */
export function findClock(
  db: Executor,
  incidentId: string,
  id: string,
): Promise<ClockWithCaseRow | undefined> {
  return withCase(db).where("c.incident_id", "=", incidentId).where("c.id", "=", id).executeTakeFirst();
}

/** Locks one clock of a case (a filing), or undefined. */
export function lockClock(trx: Executor, incidentId: string, id: string): Promise<ClockRow | undefined> {
  return trx
    .selectFrom("regulatory_clocks")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst();
}

/** Records a filing; only while the clock is neither filed nor cancelled. */
export async function recordFiling(
  trx: Executor,
  id: string,
  filing: {
    filedAt: Date;
    userId: string | null;
    label: string;
    reference: string | null;
    note: string | null;
  },
): Promise<ClockRow | undefined> {
  return trx
    .updateTable("regulatory_clocks")
    .set({
      filed_at: filing.filedAt,
      filed_by_user_id: filing.userId,
      filed_by_label: filing.label,
      filing_reference: filing.reference,
      filing_note: filing.note,
    })
    .where("id", "=", id)
    .where("filed_at", "is", null)
    .where("cancelled_at", "is", null)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Cancels a case's open clocks (not filed, not cancelled), all of them or those of the kinds
 * given; returns the clocks cancelled.
 */
export function cancelOpenClocks(
  trx: Executor,
  incidentId: string,
  kinds: readonly ClockKindCode[] | "all",
  at: Date,
): Promise<ClockRow[]> {
  if (kinds !== "all" && kinds.length === 0) return Promise.resolve([]);
  let query = trx
    .updateTable("regulatory_clocks")
    .set({ cancelled_at: at })
    .where("incident_id", "=", incidentId)
    .where("filed_at", "is", null)
    .where("cancelled_at", "is", null);
  if (kinds !== "all") query = query.where("kind", "in", [...kinds]);
  return query.returningAll().execute();
}

/** Reopens a case's cancelled, unfiled clocks of these kinds; returns the clocks reopened. */
export function reopenCancelledClocks(
  trx: Executor,
  incidentId: string,
  kinds: readonly ClockKindCode[],
): Promise<ClockRow[]> {
  if (kinds.length === 0) return Promise.resolve([]);
  return trx
    .updateTable("regulatory_clocks")
    .set({ cancelled_at: null })
    .where("incident_id", "=", incidentId)
    .where("kind", "in", [...kinds])
    .where("filed_at", "is", null)
    .where("cancelled_at", "is not", null)
    .returningAll()
    .execute();
}

/**
 * A page of clocks within a visibility, by due date: open ones (not filed nor cancelled), those
 * due within (now, dueSoonUntil], those due at or before now, or all.
 */
export async function listClocks(
  db: Executor,
  visibility: IncidentVisibility,
  filter: { state: ClockListState; now: Date; dueSoonUntil: Date; limit: number; offset: number },
): Promise<{ rows: ClockWithCaseRow[]; total: number }> {
  if (visibility.kind === "none") return { rows: [], total: 0 };
  let query = db.selectFrom("regulatory_clocks as c").innerJoin("incidents as i", "i.id", "c.incident_id");
  const visible = visibleIncidentIds(db, visibility);
  if (visible) query = query.where("c.incident_id", "in", visible);
  if (filter.state !== "all") {
    query = query.where("c.filed_at", "is", null).where("c.cancelled_at", "is", null);
  }
  if (filter.state === "due_soon") {
    query = query.where("c.due_at", ">", filter.now).where("c.due_at", "<=", filter.dueSoonUntil);
  }
  if (filter.state === "overdue") query = query.where("c.due_at", "<=", filter.now);
  // Sequential: PGlite serialises connections, and the caller may hold a transaction.
  const rows = await query
    .selectAll("c")
    .select(["i.reference", sql<string | null>`i.structure_snapshot->>'name'`.as("structure_name")])
    .orderBy("c.due_at")
    .orderBy("c.id")
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  const counted = await query.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  return { rows, total: Number(counted.n) };
}

/**
 * Open clocks that need a reminder at `now`: due within (now, dueSoonUntil] with no "due soon"
 * reminder yet, or past due with no "overdue" reminder yet; earliest due first.
 */
export function listReminderCandidates(
  db: Executor,
  filter: { now: Date; dueSoonUntil: Date; limit: number },
): Promise<{ id: string }[]> {
  return db
    .selectFrom("regulatory_clocks")
    .select("id")
    .where("filed_at", "is", null)
    .where("cancelled_at", "is", null)
    .where("due_at", "<=", filter.dueSoonUntil)
    .where((eb) =>
      eb.or([
        eb.and([eb("due_at", ">", filter.now), eb("reminded_due_soon_at", "is", null)]),
        eb.and([eb("due_at", "<=", filter.now), eb("reminded_overdue_at", "is", null)]),
      ]),
    )
    .orderBy("due_at")
    .orderBy("id")
    .limit(filter.limit)
    .execute();
}

/**
 * Locks an open clock unless another transaction holds it (another worker, a filing being
 * written): undefined then, and the reminder job leaves it for its next run.
 */
export function lockOpenClockUnlessBusy(trx: Executor, id: string): Promise<ClockRow | undefined> {
  return trx
    .selectFrom("regulatory_clocks")
    .selectAll()
    .where("id", "=", id)
    .where("filed_at", "is", null)
    .where("cancelled_at", "is", null)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

/** Records a reminder sent; false when that reminder was already recorded (or the clock closed). */
export async function markReminded(
  trx: Executor,
  id: string,
  reminder: "due_soon" | "overdue",
  at: Date,
): Promise<boolean> {
  const column = reminder === "due_soon" ? "reminded_due_soon_at" : "reminded_overdue_at";
  const result = await trx
    .updateTable("regulatory_clocks")
    .set({ [column]: at })
    .where("id", "=", id)
    .where(column, "is", null)
    .where("filed_at", "is", null)
    .where("cancelled_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
