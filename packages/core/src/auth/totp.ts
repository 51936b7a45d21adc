import { AppError, isPrivilegedRole, type Role } from "@vigie/contracts";
import { accountsRepo, type Database, sessionsRepo, usersRepo } from "@vigie/db";
import type { Kysely } from "kysely";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import { recordAudit } from "../audit/record-audit.ts";
import { accountLockedError, type ClientContext, countSignInFailure, type LoginPolicy } from "./login.ts";
import type { ResolvedSession } from "./resolve-session.ts";

/** Shown by authenticator apps above the account name. */
export const TOTP_ISSUER = "Vigie";
const TOTP_PERIOD = 30;
const TOTP_DIGITS = 6;
const TOTP_ALGORITHM = "SHA1";
/** Codes of the previous and next 30-second step are accepted too (clock drift). */
const TOTP_WINDOW = 1;

function totpFor(secret: string, accountName = ""): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label: accountName,
    algorithm: TOTP_ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD,
    secret: Secret.fromBase32(secret),
  });
}

/** A new random TOTP secret (160 bits, RFC 4226's recommendation), in base32. */
export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI authenticator apps import (issuer "Vigie", SHA1, 6 digits, 30 s). */
export function totpUri(secret: string, accountName: string): string {
  return totpFor(secret, accountName).toString();
}

/** The 30-second time step a moment falls in. */
export function totpStepAt(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD);
}

/**
 * The time step a code matches (current step ±1), or null when it matches none or matches a
 * step not newer than `lastStep`, the last code accepted (replay).
 */
export function matchTotpCode(
  secret: string,
  code: string,
  at: Date,
  lastStep: number | null,
): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secret).validate({ token: code, timestamp: at.getTime(), window: TOTP_WINDOW });
  if (delta === null) return null;
  const step = totpStepAt(at) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}

/** The QR code of an otpauth:// URI, as an SVG document. */
export function totpQrCodeSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}

/** Where a session stands after a TOTP step, and the CSRF token the client keeps using. */
export interface SessionStep {
  stage: "mfa_required" | "mfa_enrolment" | "authenticated";
  csrfToken: string;
}

/** What enrolment shows: the secret, its URI and a QR code to scan. */
export interface TotpSetup {
  secret: string;
  otpauthUri: string;
  qrCodeSvg: string;
}

type SessionOfUser = Pick<ResolvedSession, "session" | "user">;

function actorOf(resolved: SessionOfUser) {
  return { userId: resolved.user.id, email: resolved.user.email };
}

/**
 * The second step of sign-in: checks the TOTP code of a session waiting for it. A wrong or
 * replayed code counts toward the same lockout as wrong passwords; the failure that locks
 * the account also ends the session.
 */
export async function verifySignInTotp(
  db: Kysely<Database>,
  resolved: SessionOfUser,
  code: string,
  context: ClientContext,
  policy: LoginPolicy,
  now: Date,
): Promise<SessionStep> {
  const { session, user } = resolved;
  if (session.stage === "mfa_enrolment") throw new AppError("MFA_ENROLMENT_REQUIRED");
  if (session.stage !== "mfa_required" || !user.totp_secret || !user.totp_enabled_at) {
    throw new AppError("BAD_REQUEST", {
      message: "Aucun code d'authentification n'est attendu pour cette session.",
    });
  }
  if (user.locked_until && user.locked_until > now) {
    await sessionsRepo.deleteSession(db, session.id);
    throw accountLockedError(user.locked_until);
  }

  const step = matchTotpCode(user.totp_secret, code, now, user.totp_last_step);
  const claimed =
    step !== null &&
    (await db.transaction().execute(async (trx) => {
      if (!(await accountsRepo.claimTotpStep(trx, user.id, step, now))) return false;
      await accountsRepo.resetLoginFailures(trx, user.id, now);
      await sessionsRepo.setSessionStage(trx, session.id, "authenticated");
      await recordAudit(
        trx,
        {
          actor: actorOf(resolved),
          action: "auth.totp_verified",
          objectType: "user",
          objectId: user.id,
          ip: context.ip ?? null,
        },
        now,
      );
      return true;
    }));
  if (claimed) return { stage: "authenticated", csrfToken: session.csrf_token };

  const replay = matchTotpCode(user.totp_secret, code, now, null) !== null;
  const outcome = await db.transaction().execute(async (trx) => {
    await recordAudit(
      trx,
      {
        actor: actorOf(resolved),
        action: "auth.totp_failed",
        outcome: "failure",
        objectType: "user",
        objectId: user.id,
        ip: context.ip ?? null,
        details: { reason: replay ? "replay" : "wrong_code" },
      },
      now,
    );
    const counted = await countSignInFailure(trx, user, context, policy, now);
    if (counted.lockedNow) await sessionsRepo.deleteSession(trx, session.id);
    return counted;
  });
  if (outcome.lockedNow && outcome.lockedUntil) throw accountLockedError(outcome.lockedUntil);
  throw new AppError("INVALID_TOTP");
}

