import { AppError, type FieldIssue, type Role } from "@vigie/contracts";
import { accountsRepo, type Database, usersRepo } from "@vigie/db";
import type { Kysely } from "kysely";
import { recordAudit } from "../audit/record-audit.ts";
import type { ClientContext } from "../auth/login.ts";
import { checkPasswordPolicy, hashPassword, verifyPassword } from "../auth/passwords.ts";
import { findAccountOrFail } from "./user-view.ts";

/**
 * Changes one's own password: the current one must be right and the new one meet the role's
 * policy (WEAK_PASSWORD naming `newPassword`). Every other session of the account ends; the
 * one that made the change stays open.
 */
export async function changeOwnPassword(
  db: Kysely<Database>,
  who: { userId: string; sessionId: string | null },
  input: { currentPassword: string; newPassword: string },
  context: ClientContext,
  now: Date,
): Promise<void> {
  const user = await findAccountOrFail(db, who.userId);
  const actor = { userId: user.id, email: user.email };
  if (!user.password_hash || !(await verifyPassword(user.password_hash, input.currentPassword))) {
    await recordAudit(
      db,
      {
        actor,
        action: "account.password_change_failed",
        outcome: "failure",
        objectType: "user",
        objectId: user.id,
        ip: context.ip ?? null,
        details: { reason: "wrong_current_password" },
      },
      now,
    );
    throw new AppError("VALIDATION_FAILED", {
      fields: [{ field: "currentPassword", message: "Le mot de passe actuel est incorrect." }],
    });
  }

  const issues: FieldIssue[] = checkPasswordPolicy(input.newPassword, user.role as Role, {
    email: user.email,
  }).map((issue) => ({ ...issue, field: "newPassword" }));
  if (input.newPassword === input.currentPassword) {
    issues.push({
      field: "newPassword",
      message: "Le nouveau mot de passe doit être différent de l'actuel.",
    });
  }
  if (issues.length > 0) throw new AppError("WEAK_PASSWORD", { fields: issues });

  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    await usersRepo.updateUser(trx, user.id, { password_hash: passwordHash });
    if (who.sessionId) await accountsRepo.deleteOtherSessions(trx, user.id, who.sessionId);
    await recordAudit(
      trx,
      {
        actor,
        action: "account.password_changed",
        objectType: "user",
        objectId: user.id,
        ip: context.ip ?? null,
      },
      now,
    );
  });
}
