import { AppError } from "@vigie/contracts";
import {
  type Database,
  type Executor,
  oidcIdentitiesRepo,
  sessionsRepo,
  type UserRow,
  usersRepo,
} from "@vigie/db";
import type { Kysely } from "kysely";
import { recordAudit } from "../audit/record-audit.ts";
import { randomToken, sha256 } from "./secrets.ts";
import { completeSignIn, type StartedSession } from "./start-session.ts";

/** Who the identity provider says signed in (from the validated ID token and userinfo). */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  email: string | null;
  /** The provider's `email_verified` claim was `true`. */
  emailVerified: boolean;
  fullName: string | null;
  amr: readonly string[];
  acr: string | null;
}

/** The rules of an OIDC sign-in, from the configuration. */
export interface OidcLoginPolicy {
  sessionTtlHours: number;
  /** `acr` values that prove multi-factor authentication at the provider. */
  mfaAcrValues: readonly string[];
}

/** `amr` values (RFC 8176) that mean the provider checked more than one factor. */
const MFA_AMR = new Set(["mfa", "otp", "hwk"]);

/** True when the provider's `amr` or `acr` prove multi-factor authentication. */
export function providerDidMfa(identity: Pick<OidcIdentity, "amr" | "acr">, mfaAcrValues: readonly string[]) {
  return (
    identity.amr.some((v) => MFA_AMR.has(v)) || (identity.acr !== null && mfaAcrValues.includes(identity.acr))
  );
}

/** What an OIDC sign-in did. */
export interface OidcLoginResult {
  user: UserRow;
  session: StartedSession;
  /** "identity": known (issuer, sub); "email": linked now by verified e-mail; "created": new account. */
  matchedBy: "identity" | "email" | "created";
}

type Resolution =
  | { kind: "ok"; user: UserRow; matchedBy: OidcLoginResult["matchedBy"] }
  | { kind: "disabled"; user: UserRow };

/**
 * Signs in with an identity the provider vouched for: the account linked to (issuer, sub);
 * else the account of the same e-mail when the provider says it is verified (the identity is
 * linked); else a new declarant account (verified e-mail, no password, no structure).
 * Disabled accounts are refused. The session skips Vigie's TOTP only when the provider
 * proved multi-factor authentication; otherwise privileged roles still go through it.
 */
export async function oidcLogin(
  db: Kysely<Database>,
  identity: OidcIdentity,
  context: { ip?: string | null; userAgent?: string | null },
  policy: OidcLoginPolicy,
  now: Date,
): Promise<OidcLoginResult> {
  const mfa = providerDidMfa(identity, policy.mfaAcrValues);
  const result = await db.transaction().execute(async (trx) => {
    const resolution = await resolveAccount(trx, identity, context, now);
    if (resolution.kind === "disabled") return resolution;
    const { user, matchedBy } = resolution;
    const session = await completeSignIn(
      trx,
      user,
      {
        ip: context.ip,
        userAgent: context.userAgent,
        mfaAlreadySatisfied: mfa,
        ttlHours: policy.sessionTtlHours,
        method: "oidc",
        details: {
          issuer: identity.issuer,
          matchedBy,
          providerMfa: mfa,
          ...(identity.acr ? { acr: identity.acr } : {}),
        },
      },
      now,
    );
    return { kind: "ok" as const, user, session, matchedBy };
  });
  if (result.kind === "disabled") {
    await recordOidcFailure(
      db,
      "account_disabled",
      { ...context, email: result.user.email, userId: result.user.id },
      now,
    );
    throw new AppError("ACCOUNT_DISABLED");
  }
  return { user: result.user, session: result.session, matchedBy: result.matchedBy };
}

