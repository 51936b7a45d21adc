import { SavedView, SaveViewRequest } from "@vigie/contracts";
import { assertPermission, deleteSavedView, listSavedViews, saveView } from "@vigie/core";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";

const ViewParams = z.object({ id: z.uuid({ error: "Identifiant de vue invalide." }) });
const TAGS = ["Traitement des cas"];

/** The CERT's saved views of the queue: each person's own filters, by name. */
export function savedViewRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    "/cases/views",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Lister mes vues enregistrées de la file des déclarations",
        response: { 200: z.object({ items: z.array(SavedView) }) },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return { items: await listSavedViews(deps.database.db, request.actor) };
    },
  );

  app.post(
    "/cases/views",
    {
      config: { access: "declarations:handle", rateLimit: routeRateLimit(deps, 60, "1 minute") },
      schema: {
        tags: TAGS,
        summary: "Enregistrer les filtres courants de la file sous un nom",
        description:
          "`query` est la chaîne de requête de `GET /api/declarations` (sans `page`), vérifiée avec les " +
          "mêmes règles. Un nom déjà utilisé par vous, ou plus de 50 vues : 400 `VALIDATION_FAILED`.",
        body: SaveViewRequest,
        response: { 201: SavedView },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "declarations:handle");
      const view = await saveView(deps.database.db, request.actor, request.body, deps.clock());
      return reply.status(201).send(view);
    },
  );

  app.delete(
    "/cases/views/:id",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Supprimer une de mes vues enregistrées",
        description: "La vue d'une autre personne est introuvable (404).",
        params: ViewParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "declarations:handle");
      await deleteSavedView(deps.database.db, request.actor, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
