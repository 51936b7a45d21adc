import { type EmailTokenPurpose, type Executor, emailTokensRepo } from "@vigie/db";
import { randomToken, sha256 } from "../auth/secrets.ts";

/** How long an e-mail verification link stays valid. */
export const VERIFY_EMAIL_TTL_HOURS = 48;
/** How long a password reset link stays valid. */
export const RESET_PASSWORD_TTL_MINUTES = 60;
/** At most this many links of one purpose are mailed to an account per hour (anti mail-bombing). */
export const MAX_LINKS_PER_HOUR = 3;

/** Pages of the web app that e-mail links open. */
export const LINK_PATHS = {
  verify_email: "/verifier-courriel",
  reset_password: "/reinitialiser-mot-de-passe",
  login: "/connexion",
  forgotPassword: "/mot-de-passe-oublie",
} as const;

/**
 * Creates a single-use link for a user (only its hash is stored, in the caller's transaction)
 * and returns the URL to mail.
 */
export async function issueEmailLink(
  trx: Executor,
  userId: string,
  purpose: EmailTokenPurpose,
  publicUrl: string,
  now: Date,
): Promise<string> {
  const token = randomToken(32);
  const ttlMs =
    purpose === "verify_email" ? VERIFY_EMAIL_TTL_HOURS * 3_600_000 : RESET_PASSWORD_TTL_MINUTES * 60_000;
  await emailTokensRepo.insertEmailToken(trx, {
    token_hash: sha256(token),
    user_id: userId,
    purpose,
    expires_at: new Date(now.getTime() + ttlMs),
    created_at: now,
  });
  return `${publicUrl}${LINK_PATHS[purpose]}?jeton=${encodeURIComponent(token)}`;
}

/** True when the account was already sent the hourly maximum of links of this purpose. */
export async function linkQuotaReached(
  db: Executor,
  userId: string,
  purpose: EmailTokenPurpose,
  now: Date,
): Promise<boolean> {
  const sent = await emailTokensRepo.countEmailTokensSince(
    db,
    userId,
    purpose,
    new Date(now.getTime() - 3_600_000),
  );
  return sent >= MAX_LINKS_PER_HOUR;
}
