import { Readable } from "node:stream";
import {
  AppError,
  IncidentExportQuerySchema,
  IncidentImportQuerySchema,
  IncidentImportReportSchema,
} from "@vigie/contracts";
import {
  assertPermission,
  type IncidentFileFormat,
  importIncidentFile,
  startIncidentExport,
} from "@vigie/core";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";
import { contentDisposition } from "./attachments.ts";

/** Content types of the file sent as the body of an import. */
const IMPORT_CONTENT_TYPES = ["text/plain", "application/x-ndjson", "application/jsonl", "text/csv"] as const;
/** 100 000 records of about 1 kB each, with room to spare. */
export const INCIDENT_IMPORT_BODY_LIMIT = 256 * 1024 * 1024;

function formatOf(
  contentType: string | undefined,
  asked: IncidentFileFormat | undefined,
): IncidentFileFormat {
  if (asked) return asked;
  return contentType?.toLowerCase().startsWith("text/csv") ? "csv" : "jsonl";
}

/** Bulk import and export of incidents in `vigie.incident/1` (decision 0010), for a `cert_lead`. */
export function exchangeRoutes(app: TypedApp, deps: AppDeps): void {
  // The raw-file parsers only apply to the import route, hence its own encapsulated plugin. Bytes
  // are carried as a Latin-1 string (one char per byte, lossless): UTF-8 is checked by the import.
  app.register(async (scoped: TypedApp) => {
    scoped.removeContentTypeParser(["text/plain"]);
    scoped.addContentTypeParser(
      [...IMPORT_CONTENT_TYPES],
      { parseAs: "buffer", bodyLimit: INCIDENT_IMPORT_BODY_LIMIT },
      (_request, body, done) => done(null, (body as Buffer).toString("latin1")),
    );
    scoped.post(
      "/incidents/import",
      {
        bodyLimit: INCIDENT_IMPORT_BODY_LIMIT,
        config: { access: "observatory:manage", rateLimit: routeRateLimit(deps, 10, "1 minute") },
        schema: {
          tags: ["Observatoire"],
          summary: "Importer des incidents (format vigie.incident/1)",
          description:
            "Corps : le fichier brut en UTF-8, JSON Lines (`application/x-ndjson` ou `text/plain`) ou CSV " +
            "(`text/csv` : en-tête aux noms des champs, `structure.finess_et`… pour la structure, listes " +
            "séparées par `|`, booléens `true`/`false`, cellule vide = valeur absente), 256 Mo au plus. " +
            "`format` impose la variante (sinon : d'après le type du contenu). " +
            "Chaque ligne est vérifiée avant toute écriture : une seule ligne invalide et rien n'est importé " +
            "(422 `IMPORT_REJECTED`, `error.details.problems` : ligne, champ et message de chaque problème, " +
            "50 au plus, `truncated` s'il y en a d'autres). La référence est la clé : un enregistrement " +
            "identique est ignoré ; un enregistrement différent est refusé, sauf avec `update=true` qui le " +
            "remplace.",
          consumes: [...IMPORT_CONTENT_TYPES],
          body: z.string().meta({ format: "binary", description: "Le fichier vigie.incident/1" }),
          querystring: IncidentImportQuerySchema,
          response: { 200: IncidentImportReportSchema },
        },
      },
      async (request) => {
        assertPermission(request.actor, "observatory:manage");
        if (typeof request.body !== "string" || request.body.length === 0) {
          throw new AppError("BAD_REQUEST", { message: "Le fichier envoyé est vide." });
        }
        const report = await importIncidentFile(deps.database.db, Buffer.from(request.body, "latin1"), {
          format: formatOf(request.headers["content-type"], request.query.format),
          update: request.query.update,
          actor: request.actor,
          actorUserId: request.actor?.userId ?? null,
          ip: request.ip,
          now: deps.clock(),
        });
        if (report.problems.length > 0) {
          throw new AppError("IMPORT_REJECTED", {
            fields: report.problems.map((p) => ({
              field: p.path ? `ligne ${p.line}, champ ${p.path}` : `ligne ${p.line}`,
              message: p.message,
            })),
            details: { records: report.records, problems: report.problems, truncated: report.truncated },
          });
        }
        return report;
      },
    );
  });

  app.get(
    "/incidents/export",
    {
      config: { access: "observatory:manage", rateLimit: routeRateLimit(deps, 10, "1 minute") },
      schema: {
        tags: ["Observatoire"],
        summary: "Exporter les incidents d'une année (format vigie.incident/1)",
        description:
          "JSON Lines (`application/x-ndjson`), en téléchargement : les incidents déclarés pendant l'année " +
          "`year` (heure de Paris), de la région `region` (code INSEE de la structure au moment de la " +
          "déclaration) ou de toutes, triés par date de déclaration puis référence ; les valeurs retenues " +
          "par le CERT (qualification). Réimporter l'export redonne les mêmes enregistrements.",
        querystring: IncidentExportQuerySchema,
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "observatory:manage");
      const run = await startIncidentExport(deps.database.db, request.query, {
        actor: request.actor,
        ip: request.ip,
        now: deps.clock(),
      });
      return reply
        .status(200)
        .header("content-type", "application/x-ndjson; charset=utf-8")
        .header("content-disposition", contentDisposition(run.fileName))
        .header("x-content-type-options", "nosniff")
        .header("cache-control", "private, no-store")
        .send(Readable.from(run.chunks));
    },
  );
}
