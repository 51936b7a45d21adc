import {
  ClockListQuery,
  ClockPage,
  ClockView,
  FileClockRequest,
  RequestIntermediateReport,
} from "@vigie/contracts";
import {
  assertPermission,
  fileClock,
  listCaseClocks,
  listRegulatoryClocks,
  requestIntermediateReport,
} from "@vigie/core";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";

const CaseParams = z.object({ id: z.uuid({ error: "Identifiant de déclaration invalide." }) });
const ClockParams = CaseParams.extend({ clockId: z.uuid({ error: "Identifiant d'échéance invalide." }) });
const TAGS = ["Échéances réglementaires"];

/** The regulatory clocks of the cases (NIS 2, CNIL): per case, filing, intermediate reports, across cases. */
export function clockRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    "/clocks",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Lister les échéances réglementaires des cas",
        description:
          "`open` : non déposées ; `due_soon` : à déposer dans les 12 heures ; `overdue` : dépassées et " +
          "non déposées ; `all` : toutes, déposées et annulées comprises. Par date d'échéance.",
        querystring: ClockListQuery,
        response: { 200: ClockPage },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return listRegulatoryClocks(deps.database.db, request.actor, request.query, deps.clock());
    },
  );

  app.get(
    "/cases/:id/clocks",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Consulter les échéances réglementaires d'un cas",
        params: CaseParams,
        response: { 200: z.array(ClockView) },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return listCaseClocks(deps.database.db, request.actor, request.params.id, {
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );

  // Static segment: Fastify matches it before /cases/:id/clocks/:clockId/… whatever the order.
  app.post(
    "/cases/:id/clocks/intermediate",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Enregistrer la demande d'un rapport intermédiaire NIS 2",
        description: "Pour un cas soumis à NIS 2 seulement ; l'échéance doit être dans le futur.",
        params: CaseParams,
        body: RequestIntermediateReport,
        response: { 201: ClockView },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "declarations:handle");
      const clock = await requestIntermediateReport(
        deps.database.db,
        request.actor,
        request.params.id,
        request.body,
        { now: deps.clock(), ip: request.ip },
      );
      return reply.code(201).send(clock);
    },
  );

  app.post(
    "/cases/:id/clocks/:clockId/file",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Enregistrer le dépôt d'une déclaration réglementaire",
        description:
          "Date du dépôt (maintenant par défaut, jamais dans le futur), référence et note. Refusé pour " +
          "une échéance déjà déposée ou annulée.",
        params: ClockParams,
        body: FileClockRequest,
        response: { 200: ClockView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return fileClock(
        deps.database.db,
        request.actor,
        request.params.id,
        request.params.clockId,
        request.body,
        {
          now: deps.clock(),
          ip: request.ip,
        },
      );
    },
  );
}
