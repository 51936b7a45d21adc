import { CaseView, CertPerson, QualificationInput, UpdateCaseRequest } from "@vigie/contracts";
import {
  acknowledgeCase,
  assertPermission,
  getCase,
  listAnalysts,
  qualifyCase,
  updateCase,
} from "@vigie/core";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";
import { declarationSettings } from "./declarations.ts";

const CaseParams = z.object({ id: z.uuid({ error: "Identifiant de déclaration invalide." }) });
const TAGS = ["Traitement des cas"];

/** The CERT's handling of a case: its page, assignment and deadlines, acknowledgment, qualification. */
export function caseRoutes(app: TypedApp, deps: AppDeps): void {
  const settings = declarationSettings(deps);

  // Static path: Fastify matches it before /cases/:id whatever the order of registration.
  app.get(
    "/cases/analysts",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Lister les membres actifs du CERT à qui un cas peut être attribué",
        response: { 200: z.object({ items: z.array(CertPerson) }) },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return { items: await listAnalysts(deps.database.db, request.actor) };
    },
  );

  app.get(
    "/cases/:id",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Consulter un cas : la déclaration, sa qualification et son traitement",
        params: CaseParams,
        response: { 200: CaseView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return getCase(deps.database.db, request.actor, request.params.id, {
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );

  app.patch(
    "/cases/:id",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Attribuer un cas, changer ses échéances ou son TLP",
        description:
          "Les champs absents sont conservés ; `assigneeId: null` retire l'attribution. Chaque champ " +
          "modifié est inscrit au journal du cas (ancienne → nouvelle valeur).",
        params: CaseParams,
        body: UpdateCaseRequest,
        response: { 200: CaseView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return updateCase(deps.database.db, request.actor, request.params.id, request.body, {
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );

  app.post(
    "/cases/:id/acknowledge",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Prendre en compte un nouveau cas (passage en tri, attribué à soi s'il ne l'est pas)",
        params: CaseParams,
        response: { 200: CaseView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return acknowledgeCase(deps.database.db, request.actor, request.params.id, {
        now: deps.clock(),
        ip: request.ip,
        settings,
      });
    },
  );

  app.put(
    "/cases/:id/qualification",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Qualifier un cas (ou modifier sa qualification)",
        description:
          "Qualification complète : hors périmètre (motif et résumé, rien d'autre), ou origine, types, " +
          "effet sur le SI pour un incident malveillant, impacts et résumé. Les valeurs déclarées sont " +
          "conservées à côté. Refusée sur un cas clôturé (rouvrez-le).",
        params: CaseParams,
        body: QualificationInput,
        response: { 200: CaseView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return qualifyCase(deps.database.db, request.actor, request.params.id, request.body, {
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );
}
