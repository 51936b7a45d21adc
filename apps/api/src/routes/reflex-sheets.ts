import {
  CreateReflexSheetRequest,
  ReflexSheetListQuery,
  ReflexSheetSendingView,
  ReflexSheetSuggestions,
  ReflexSheetSummary,
  ReflexSheetView,
  SendReflexSheetRequest,
  UpdateReflexSheetRequest,
} from "@vigie/contracts";
import {
  archiveReflexSheet,
  assertPermission,
  createReflexSheet,
  getReflexSheet,
  listReflexSheets,
  sendReflexSheet,
  suggestReflexSheets,
  updateReflexSheet,
} from "@vigie/core";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";
import { declarationSettings } from "./declarations.ts";

const SheetParams = z.object({ id: z.uuid({ error: "Identifiant de fiche invalide." }) });
const DeclarationParams = z.object({ id: z.uuid({ error: "Identifiant de déclaration invalide." }) });
const TAGS = ["Fiches réflexes"];

/** The CERT's library of reflex sheets and recommendation templates, and their sending to declarants. */
export function reflexSheetRoutes(app: TypedApp, deps: AppDeps): void {
  const settings = declarationSettings(deps);

  app.get(
    "/reflex-sheets",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Lister les fiches réflexes et modèles de recommandation",
        description:
          "Filtres : catégorie (type d'incident de la taxonomie ou `general`), nature, mots cherchés " +
          "dans l'identifiant, le titre et le contenu. Les fiches archivées avec `archived=true`.",
        querystring: ReflexSheetListQuery,
        response: { 200: z.object({ items: z.array(ReflexSheetSummary) }) },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return { items: await listReflexSheets(deps.database.db, request.actor, request.query) };
    },
  );

  app.get(
    "/reflex-sheets/:id",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Consulter une fiche et l'historique de ses versions",
        params: SheetParams,
        response: { 200: ReflexSheetView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return getReflexSheet(deps.database.db, request.actor, request.params.id);
    },
  );

  app.post(
    "/reflex-sheets",
    {
      config: { access: "reflex_sheets:manage" },
      schema: {
        tags: TAGS,
        summary: "Créer une fiche (version 1)",
        body: CreateReflexSheetRequest,
        response: { 201: ReflexSheetView },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "reflex_sheets:manage");
      const sheet = await createReflexSheet(deps.database.db, request.actor, request.body, {
        now: deps.clock(),
        ip: request.ip,
      });
      return reply.status(201).send(sheet);
    },
  );

  app.put(
    "/reflex-sheets/:id",
    {
      config: { access: "reflex_sheets:manage" },
      schema: {
        tags: TAGS,
        summary: "Modifier une fiche : enregistre une nouvelle version",
        description:
          "Les versions précédentes restent consultables, inchangées. La note de modification est " +
          "obligatoire ; `baseVersion` fait refuser (409) l'enregistrement si une autre version a été " +
          "enregistrée entre-temps.",
        params: SheetParams,
        body: UpdateReflexSheetRequest,
        response: { 200: ReflexSheetView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "reflex_sheets:manage");
      return updateReflexSheet(deps.database.db, request.actor, request.params.id, request.body, {
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );

  app.delete(
    "/reflex-sheets/:id",
    {
      config: { access: "reflex_sheets:manage" },
      schema: {
        tags: TAGS,
        summary: "Archiver une fiche",
        description: "La fiche et son historique sont conservés ; elle n'est plus proposée ni envoyée.",
        params: SheetParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "reflex_sheets:manage");
      await archiveReflexSheet(deps.database.db, request.actor, request.params.id, {
        now: deps.clock(),
        ip: request.ip,
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/declarations/:id/reflex-sheets/suggestions",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: TAGS,
        summary: "Fiches suggérées pour une déclaration",
        description:
          "Les fiches dont la catégorie est l'un des types d'incident proposés par le déclarant, puis " +
          "les fiches générales, avec les versions déjà envoyées sur cette déclaration.",
        params: DeclarationParams,
        response: { 200: ReflexSheetSuggestions },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return suggestReflexSheets(deps.database.db, request.actor, request.params.id, {
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );

  app.post(
    "/declarations/:id/reflex-sheets",
    {
      config: { access: "declarations:handle", rateLimit: routeRateLimit(deps, 60, "1 minute") },
      schema: {
        tags: TAGS,
        summary: "Envoyer une fiche au déclarant, comme recommandation sur la déclaration",
        description:
          "La version actuelle, sauf si `version` est précisée. Le déclarant est prévenu par courriel. " +
          "Une fiche archivée ou une version classée TLP:RED n'est jamais envoyée (400).",
        params: DeclarationParams,
        body: SendReflexSheetRequest,
        response: { 201: ReflexSheetSendingView },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "declarations:handle");
      const sending = await sendReflexSheet(
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
      return reply.status(201).send(sending);
    },
  );
}