async function resolveAccount(
  trx: Kysely<Database>,
  identity: OidcIdentity,
  context: { ip?: string | null },
  now: Date,
): Promise<Resolution> {
  const linked = await oidcIdentitiesRepo.findOidcIdentity(trx, identity.issuer, identity.subject);
  if (linked) {
    const user = await usersRepo.findUserById(trx, linked.user_id);
    if (!user) throw new AppError("OIDC_FAILED", { details: { reason: "linked_account_missing" } });
    return user.disabled_at ? { kind: "disabled", user } : { kind: "ok", user, matchedBy: "identity" };
  }
  const email = identity.email?.trim().toLowerCase() || null;
  if (!email || !identity.emailVerified) {
    // Without a verified address there is nothing safe to link to or to create an account with.
    throw new AppError("OIDC_FAILED", {
      message: "Le fournisseur d'identité n'a pas transmis d'adresse électronique vérifiée.",
      details: { reason: email ? "email_not_verified" : "email_missing" },
    });
  }
  const existing = await usersRepo.findUserByEmail(trx, email);
  if (existing) {
    if (existing.disabled_at) return { kind: "disabled", user: existing };
    await oidcIdentitiesRepo.insertOidcIdentity(trx, {
      issuer: identity.issuer,
      subject: identity.subject,
      user_id: existing.id,
      created_at: now,
    });
    let user = existing;
    if (!existing.email_verified_at) {
      // Someone may have registered this address without owning it: the password they chose
      // and their sessions must not survive the real owner's proof of the mailbox.
      user =
        (await usersRepo.updateUser(trx, existing.id, { email_verified_at: now, password_hash: null })) ??
        existing;
      await sessionsRepo.deleteUserSessions(trx, existing.id);
    }
    await recordAudit(
      trx,
      {
        actor: { userId: user.id, email: user.email },
        action: "account.oidc_linked",
        objectType: "user",
        objectId: user.id,
        ip: context.ip ?? null,
        details: { issuer: identity.issuer, wasVerified: existing.email_verified_at !== null },
      },
      now,
    );
    return { kind: "ok", user, matchedBy: "email" };
  }
  const user = await usersRepo.insertUser(trx, {
    email,
    full_name: identity.fullName?.trim() || email.split("@")[0] || email,
    job_title: null,
    phone: null,
    role: "declarant",
    region_code: null,
    authority: null,
    password_hash: null,
    totp_secret: null,
    totp_enabled_at: null,
    email_verified_at: now,
    disabled_at: null,
    created_at: now,
    updated_at: now,
  });
  await oidcIdentitiesRepo.insertOidcIdentity(trx, {
    issuer: identity.issuer,
    subject: identity.subject,
    user_id: user.id,
    created_at: now,
  });
  await recordAudit(
    trx,
    {
      actor: { userId: user.id, email: user.email },
      action: "account.registered",
      objectType: "user",
      objectId: user.id,
      ip: context.ip ?? null,
      details: { method: "oidc", issuer: identity.issuer },
    },
    now,
  );
  return { kind: "ok", user, matchedBy: "created" };
}

/** Audits a failed OIDC sign-in (provider error, bad state, refused account). */
export async function recordOidcFailure(
  db: Kysely<Database>,
  reason: string,
  context: { ip?: string | null; email?: string | null; userId?: string | null },
  now: Date,
): Promise<void> {
  await recordAudit(
    db,
    {
      actorLabel: context.email ?? "fournisseur d'identité",
      action: "auth.login_failed",
      outcome: "failure",
      objectType: context.userId ? "user" : undefined,
      objectId: context.userId ?? undefined,
      ip: context.ip ?? null,
      details: { method: "oidc", reason },
    },
    now,
  );
}

/** How long a user has to come back from the provider. */
export const OIDC_LOGIN_TTL_MINUTES = 10;

/** The checks of a pending OIDC sign-in. */
export interface OidcPendingChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/**
 * Stores the checks of a sign-in being sent to the provider and returns the random key the
 * browser keeps in a cookie: only that browser can complete this sign-in (no login CSRF).
 */
export async function beginOidcLogin(db: Executor, checks: OidcPendingChecks, now: Date): Promise<string> {
  const key = randomToken(32);
  await oidcIdentitiesRepo.insertOidcLoginAttempt(
    db,
    {
      key_hash: sha256(key),
      state: checks.state,
      nonce: checks.nonce,
      code_verifier: checks.codeVerifier,
      created_at: now,
      expires_at: new Date(now.getTime() + OIDC_LOGIN_TTL_MINUTES * 60_000),
    },
    now,
  );
  return key;
}

/** Takes back (once) the checks of the sign-in behind the cookie key; null when unknown or expired. */
export async function takeOidcLogin(db: Executor, key: string, now: Date): Promise<OidcPendingChecks | null> {
  const row = await oidcIdentitiesRepo.takeOidcLoginAttempt(db, sha256(key), now);
  return row ? { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier } : null;
}