function assertMayEnrol(resolved: SessionOfUser): void {
  const { session, user } = resolved;
  if (session.stage === "mfa_required") throw new AppError("MFA_REQUIRED");
  if (user.totp_enabled_at) {
    throw new AppError("CONFLICT", { message: "La double authentification est déjà activée sur ce compte." });
  }
}

/**
 * Starts TOTP enrolment (while a privileged account must enrol, or from the account page of
 * an account without MFA): stores a pending secret, not yet required at sign-in.
 */
export async function startTotpEnrolment(
  db: Kysely<Database>,
  resolved: SessionOfUser,
  context: ClientContext,
  now: Date,
): Promise<TotpSetup> {
  assertMayEnrol(resolved);
  const secret = generateTotpSecret();
  const otpauthUri = totpUri(secret, resolved.user.email);
  await db.transaction().execute(async (trx) => {
    await usersRepo.updateUser(trx, resolved.user.id, { totp_secret: secret, totp_last_step: null });
    await recordAudit(
      trx,
      {
        actor: actorOf(resolved),
        action: "auth.totp_setup",
        objectType: "user",
        objectId: resolved.user.id,
        ip: context.ip ?? null,
      },
      now,
    );
  });
  return { secret, otpauthUri, qrCodeSvg: await totpQrCodeSvg(otpauthUri) };
}

/** Confirms enrolment with a first code: MFA is on and the session is fully authenticated. */
export async function confirmTotpEnrolment(
  db: Kysely<Database>,
  resolved: SessionOfUser,
  code: string,
  context: ClientContext,
  now: Date,
): Promise<SessionStep> {
  assertMayEnrol(resolved);
  const { session, user } = resolved;
  if (!user.totp_secret) {
    throw new AppError("BAD_REQUEST", {
      message: "Générez d'abord un secret de double authentification (étape « configurer »).",
    });
  }
  const step = matchTotpCode(user.totp_secret, code, now, null);
  if (step === null) {
    await recordAudit(
      db,
      {
        actor: actorOf(resolved),
        action: "auth.totp_enable_failed",
        outcome: "failure",
        objectType: "user",
        objectId: user.id,
        ip: context.ip ?? null,
      },
      now,
    );
    throw new AppError("INVALID_TOTP");
  }
  await db.transaction().execute(async (trx) => {
    await usersRepo.updateUser(trx, user.id, { totp_enabled_at: now, totp_last_step: step });
    if (session.stage !== "authenticated")
      await sessionsRepo.setSessionStage(trx, session.id, "authenticated");
    await recordAudit(
      trx,
      {
        actor: actorOf(resolved),
        action: "auth.totp_enabled",
        objectType: "user",
        objectId: user.id,
        ip: context.ip ?? null,
      },
      now,
    );
  });
  return { stage: "authenticated", csrfToken: session.csrf_token };
}

/** Turns TOTP off, with a current code; only declarants may, MFA being mandatory for the others. */
export async function disableTotp(
  db: Kysely<Database>,
  resolved: SessionOfUser,
  code: string,
  context: ClientContext,
  now: Date,
): Promise<void> {
  const { session, user } = resolved;
  if (session.stage !== "authenticated") throw new AppError("MFA_REQUIRED");
  if (isPrivilegedRole(user.role as Role)) {
    throw new AppError("FORBIDDEN", {
      message: "La double authentification est obligatoire pour votre rôle.",
    });
  }
  if (!user.totp_enabled_at || !user.totp_secret) {
    throw new AppError("BAD_REQUEST", {
      message: "La double authentification n'est pas activée sur ce compte.",
    });
  }
  const step = matchTotpCode(user.totp_secret, code, now, user.totp_last_step);
  if (step === null) {
    await recordAudit(
      db,
      {
        actor: actorOf(resolved),
        action: "auth.totp_disable_failed",
        outcome: "failure",
        objectType: "user",
        objectId: user.id,
        ip: context.ip ?? null,
      },
      now,
    );
    throw new AppError("INVALID_TOTP");
  }
  await db.transaction().execute(async (trx) => {
    await usersRepo.updateUser(trx, user.id, {
      totp_secret: null,
      totp_enabled_at: null,
      totp_last_step: null,
    });
    await recordAudit(
      trx,
      {
        actor: actorOf(resolved),
        action: "auth.totp_disabled",
        objectType: "user",
        objectId: user.id,
        ip: context.ip ?? null,
      },
      now,
    );
  });
}
