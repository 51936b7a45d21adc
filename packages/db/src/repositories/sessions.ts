import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../executor.ts";
import type { SessionsTable } from "../schema.ts";

export type SessionRow = Selectable<SessionsTable>;

/** Stores a new session (its id is the hash of the cookie value). */
export function insertSession(db: Executor, session: Insertable<SessionsTable>): Promise<SessionRow> {
  return db.insertInto("sessions").values(session).returningAll().executeTakeFirstOrThrow();
}

/** A session that has not expired, or undefined. */
export function findLiveSession(db: Executor, id: string, now: Date): Promise<SessionRow | undefined> {
  return db
    .selectFrom("sessions")
    .selectAll()
    .where("id", "=", id)
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

/** Moves a session to another stage (e.g. authenticated after TOTP). */
export async function setSessionStage(db: Executor, id: string, stage: SessionRow["stage"]): Promise<void> {
  await db.updateTable("sessions").set({ stage }).where("id", "=", id).execute();
}

/** Records activity on a session. */
export async function touchSession(db: Executor, id: string, now: Date): Promise<void> {
  await db.updateTable("sessions").set({ last_seen_at: now }).where("id", "=", id).execute();
}

/** Ends one session. */
export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", id).execute();
}

/** Ends every session of a user (password change, account disabled). */
export async function deleteUserSessions(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom("sessions").where("user_id", "=", userId).execute();
}
