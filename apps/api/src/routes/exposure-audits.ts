import fastifyMultipart from "@fastify/multipart";
import {
  AppError,
  AuthorisationInput,
  ExposureAuditDetail,
  ExposureAuditList,
  ExposureAuditListQuery,
  ExposureAuditStats,
  ExposureAuditSummary,
  PerimeterInput,
  PerimeterRejectInput,
  PerimeterStatusSchema,
  PerimeterView,
} from "@vigie/contracts";
import {
  type Actor,
  assertPermission,
  authorisePerimeter,
  buildAuditReport,
  CT_IMPORT_LIMITS,
  exportAuditReport,
  exposureAuditStats,
  getPerimeter,
  importCtNames,
  launchAuditNow,
  listAudits,
  listPerimeters,
  parisLocalTime,
  rejectPerimeter,
  revokeAuthorisation,
  savePerimeter,
  submitPerimeter,
} from "@vigie/core";
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";
import { contentDisposition } from "./attachments.ts";

const TAGS = ["Audits de cybersurveillance"];
type ChangeContext = { now: Date; ip: string };
const MB = 1024 * 1024;

const StructureParams = z.object({
  structureId: z.string().trim().min(1, { error: "Indiquez la structure (identifiant ou FINESS ET)." }),
});
const AuditParams = z.object({ id: z.string() });
const PerimeterListQuery = z.object({ status: PerimeterStatusSchema.optional() });
const PerimeterList = z.object({ items: z.array(PerimeterView) });
const LaunchAuditInput = z.object({
  structureId: z.string().trim().min(1, { error: "Indiquez la structure à auditer." }),
});
const StatsQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });
const CtImportReport = z.object({
  kept: z.number().int(),
  ignored: z.number().int(),
  read: z.number().int(),
});
const RAW_CONTENT_TYPES = ["text/plain", "text/csv", "application/json", "application/octet-stream"] as const;

async function readUpload(request: FastifyRequest): Promise<Buffer> {
  if (request.isMultipart()) {
    let content: Buffer | undefined;
    for await (const part of request.parts()) {
      if (part.type !== "file") continue;
      const bytes = await part.toBuffer();
      if (part.fieldname !== "file" || content !== undefined) continue;
      if (part.file.truncated) {
        throw new AppError("FILE_TOO_LARGE", { message: "Fichier trop volumineux (20 Mo au plus)." });
      }
      content = bytes;
    }
    if (!content || content.length === 0) {
      throw new AppError("VALIDATION_FAILED", {
        fields: [{ field: "file", message: "Joignez l'export des certificats (champ « file »)." }],
      });
    }
    return content;
  }
  if (typeof request.body !== "string" || request.body.length === 0) {
    throw new AppError("VALIDATION_FAILED", {
      fields: [{ field: "file", message: "Le fichier envoyé est vide." }],
    });
  }
  return Buffer.from(request.body, "latin1");
}

function sendFile(reply: FastifyReply, file: { fileName: string; contentType: string; content: Buffer }) {
  return reply
    .status(200)
    .header("content-type", file.contentType)
    .header("content-disposition", contentDisposition(file.fileName))
    .header("x-content-type-options", "nosniff")
    .header("cache-control", "private, no-store")
    .send(file.content);
}

/**
 * Cybersurveillance audits (decision 0012): a structure declares its perimeter (`watch:manage`),
 * the CERT authorises it, launches and follows the audits (`watch:handle`), members read their
 * structures' audits and reports (`watch:read`). What an actor may not see is NOT_FOUND.
 */
