import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../executor.ts";
import type { ApiTokensTable } from "../schema.ts";

export type ApiTokenRow = Selectable<ApiTokensTable>;

/** Stores a new token (hashed). */
export function insertApiToken(db: Executor, token: Insertable<ApiTokensTable>): Promise<ApiTokenRow> {
  return db.insertInto("api_tokens").values(token).returningAll().executeTakeFirstOrThrow();
}

/** A usable token by hash: not revoked, not expired. */
export function findUsableApiToken(
  db: Executor,
  tokenHash: string,
  now: Date,
): Promise<ApiTokenRow | undefined> {
  return db
    .selectFrom("api_tokens")
    .selectAll()
    .where("token_hash", "=", tokenHash)
    .where("revoked_at", "is", null)
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
    .executeTakeFirst();
}

/** Marks a token as just used. */
export async function touchApiToken(db: Executor, id: string, now: Date): Promise<void> {
  await db.updateTable("api_tokens").set({ last_used_at: now }).where("id", "=", id).execute();
}

/** A user's tokens, newest first (hashes are never returned to callers above the core). */
export function listUserApiTokens(db: Executor, userId: string): Promise<ApiTokenRow[]> {
  return db
    .selectFrom("api_tokens")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("created_at", "desc")
    .execute();
}

/** Revokes a token of the given user; false when there is none to revoke. */
export async function revokeApiToken(db: Executor, userId: string, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable("api_tokens")
    .set({ revoked_at: now })
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
