import type { ApiTokenView, Permission } from "@vigie/contracts";
import type { ApiTokenRow } from "@vigie/db";
import type { z } from "zod";

/** What GET /api/tokens lists for one token. */
export type ApiTokenViewData = z.infer<typeof ApiTokenView>;

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

/** A token as its owner sees it: never the secret, never its hash. */
export function apiTokenView(row: ApiTokenRow): ApiTokenViewData {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as Permission[],
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}