export function exposureAuditRoutes(app: TypedApp, deps: AppDeps): void {
  const ctx = (ip: string): ChangeContext => ({ now: deps.clock(), ip });

  app.get(
    "/audits/perimeters",
    {
      config: { access: "watch:handle" },
      schema: {
        tags: TAGS,
        summary: "Lister les périmètres d'audit (CERT)",
        description: "`status=submitted` : les périmètres à examiner, les plus anciens d'abord.",
        querystring: PerimeterListQuery,
        response: { 200: PerimeterList },
      },
    },
    async (request) => {
      assertPermission(request.actor, "watch:handle");
      return { items: await listPerimeters(deps.database.db, request.actor, request.query, deps.clock()) };
    },
  );

  app.get(
    "/audits/perimeters/:structureId",
    {
      config: { access: "watch:read" },
      schema: {
        tags: TAGS,
        summary: "Consulter le périmètre d'audit d'une structure",
        description:
          "Un brouillon vide quand la structure n'a encore rien déclaré. Avec l'autorisation en vigueur.",
        params: StructureParams,
        response: { 200: PerimeterView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "watch:read");
      return getPerimeter(deps.database.db, request.actor, request.params.structureId, deps.clock());
    },
  );

  /**
   * A change of a structure's perimeter (`/audits/perimeters/:structureId<action>`), answering
   * the perimeter as it now stands.
   */
  const perimeterChange = <B extends z.ZodType = z.ZodUndefined>(
    method: "PUT" | "POST",
    action: string,
    access: "watch:manage" | "watch:handle",
    doc: { summary: string; description?: string; body?: B },
    change: (
      actor: Actor,
      structureId: string,
      body: z.output<B>,
      context: ChangeContext,
    ) => Promise<PerimeterView>,
  ) =>
    app.route({
      method,
      url: `/audits/perimeters/:structureId${action}`,
      config: { access },
      schema: { tags: TAGS, ...doc, params: StructureParams, response: { 200: PerimeterView } },
      handler: async (request) => {
        assertPermission(request.actor, access);
        const body = request.body as z.output<B>;
        return change(request.actor, request.params.structureId, body, ctx(request.ip));
      },
    });

  perimeterChange(
    "PUT",
    "",
    "watch:manage",
    {
      summary: "Enregistrer le périmètre d'audit d'une structure",
      description:
        "Noms de domaine (convertis en punycode, un domaine couvre ses sous-domaines) et plages d'adresses " +
        "(CIDR écrit avec l'adresse du réseau, /8 au plus large). Chaque erreur nomme son champ (`domains.2`). " +
        "Un périmètre validé qui change est soumis de nouveau au CERT ; l'autorisation en vigueur reste celle " +
        "du périmètre précédent jusqu'à la nouvelle validation. Une plage chevauchant celle d'une autre " +
        "structure est refusée (409).",
      body: PerimeterInput,
    },
    (actor, structureId, body, context) => savePerimeter(deps.database.db, actor, structureId, body, context),
  );

  perimeterChange(
    "POST",
    "/submit",
    "watch:manage",
    { summary: "Soumettre le périmètre au CERT" },
    (actor, structureId, _body, context) => submitPerimeter(deps.database.db, actor, structureId, context),
  );

  perimeterChange(
    "POST",
    "/authorise",
    "watch:handle",
    {
      summary: "Autoriser les audits du périmètre soumis (CERT)",
      description:
        "Fige une copie du périmètre, valable jusqu'à `validUntil` inclus (trois ans au plus), avec la " +
        "référence du mandat. Les audits ne visent que ce que l'autorisation en vigueur nomme.",
      body: AuthorisationInput,
    },
    (actor, structureId, body, context) =>
      authorisePerimeter(deps.database.db, actor, structureId, body, context),
  );

  perimeterChange(
    "POST",
    "/reject",
    "watch:handle",
    { summary: "Refuser le périmètre soumis (CERT)", body: PerimeterRejectInput },
    (actor, structureId, body, context) =>
      rejectPerimeter(deps.database.db, actor, structureId, body, context),
  );

  perimeterChange(
    "POST",
    "/revoke",
    "watch:handle",
    {
      summary: "Révoquer l'autorisation d'audit (CERT)",
      description:
        "Plus aucun audit ne démarre ; l'audit prévu est annulé ; le périmètre redevient un brouillon.",
    },
    (actor, structureId, _body, context) =>
      revokeAuthorisation(deps.database.db, actor, structureId, context),
  );

  app.register(async (scoped: TypedApp) => {
    // The export arrives as a multipart form (web app) or as the raw file (scripts).
    await scoped.register(fastifyMultipart, {
      throwFileSizeLimit: false,
      limits: { fileSize: CT_IMPORT_LIMITS.maxBytes, files: 1, fields: 2, fieldSize: 1024, parts: 3 },
    });
    scoped.removeContentTypeParser(["text/plain", "application/json"]);
    scoped.addContentTypeParser(
      [...RAW_CONTENT_TYPES],
      { parseAs: "buffer", bodyLimit: CT_IMPORT_LIMITS.maxBytes },
      (_request, body, done) => done(null, (body as Buffer).toString("latin1")),
    );
    scoped.post(
      "/audits/perimeters/:structureId/ct-import",
      {
        bodyLimit: CT_IMPORT_LIMITS.maxBytes + MB,
        config: { access: "watch:manage", rateLimit: routeRateLimit(deps, 20, "1 minute") },
        schema: {
          tags: TAGS,
          summary: "Importer un export de transparence des certificats",
          description:
            "Formulaire `multipart/form-data` (champ `file`) ou fichier brut : JSON de crt.sh (`name_value`, " +
            "`not_before`, `not_after`, `issuer_name`), CSV avec une colonne `name`, ou un nom par ligne. " +
            "`*.x` est lu `x` ; seuls les noms des domaines du périmètre sont gardés, pour le prochain audit.",
          consumes: ["multipart/form-data", ...RAW_CONTENT_TYPES],
          params: StructureParams,
          body: z.unknown().meta({ format: "binary", description: "L'export (fichier brut ou formulaire)" }),
          response: { 201: CtImportReport },
        },
      },
      async (request, reply) => {
        assertPermission(request.actor, "watch:manage");
        const content = await readUpload(request);
        const report = await importCtNames(
          deps.database.db,
          request.actor,
          request.params.structureId,
          content,
          ctx(request.ip),
        );
        return reply.status(201).send(report);
      },
    );
  });

  app.get(
    "/audits",
    {
      config: { access: "watch:read" },
      schema: {
        tags: TAGS,
        summary: "Lister les audits",
        description:
          "Ceux des structures du déclarant, ou de toutes pour le CERT ; les plus récents d'abord. Paginé.",
        querystring: ExposureAuditListQuery,
        response: { 200: ExposureAuditList },
      },
    },
    async (request) => {
      assertPermission(request.actor, "watch:read");
      return listAudits(deps.database.db, request.actor, request.query);
    },
  );

  app.post(
    "/audits",
    {
      config: { access: "watch:handle", rateLimit: routeRateLimit(deps, 20, "1 minute") },
      schema: {
        tags: TAGS,
        summary: "Lancer un audit maintenant (CERT)",
        description:
          "L'audit est planifié pour maintenant et démarre à la prochaine minute. Refusé (409) sans autorisation " +
          "en vigueur ou quand un audit de la structure est en cours.",
        body: LaunchAuditInput,
        response: { 201: ExposureAuditSummary },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "watch:handle");
      const audit = await launchAuditNow(
        deps.database.db,
        request.actor,
        request.body.structureId,
        ctx(request.ip),
      );
      return reply.status(201).send(audit);
    },
  );

  app.get(
    "/audits/stats",
    {
      config: { access: "watch:handle" },
      schema: {
        tags: TAGS,
        summary: "Chiffres des audits d'une année (CERT)",
        description:
          "Audits réussis dans l'année civile (heure de Paris), structures, types, GHT couverts et GHT dont plus " +
          "de la moitié des établissements ont été audités ; avancement (périmètres, audits prévus, en retard, " +
          "en cours, échoués sur 30 jours).",
        querystring: StatsQuery,
        response: { 200: ExposureAuditStats },
      },
    },
    async (request) => {
      assertPermission(request.actor, "watch:handle");
      const now = deps.clock();
      const year = request.query.year ?? Number(parisLocalTime(now).date.slice(0, 4));
      return exposureAuditStats(deps.database.db, request.actor, year, now);
    },
  );

  app.get(
    "/audits/:id",
    {
      config: { access: "watch:read" },
      schema: {
        tags: TAGS,
        summary: "Consulter un audit et son rapport",
        params: AuditParams,
        response: { 200: ExposureAuditDetail },
      },
    },
    async (request) => {
      assertPermission(request.actor, "watch:read");
      return buildAuditReport(deps.database.db, request.actor, request.params.id, deps.clock());
    },
  );

  for (const format of ["html", "pdf"] as const) {
    app.get(
      `/audits/:id/report.${format}`,
      {
        config: { access: "watch:read", rateLimit: routeRateLimit(deps, 10, "1 minute") },
        schema: {
          tags: TAGS,
          summary: format === "html" ? "Rapport d'audit en HTML" : "Rapport d'audit en PDF",
          description:
            format === "html"
              ? "Un seul fichier, sans script ni ressource externe, en téléchargement."
              : "Imprimé par Chromium (`CHROMIUM_PATH` ; 503 s'il manque), en téléchargement.",
          params: AuditParams,
        },
      },
      async (request, reply) => {
        assertPermission(request.actor, "watch:read");
        const file = await exportAuditReport(deps.database.db, request.actor, request.params.id, format, {
          chromiumPath: deps.config.CHROMIUM_PATH,
          now: deps.clock(),
        });
        return sendFile(reply, file);
      },
    );
  }
}
