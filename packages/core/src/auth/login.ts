import { AppError } from "@vigie/contracts";
import { accountsRepo, type Database, type Executor, sessionsRepo, type UserRow, usersRepo } from "@vigie/db";
import type { Kysely } from "kysely";
import { recordAudit } from "../audit/record-audit.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";
import { completeSignIn, type StartedSession } from "./start-session.ts";

/** Where a request comes from, recorded on sessions and audit entries. */
export interface ClientContext {
  ip?: string | null;
  userAgent?: string | null;
}

/** The sign-in rules read from the configuration. */
export interface LoginPolicy {
  /** Consecutive failures (password or TOTP) that lock the account. */
  maxFailures: number;
  lockMinutes: number;
  sessionTtlHours: number;
}

/** What a successful password step returns: the account and its new session. */
export interface LoginResult {
  user: UserRow;
  session: StartedSession;
}

// A real argon2id hash to verify against when the e-mail is unknown, so that an unknown
// address costs the same time as a wrong password and cannot be told apart.
let dummyHash: Promise<string> | undefined;
function timingDummyHash(): Promise<string> {
  dummyHash ??= hashPassword("vigie-compte-inexistant-egalisation-du-temps");
  return dummyHash;
}

/** Normalises an e-mail the way accounts store it. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Counts a failed sign-in step (wrong password or TOTP code) toward the lockout, inside the
 * caller's transaction, and audits the lock when this failure triggers it.
 */
export async function countSignInFailure(
  trx: Executor,
  user: Pick<UserRow, "id" | "email">,
  context: ClientContext,
  policy: LoginPolicy,
  now: Date,
): Promise<accountsRepo.LoginFailureOutcome> {
  const outcome = await accountsRepo.registerLoginFailure(trx, user.id, {
    maxFailures: policy.maxFailures,
    lockUntil: new Date(now.getTime() + policy.lockMinutes * 60_000),
    now,
  });
  if (outcome.lockedNow) {
    await recordAudit(
      trx,
      {
        actorLabel: user.email,
        action: "auth.locked",
        outcome: "failure",
        objectType: "user",
        objectId: user.id,
        ip: context.ip ?? null,
        details: { lockedUntil: outcome.lockedUntil?.toISOString(), maxFailures: policy.maxFailures },
      },
      now,
    );
  }
  return outcome;
}

/** The ACCOUNT_LOCKED error, telling until when. */
export function accountLockedError(lockedUntil: Date): AppError {
  return new AppError("ACCOUNT_LOCKED", { details: { lockedUntil: lockedUntil.toISOString() } });
}

async function auditFailure(
  db: Executor,
  typedEmail: string,
  reason: string,
  user: UserRow | undefined,
  context: ClientContext,
  now: Date,
): Promise<void> {
  await recordAudit(
    db,
    {
      actorLabel: typedEmail,
      action: "auth.login_failed",
      outcome: "failure",
      objectType: user ? "user" : undefined,
      objectId: user?.id,
      ip: context.ip ?? null,
      details: { reason, email: typedEmail },
    },
    now,
  );
}

/**
 * The password step of sign-in. Unknown e-mail and wrong password fail alike
 * (INVALID_CREDENTIALS, same cost); a locked account is refused before its password is
 * checked; disabled and unverified accounts are reported only once the password is right.
 * Success clears the failure counter and opens a session at its first stage.
 */
export async function login(
  db: Kysely<Database>,
  input: { email: string; password: string },
  context: ClientContext,
  policy: LoginPolicy,
  now: Date,
): Promise<LoginResult> {
  const email = normaliseEmail(input.email);
  const user = await usersRepo.findUserByEmail(db, email);

  if (!user?.password_hash) {
    await verifyPassword(await timingDummyHash(), input.password);
    await auditFailure(db, email, user ? "no_password" : "unknown_email", user, context, now);
    throw new AppError("INVALID_CREDENTIALS");
  }

  if (user.locked_until && user.locked_until > now) {
    await auditFailure(db, email, "locked", user, context, now);
    throw accountLockedError(user.locked_until);
  }

  if (!(await verifyPassword(user.password_hash, input.password))) {
    const outcome = await db.transaction().execute(async (trx) => {
      await auditFailure(trx, email, "wrong_password", user, context, now);
      return countSignInFailure(trx, user, context, policy, now);
    });
    if (outcome.lockedNow && outcome.lockedUntil) throw accountLockedError(outcome.lockedUntil);
    throw new AppError("INVALID_CREDENTIALS");
  }

  if (user.disabled_at) {
    await auditFailure(db, email, "disabled", user, context, now);
    throw new AppError("ACCOUNT_DISABLED");
  }
  if (!user.email_verified_at) {
    await auditFailure(db, email, "email_not_verified", user, context, now);
    throw new AppError("EMAIL_NOT_VERIFIED");
  }

  const session = await db.transaction().execute((trx) =>
    completeSignIn(
      trx,
      user,
      {
        ip: context.ip,
        userAgent: context.userAgent,
        ttlHours: policy.sessionTtlHours,
        method: "password",
      },
      now,
    ),
  );
  return { user, session };
}

/** Ends a session (sign-out) and audits it. */
export async function logout(
  db: Kysely<Database>,
  session: { id: string; userId: string; email: string },
  context: ClientContext,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sessionsRepo.deleteSession(trx, session.id);
    await recordAudit(
      trx,
      {
        actor: { userId: session.userId, email: session.email },
        action: "auth.logout",
        objectType: "user",
        objectId: session.userId,
        ip: context.ip ?? null,
      },
      now,
    );
  });
}
