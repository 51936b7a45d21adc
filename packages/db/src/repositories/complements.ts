import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../executor.ts";
import type { ComplementRequestsTable } from "../schema.ts";

export type ComplementRequestRow = Selectable<ComplementRequestsTable>;
export type ComplementRequestStatus = ComplementRequestRow["status"];

/** Statuses of a request still waiting for the declarant (a late answer still answers it). */
export const UNANSWERED_STATUSES = ["open", "never_answered"] as const;

/** Records a request for complements (the CERT's question), in the caller's transaction. */
export function insertComplementRequest(
  trx: Executor,
  row: Insertable<ComplementRequestsTable>,
): Promise<ComplementRequestRow> {
  return trx.insertInto("complement_requests").values(row).returningAll().executeTakeFirstOrThrow();
}

/** A case's requests for complements, oldest first. */
export function listForIncident(db: Executor, incidentId: string): Promise<ComplementRequestRow[]> {
  return db
    .selectFrom("complement_requests")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .orderBy("requested_at")
    .orderBy("id")
    .execute();
}

/**
 * Marks every request of a case still waiting (open or never answered) as answered by this
 * message; returns the requests answered. Call with the incident row locked.
 */
export function answerPending(
  trx: Executor,
  incidentId: string,
  answer: { messageId: string; at: Date },
): Promise<ComplementRequestRow[]> {
  return trx
    .updateTable("complement_requests")
    .set({ status: "answered", answered_at: answer.at, answer_message_id: answer.messageId })
    .where("incident_id", "=", incidentId)
    .where("status", "in", UNANSWERED_STATUSES)
    .returningAll()
    .execute();
}

/** How many requests of a case still wait for the declarant (open or never answered). */
export async function countPending(db: Executor, incidentId: string): Promise<number> {
  const row = await db
    .selectFrom("complement_requests")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("incident_id", "=", incidentId)
    .where("status", "in", UNANSWERED_STATUSES)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Records the first request of a case and clears its "answered" time (a new question is open). */
export async function markComplementRequested(trx: Executor, incidentId: string, at: Date): Promise<void> {
  await trx
    .updateTable("incidents")
    .set((eb) => ({
      complement_requested_at: eb.fn.coalesce("complement_requested_at", eb.val(at)),
      complement_answered_at: null,
    }))
    .where("id", "=", incidentId)
    .execute();
}

/** Records when every request of a case had been answered. */
export async function markComplementAnswered(trx: Executor, incidentId: string, at: Date): Promise<void> {
  await trx
    .updateTable("incidents")
    .set({ complement_answered_at: at })
    .where("id", "=", incidentId)
    .execute();
}

/** An open request the reminder job considers, with what it needs of its case. */
export interface OpenComplementRequest {
  id: string;
  incident_id: string;
  requested_at: Date;
  incident_status: string;
}

/**
 * Open requests, oldest first, that may need something from the reminder job: requested at or
 * before `requestedBefore` (the first reminder or expiry is due), or whose case is closed.
 */
export function listOpenForReminders(
  db: Executor,
  filter: { requestedBefore: Date; limit: number },
): Promise<OpenComplementRequest[]> {
  return db
    .selectFrom("complement_requests as c")
    .innerJoin("incidents as i", "i.id", "c.incident_id")
    .select(["c.id", "c.incident_id", "c.requested_at", "i.status as incident_status"])
    .where("c.status", "=", "open")
    .where((eb) => eb.or([eb("c.requested_at", "<=", filter.requestedBefore), eb("i.status", "=", "closed")]))
    .orderBy("c.requested_at")
    .orderBy("c.id")
    .limit(filter.limit)
    .execute();
}

/**
 * Locks a case unless another transaction holds it (a declarant answering, another worker):
 * undefined then, and the reminder job leaves it for its next run. Taken before the requests'
 * rows, in the order the thread takes them, so the two never wait on each other crosswise.
 */
export function lockIncidentUnlessBusy(trx: Executor, incidentId: string) {
  return trx
    .selectFrom("incidents")
    .selectAll()
    .where("id", "=", incidentId)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

/**
 * Locks one request if it is still open and nobody else holds it (another worker, an answer
 * being written): undefined otherwise, and the caller moves on.
 */
export function lockOpenRequest(trx: Executor, id: string): Promise<ComplementRequestRow | undefined> {
  return trx
    .selectFrom("complement_requests")
    .selectAll()
    .where("id", "=", id)
    .where("status", "=", "open")
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

/** Records a reminder sent; only while the request is still open and unchanged since read. */
export async function recordReminder(
  trx: Executor,
  id: string,
  update: { previousCount: number; remindersSent: number; at: Date },
): Promise<boolean> {
  const result = await trx
    .updateTable("complement_requests")
    .set({ reminders_sent: update.remindersSent, last_reminded_at: update.at })
    .where("id", "=", id)
    .where("status", "=", "open")
    .where("reminders_sent", "=", update.previousCount)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Closes an open request as never answered or cancelled; false when it was no longer open. */
export async function closeOpenRequest(
  trx: Executor,
  id: string,
  status: "never_answered" | "cancelled",
  at: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable("complement_requests")
    .set(status === "never_answered" ? { status, expired_at: at } : { status })
    .where("id", "=", id)
    .where("status", "=", "open")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
