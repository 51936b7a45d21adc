import { type Kysely, sql } from "kysely";

/**
 * TOTP replay protection: the time step of the last code accepted for a user, so the same
 * code (or an older one still inside the ±1 step window) is refused afterwards.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users add column totp_last_step integer`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users drop column totp_last_step`.execute(db);
}
