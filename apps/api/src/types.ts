import type { Permission } from "@vigie/contracts";
import type { Actor, ResolvedSession } from "@vigie/core";

/**
 * What a route requires, declared on every route (`config.access`) and enforced by the
 * auth plugin: "public"; "partial" (a signed-in session still finishing MFA);
 * "authenticated" (any fully signed-in actor); or one permission of the catalogue.
 */
export type RouteAccess = "public" | "partial" | "authenticated" | Permission;

declare module "fastify" {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The fully authenticated actor, or null. */
    actor: Actor | null;
    /** The session behind the cookie (possibly mid-MFA), or null. */
    session: ResolvedSession | null;
  }
}
