import {
  AckLinkResult,
  AckLinkView,
  AcknowledgeTicketsRequest,
  AckTokenParams,
  FalsePositiveRequest,
  NotificationListQuery,
  NotificationPage,
  TicketDetail,
  TicketListQuery,
  TicketNoteRequest,
  TicketPage,
  TicketParams,
  TicketTransitionResult,
  WatchStats,
  WatchStatsQuery,
} from "@vigie/contracts";
import {
  acknowledgeByLink,
  acknowledgeTickets,
  assertPermission,
  getWatchTicket,
  listWatchNotifications,
  listWatchTickets,
  markTicketFalsePositive,
  markTicketFixed,
  parisLocalTime,
  readAckLink,
  reopenTicket,
  watchStats,
} from "@vigie/core";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";

const TAGS = ["Veille : tickets"];

/** Watch tickets: the structure's and the CERT's views, the lifecycle, notifications, the acknowledgment link, yearly figures. */
export function watchTicketRoutes(app: TypedApp, deps: AppDeps): void {
  const ctx = (ip: string) => ({ now: deps.clock(), ip });

  app.get(
    "/watch/tickets",
    {
      config: { access: "watch:read" },
      schema: {
        tags: TAGS,
        summary: "Lister les tickets de veille",
        description:
          "Un déclarant ne voit que les tickets de ses structures. `status=ouverts` : nouveaux, signalés, " +
          "pris en compte et rouverts. Triés par urgence puis par échéance.",
        querystring: TicketListQuery,
        response: { 200: TicketPage },
      },
    },
    async (request) => listWatchTickets(deps.database.db, request.actor, request.query),
  );

  // Static segment: matched before /watch/tickets/:id whatever the order.
  app.post(
    "/watch/tickets/acknowledge",
    {
      config: { access: "watch:manage" },
      schema: {
        tags: TAGS,
        summary: "Prendre en compte un ou plusieurs tickets",
        description:
          "Les tickets déjà pris en compte restent tels quels ; un ticket corrigé ou faux positif refuse la demande.",
        body: AcknowledgeTicketsRequest,
        response: { 200: TicketTransitionResult },
      },
    },
    async (request) => acknowledgeTickets(deps.database.db, request.actor, request.body, ctx(request.ip)),
  );

  app.get(
    "/watch/tickets/:id",
    {
      config: { access: "watch:read" },
      schema: {
        tags: TAGS,
        summary: "Consulter un ticket de veille",
        description:
          "Actif, vulnérabilité, historique et notifications (adresses des destinataires : CERT seulement).",
        params: TicketParams,
        response: { 200: TicketDetail },
      },
    },
    async (request) => getWatchTicket(deps.database.db, request.actor, request.params.id, ctx(request.ip)),
  );

  app.post(
    "/watch/tickets/:id/acknowledge",
    {
      config: { access: "watch:manage" },
      schema: {
        tags: TAGS,
        summary: "Prendre en compte un ticket",
        params: TicketParams,
        response: { 200: TicketTransitionResult },
      },
    },
    async (request) =>
      acknowledgeTickets(
        deps.database.db,
        request.actor,
        { ticketIds: [request.params.id] },
        ctx(request.ip),
      ),
  );

  app.post(
    "/watch/tickets/:id/fix",
    {
      config: { access: "watch:manage" },
      schema: {
        tags: TAGS,
        summary: "Déclarer un ticket corrigé",
        description: "Le ticket est rouvert automatiquement si le problème est encore détecté.",
        params: TicketParams,
        body: TicketNoteRequest,
        response: { 200: TicketTransitionResult },
      },
    },
    async (request) =>
      markTicketFixed(
        deps.database.db,
        request.actor,
        request.params.id,
        request.body ?? {},
        ctx(request.ip),
      ),
  );

  app.post(
    "/watch/tickets/:id/false-positive",
    {
      config: { access: "watch:handle" },
      schema: {
        tags: TAGS,
        summary: "Classer un ticket en faux positif (CERT)",
        description: "Raison obligatoire ; échéance obligatoire, dans le futur, à un an au plus.",
        params: TicketParams,
        body: FalsePositiveRequest,
        response: { 200: TicketTransitionResult },
      },
    },
    async (request) =>
      markTicketFalsePositive(
        deps.database.db,
        request.actor,
        request.params.id,
        request.body,
        ctx(request.ip),
      ),
  );

  app.post(
    "/watch/tickets/:id/reopen",
    {
      config: { access: "watch:handle" },
      schema: {
        tags: TAGS,
        summary: "Rouvrir un ticket corrigé ou faux positif (CERT)",
        params: TicketParams,
        body: TicketNoteRequest,
        response: { 200: TicketTransitionResult },
      },
    },
    async (request) =>
      reopenTicket(deps.database.db, request.actor, request.params.id, request.body ?? {}, ctx(request.ip)),
  );

  app.get(
    "/watch/notifications",
    {
      config: { access: "watch:handle" },
      schema: {
        tags: TAGS,
        summary: "Lister les notifications envoyées aux structures (CERT)",
        description: "Qui a été alerté, quand, pour quels tickets, et si le lien d'acquittement a servi.",
        querystring: NotificationListQuery,
        response: { 200: NotificationPage },
      },
    },
    async (request) => listWatchNotifications(deps.database.db, request.actor, request.query),
  );

  app.get(
    "/watch/stats",
    {
      config: { access: "watch:handle" },
      schema: {
        tags: TAGS,
        summary: "Chiffres de la veille d'une année (CERT)",
        description:
          "Année civile à l'heure de Paris (l'année en cours par défaut) : structures alertées par nature de " +
          "ticket, type de structure et région, structures ayant pris en compte un ticket, tickets ouverts, " +
          "corrigés et en cours par nature et urgence.",
        querystring: WatchStatsQuery,
        response: { 200: WatchStats },
      },
    },
    async (request) => {
      assertPermission(request.actor, "watch:handle");
      return watchStats(
        deps.database.db,
        request.actor,
        request.query.year ?? parisLocalTime(deps.clock()).year,
      );
    },
  );

  app.get(
    "/watch/ack/:token",
    {
      config: { access: "public", rateLimit: routeRateLimit(deps, 60, "1 minute") },
      schema: {
        tags: TAGS,
        summary: "Voir ce que couvre un lien d'acquittement (sans connexion)",
        description: "Références, titres et statuts des tickets du message, rien de plus.",
        params: AckTokenParams,
        response: { 200: AckLinkView },
      },
    },
    async (request) => readAckLink(deps.database.db, request.params.token, deps.clock()),
  );

  app.post(
    "/watch/ack/:token",
    {
      config: { access: "public", rateLimit: routeRateLimit(deps, 20, "1 minute") },
      schema: {
        tags: TAGS,
        summary: "Prendre en compte les tickets d'un message (lien secret, sans connexion)",
        description:
          "Sans effet sur les tickets déjà pris en compte, corrigés ou faux positifs : un second usage est sans danger.",
        params: AckTokenParams,
        response: { 200: AckLinkResult },
      },
    },
    async (request) => acknowledgeByLink(deps.database.db, request.params.token, ctx(request.ip)),
  );
}
