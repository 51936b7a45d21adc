import type { StartedSession } from "@vigie/core";
import type { FastifyReply } from "fastify";
import type { AppDeps } from "../app.ts";
import { SESSION_COOKIE } from "./auth.ts";

/** Sets the session cookie: HTTP-only, SameSite=Lax (OIDC returns by top-level redirect), Secure. */
export function setSessionCookie(reply: FastifyReply, deps: AppDeps, session: StartedSession): void {
  reply.setCookie(SESSION_COOKIE, session.cookieValue, {
    httpOnly: true,
    secure: deps.config.secureCookies,
    sameSite: "lax",
    path: "/",
    expires: session.expiresAt,
  });
}

/** Removes the session cookie. */
export function clearSessionCookie(reply: FastifyReply, deps: AppDeps): void {
  reply.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    secure: deps.config.secureCookies,
    sameSite: "lax",
    path: "/",
  });
}
