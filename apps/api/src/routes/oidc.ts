import { AppError, OidcInfo } from "@vigie/contracts";
import { beginOidcLogin, oidcLogin, recordOidcFailure, takeOidcLogin } from "@vigie/core";
import { sessionsRepo } from "@vigie/db";
import { authorizationRequest, completeAuthorization } from "@vigie/integrations";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";
import { setSessionCookie } from "../plugins/session-cookie.ts";

const TAG = "Authentification";
/** Holds the key of the pending sign-in between the redirect to the provider and its return. */
export const OIDC_COOKIE = "vigie_oidc";
const OIDC_COOKIE_PATH = "/api/auth/oidc";
const FAILURE_PAGE = "/connexion?erreur=oidc";

/** The callback URL registered at the provider. */
export function oidcRedirectUri(deps: AppDeps): string {
  return `${deps.config.publicUrl}/api/auth/oidc/callback`;
}

function clearOidcCookie(reply: FastifyReply, deps: AppDeps): void {
  reply.clearCookie(OIDC_COOKIE, {
    httpOnly: true,
    secure: deps.config.secureCookies,
    sameSite: "lax",
    path: OIDC_COOKIE_PATH,
  });
}

/**
 * Sign-in through an OpenID Connect provider (e.g. Pro Santé Connect): its label, the
 * redirect to it (code flow, PKCE, state, nonce) and the return from it. Failures land on the
 * sign-in page with `?erreur=oidc`, never on a raw error.
 */
export function oidcRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    "/auth/oidc",
    {
      config: { access: "public" },
      schema: {
        tags: [TAG],
        summary: "Savoir si la connexion par fournisseur d'identité est proposée, et son nom",
        response: { 200: OidcInfo },
      },
    },
    async () => ({ enabled: deps.config.oidc !== null, label: deps.config.oidc?.label ?? null }),
  );

  app.get(
    "/auth/oidc/start",
    {
      config: { access: "public", rateLimit: routeRateLimit(deps, 60, "1 minute") },
      schema: {
        tags: [TAG],
        summary: "Partir se connecter chez le fournisseur d'identité (redirection 302)",
        response: { 302: z.null() },
      },
    },
    async (request, reply) => {
      const settings = deps.config.oidc;
      if (!settings) throw new AppError("OIDC_NOT_CONFIGURED");
      const now = deps.clock();
      let authorization: Awaited<ReturnType<typeof authorizationRequest>>;
      try {
        authorization = await authorizationRequest(settings, oidcRedirectUri(deps));
      } catch (error) {
        request.log.warn({ err: error }, "fournisseur OIDC injoignable");
        await recordOidcFailure(deps.database.db, "discovery_failed", { ip: request.ip }, now);
        return reply.redirect(FAILURE_PAGE, 302);
      }
      const key = await beginOidcLogin(deps.database.db, authorization, now);
      reply.setCookie(OIDC_COOKIE, key, {
        httpOnly: true,
        secure: deps.config.secureCookies,
        // Lax: the provider brings the browser back by a top-level GET redirect.
        sameSite: "lax",
        path: OIDC_COOKIE_PATH,
        maxAge: 10 * 60,
      });
      return reply.redirect(authorization.url, 302);
    },
  );

  app.get(
    "/auth/oidc/callback",
    {
      config: { access: "public", rateLimit: routeRateLimit(deps, 60, "1 minute") },
      schema: {
        tags: [TAG],
        summary: "Retour du fournisseur d'identité : ouvre la session puis redirige vers l'accueil",
        querystring: z.looseObject({
          code: z.string().max(2048).optional(),
          state: z.string().max(512).optional(),
          error: z.string().max(256).optional(),
        }),
        response: { 302: z.null() },
      },
    },
    async (request, reply) => callback(request, reply, deps),
  );
}

async function callback(
  request: FastifyRequest<{ Querystring: { error?: string | undefined } }>,
  reply: FastifyReply,
  deps: AppDeps,
) {
  const db = deps.database.db;
  const now = deps.clock();
  const fail = async (reason: string, error?: unknown, page = FAILURE_PAGE) => {
    request.log.warn({ err: error, reason }, "échec de connexion OIDC");
    if (reason !== "account_disabled") await recordOidcFailure(db, reason, { ip: request.ip }, now);
    return reply.redirect(page, 302);
  };

  const settings = deps.config.oidc;
  if (!settings) return fail("not_configured");
  const key = request.cookies[OIDC_COOKIE];
  clearOidcCookie(reply, deps);
  const checks = key ? await takeOidcLogin(db, key, now) : null;
  if (!checks) return fail("unknown_or_expired_attempt");
  if (request.query.error) return fail(`provider_error:${request.query.error.slice(0, 100)}`);

  const search = request.url.includes("?") ? request.url.slice(request.url.indexOf("?")) : "";
  let identity: Awaited<ReturnType<typeof completeAuthorization>>;
  try {
    identity = await completeAuthorization(settings, new URL(`${oidcRedirectUri(deps)}${search}`), checks);
  } catch (error) {
    return fail("token_validation_failed", error);
  }
  try {
    const result = await oidcLogin(
      db,
      identity,
      { ip: request.ip, userAgent: request.headers["user-agent"] ?? null },
      { sessionTtlHours: deps.config.SESSION_TTL_HOURS, mfaAcrValues: settings.mfaAcrValues },
      now,
    );
    // Signing in again from the same browser replaces its previous session.
    if (request.session) await sessionsRepo.deleteSession(db, request.session.session.id);
    setSessionCookie(reply, deps, result.session);
    return reply.redirect("/", 302);
  } catch (error) {
    if (error instanceof AppError && error.code === "ACCOUNT_DISABLED") {
      return fail("account_disabled", undefined, `${FAILURE_PAGE}&motif=compte-desactive`);
    }
    if (error instanceof AppError && error.code === "OIDC_FAILED") {
      const reason = String(error.details?.reason ?? "oidc_failed");
      return fail(
        reason,
        undefined,
        reason.startsWith("email") ? `${FAILURE_PAGE}&motif=courriel` : FAILURE_PAGE,
      );
    }
    return fail("internal", error);
  }
}
