import { isPrivilegedRole, type Role } from "@vigie/contracts";
import { accountsRepo, type Executor, sessionsRepo, type UserRow } from "@vigie/db";
import { recordAudit } from "../audit/record-audit.ts";
import { randomToken, sha256 } from "./secrets.ts";

/** A new session: the cookie value (secret, never stored) and what the client needs next. */
export interface StartedSession {
  cookieValue: string;
  csrfToken: string;
  stage: sessionsRepo.SessionRow["stage"];
  expiresAt: Date;
}

/**
 * The stage a fresh sign-in lands on: TOTP to type when enrolled; enrolment when the role
 * requires MFA and none is set up; otherwise (or when an identity provider already did MFA)
 * fully authenticated.
 */
export function initialStage(user: Pick<UserRow, "role" | "totp_enabled_at">, mfaAlreadySatisfied: boolean) {
  if (mfaAlreadySatisfied) return "authenticated" as const;
  if (user.totp_enabled_at) return "mfa_required" as const;
  if (isPrivilegedRole(user.role as Role)) return "mfa_enrolment" as const;
  return "authenticated" as const;
}

/** Opens a session for a user whose password (or identity provider) was checked. */
export async function startSession(
  db: Executor,
  user: Pick<UserRow, "id" | "role" | "totp_enabled_at">,
  options: { ip?: string | null; userAgent?: string | null; mfaAlreadySatisfied?: boolean; ttlHours: number },
  now: Date,
): Promise<StartedSession> {
  const cookieValue = randomToken(32);
  const csrfToken = randomToken(24);
  const stage = initialStage(user, options.mfaAlreadySatisfied ?? false);
  const expiresAt = new Date(now.getTime() + options.ttlHours * 3_600_000);
  await sessionsRepo.insertSession(db, {
    id: sha256(cookieValue),
    user_id: user.id,
    csrf_token: csrfToken,
    stage,
    ip: options.ip ?? null,
    user_agent: options.userAgent?.slice(0, 500) ?? null,
    created_at: now,
    last_seen_at: now,
    expires_at: expiresAt,
  });
  return { cookieValue, csrfToken, stage, expiresAt };
}

/**
 * The common end of every successful sign-in (password or identity provider), inside the
 * caller's transaction: clears the failure counter, opens the session and audits `auth.login`.
 */
export async function completeSignIn(
  trx: Executor,
  user: Pick<UserRow, "id" | "email" | "role" | "totp_enabled_at">,
  options: {
    ip?: string | null;
    userAgent?: string | null;
    mfaAlreadySatisfied?: boolean;
    ttlHours: number;
    method: "password" | "oidc";
    details?: Record<string, unknown>;
  },
  now: Date,
): Promise<StartedSession> {
  await accountsRepo.recordLoginSuccess(trx, user.id, now);
  const started = await startSession(trx, user, options, now);
  await recordAudit(
    trx,
    {
      actor: { userId: user.id, email: user.email },
      action: "auth.login",
      objectType: "user",
      objectId: user.id,
      ip: options.ip ?? null,
      details: { method: options.method, stage: started.stage, ...options.details },
    },
    now,
  );
  return started;
}
