import {
  EventInput,
  EventListQuery,
  EventMessageRequest,
  EventMessageResult,
  EventPage,
  EventView,
  LinkDeclarationsRequest,
  UpdateEventRequest,
} from "@vigie/contracts";
import {
  assertPermission,
  createEvent,
  getEvent,
  linkDeclarations,
  listEvents,
  sendEventMessage,
  unlinkDeclaration,
  updateEvent,
} from "@vigie/core";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";
import { declarationSettings } from "./declarations.ts";

const EventParams = z.object({ id: z.uuid({ error: "Identifiant d'évènement invalide." }) });
const LinkParams = EventParams.extend({
  declarationId: z.uuid({ error: "Identifiant de déclaration invalide." }),
});
const TAGS = ["Évènements"];

/** The CERT's events grouping declarations: list, create, edit, link declarations, write to all declarants. */
export function eventRoutes(app: TypedApp, deps: AppDeps): void {
  const settings = declarationSettings(deps);

  app.get(
    "/events",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Lister les évènements",
        description:
          "Recherche sur la référence et le titre (sans tenir compte des accents ni de la casse), " +
          "filtre par statut, 20 par page, les ouverts d'abord puis les plus récents.",
        querystring: EventListQuery,
        response: { 200: EventPage },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return listEvents(deps.database.db, request.actor, request.query);
    },
  );

  app.post(
    "/events",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Créer un évènement",
        description: "La référence EV-AAAA-NNNN est attribuée dans l'ordre de l'année (heure de Paris).",
        body: EventInput,
        response: { 201: EventView },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "declarations:handle");
      const event = await createEvent(deps.database.db, request.actor, request.body, {
        now: deps.clock(),
        ip: request.ip,
      });
      return reply.status(201).send(event);
    },
  );

  app.get(
    "/events/:id",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Consulter un évènement et ses déclarations rattachées",
        params: EventParams,
        response: { 200: EventView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return getEvent(deps.database.db, request.actor, request.params.id);
    },
  );

  app.patch(
    "/events/:id",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Modifier un évènement (titre, analyse partagée, TLP, statut)",
        description:
          "L'analyse est montrée aux déclarants des déclarations rattachées, sauf si l'évènement est TLP:RED.",
        params: EventParams,
        body: UpdateEventRequest,
        response: { 200: EventView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return updateEvent(deps.database.db, request.actor, request.params.id, request.body, {
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );

  app.post(
    "/events/:id/declarations",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Rattacher des déclarations à un évènement",
        description:
          "Par identifiant ou par référence (CS-AAAA-NNNNNN). Refusé (400) si une déclaration est inconnue " +
          "ou déjà rattachée à un autre évènement (détachez-la d'abord), ou si l'évènement est clos.",
        params: EventParams,
        body: LinkDeclarationsRequest,
        response: { 200: EventView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return linkDeclarations(deps.database.db, request.actor, request.params.id, request.body, {
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );

  app.delete(
    "/events/:id/declarations/:declarationId",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Détacher une déclaration d'un évènement",
        params: LinkParams,
        response: { 200: EventView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return unlinkDeclaration(
        deps.database.db,
        request.actor,
        request.params.id,
        request.params.declarationId,
        { now: deps.clock(), ip: request.ip },
      );
    },
  );

  app.post(
    "/events/:id/messages",
    {
      config: { access: "declarations:handle", rateLimit: routeRateLimit(deps, 30, "1 minute") },
      schema: {
        tags: TAGS,
        summary: "Écrire à tous les déclarants d'un évènement",
        description:
          "Un message (ou une recommandation) sur le fil de chaque déclaration rattachée, marqué de " +
          "l'évènement, et le courriel habituel à chaque déclarant, en une seule transaction. " +
          "Jamais TLP:RED (400).",
        params: EventParams,
        body: EventMessageRequest,
        response: { 201: EventMessageResult },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "declarations:handle");
      const result = await sendEventMessage(
        deps.database.db,
        request.actor,
        request.params.id,
        request.body,
        {
          now: deps.clock(),
          ip: request.ip,
          settings,
        },
      );
      return reply.status(201).send(result);
    },
  );
}
