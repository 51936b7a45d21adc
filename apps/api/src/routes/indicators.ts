import { AddIndicatorRequest, IndicatorList, IndicatorView } from "@vigie/contracts";
import { addIndicator, assertPermission, dismissIndicator, listIndicators } from "@vigie/core";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";

const DeclarationParams = z.object({ id: z.uuid({ error: "Identifiant de déclaration invalide." }) });
const IndicatorParams = DeclarationParams.extend({
  indicatorId: z.uuid({ error: "Identifiant d'indicateur invalide." }),
});

/** Indicators of compromise of a declaration, and their correlation with other declarations (CERT). */
export function indicatorRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    "/declarations/:id/indicators",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: ["Indicateurs de compromission"],
        summary: "Lister les indicateurs de compromission d'une déclaration et leurs rapprochements",
        description:
          "Adresses IP, domaines, URL, adresses électroniques et empreintes relevés dans la déclaration " +
          "et ses échanges (extraction automatique chaque minute) ou ajoutés par un analyste. Pour chacun, " +
          "les autres déclarations de votre périmètre qui le mentionnent (« vu dans 3 autres dossiers »). " +
          "Les indicateurs écartés n'apparaissent plus.",
        params: DeclarationParams,
        response: { 200: IndicatorList },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      const items = await listIndicators(deps.database.db, request.actor, request.params.id, {
        now: deps.clock(),
        ip: request.ip,
      });
      return { items };
    },
  );

  app.post(
    "/declarations/:id/indicators",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: ["Indicateurs de compromission"],
        summary: "Ajouter à la main un indicateur de compromission à une déclaration",
        description:
          "La valeur est contrôlée selon son type et normalisée (les formes neutralisées telles que " +
          "`hxxp://` ou `exemple[.]fr` sont acceptées). Un indicateur écarté auparavant est rétabli ; " +
          "un indicateur déjà présent est un conflit (409).",
        params: DeclarationParams,
        body: AddIndicatorRequest,
        response: { 201: IndicatorView },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "declarations:handle");
      const indicator = await addIndicator(deps.database.db, request.actor, request.params.id, request.body, {
        now: deps.clock(),
        ip: request.ip,
      });
      return reply.status(201).send(indicator);
    },
  );

  app.delete(
    "/declarations/:id/indicators/:indicatorId",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: ["Indicateurs de compromission"],
        summary: "Écarter un indicateur de compromission (faux positif)",
        description:
          "L'indicateur est conservé mais masqué ; les extractions suivantes ne le rétablissent pas.",
        params: IndicatorParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "declarations:handle");
      await dismissIndicator(deps.database.db, request.actor, request.params.id, request.params.indicatorId, {
        now: deps.clock(),
        ip: request.ip,
      });
      return reply.status(204).send(null);
    },
  );
}
