import { AppError, type Authority, type Role, type UpdateUserRequest } from "@vigie/contracts";
import { accountsRepo, type Database, sessionsRepo, type UsersTable, usersRepo } from "@vigie/db";
import type { Kysely, Updateable } from "kysely";
import type { z } from "zod";
import { recordAudit } from "../audit/record-audit.ts";
import { resolveAccountScope } from "./account-scope.ts";
import {
  auditSnapshot,
  type ChangedBy,
  diffSnapshots,
  findAccountOrFail,
  getAccount,
  type UserViewData,
} from "./user-view.ts";

/** What an administrator may change on an account. */
export type UpdateAccountInput = z.output<typeof UpdateUserRequest>;

/**
 * Changes an account's name, role, scope, structures or disabled state. The resulting scope
 * must fit the resulting role (leaving the ARS role drops the region, leaving the declarant
 * role drops the structures). Disabling the account or changing its role ends its sessions,
 * so the next sign-in applies the new rules (e.g. TOTP enrolment). Re-enabling also lifts a
 * lockout. Administrators cannot disable themselves nor change their own role.
 */
export async function updateAccount(
  db: Kysely<Database>,
  id: string,
  input: UpdateAccountInput,
  by: ChangedBy,
  now: Date,
): Promise<UserViewData> {
  const user = await findAccountOrFail(db, id);
  const currentRole = user.role as Role;
  const role: Role = input.role ?? currentRole;
  const roleChanged = role !== currentRole;

  if (by.actor?.userId === id) {
    if (input.disabled === true) {
      throw new AppError("FORBIDDEN", { message: "Vous ne pouvez pas désactiver votre propre compte." });
    }
    if (roleChanged) {
      throw new AppError("FORBIDDEN", { message: "Vous ne pouvez pas modifier votre propre rôle." });
    }
  }

  const memberships = await accountsRepo.membershipsOf(db, [id]);
  const currentFiness = memberships.map((m) => m.finess_et);
  const regionCode =
    input.regionCode !== undefined ? input.regionCode : role === "ars" ? user.region_code : null;
  const authority =
    input.authority !== undefined
      ? input.authority
      : role === "authority"
        ? (user.authority as Authority | null)
        : null;
  const finess = input.finess ?? (role === "declarant" ? currentFiness : []);
  const scope = await resolveAccountScope(db, {
    role,
    regionCode,
    authority,
    finess,
    // An existing declarant without structures (e.g. self-registered) stays editable.
    requireStructure: roleChanged || input.finess !== undefined,
  });

  const changes: Updateable<UsersTable> = {};
  if (input.fullName !== undefined && input.fullName !== user.full_name) changes.full_name = input.fullName;
  if (roleChanged) changes.role = role;
  if (scope.regionCode !== user.region_code) changes.region_code = scope.regionCode;
  if (scope.authority !== user.authority) changes.authority = scope.authority;
  const disabling = input.disabled === true && user.disabled_at === null;
  const enabling = input.disabled === false && user.disabled_at !== null;
  if (disabling) changes.disabled_at = now;
  if (input.disabled === false) {
    if (enabling) changes.disabled_at = null;
    if (user.locked_until !== null || user.failed_login_count > 0) {
      changes.locked_until = null;
      changes.failed_login_count = 0;
    }
  }
  // Memberships are rewritten only when asked (making pending ones active) or when the role
  // no longer has any, so that a declarant's pending requests survive unrelated edits.
  const membershipsChanged =
    input.finess !== undefined
      ? memberships.some((m) => m.status !== "active") ||
        JSON.stringify([...scope.finess].sort()) !== JSON.stringify([...currentFiness].sort())
      : role !== "declarant" && memberships.length > 0;

  if (Object.keys(changes).length === 0 && !membershipsChanged) return getAccount(db, id);

  await db.transaction().execute(async (trx) => {
    const updated = Object.keys(changes).length > 0 ? await usersRepo.updateUser(trx, id, changes) : user;
    if (!updated) throw new AppError("NOT_FOUND", { message: "Compte introuvable." });
    if (membershipsChanged) await accountsRepo.replaceMemberships(trx, id, scope.structureIds, now);
    if (disabling || roleChanged) await sessionsRepo.deleteUserSessions(trx, id);

    const before = auditSnapshot(user, currentFiness);
    const after = auditSnapshot(updated, membershipsChanged ? scope.finess : currentFiness);
    const { disabled: wasDisabled, ...beforeRest } = before;
    const { disabled: isDisabled, ...afterRest } = after;
    const diff = diffSnapshots(beforeRest, afterRest);
    if (changes.locked_until === null) {
      diff.before.lockedUntil = user.locked_until?.toISOString() ?? null;
      diff.after.lockedUntil = null;
    }
    const common = {
      actor: by.actor,
      actorLabel: by.actorLabel,
      objectType: "user",
      objectId: id,
      ip: by.ip ?? null,
    };
    if (Object.keys(diff.after).length > 0) {
      await recordAudit(trx, { ...common, action: "user.updated", details: diff }, now);
    }
    if (wasDisabled !== isDisabled) {
      await recordAudit(
        trx,
        {
          ...common,
          action: isDisabled ? "user.disabled" : "user.enabled",
          details: { before: { disabled: wasDisabled }, after: { disabled: isDisabled } },
        },
        now,
      );
    }
  });
  return getAccount(db, id);
}
