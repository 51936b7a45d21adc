import {
  AppError,
  ImportReport,
  RegionView,
  StructureHit,
  StructureListQuery,
  StructurePage,
  StructureSearchQuery,
  StructureView,
  UpdateStructureRequest,
} from "@vigie/contracts";
import {
  assertPermission,
  directoryFormats,
  getStructure,
  importDirectory,
  listRegions,
  listStructures,
  searchStructures,
  updateStructure,
} from "@vigie/core";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";

const StructureParams = z.object({ id: z.uuid({ error: "Identifiant de structure invalide." }) });

/** Largest directory file accepted by the import endpoint. */
const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;
const IMPORT_CONTENT_TYPES = ["text/csv", "application/octet-stream"] as const;

/** The directory: autocomplete, list and records within scope, CERT corrections, regions, import. */
export function structureRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    "/structures/search",
    {
      config: { access: "public", rateLimit: routeRateLimit(deps, 120, "1 minute") },
      schema: {
        tags: ["Annuaire"],
        summary: "Rechercher une structure par FINESS, nom ou ville (autocomplétion)",
        description:
          "Insensible aux accents et à la casse. Le FINESS exact puis les FINESS commençant par le texte " +
          "viennent en premier, puis les noms. Ne renvoie que les champs publics du répertoire FINESS " +
          "(données ouvertes) : accessible sans compte, pour l'inscription et la déclaration.",
        querystring: StructureSearchQuery,
        response: { 200: z.object({ items: z.array(StructureHit) }) },
      },
    },
    async (request) => ({
      items: await searchStructures(deps.database.db, request.query),
    }),
  );

  app.get(
    "/structures",
    {
      config: { access: "structures:read" },
      schema: {
        tags: ["Annuaire"],
        summary: "Lister les structures de mon périmètre",
        description:
          "CERT et administrateurs : toutes ; ARS : celles de sa région ; déclarant : ses structures.",
        querystring: StructureListQuery,
        response: { 200: StructurePage },
      },
    },
    async (request) => listStructures(deps.database.db, request.actor, request.query),
  );

  app.get(
    "/structures/:id",
    {
      config: { access: "structures:read" },
      schema: {
        tags: ["Annuaire"],
        summary: "Consulter la fiche d'une structure",
        description: "Une structure hors de votre périmètre est introuvable (404).",
        params: StructureParams,
        response: { 200: StructureView },
      },
    },
    async (request) =>
      getStructure(deps.database.db, request.actor, request.params.id, { now: deps.clock(), ip: request.ip }),
  );

  app.patch(
    "/structures/:id",
    {
      config: { access: "structures:write" },
      schema: {
        tags: ["Annuaire"],
        summary: "Compléter ou corriger la fiche d'une structure (CERT)",
        description:
          "GHT, établissement support, OSE/OIV, type, contacts et domaines de messagerie. " +
          "Ces champs ne sont jamais écrasés par un import FINESS.",
        params: StructureParams,
        body: UpdateStructureRequest,
        response: { 200: StructureView },
      },
    },
    async (request) =>
      updateStructure(deps.database.db, request.actor, request.params.id, request.body, {
        now: deps.clock(),
        ip: request.ip,
      }),
  );

  app.get(
    "/regions",
    {
      config: { access: "authenticated" },
      schema: {
        tags: ["Annuaire"],
        summary: "Lister les régions et leur ARS",
        response: { 200: z.object({ items: z.array(RegionView) }) },
      },
    },
    async () => ({ items: await listRegions(deps.database.db) }),
  );

  // The raw-file parser only applies to the import route, hence its own encapsulated plugin.
  // Bytes are carried as a Latin-1 string (one char per byte, lossless) so the body can be
  // declared — and documented in OpenAPI — as a string; the encoding is detected later.
  app.register(async (scoped: TypedApp) => {
    scoped.addContentTypeParser(
      [...IMPORT_CONTENT_TYPES],
      { parseAs: "buffer", bodyLimit: IMPORT_BODY_LIMIT },
      (_request, body, done) => done(null, (body as Buffer).toString("latin1")),
    );
    scoped.post(
      "/directory/import",
      {
        bodyLimit: IMPORT_BODY_LIMIT,
        config: { access: "directory:import" },
        schema: {
          tags: ["Annuaire"],
          summary: "Importer l'annuaire FINESS (CSV de référence ou extraction officielle)",
          description:
            "Corps : le fichier brut (`text/csv` ou `application/octet-stream`, 20 Mo au plus), en UTF-8 " +
            "ou Latin-1. Le format est détecté sauf s'il est imposé. Idempotent : les structures sont " +
            "rapprochées par FINESS ET ; les champs saisis par le CERT sont conservés.",
          consumes: [...IMPORT_CONTENT_TYPES],
          body: z.string().meta({ format: "binary", description: "Le fichier de l'annuaire" }),
          querystring: z.object({
            format: z
              .enum(["auto", ...directoryFormats], { error: "Format attendu : auto, csv ou extrait-finess." })
              .default("auto"),
          }),
          response: { 200: ImportReport },
        },
      },
      async (request) => {
        assertPermission(request.actor, "directory:import");
        if (request.body.length === 0) {
          throw new AppError("BAD_REQUEST", { message: "Le fichier envoyé est vide." });
        }
        return importDirectory(deps.database.db, Buffer.from(request.body, "latin1"), {
          format: request.query.format,
          actor: request.actor,
          ip: request.ip,
          now: deps.clock(),
        });
      },
    );
  });
}
