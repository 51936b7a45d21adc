import { ApiTokenView, CreateApiTokenRequest, CreatedApiToken } from "@vigie/contracts";
import { assertPermission, createApiToken, listApiTokens, revokeApiToken } from "@vigie/core";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";

/** The signed-in user's API tokens: create (secret shown once), list, revoke. */
export function tokenRoutes(app: TypedApp, deps: AppDeps): void {
  app.post(
    "/tokens",
    {
      config: { access: "tokens:manage" },
      schema: {
        tags: ["Jetons d'API"],
        summary: "Créer un jeton d'API (le secret n'est affiché qu'une fois)",
        description:
          "Les autorisations du jeton doivent faire partie de celles de votre rôle. " +
          "Uniquement depuis une session ouverte, pas avec un autre jeton.",
        body: CreateApiTokenRequest,
        response: { 201: CreatedApiToken },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "tokens:manage");
      const created = await createApiToken(deps.database.db, request.actor, request.body, deps.clock(), {
        ip: request.ip,
      });
      return reply.status(201).send(created);
    },
  );

  app.get(
    "/tokens",
    {
      config: { access: "tokens:manage" },
      schema: {
        tags: ["Jetons d'API"],
        summary: "Lister mes jetons d'API (sans leur secret)",
        response: { 200: z.object({ tokens: z.array(ApiTokenView) }) },
      },
    },
    async (request) => {
      assertPermission(request.actor, "tokens:manage");
      return { tokens: await listApiTokens(deps.database.db, request.actor) };
    },
  );

  app.delete(
    "/tokens/:id",
    {
      config: { access: "tokens:manage" },
      schema: {
        tags: ["Jetons d'API"],
        summary: "Révoquer un de mes jetons d'API",
        params: z.object({ id: z.uuid({ error: "Identifiant de jeton invalide." }) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "tokens:manage");
      await revokeApiToken(deps.database.db, request.actor, request.params.id, deps.clock(), {
        ip: request.ip,
      });
      return reply.status(204).send(null);
    },
  );
}
