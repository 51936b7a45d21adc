import type { Permission } from "@vigie/contracts";
import { apiTokensRepo, type Executor, usersRepo } from "@vigie/db";
import type { Actor } from "../access/policy.ts";
import { actorOf } from "./resolve-session.ts";
import { sha256 } from "./secrets.ts";

/** Prefix of every API token, so leaked tokens are easy to spot in logs and scanners. */
export const API_TOKEN_PREFIX = "vig_";

/** The actor behind a bearer token; null when unknown, revoked, expired or its user disabled. */
export async function resolveApiToken(db: Executor, bearer: string, now: Date): Promise<Actor | null> {
  if (!bearer.startsWith(API_TOKEN_PREFIX)) return null;
  const token = await apiTokensRepo.findUsableApiToken(db, sha256(bearer), now);
  if (!token) return null;
  const user = await usersRepo.findUserWithActiveStructures(db, token.user_id);
  if (!user || user.disabled_at) return null;
  // "Last used" is for people reviewing their tokens: minute precision spares a write per request.
  if (!token.last_used_at || now.getTime() - token.last_used_at.getTime() > 60_000) {
    await apiTokensRepo.touchApiToken(db, token.id, now);
  }
  const actor = actorOf(user, user.active_structure_ids, "token");
  return { ...actor, scopes: token.scopes as Permission[] };
}
