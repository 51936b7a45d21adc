import { AppError, PermissionSchema } from "@vigie/contracts";
import {
  hasPermission,
  recordAudit,
  requireCompleteSession,
  resolveApiToken,
  resolveSession,
  safeEqual,
} from "@vigie/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { AppDeps } from "../app.ts";
import type { RouteAccess } from "../types.ts";

export const SESSION_COOKIE = "vigie_session";
export const CSRF_HEADER = "x-csrf-token";
const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Authentication and authorisation of every request: resolves the session cookie or the
 * bearer token, checks CSRF on state-changing requests made with a cookie, then enforces the
 * route's declared `access`. A route without one fails at start-up, never at run time.
 */
export function registerAuth(app: FastifyInstance, deps: AppDeps): void {
  app.decorateRequest("actor", null);
  app.decorateRequest("session", null);

  app.addHook("onRoute", (route) => {
    if (
      route.url.startsWith("/api/") &&
      route.config?.access === undefined &&
      !route.url.startsWith("/api/docs")
    ) {
      throw new Error(`La route ${route.method} ${route.url} ne déclare pas son accès (config.access).`);
    }
  });

  // On request, before the body is read: a caller without access gets 401/403 without uploading
  // anything, and never a 400 describing the schema. (@fastify/cookie parses cookies in an
  // earlier onRequest hook.)
  app.addHook("onRequest", async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined) return;
    const db = deps.database.db;
    const now = deps.clock();
    const authorization = request.headers.authorization;
    if (authorization?.startsWith("Bearer ")) {
      request.actor = await resolveApiToken(db, authorization.slice(7).trim(), now);
      if (!request.actor)
        throw new AppError("UNAUTHENTICATED", { message: "Jeton d'API invalide, expiré ou révoqué." });
    } else {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) {
        request.session = await resolveSession(db, cookie, now);
        request.actor = request.session?.actor ?? null;
        // Public routes act on no session, so a leftover cookie must not block them (sign in again).
        if (request.session && access !== "public" && UNSAFE_METHODS.has(request.method)) {
          const sent = request.headers[CSRF_HEADER];
          if (typeof sent !== "string" || !safeEqual(sent, request.session.session.csrf_token)) {
            throw new AppError("CSRF_INVALID");
          }
        }
      }
    }
    await authorize(request, access, deps);
  });
}

async function authorize(request: FastifyRequest, access: RouteAccess, deps: AppDeps): Promise<void> {
  if (access === "public") return;
  if (access === "partial") {
    if (!request.session && !request.actor) throw new AppError("UNAUTHENTICATED");
    return;
  }
  const actor = request.actor ?? (request.session ? requireCompleteSession(request.session) : null);
  if (!actor) throw new AppError("UNAUTHENTICATED");
  if (access === "authenticated") return;
  const permission = PermissionSchema.parse(access);
  if (!hasPermission(actor, permission)) {
    await recordAudit(
      deps.database.db,
      {
        actor,
        action: "permission.denied",
        outcome: "denied",
        ip: request.ip,
        details: { permission, method: request.method, route: request.routeOptions.url ?? request.url },
      },
      deps.clock(),
    );
    throw new AppError("FORBIDDEN");
  }
}
