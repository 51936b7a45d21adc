import { AppError, type Role } from "@vigie/contracts";
import { type Database, emailTokensRepo, sessionsRepo, usersRepo } from "@vigie/db";
import type { Kysely } from "kysely";
import { recordAudit } from "../audit/record-audit.ts";
import { checkPasswordPolicy, hashPassword } from "../auth/passwords.ts";
import { sha256 } from "../auth/secrets.ts";
import {
  issueEmailLink,
  LINK_PATHS,
  linkQuotaReached,
  RESET_PASSWORD_TTL_MINUTES,
} from "../mail/email-links.ts";
import { queueMail } from "../mail/queue-mail.ts";
import { passwordChangedMail, passwordResetMail } from "../mail/templates.ts";
import type { AccountRequestContext } from "./register.ts";

/**
 * Mails a password reset link (valid one hour) when the address has an enabled account and
 * the hourly quota is not reached. The caller answers the same whatever happened.
 */
export async function requestPasswordReset(
  db: Kysely<Database>,
  email: string,
  context: AccountRequestContext,
  now: Date,
): Promise<{ sent: boolean }> {
  const normalised = email.trim().toLowerCase();
  return db.transaction().execute(async (trx) => {
    const user = await usersRepo.findUserByEmail(trx, normalised);
    const reason = !user
      ? "unknown_email"
      : user.disabled_at
        ? "disabled"
        : (await linkQuotaReached(trx, user.id, "reset_password", now))
          ? "quota"
          : null;
    if (user && !reason) {
      const link = await issueEmailLink(trx, user.id, "reset_password", context.publicUrl, now);
      await queueMail(
        trx,
        {
          to: user.email,
          ...passwordResetMail({ fullName: user.full_name, link, validMinutes: RESET_PASSWORD_TTL_MINUTES }),
        },
        now,
      );
    }
    await recordAudit(
      trx,
      {
        actorLabel: normalised,
        action: "account.password_reset_requested",
        outcome: reason ? "failure" : "success",
        objectType: user ? "user" : undefined,
        objectId: user?.id,
        ip: context.ip ?? null,
        details: reason ? { reason } : {},
      },
      now,
    );
    return { sent: !reason };
  });
}

/**
 * Sets a new password with a reset link: the link must be unused and unexpired, the password
 * must meet the policy of the account's role (the link stays usable when it does not). Ends
 * every session, clears the lockout, confirms the e-mail (the link proves the mailbox) and
 * tells the owner by mail.
 */
export async function confirmPasswordReset(
  db: Kysely<Database>,
  input: { token: string; password: string },
  context: AccountRequestContext,
  now: Date,
): Promise<{ userId: string }> {
  const tokenHash = sha256(input.token);
  const link = await emailTokensRepo.findUsableEmailToken(db, tokenHash, "reset_password", now);
  if (!link) throw new AppError("TOKEN_INVALID");
  const user = await usersRepo.findUserById(db, link.user_id);
  if (!user) throw new AppError("TOKEN_INVALID");
  if (user.disabled_at) throw new AppError("ACCOUNT_DISABLED");
  const issues = checkPasswordPolicy(input.password, user.role as Role, { email: user.email });
  if (issues.length > 0) throw new AppError("WEAK_PASSWORD", { fields: issues });
  const passwordHash = await hashPassword(input.password);

  return db.transaction().execute(async (trx) => {
    // Spent here, atomically: of two concurrent confirmations only one gets through.
    const spent = await emailTokensRepo.consumeEmailToken(trx, tokenHash, "reset_password", now);
    if (!spent) throw new AppError("TOKEN_INVALID");
    await usersRepo.updateUser(trx, user.id, {
      password_hash: passwordHash,
      failed_login_count: 0,
      locked_until: null,
      email_verified_at: user.email_verified_at ?? now,
    });
    await emailTokensRepo.spendUserEmailTokens(trx, user.id, "reset_password", now);
    await sessionsRepo.deleteUserSessions(trx, user.id);
    await queueMail(
      trx,
      {
        to: user.email,
        ...passwordChangedMail({
          fullName: user.full_name,
          resetLink: `${context.publicUrl}${LINK_PATHS.forgotPassword}`,
        }),
      },
      now,
    );
    await recordAudit(
      trx,
      {
        actor: { userId: user.id, email: user.email },
        action: "account.password_reset",
        objectType: "user",
        objectId: user.id,
        ip: context.ip ?? null,
      },
      now,
    );
    return { userId: user.id };
  });
}
