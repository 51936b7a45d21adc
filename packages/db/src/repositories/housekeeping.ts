import type { Executor } from "../executor.ts";

/** Deletes expired sessions, spent e-mail links and stale OIDC attempts; returns how many rows went. */
export async function purgeExpired(
  db: Executor,
  now: Date,
): Promise<{ sessions: number; emailTokens: number; oidcAttempts: number }> {
  const sessions = await db.deleteFrom("sessions").where("expires_at", "<=", now).executeTakeFirst();
  const tokens = await db
    .deleteFrom("email_tokens")
    .where((eb) => eb.or([eb("expires_at", "<=", now), eb("used_at", "is not", null)]))
    .executeTakeFirst();
  const attempts = await db
    .deleteFrom("oidc_login_attempts")
    .where("expires_at", "<=", now)
    .executeTakeFirst();
  return {
    sessions: Number(sessions.numDeletedRows),
    emailTokens: Number(tokens.numDeletedRows),
    oidcAttempts: Number(attempts.numDeletedRows),
  };
}
