import { type Database, sessionsRepo, usersRepo } from "@vigie/db";
import type { Kysely } from "kysely";
import { recordAudit } from "../audit/record-audit.ts";
import { type ChangedBy, findAccountOrFail, getAccount, type UserViewData } from "./user-view.ts";

/**
 * Removes an account's TOTP (lost phone) and ends its sessions: a privileged account enrols
 * again at its next sign-in, a declarant simply signs in with the password.
 */
export async function resetAccountMfa(
  db: Kysely<Database>,
  id: string,
  by: ChangedBy,
  now: Date,
): Promise<UserViewData> {
  const user = await findAccountOrFail(db, id);
  await db.transaction().execute(async (trx) => {
    await usersRepo.updateUser(trx, id, { totp_secret: null, totp_enabled_at: null, totp_last_step: null });
    await sessionsRepo.deleteUserSessions(trx, id);
    await recordAudit(
      trx,
      {
        actor: by.actor,
        actorLabel: by.actorLabel,
        action: "user.mfa_reset",
        objectType: "user",
        objectId: id,
        ip: by.ip ?? null,
        details: { before: { mfaEnabled: user.totp_enabled_at !== null }, after: { mfaEnabled: false } },
      },
      now,
    );
  });
  return getAccount(db, id);
}
