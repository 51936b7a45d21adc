import type { Selectable } from "kysely";
import type { Executor } from "../executor.ts";
import type { EmailTokensTable } from "../schema.ts";

export type EmailTokenRow = Selectable<EmailTokensTable>;
export type EmailTokenPurpose = EmailTokenRow["purpose"];

/** Stores a new e-mail link (only its hash). */
export async function insertEmailToken(
  db: Executor,
  token: {
    token_hash: string;
    user_id: string;
    purpose: EmailTokenPurpose;
    expires_at: Date;
    created_at: Date;
  },
): Promise<void> {
  await db.insertInto("email_tokens").values(token).execute();
}

/** A link that is unused and unexpired, or undefined. */
export function findUsableEmailToken(
  db: Executor,
  tokenHash: string,
  purpose: EmailTokenPurpose,
  now: Date,
): Promise<EmailTokenRow | undefined> {
  return db
    .selectFrom("email_tokens")
    .selectAll()
    .where("token_hash", "=", tokenHash)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

/**
 * Spends a link atomically: returns its row when this call marked it used, undefined when it
 * was unknown, already used or expired (so two concurrent uses cannot both succeed).
 */
export function consumeEmailToken(
  db: Executor,
  tokenHash: string,
  purpose: EmailTokenPurpose,
  now: Date,
): Promise<EmailTokenRow | undefined> {
  return db
    .updateTable("email_tokens")
    .set({ used_at: now })
    .where("token_hash", "=", tokenHash)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returningAll()
    .executeTakeFirst();
}

/** Spends every still-usable link of a user for a purpose (a newer one was used). */
export async function spendUserEmailTokens(
  db: Executor,
  userId: string,
  purpose: EmailTokenPurpose,
  now: Date,
): Promise<void> {
  await db
    .updateTable("email_tokens")
    .set({ used_at: now })
    .where("user_id", "=", userId)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .execute();
}

/** How many links of a purpose a user was sent since a time (throttles repeated requests). */
export async function countEmailTokensSince(
  db: Executor,
  userId: string,
  purpose: EmailTokenPurpose,
  since: Date,
): Promise<number> {
  const row = await db
    .selectFrom("email_tokens")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("user_id", "=", userId)
    .where("purpose", "=", purpose)
    .where("created_at", ">", since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
