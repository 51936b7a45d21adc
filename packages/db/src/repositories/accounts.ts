import { sql } from "kysely";
import type { Executor } from "../executor.ts";
import type { UserRow } from "./users.ts";

/** Where a failed sign-in left the account. */
export interface LoginFailureOutcome {
  failedCount: number;
  lockedUntil: Date | null;
  /** True when this very failure triggered the lock. */
  lockedNow: boolean;
}

/**
 * Counts one failed sign-in step in a single statement (safe under concurrent attempts):
 * the failure that reaches `maxFailures` locks the account until `lockUntil` and resets the
 * counter, so the account gets a fresh series of attempts once the lock expires.
 */
export async function registerLoginFailure(
  db: Executor,
  userId: string,
  options: { maxFailures: number; lockUntil: Date; now: Date },
): Promise<LoginFailureOutcome> {
  const row = await db
    .updateTable("users")
    .set({
      failed_login_count: sql<number>`case when failed_login_count + 1 >= ${options.maxFailures}
        then 0 else failed_login_count + 1 end`,
      locked_until: sql<Date>`case when failed_login_count + 1 >= ${options.maxFailures}
        then ${options.lockUntil.toISOString()}::timestamptz else locked_until end`,
      updated_at: options.now,
    })
    .where("id", "=", userId)
    .returning(["failed_login_count", "locked_until"])
    .executeTakeFirstOrThrow();
  return {
    failedCount: row.failed_login_count,
    lockedUntil: row.locked_until,
    lockedNow: row.failed_login_count === 0,
  };
}

/** Clears the failure counter and any lock, and records the sign-in time. */
export async function recordLoginSuccess(db: Executor, userId: string, now: Date): Promise<void> {
  await db
    .updateTable("users")
    .set({ failed_login_count: 0, locked_until: null, last_login_at: now, updated_at: now })
    .where("id", "=", userId)
    .execute();
}

/** Clears the failure counter after a successful second factor. */
export async function resetLoginFailures(db: Executor, userId: string, now: Date): Promise<void> {
  await db
    .updateTable("users")
    .set({ failed_login_count: 0, updated_at: now })
    .where("id", "=", userId)
    .execute();
}

/**
 * Accepts a TOTP time step only if it is newer than the last accepted one; false when the
 * code was already used (or a concurrent request used a newer one first).
 */
export async function claimTotpStep(db: Executor, userId: string, step: number, now: Date): Promise<boolean> {
  const row = await db
    .updateTable("users")
    .set({ totp_last_step: step, updated_at: now })
    .where("id", "=", userId)
    .where((eb) => eb.or([eb("totp_last_step", "is", null), eb("totp_last_step", "<", step)]))
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

/** A structure membership with the structure's FINESS number and name. */
export interface MembershipRow {
  user_id: string;
  structure_id: string;
  finess_et: string;
  name: string;
  status: "active" | "pending";
}

/** Memberships (active and pending) of the given users, by structure name. */
export function membershipsOf(db: Executor, userIds: readonly string[]): Promise<MembershipRow[]> {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("user_structures as us")
    .innerJoin("structures as s", "s.id", "us.structure_id")
    .select(["us.user_id", "us.structure_id", "s.finess_et", "s.name", "us.status"])
    .where("us.user_id", "in", userIds)
    .orderBy("s.name")
    .orderBy("s.finess_et")
    .execute();
}

/** Replaces every membership of a user by active memberships of these structures. */
export async function replaceMemberships(
  db: Executor,
  userId: string,
  structureIds: readonly string[],
  now: Date,
): Promise<void> {
  await db.deleteFrom("user_structures").where("user_id", "=", userId).execute();
  if (structureIds.length === 0) return;
  await db
    .insertInto("user_structures")
    .values(
      [...new Set(structureIds)].map((structureId) => ({
        user_id: userId,
        structure_id: structureId,
        status: "active" as const,
        created_at: now,
      })),
    )
    .execute();
}

/** Filters of the account list. */
export interface UserListFilter {
  role?: string | undefined;
  /** Case-insensitive text matched against the e-mail and the name. */
  text?: string | undefined;
}

function userListQuery(db: Executor, filter: UserListFilter) {
  let query = db.selectFrom("users");
  if (filter.role) query = query.where("role", "=", filter.role);
  if (filter.text) {
    const pattern = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb("email", "ilike", pattern), eb("full_name", "ilike", pattern)]));
  }
  return query;
}

/** One page of accounts, by e-mail, and the total count. */
export async function listUsers(
  db: Executor,
  filter: UserListFilter,
  page: { offset: number; limit: number },
): Promise<{ rows: UserRow[]; total: number }> {
  const rows = await userListQuery(db, filter)
    .selectAll()
    .orderBy("email")
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  const count = await userListQuery(db, filter)
    .select((eb) => eb.fn.countAll<string>().as("total"))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(count.total) };
}

/** Ends every session of a user but one (the one that just changed the password). */
export async function deleteOtherSessions(
  db: Executor,
  userId: string,
  keepSessionId: string,
): Promise<void> {
  await db.deleteFrom("sessions").where("user_id", "=", userId).where("id", "<>", keepSessionId).execute();
}
