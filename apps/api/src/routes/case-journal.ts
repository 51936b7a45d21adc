import { JournalEntry, NoteRequest, SupportActionInput, SupportActionView } from "@vigie/contracts";
import {
  addCaseNote,
  assertPermission,
  getCaseJournal,
  listSupportActions,
  recordSupportAction,
} from "@vigie/core";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";

const CaseParams = z.object({ id: z.uuid({ error: "Identifiant de déclaration invalide." }) });

/** A case's journal, the CERT's internal notes and its technical support records (decision 0008). */
export function caseJournalRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    "/cases/:id/journal",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: ["Dossiers"],
        summary: "Journal d'un dossier (CERT)",
        description:
          "Tout ce qui est arrivé au dossier, du plus ancien au plus récent : échanges avec le déclarant, " +
          "changements de statut, pièces jointes, fiches réflexes envoyées, modifications de champs, notes " +
          "internes, qualification, évènements, demandes de compléments et relances, appui technique.",
        params: CaseParams,
        response: { 200: z.array(JournalEntry) },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return getCaseJournal(deps.database.db, request.actor, request.params.id, {
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );

  app.post(
    "/cases/:id/notes",
    {
      config: { access: "declarations:handle", rateLimit: routeRateLimit(deps, 60, "1 minute") },
      schema: {
        tags: ["Dossiers"],
        summary: "Ajouter une note interne au dossier (CERT)",
        description:
          "La note n'est jamais montrée au déclarant ; elle peut être classée TLP:RED (TLP:AMBER par défaut).",
        params: CaseParams,
        body: NoteRequest,
        response: { 201: JournalEntry },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "declarations:handle");
      const entry = await addCaseNote(deps.database.db, request.actor, request.params.id, request.body, {
        now: deps.clock(),
        ip: request.ip,
      });
      return reply.status(201).send(entry);
    },
  );

  app.get(
    "/cases/:id/support",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: ["Dossiers"],
        summary: "Appui technique apporté sur un dossier (CERT)",
        params: CaseParams,
        response: { 200: z.array(SupportActionView) },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return listSupportActions(deps.database.db, request.actor, request.params.id, {
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );

  app.post(
    "/cases/:id/support",
    {
      config: { access: "declarations:handle", rateLimit: routeRateLimit(deps, 60, "1 minute") },
      schema: {
        tags: ["Dossiers"],
        summary: "Enregistrer un appui technique (CERT)",
        description:
          "Ce qui a été fait, par qui et quand (maintenant par défaut, jamais dans le futur). Le dossier " +
          "est marqué « appui technique apporté » et ses autorités intervenues sont l'union de celles de " +
          "tous ses appuis.",
        params: CaseParams,
        body: SupportActionInput,
        response: { 201: SupportActionView },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "declarations:handle");
      const action = await recordSupportAction(
        deps.database.db,
        request.actor,
        request.params.id,
        request.body,
        {
          now: deps.clock(),
          ip: request.ip,
        },
      );
      return reply.status(201).send(action);
    },
  );
}
