import { AppError, type FieldIssue } from "@vigie/contracts";
import {
  type Database,
  emailTokensRepo,
  type StructureRow,
  structuresRepo,
  type UserRow,
  usersRepo,
} from "@vigie/db";
import type { Kysely } from "kysely";
import { recordAudit } from "../audit/record-audit.ts";
import { checkPasswordPolicy, hashPassword } from "../auth/passwords.ts";
import { sha256 } from "../auth/secrets.ts";
import { finessProblem, normaliseFiness } from "../directory/finess.ts";
import { issueEmailLink, LINK_PATHS, linkQuotaReached, VERIFY_EMAIL_TTL_HOURS } from "../mail/email-links.ts";
import { queueMail } from "../mail/queue-mail.ts";
import { alreadyRegisteredMail, verificationMail } from "../mail/templates.ts";

/** Where the request comes from and the base URL e-mail links point to. */
export interface AccountRequestContext {
  publicUrl: string;
  ip?: string | null;
}

/** What a declarant types to register (already parsed by `RegisterRequest`). */
export interface RegistrationInput {
  email: string;
  fullName: string;
  jobTitle?: string | undefined;
  phone?: string | undefined;
  password: string;
  finess: string[];
}

/**
 * Webmail providers: an address there proves nothing about who works at a structure, so a
 * structure's contact address at one of them never makes a membership active by itself.
 */
export const PUBLIC_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "outlook.fr",
  "hotmail.com",
  "hotmail.fr",
  "live.com",
  "live.fr",
  "msn.com",
  "yahoo.com",
  "yahoo.fr",
  "icloud.com",
  "me.com",
  "orange.fr",
  "wanadoo.fr",
  "free.fr",
  "sfr.fr",
  "neuf.fr",
  "laposte.net",
  "bbox.fr",
  "aol.com",
  "gmx.fr",
  "gmx.com",
  "protonmail.com",
  "proton.me",
]);

function domainOf(email: string): string {
  return (email.split("@").at(-1) ?? "").trim().toLowerCase();
}

/**
 * Whether a registration for a structure is trusted at once: the address is on one of the
 * structure's mail domains (or a subdomain), or on the domain of one of its contact
 * addresses (unless a webmail). Otherwise the CERT validates the membership later.
 */
export function membershipStatusFor(
  email: string,
  structure: Pick<StructureRow, "mail_domains" | "contact_emails">,
): "active" | "pending" {
  const domain = domainOf(email);
  if (!domain) return "pending";
  const onMailDomain = structure.mail_domains.some((d) => {
    const known = d.trim().toLowerCase();
    return known !== "" && (domain === known || domain.endsWith(`.${known}`));
  });
  if (onMailDomain) return "active";
  const onContactDomain = structure.contact_emails.some((contact) => {
    const known = domainOf(contact);
    return known !== "" && !PUBLIC_MAIL_DOMAINS.has(known) && domain === known;
  });
  return onContactDomain ? "active" : "pending";
}

/** What registration did; the API answers the same in both cases (no account enumeration). */
export type RegistrationOutcome =
  | { outcome: "created"; userId: string; memberships: { finess: string; status: "active" | "pending" }[] }
  | { outcome: "existing" };

async function resolveStructures(
  db: Kysely<Database>,
  finessList: readonly string[],
): Promise<{ structures: StructureRow[]; issues: FieldIssue[] }> {
  const issues: FieldIssue[] = [];
  const structures = new Map<string, StructureRow>();
  for (const [index, raw] of finessList.entries()) {
    const field = `finess.${index}`;
    const problem = finessProblem(raw);
    if (problem) {
      issues.push({ field, message: problem });
      continue;
    }
    const finess = normaliseFiness(raw);
    const structure = await structuresRepo.findStructureByFiness(db, finess);
    if (!structure) {
      issues.push({ field, message: `Aucune structure de l'annuaire ne porte le numéro FINESS ${finess}.` });
      continue;
    }
    structures.set(structure.id, structure);
  }
  return { structures: [...structures.values()], issues };
}

/**
 * Self-registration of a declarant. Checks the structures (every bad FINESS named by its
 * index) and the password policy first; then creates the account, unverified, with its
 * memberships (active when the e-mail's domain belongs to the structure, else pending) and
 * mails a verification link. When the address already has an account nothing is created:
 * its owner gets a "you already have an account" mail instead, so the answer reveals nothing.
 */
