import {
  CreateShiftRequest,
  OncallNow,
  PageList,
  PageListQuery,
  PageView,
  ShiftList,
  ShiftListQuery,
  ShiftView,
} from "@vigie/contracts";
import {
  acknowledgePage,
  assertPermission,
  createShift,
  deleteShift,
  listPages,
  listShifts,
  viewOncallNow,
} from "@vigie/core";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";

const ShiftParams = z.object({ id: z.uuid({ error: "Identifiant de créneau d'astreinte invalide." }) });
const PageParams = z.object({ id: z.uuid({ error: "Identifiant d'appel d'astreinte invalide." }) });
const TAGS = ["Astreinte"];

/** The CERT's on-call rota, who is on call now, and the pages with their acknowledgment. */
export function oncallRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    "/oncall/shifts",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Consulter le planning d'astreinte",
        description:
          "Créneaux qui recoupent la période demandée (par défaut : à partir de maintenant, 14 jours).",
        querystring: ShiftListQuery,
        response: { 200: ShiftList },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      const items = await listShifts(deps.database.db, request.actor, request.query, {
        now: deps.clock(),
        ip: request.ip,
      });
      return { items };
    },
  );

  app.post(
    "/oncall/shifts",
    {
      config: { access: "oncall:manage" },
      schema: {
        tags: TAGS,
        summary: "Ajouter un créneau d'astreinte",
        description:
          "Met un analyste ou un responsable du CERT d'astreinte sur une période, à un rang d'appel " +
          "(1 = appelé en premier, 2 = renfort appelé en cas d'escalade…). Refusé si la période " +
          "chevauche un autre créneau du même rang ou un autre créneau de la même personne (409).",
        body: CreateShiftRequest,
        response: { 201: ShiftView },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "oncall:manage");
      const shift = await createShift(deps.database.db, request.actor, request.body, {
        now: deps.clock(),
        ip: request.ip,
      });
      return reply.status(201).send(shift);
    },
  );

  app.delete(
    "/oncall/shifts/:id",
    {
      config: { access: "oncall:manage" },
      schema: {
        tags: TAGS,
        summary: "Supprimer un créneau d'astreinte",
        params: ShiftParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "oncall:manage");
      await deleteShift(deps.database.db, request.actor, request.params.id, {
        now: deps.clock(),
        ip: request.ip,
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/oncall/now",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Savoir qui est d'astreinte maintenant",
        description:
          "Personnes d'astreinte à cet instant, dans l'ordre d'appel ; l'adresse de repli est appelée " +
          "quand personne n'est planifié.",
        response: { 200: OncallNow },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      const now = deps.clock();
      const items = await viewOncallNow(deps.database.db, request.actor, { now, ip: request.ip });
      return { at: now.toISOString(), items, fallbackEmail: deps.config.ONCALL_EMAIL };
    },
  );

  app.get(
    "/oncall/pages",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Lister les appels d'astreinte",
        description:
          "Derniers appels, niveau d'escalade compris. `pending=true` : seulement ceux des déclarations " +
          "dont aucun appel n'a encore fait l'objet d'un accusé de réception.",
        querystring: PageListQuery,
        response: { 200: PageList },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      const items = await listPages(deps.database.db, request.actor, { pending: request.query.pending });
      return { items };
    },
  );

  app.post(
    "/oncall/pages/:id/ack",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Accuser réception d'un appel d'astreinte",
        description:
          "La personne appelée, ou tout membre du CERT, prend la déclaration en charge : l'escalade " +
          "s'arrête. Sans effet si l'accusé de réception a déjà été donné.",
        params: PageParams,
        response: { 200: PageView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return acknowledgePage(deps.database.db, request.actor, request.params.id, {
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );
}
