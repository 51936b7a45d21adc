import { AppError, type CreateUserRequest, type Role } from "@vigie/contracts";
import { accountsRepo, type Database, usersRepo } from "@vigie/db";
import type { Kysely } from "kysely";
import type { z } from "zod";
import { recordAudit } from "../audit/record-audit.ts";
import { checkPasswordPolicy, hashPassword } from "../auth/passwords.ts";
import { resolveAccountScope } from "./account-scope.ts";
import { auditSnapshot, type ChangedBy, getAccount, type UserViewData } from "./user-view.ts";

/** What an administrator (or `vigie user create`) provides to open an account. */
export type CreateAccountInput = z.output<typeof CreateUserRequest>;

/** The EMAIL_TAKEN error, naming the field. */
export function emailTakenError(): AppError {
  return new AppError("EMAIL_TAKEN", {
    fields: [{ field: "email", message: "Un compte existe déjà avec cette adresse électronique." }],
  });
}

/** True for PostgreSQL's unique violation (both drivers expose the SQLSTATE as `code`). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}

/**
 * Opens an account on an administrator's behalf: scope checked against the role, password
 * against the role's policy, e-mail unique. The address counts as verified (the
 * administrator vouches for it); privileged accounts enrol TOTP at their first sign-in.
 */
export async function createAccount(
  db: Kysely<Database>,
  input: CreateAccountInput,
  by: ChangedBy,
  now: Date,
): Promise<UserViewData> {
  const role: Role = input.role;
  const scope = await resolveAccountScope(db, {
    role,
    regionCode: input.regionCode ?? null,
    authority: input.authority ?? null,
    finess: input.finess,
  });
  const weak = checkPasswordPolicy(input.password, role, { email: input.email });
  if (weak.length > 0) throw new AppError("WEAK_PASSWORD", { fields: weak });
  if (await usersRepo.findUserByEmail(db, input.email)) throw emailTakenError();

  const passwordHash = await hashPassword(input.password);
  let userId: string;
  try {
    userId = await db.transaction().execute(async (trx) => {
      const row = await usersRepo.insertUser(trx, {
        email: input.email,
        full_name: input.fullName,
        job_title: input.jobTitle || null,
        phone: input.phone || null,
        role,
        region_code: scope.regionCode,
        authority: scope.authority,
        password_hash: passwordHash,
        email_verified_at: now,
        created_at: now,
        updated_at: now,
      });
      await accountsRepo.replaceMemberships(trx, row.id, scope.structureIds, now);
      await recordAudit(
        trx,
        {
          actor: by.actor,
          actorLabel: by.actorLabel,
          action: "user.created",
          objectType: "user",
          objectId: row.id,
          ip: by.ip ?? null,
          details: { after: auditSnapshot(row, scope.finess) },
        },
        now,
      );
      return row.id;
    });
  } catch (error) {
    // Two administrators creating the same address at once: the unique index decides.
    if (isUniqueViolation(error)) throw emailTakenError();
    throw error;
  }
  return getAccount(db, userId);
}
