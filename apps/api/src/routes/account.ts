import { AppError, ChangePasswordRequest, UpdateAccountRequest, UserView } from "@vigie/contracts";
import { changeOwnPassword, getAccount, updateOwnProfile } from "@vigie/core";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";
import { clientContext, requireBrowserSession } from "./auth.ts";

const TAG = "Mon compte";

function currentUserId(request: FastifyRequest): string {
  if (!request.actor) throw new AppError("UNAUTHENTICATED");
  return request.actor.userId;
}

/** The signed-in user's own account: profile and password. */
export function accountRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    "/account",
    {
      config: { access: "authenticated" },
      schema: { tags: [TAG], summary: "Mon compte", response: { 200: UserView } },
    },
    async (request) => getAccount(deps.database.db, currentUserId(request)),
  );

  app.patch(
    "/account",
    {
      config: { access: "authenticated" },
      schema: {
        tags: [TAG],
        summary: "Modifie mon nom, ma fonction ou mon téléphone",
        body: UpdateAccountRequest,
        response: { 200: UserView },
      },
    },
    async (request) =>
      updateOwnProfile(
        deps.database.db,
        currentUserId(request),
        request.body,
        clientContext(request),
        deps.clock(),
      ),
  );

  app.post(
    "/account/password",
    {
      config: {
        access: "authenticated",
        rateLimit: routeRateLimit(deps, 10, "1 minute"),
      },
      schema: {
        tags: [TAG],
        summary: "Change mon mot de passe (les autres sessions sont fermées)",
        description:
          "Le nouveau mot de passe suit la politique du rôle : au moins 12 caractères pour un déclarant, 16 pour les autres rôles, et pas un mot de passe courant (400 WEAK_PASSWORD).",
        body: ChangePasswordRequest,
        response: { 204: z.null().describe("Mot de passe changé") },
      },
    },
    async (request, reply) => {
      const resolved = requireBrowserSession(request);
      await changeOwnPassword(
        deps.database.db,
        { userId: resolved.user.id, sessionId: resolved.session.id },
        request.body,
        clientContext(request),
        deps.clock(),
      );
      return reply.status(204).send(null);
    },
  );
}
