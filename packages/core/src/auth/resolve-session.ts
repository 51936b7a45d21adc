import { AppError, type Authority, type Role } from "@vigie/contracts";
import { type Executor, type SessionRow, sessionsRepo, type UserRow, usersRepo } from "@vigie/db";
import type { Actor } from "../access/policy.ts";
import { sha256 } from "./secrets.ts";

/** A live session with its user; `actor` only once every authentication step is done. */
export interface ResolvedSession {
  session: SessionRow;
  user: UserRow;
  actor: Actor | null;
}

/** Builds the actor of a user (loads a declarant's structures). */
export async function actorForUser(
  db: Executor,
  user: UserRow,
  via: Actor["via"] = "session",
): Promise<Actor> {
  return actorOf(user, user.role === "declarant" ? await usersRepo.activeStructureIds(db, user.id) : [], via);
}

/** The actor of a user whose active structures are already loaded. */
export function actorOf(user: UserRow, activeStructureIds: readonly string[], via: Actor["via"]): Actor {
  return {
    userId: user.id,
    email: user.email,
    role: user.role as Role,
    regionCode: user.region_code,
    authority: user.authority as Authority | null,
    structureIds: user.role === "declarant" ? activeStructureIds : [],
    via,
  };
}

/** Finds the session behind a cookie value; null when unknown, expired or its user disabled. */
export async function resolveSession(
  db: Executor,
  cookieValue: string,
  now: Date,
): Promise<ResolvedSession | null> {
  const session = await sessionsRepo.findLiveSession(db, sha256(cookieValue), now);
  if (!session) return null;
  const user = await usersRepo.findUserWithActiveStructures(db, session.user_id);
  if (!user || user.disabled_at) return null;
  const actor =
    session.stage === "authenticated" ? actorOf(user, user.active_structure_ids, "session") : null;
  return { session, user, actor };
}

/** Throws unless the session finished authentication, naming the missing step. */
export function requireCompleteSession(resolved: ResolvedSession | null): Actor {
  if (!resolved) throw new AppError("UNAUTHENTICATED");
  if (resolved.session.stage === "mfa_enrolment") throw new AppError("MFA_ENROLMENT_REQUIRED");
  if (resolved.session.stage === "mfa_required" || !resolved.actor) throw new AppError("MFA_REQUIRED");
  return resolved.actor;
}
