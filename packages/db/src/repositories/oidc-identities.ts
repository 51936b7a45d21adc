import type { Selectable } from "kysely";
import type { Executor } from "../executor.ts";
import type { OidcIdentitiesTable, OidcLoginAttemptsTable } from "../schema.ts";

export type OidcIdentityRow = Selectable<OidcIdentitiesTable>;
export type OidcLoginAttemptRow = Selectable<OidcLoginAttemptsTable>;

/** The identity an issuer's subject is linked to, or undefined. */
export function findOidcIdentity(
  db: Executor,
  issuer: string,
  subject: string,
): Promise<OidcIdentityRow | undefined> {
  return db
    .selectFrom("oidc_identities")
    .selectAll()
    .where("issuer", "=", issuer)
    .where("subject", "=", subject)
    .executeTakeFirst();
}

/** Links an issuer's subject to a user. */
export async function insertOidcIdentity(
  db: Executor,
  identity: { issuer: string; subject: string; user_id: string; created_at: Date },
): Promise<void> {
  await db.insertInto("oidc_identities").values(identity).execute();
}

/** The identities linked to a user. */
export function listUserOidcIdentities(db: Executor, userId: string): Promise<OidcIdentityRow[]> {
  return db.selectFrom("oidc_identities").selectAll().where("user_id", "=", userId).execute();
}

/** Stores a pending sign-in, and drops the expired ones on the way. */
export async function insertOidcLoginAttempt(
  db: Executor,
  attempt: OidcLoginAttemptRow,
  now: Date,
): Promise<void> {
  await db.deleteFrom("oidc_login_attempts").where("expires_at", "<=", now).execute();
  await db.insertInto("oidc_login_attempts").values(attempt).execute();
}

/** Removes and returns a pending sign-in that has not expired (each is usable once). */
export function takeOidcLoginAttempt(
  db: Executor,
  keyHash: string,
  now: Date,
): Promise<OidcLoginAttemptRow | undefined> {
  return db
    .deleteFrom("oidc_login_attempts")
    .where("key_hash", "=", keyHash)
    .where("expires_at", ">", now)
    .returningAll()
    .executeTakeFirst();
}
