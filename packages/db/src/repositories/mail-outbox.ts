import { type Selectable, sql } from "kysely";
import type { Executor } from "../executor.ts";
import type { MailOutboxTable } from "../schema.ts";

export type MailRow = Selectable<MailOutboxTable>;

/** Adds a message to the outbox (in the caller's transaction, so it commits with the data). */
export function insertMail(
  db: Executor,
  mail: { to_address: string; subject: string; text_body: string; created_at: Date },
): Promise<MailRow> {
  return db.insertInto("mail_outbox").values(mail).returningAll().executeTakeFirstOrThrow();
}

/** Inserts several messages in one statement (ids in the same order). */
export async function insertMails(
  db: Executor,
  mails: readonly { to_address: string; subject: string; text_body: string; created_at: Date }[],
): Promise<string[]> {
  if (mails.length === 0) return [];
  const rows = await db
    .insertInto("mail_outbox")
    .values([...mails])
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Claims up to `limit` messages that are due (unsent, under the attempt limit, past their
 * backoff, not claimed by another worker) and counts the attempt. `skip locked` lets
 * concurrent workers claim disjoint batches.
 */
export function claimDueMails(
  db: Executor,
  options: { now: Date; claimUntil: Date; limit: number; maxAttempts: number },
): Promise<MailRow[]> {
  const { now } = options;
  return db
    .updateTable("mail_outbox")
    .set((eb) => ({ claimed_until: options.claimUntil, attempts: eb("attempts", "+", 1) }))
    .where(
      "id",
      "in",
      db
        .selectFrom("mail_outbox")
        .select("id")
        .where("sent_at", "is", null)
        .where("attempts", "<", options.maxAttempts)
        .where((eb) => eb.or([eb("next_attempt_at", "is", null), eb("next_attempt_at", "<=", now)]))
        .where((eb) => eb.or([eb("claimed_until", "is", null), eb("claimed_until", "<", now)]))
        .orderBy("created_at")
        .limit(options.limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
}

/** Marks a claimed message as sent; false when it was already marked (never twice). */
export async function markMailSent(db: Executor, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable("mail_outbox")
    .set({ sent_at: now, claimed_until: null, last_error: null, next_attempt_at: null })
    .where("id", "=", id)
    .where("sent_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Records a failed attempt and when to try again. */
export async function markMailFailed(
  db: Executor,
  id: string,
  error: string,
  nextAttemptAt: Date,
): Promise<void> {
  await db
    .updateTable("mail_outbox")
    .set({ last_error: error, next_attempt_at: nextAttemptAt, claimed_until: null })
    .where("id", "=", id)
    .where("sent_at", "is", null)
    .execute();
}

/** One page of the outbox, newest first, optionally for one recipient, and the total count. */
export async function listMails(
  db: Executor,
  filter: { to?: string | undefined },
  page: { offset: number; limit: number },
): Promise<{ rows: MailRow[]; total: number }> {
  let query = db.selectFrom("mail_outbox");
  if (filter.to) query = query.where(sql`lower(to_address)`, "=", filter.to.trim().toLowerCase());
  const rows = await query
    .selectAll()
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  const count = await query.select((eb) => eb.fn.countAll<string>().as("total")).executeTakeFirstOrThrow();
  return { rows, total: Number(count.total) };
}

/** A message by id, or undefined. */
export function findMailById(db: Executor, id: string): Promise<MailRow | undefined> {
  return db.selectFrom("mail_outbox").selectAll().where("id", "=", id).executeTakeFirst();
}
