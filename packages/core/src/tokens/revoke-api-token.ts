import { AppError } from "@vigie/contracts";
import { apiTokensRepo, type Executor } from "@vigie/db";
import type { Actor } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { assertSessionActor } from "./create-api-token.ts";

/**
 * Revokes one of the signed-in user's tokens. Someone else's token, an unknown one or one
 * already revoked are all NOT_FOUND, so ids of other users' tokens cannot be probed.
 */
export async function revokeApiToken(
  db: Executor,
  actor: Actor,
  tokenId: string,
  now: Date,
  meta: { ip?: string | null } = {},
): Promise<void> {
  assertSessionActor(actor);
  await db.transaction().execute(async (trx) => {
    const revoked = await apiTokensRepo.revokeApiToken(trx, actor.userId, tokenId, now);
    if (!revoked) throw new AppError("NOT_FOUND", { message: "Jeton d'API introuvable ou déjà révoqué." });
    await recordAudit(
      trx,
      { actor, action: "token.revoked", objectType: "api_token", objectId: tokenId, ip: meta.ip ?? null },
      now,
    );
  });
}