export async function registerDeclarant(
  db: Kysely<Database>,
  input: RegistrationInput,
  context: AccountRequestContext,
  now: Date,
): Promise<RegistrationOutcome> {
  const email = input.email.trim().toLowerCase();
  const { structures, issues } = await resolveStructures(db, input.finess);
  const passwordIssues = checkPasswordPolicy(input.password, "declarant", { email });
  if (issues.length > 0) {
    throw new AppError("VALIDATION_FAILED", { fields: [...issues, ...passwordIssues] });
  }
  if (passwordIssues.length > 0) throw new AppError("WEAK_PASSWORD", { fields: passwordIssues });
  // Hashed even for a known address, so both paths take the same time.
  const passwordHash = await hashPassword(input.password);

  try {
    return await db.transaction().execute(async (trx) => {
      const existing = await usersRepo.findUserByEmail(trx, email);
      if (existing) {
        await answerExistingAccount(trx, existing, context, now);
        return { outcome: "existing" as const };
      }
      const user = await usersRepo.insertUser(trx, {
        email,
        full_name: input.fullName,
        job_title: input.jobTitle || null,
        phone: input.phone || null,
        role: "declarant",
        region_code: null,
        authority: null,
        password_hash: passwordHash,
        totp_secret: null,
        totp_enabled_at: null,
        email_verified_at: null,
        disabled_at: null,
        created_at: now,
        updated_at: now,
      });
      const memberships = structures.map((s) => ({
        structureId: s.id,
        finess: s.finess_et,
        status: membershipStatusFor(email, s),
      }));
      await usersRepo.insertMemberships(trx, user.id, memberships, now);
      const link = await issueEmailLink(trx, user.id, "verify_email", context.publicUrl, now);
      await queueMail(
        trx,
        {
          to: email,
          ...verificationMail({ fullName: user.full_name, link, validHours: VERIFY_EMAIL_TTL_HOURS }),
        },
        now,
      );
      const summary = memberships.map((m) => ({ finess: m.finess, status: m.status }));
      await recordAudit(
        trx,
        {
          actor: { userId: user.id, email },
          action: "account.registered",
          objectType: "user",
          objectId: user.id,
          ip: context.ip ?? null,
          details: { method: "password", memberships: summary },
        },
        now,
      );
      return { outcome: "created" as const, userId: user.id, memberships: summary };
    });
  } catch (error) {
    // Two registrations of the same address at once: the second one lost the race.
    if ((error as { code?: string }).code === "23505") return { outcome: "existing" };
    throw error;
  }
}

async function answerExistingAccount(
  trx: Kysely<Database>,
  existing: UserRow,
  context: AccountRequestContext,
  now: Date,
): Promise<void> {
  const quotaReached = await linkQuotaReached(trx, existing.id, "verify_email", now);
  const mailed = !existing.disabled_at && !quotaReached;
  if (mailed) {
    const verificationLink = existing.email_verified_at
      ? null
      : await issueEmailLink(trx, existing.id, "verify_email", context.publicUrl, now);
    const content = alreadyRegisteredMail({
      fullName: existing.full_name,
      loginLink: `${context.publicUrl}${LINK_PATHS.login}`,
      resetLink: `${context.publicUrl}${LINK_PATHS.forgotPassword}`,
      verificationLink,
      validHours: VERIFY_EMAIL_TTL_HOURS,
    });
    await queueMail(trx, { to: existing.email, ...content }, now);
  }
  await recordAudit(
    trx,
    {
      actorLabel: existing.email,
      action: "account.registered",
      outcome: "failure",
      objectType: "user",
      objectId: existing.id,
      ip: context.ip ?? null,
      details: { reason: "email_taken", mailed },
    },
    now,
  );
}

/**
 * Confirms an e-mail address with the link's token (once; TOKEN_INVALID when unknown, used
 * or expired). Returns the account's e-mail.
 */
export async function verifyEmail(
  db: Kysely<Database>,
  token: string,
  context: { ip?: string | null },
  now: Date,
): Promise<{ userId: string; email: string }> {
  return db.transaction().execute(async (trx) => {
    const spent = await emailTokensRepo.consumeEmailToken(trx, sha256(token), "verify_email", now);
    if (!spent) throw new AppError("TOKEN_INVALID");
    const user = await usersRepo.findUserById(trx, spent.user_id);
    if (!user) throw new AppError("TOKEN_INVALID");
    if (user.disabled_at) throw new AppError("ACCOUNT_DISABLED");
    await emailTokensRepo.spendUserEmailTokens(trx, user.id, "verify_email", now);
    if (!user.email_verified_at) {
      await usersRepo.updateUser(trx, user.id, { email_verified_at: now });
    }
    await recordAudit(
      trx,
      {
        actor: { userId: user.id, email: user.email },
        action: "account.email_verified",
        objectType: "user",
        objectId: user.id,
        ip: context.ip ?? null,
      },
      now,
    );
    return { userId: user.id, email: user.email };
  });
}

/**
 * Mails a new verification link when the address has an unverified, enabled account and the
 * hourly quota is not reached; does nothing otherwise, and the caller answers the same.
 */
export async function resendVerification(
  db: Kysely<Database>,
  email: string,
  context: AccountRequestContext,
  now: Date,
): Promise<{ sent: boolean }> {
  return db.transaction().execute(async (trx) => {
    const user = await usersRepo.findUserByEmail(trx, email);
    if (!user || user.email_verified_at || user.disabled_at) return { sent: false };
    if (await linkQuotaReached(trx, user.id, "verify_email", now)) return { sent: false };
    const link = await issueEmailLink(trx, user.id, "verify_email", context.publicUrl, now);
    await queueMail(
      trx,
      {
        to: user.email,
        ...verificationMail({ fullName: user.full_name, link, validHours: VERIFY_EMAIL_TTL_HOURS }),
      },
      now,
    );
    await recordAudit(
      trx,
      {
        actor: { userId: user.id, email: user.email },
        action: "account.verification_resent",
        objectType: "user",
        objectId: user.id,
        ip: context.ip ?? null,
      },
      now,
    );
    return { sent: true };
  });
}
