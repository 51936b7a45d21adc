import { AppError, type Authority, type Role, type UserView } from "@vigie/contracts";
import { accountsRepo, type Executor, type MembershipRow, type UserRow, usersRepo } from "@vigie/db";
import type { z } from "zod";
import type { Actor } from "../access/policy.ts";

/** An account as administrators (and its owner) see it. */
export type UserViewData = z.infer<typeof UserView>;

/** Who makes a change to an account: a signed-in user, or the command line (no actor). */
export interface ChangedBy {
  actor: Pick<Actor, "userId" | "email"> | null;
  /** Recorded as the actor when there is none, e.g. "ligne de commande". */
  actorLabel?: string;
  ip?: string | null;
}

/** A structure membership as listed on an account. */
export function toMembershipView(row: MembershipRow): UserViewData["structures"][number] {
  return { structureId: row.structure_id, finessEt: row.finess_et, name: row.name, status: row.status };
}

/** Maps an account row and its memberships to the API's view (never a secret). */
export function toUserView(row: UserRow, memberships: readonly MembershipRow[]): UserViewData {
  return {
    id: row.id,
    email: row.email,
    fullName: row.full_name,
    jobTitle: row.job_title,
    phone: row.phone,
    role: row.role as Role,
    regionCode: row.region_code,
    authority: row.authority as Authority | null,
    mfaEnabled: row.totp_enabled_at !== null,
    emailVerified: row.email_verified_at !== null,
    disabled: row.disabled_at !== null,
    lockedUntil: row.locked_until?.toISOString() ?? null,
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    structures: memberships.filter((m) => m.user_id === row.id).map(toMembershipView),
  };
}

/** Views of several accounts, their memberships loaded in one query. */
export async function toUserViews(db: Executor, rows: readonly UserRow[]): Promise<UserViewData[]> {
  const memberships = await accountsRepo.membershipsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toUserView(row, memberships));
}

/** An account by id, or NOT_FOUND. */
export async function findAccountOrFail(db: Executor, id: string): Promise<UserRow> {
  const user = await usersRepo.findUserById(db, id);
  if (!user) throw new AppError("NOT_FOUND", { message: "Compte introuvable." });
  return user;
}

/** An account by e-mail, or NOT_FOUND naming the address. */
export async function findAccountByEmail(db: Executor, email: string): Promise<UserRow> {
  const user = await usersRepo.findUserByEmail(db, email);
  if (!user) throw new AppError("NOT_FOUND", { message: `Aucun compte avec l'adresse ${email.trim()}.` });
  return user;
}

/** The view of one account by id, or NOT_FOUND. */
export async function getAccount(db: Executor, id: string): Promise<UserViewData> {
  const [view] = await toUserViews(db, [await findAccountOrFail(db, id)]);
  if (!view) throw new AppError("NOT_FOUND");
  return view;
}

/** What the audit log keeps of an account before and after a change. */
export function auditSnapshot(row: UserRow, finess?: readonly string[]): Record<string, unknown> {
  return {
    email: row.email,
    fullName: row.full_name,
    jobTitle: row.job_title,
    phone: row.phone,
    role: row.role,
    regionCode: row.region_code,
    authority: row.authority,
    disabled: row.disabled_at !== null,
    mfaEnabled: row.totp_enabled_at !== null,
    ...(finess ? { finess: [...finess] } : {}),
  };
}

/** Only the keys whose values differ, as `{ before, after }` for the audit log. */
export function diffSnapshots(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const changed = Object.keys({ ...before, ...after }).filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
  return {
    before: Object.fromEntries(changed.map((k) => [k, before[k] ?? null])),
    after: Object.fromEntries(changed.map((k) => [k, after[k] ?? null])),
  };
}
