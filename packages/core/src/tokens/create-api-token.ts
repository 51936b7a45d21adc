import {
  AppError,
  type CreateApiTokenRequest,
  type CreatedApiToken,
  type Permission,
  permissionLabels,
} from "@vigie/contracts";
import { apiTokensRepo, type Executor } from "@vigie/db";
import type { z } from "zod";
import { type Actor, grantableScopes } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { API_TOKEN_PREFIX } from "../auth/resolve-api-token.ts";
import { randomToken, sha256 } from "../auth/secrets.ts";
import { apiTokenView } from "./token-view.ts";

/** Length of the part after `vig_` shown in lists to recognise a token. */
export const API_TOKEN_DISPLAY_PREFIX_LENGTH = 8;

/**
 * Tokens are managed from a signed-in session only: a leaked token must not be able to
 * mint or revoke others (it cannot hold `tokens:manage` anyway; this is the second lock).
 */
export function assertSessionActor(actor: Actor): void {
  if (actor.via !== "session") {
    throw new AppError("FORBIDDEN", {
      message: "Les jetons d'API se gèrent depuis une session ouverte, pas avec un autre jeton.",
    });
  }
}

/** Throws VALIDATION_FAILED naming `scopes` when a scope is beyond what the role may grant. */
export function assertGrantableScopes(actor: Actor, scopes: readonly Permission[]): void {
  const grantable = grantableScopes(actor.role);
  const refused = [...new Set(scopes)].filter((s) => !grantable.includes(s));
  if (refused.length > 0) {
    throw new AppError("VALIDATION_FAILED", {
      fields: [
        {
          field: "scopes",
          message: `Autorisation${refused.length > 1 ? "s" : ""} hors de votre rôle : ${refused
            .map((s) => `${s} (${permissionLabels[s]})`)
            .join(", ")}.`,
        },
      ],
    });
  }
}

/**
 * Creates an API token for the signed-in user. The secret is returned once and only its
 * SHA-256 is stored; the scopes never exceed the owner's role.
 */
export async function createApiToken(
  db: Executor,
  actor: Actor,
  input: z.infer<typeof CreateApiTokenRequest>,
  now: Date,
  meta: { ip?: string | null } = {},
): Promise<z.infer<typeof CreatedApiToken>> {
  assertSessionActor(actor);
  const scopes = [...new Set(input.scopes)];
  assertGrantableScopes(actor, scopes);
  const body = randomToken(32);
  const secret = `${API_TOKEN_PREFIX}${body}`;
  const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null;
  const row = await db.transaction().execute(async (trx) => {
    const inserted = await apiTokensRepo.insertApiToken(trx, {
      user_id: actor.userId,
      name: input.name,
      token_hash: sha256(secret),
      prefix: body.slice(0, API_TOKEN_DISPLAY_PREFIX_LENGTH),
      scopes,
      created_at: now,
      expires_at: expiresAt,
    });
    await recordAudit(
      trx,
      {
        actor,
        action: "token.created",
        objectType: "api_token",
        objectId: inserted.id,
        ip: meta.ip ?? null,
        details: {
          name: inserted.name,
          prefix: inserted.prefix,
          scopes,
          expiresAt: expiresAt?.toISOString() ?? null,
        },
      },
      now,
    );
    return inserted;
  });
  return { ...apiTokenView(row), token: secret };
}
