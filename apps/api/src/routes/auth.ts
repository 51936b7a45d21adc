import {
  AppError,
  LoginRequest,
  LoginResponse,
  SessionView,
  TotpCodeRequest,
  TotpSetupResponse,
} from "@vigie/contracts";
import {
  type ClientContext,
  confirmTotpEnrolment,
  describeSession,
  disableTotp,
  type LoginPolicy,
  login,
  logout,
  type ResolvedSession,
  startTotpEnrolment,
  verifySignInTotp,
} from "@vigie/core";
import { sessionsRepo } from "@vigie/db";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";
import { clearSessionCookie, setSessionCookie } from "../plugins/session-cookie.ts";

const TAG = "Authentification";

/** The sign-in rules of the configuration. */
export function loginPolicy(deps: AppDeps): LoginPolicy {
  return {
    maxFailures: deps.config.LOGIN_MAX_FAILURES,
    lockMinutes: deps.config.LOGIN_LOCK_MINUTES,
    sessionTtlHours: deps.config.SESSION_TTL_HOURS,
  };
}

/** The caller's IP and user agent, for sessions and the audit log. */
export function clientContext(request: FastifyRequest): ClientContext {
  return { ip: request.ip, userAgent: request.headers["user-agent"] ?? null };
}

/** The browser session behind the request; API tokens cannot take these steps. */
export function requireBrowserSession(request: FastifyRequest): ResolvedSession {
  if (!request.session) {
    throw new AppError("UNAUTHENTICATED", {
      message: "Cette action demande une session ouverte dans le navigateur.",
    });
  }
  return request.session;
}

/** Sign-in (password, TOTP), TOTP enrolment, sign-out and the current session. */
export function authRoutes(app: TypedApp, deps: AppDeps): void {
  app.post(
    "/auth/login",
    {
      config: { access: "public", rateLimit: routeRateLimit(deps, 20, "1 minute") },
      schema: {
        tags: [TAG],
        summary: "Connexion par adresse électronique et mot de passe",
        description:
          "Ouvre une session (cookie HTTP-only) à sa première étape : `mfa_required` (saisir le code TOTP), " +
          "`mfa_enrolment` (activer la double authentification) ou `authenticated`. Après " +
          "LOGIN_MAX_FAILURES échecs consécutifs, le compte est verrouillé (423 ACCOUNT_LOCKED).",
        body: LoginRequest,
        response: { 200: LoginResponse },
      },
    },
    async (request, reply) => {
      const now = deps.clock();
      const { session } = await login(
        deps.database.db,
        request.body,
        clientContext(request),
        loginPolicy(deps),
        now,
      );
      // Signing in again from the same browser replaces its previous session.
      if (request.session) await sessionsRepo.deleteSession(deps.database.db, request.session.session.id);
      setSessionCookie(reply, deps, session);
      return { stage: session.stage, csrfToken: session.csrfToken };
    },
  );

  app.post(
    "/auth/totp/verify",
    {
      config: { access: "partial", rateLimit: routeRateLimit(deps, 20, "1 minute") },
      schema: {
        tags: [TAG],
        summary: "Deuxième étape de connexion : code de l'application d'authentification",
        description:
          "Les codes erronés ou déjà utilisés comptent dans le verrouillage du compte comme les mots de passe erronés.",
        body: TotpCodeRequest,
        response: { 200: LoginResponse },
      },
    },
    async (request) =>
      verifySignInTotp(
        deps.database.db,
        requireBrowserSession(request),
        request.body.code,
        clientContext(request),
        loginPolicy(deps),
        deps.clock(),
      ),
  );

  app.post(
    "/auth/totp/setup",
    {
      config: { access: "partial" },
      schema: {
        tags: [TAG],
        summary: "Génère un secret TOTP à scanner (activation de la double authentification)",
        description:
          "Possible pendant l'activation obligatoire (`mfa_enrolment`) ou depuis une session authentifiée sans double authentification.",
        response: { 200: TotpSetupResponse },
      },
    },
    async (request) =>
      startTotpEnrolment(
        deps.database.db,
        requireBrowserSession(request),
        clientContext(request),
        deps.clock(),
      ),
  );

  app.post(
    "/auth/totp/enable",
    {
      config: { access: "partial", rateLimit: routeRateLimit(deps, 20, "1 minute") },
      schema: {
        tags: [TAG],
        summary: "Confirme l'activation de la double authentification avec un premier code",
        body: TotpCodeRequest,
        response: { 200: LoginResponse },
      },
    },
    async (request) =>
      confirmTotpEnrolment(
        deps.database.db,
        requireBrowserSession(request),
        request.body.code,
        clientContext(request),
        deps.clock(),
      ),
  );

  app.post(
    "/auth/totp/disable",
    {
      config: { access: "authenticated" },
      schema: {
        tags: [TAG],
        summary: "Désactive la double authentification (déclarants uniquement)",
        body: TotpCodeRequest,
        response: { 204: z.null().describe("Double authentification désactivée") },
      },
    },
    async (request, reply) => {
      await disableTotp(
        deps.database.db,
        requireBrowserSession(request),
        request.body.code,
        clientContext(request),
        deps.clock(),
      );
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/auth/logout",
    {
      config: { access: "partial" },
      schema: {
        tags: [TAG],
        summary: "Déconnexion : termine la session et efface le cookie",
        response: { 204: z.null().describe("Session terminée") },
      },
    },
    async (request, reply) => {
      const resolved = requireBrowserSession(request);
      await logout(
        deps.database.db,
        { id: resolved.session.id, userId: resolved.user.id, email: resolved.user.email },
        clientContext(request),
        deps.clock(),
      );
      clearSessionCookie(reply, deps);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/auth/session",
    {
      config: { access: "partial" },
      schema: {
        tags: [TAG],
        summary: "La session en cours : étape, jeton CSRF, compte, autorisations et structures",
        response: { 200: SessionView },
      },
    },
    async (request) => describeSession(deps.database.db, requireBrowserSession(request)),
  );
}
