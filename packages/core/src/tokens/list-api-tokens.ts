import { apiTokensRepo, type Executor } from "@vigie/db";
import type { Actor } from "../access/policy.ts";
import { assertSessionActor } from "./create-api-token.ts";
import { type ApiTokenViewData, apiTokenView } from "./token-view.ts";

/** The signed-in user's own tokens, newest first, without secrets. */
export async function listApiTokens(db: Executor, actor: Actor): Promise<ApiTokenViewData[]> {
  assertSessionActor(actor);
  const rows = await apiTokensRepo.listUserApiTokens(db, actor.userId);
  return rows.map(apiTokenView);
}
