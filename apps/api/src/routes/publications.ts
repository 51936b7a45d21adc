import {
  CertPublicationListQuery,
  CertPublicationView,
  CreatePublicationRequest,
  PublicationListQuery,
  PublicationPage,
  PublicationView,
  PublishPublicationRequest,
  UpdatePublicationRequest,
  WithdrawPublicationRequest,
} from "@vigie/contracts";
import {
  assertPermission,
  buildPublicationFeed,
  createPublication,
  getCertPublication,
  getPublication,
  listCertPublications,
  listPublications,
  type PublicationFeedFormat,
  publicationFeedContentTypes,
  publishPublication,
  updatePublication,
  withdrawPublication,
} from "@vigie/core";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";

const IdParams = z.object({ id: z.uuid({ error: "Identifiant de publication invalide." }) });
const SlugParams = z.object({
  slug: z.string().trim().max(200, { error: "Identifiant de publication invalide." }),
});
const TAGS = ["Publications"];

/** The CERT's publications: public and reserved reading, feeds, and the writers' side. */
export function publicationRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    "/publications",
    {
      config: { access: "public", rateLimit: routeRateLimit(deps, 120, "1 minute") },
      schema: {
        tags: TAGS,
        summary: "Lister les alertes et publications",
        description:
          "Sans connexion : les publications TLP:CLEAR. Connecté avec `publications:read` : TLP:GREEN et " +
          "TLP:AMBER aussi. Recherche plein texte en français (titre, résumé, contenu, produits ; accents " +
          "indifférents), filtres par nature, produit (éditeur ou produit), CVE et année ; paginé.",
        querystring: PublicationListQuery,
        response: { 200: PublicationPage },
      },
    },
    async (request) => listPublications(deps.database.db, request.actor, request.query),
  );

  for (const format of ["rss", "atom"] as const satisfies PublicationFeedFormat[]) {
    app.get(
      `/publications/${format}.xml`,
      {
        config: { access: "public", rateLimit: routeRateLimit(deps, 60, "1 minute") },
        schema: {
          tags: TAGS,
          summary:
            format === "rss"
              ? "Flux RSS 2.0 des publications publiques"
              : "Flux Atom des publications publiques",
          description: "Les 50 dernières publications TLP:CLEAR, liens absolus vers leur page.",
        },
      },
      async (_request, reply) => {
        const xml = await buildPublicationFeed(deps.database.db, format, {
          publicUrl: deps.config.publicUrl,
          now: deps.clock(),
        });
        return reply
          .status(200)
          .header("content-type", publicationFeedContentTypes[format])
          .header("x-content-type-options", "nosniff")
          .header("cache-control", "public, max-age=300")
          .send(xml);
      },
    );
  }

  app.get(
    "/publications/:slug",
    {
      config: { access: "public", rateLimit: routeRateLimit(deps, 120, "1 minute") },
      schema: {
        tags: TAGS,
        summary: "Consulter une publication et son historique",
        description:
          "Une publication que l'appelant ne peut pas lire (réservée, retirée, inexistante) répond 404, " +
          "sans révéler son existence.",
        params: SlugParams,
        response: { 200: PublicationView },
      },
    },
    async (request) => getPublication(deps.database.db, request.actor, request.params.slug),
  );

  app.get(
    "/cert/publications",
    {
      config: { access: "publications:write" },
      schema: {
        tags: TAGS,
        summary: "Lister toutes les publications (brouillons et retirées comprises)",
        querystring: CertPublicationListQuery,
        response: { 200: PublicationPage },
      },
    },
    async (request) => {
      assertPermission(request.actor, "publications:write");
      return listCertPublications(deps.database.db, request.actor, request.query);
    },
  );

  app.get(
    "/cert/publications/:id",
    {
      config: { access: "publications:write" },
      schema: {
        tags: TAGS,
        summary: "Consulter une publication en rédaction (version de travail et historique)",
        params: IdParams,
        response: { 200: CertPublicationView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "publications:write");
      return getCertPublication(deps.database.db, request.actor, request.params.id);
    },
  );

  app.post(
    "/cert/publications",
    {
      config: { access: "publications:write" },
      schema: {
        tags: TAGS,
        summary: "Créer un brouillon de publication",
        body: CreatePublicationRequest,
        response: { 201: CertPublicationView },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "publications:write");
      const view = await createPublication(deps.database.db, request.actor, request.body, {
        now: deps.clock(),
        ip: request.ip,
      });
      return reply.status(201).send(view);
    },
  );

  app.put(
    "/cert/publications/:id",
    {
      config: { access: "publications:write" },
      schema: {
        tags: TAGS,
        summary: "Enregistrer la version de travail",
        description:
          "Les lecteurs continuent de voir la dernière révision publiée jusqu'à la prochaine publication. " +
          "`baseUpdatedAt` fait refuser (409) l'enregistrement si quelqu'un a enregistré entre-temps.",
        params: IdParams,
        body: UpdatePublicationRequest,
        response: { 200: CertPublicationView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "publications:write");
      return updatePublication(deps.database.db, request.actor, request.params.id, request.body, {
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );

  app.post(
    "/cert/publications/:id/publish",
    {
      config: { access: "publications:publish" },
      schema: {
        tags: TAGS,
        summary: "Publier la version de travail (nouvelle révision)",
        description:
          "La première publication attribue la référence (`VIGIE-ALE-2026-001`) et l'adresse ; les suivantes " +
          "exigent une note de modification. Chaque révision est conservée, inchangée.",
        params: IdParams,
        body: PublishPublicationRequest,
        response: { 200: CertPublicationView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "publications:publish");
      return publishPublication(deps.database.db, request.actor, request.params.id, request.body, {
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );

  app.post(
    "/cert/publications/:id/withdraw",
    {
      config: { access: "publications:publish" },
      schema: {
        tags: TAGS,
        summary: "Retirer une publication",
        description: "Elle disparaît des pages et des flux ; le CERT la consulte encore avec son historique.",
        params: IdParams,
        body: WithdrawPublicationRequest,
        response: { 200: CertPublicationView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "publications:publish");
      return withdrawPublication(deps.database.db, request.actor, request.params.id, request.body, {
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );
}
