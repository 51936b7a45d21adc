import fastifyMultipart from "@fastify/multipart";
import {
  AppError,
  LeakImportList,
  LeakImportListQuery,
  LeakImportQuery,
  LeakImportReport,
  leakListLimits,
} from "@vigie/contracts";
import { assertPermission, importLeakedCredentials, listLeakImports } from "@vigie/core";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";

const TAGS = ["Veille"];
const MB = 1024 * 1024;
/** Content types of a list sent as the raw body. */
const RAW_CONTENT_TYPES = [
  "text/plain",
  "text/csv",
  "application/json",
  "application/x-ndjson",
  "application/octet-stream",
] as const;

/** The list and its source name from a multipart form (fields `source` and `file`). */
async function readMultipart(
  request: FastifyRequest,
): Promise<{ source: string | undefined; content: Buffer }> {
  let source: string | undefined;
  let content: Buffer | undefined;
  for await (const part of request.parts()) {
    if (part.type === "file") {
      if (part.fieldname !== "file" || content !== undefined) {
        await part.toBuffer();
        continue;
      }
      content = await part.toBuffer();
      if (part.file.truncated) throw new AppError("LEAK_LIST_TOO_LARGE");
    } else if (part.fieldname === "source" && typeof part.value === "string") {
      source = part.value;
    }
  }
  if (content === undefined || content.length === 0) {
    throw new AppError("VALIDATION_FAILED", {
      fields: [{ field: "file", message: "Joignez le fichier de la liste (champ « file »)." }],
    });
  }
  return { source, content };
}

/**
 * Leaked credentials, for the CERT (`watch:handle`): import of a list (only the addresses are
 * kept; passwords and hashes are dropped while parsing) and the history of imports. The body is
 * never logged: Fastify's request log holds the method, URL and addresses only.
 */
export function leakRoutes(app: TypedApp, deps: AppDeps): void {
  app.register(async (scoped: TypedApp) => {
    // The list arrives as a multipart form (web app) or as the raw file (scripts): in this scope
    // only, bytes are kept as they are (Latin-1 string, one char per byte), never parsed as JSON.
    await scoped.register(fastifyMultipart, {
      throwFileSizeLimit: false,
      limits: { fileSize: leakListLimits.maxBytes, files: 1, fields: 5, fieldSize: 1024, parts: 6 },
    });
    scoped.removeContentTypeParser(["text/plain", "application/json"]);
    scoped.addContentTypeParser(
      [...RAW_CONTENT_TYPES],
      { parseAs: "buffer", bodyLimit: leakListLimits.maxBytes },
      (_request, body, done) => done(null, (body as Buffer).toString("latin1")),
    );

    scoped.post(
      "/watch/leaks",
      {
        bodyLimit: leakListLimits.maxBytes + MB,
        config: { access: "watch:handle", rateLimit: routeRateLimit(deps, 10, "1 minute") },
        schema: {
          tags: TAGS,
          summary: "Importer une liste d'identifiants divulgués",
          description:
            "Corps : un formulaire `multipart/form-data` (champs `source` et `file`) ou le fichier brut " +
            "(`text/plain`, `text/csv`, `application/json`…) avec `source` en paramètre. " +
            `${leakListLimits.maxBytes / MB} Mo et ${leakListLimits.maxLines.toLocaleString("fr-FR")} lignes au plus. ` +
            "Formats : une adresse par ligne, éventuellement suivie de `:`, `;`, `,`, tabulation ou `|` et " +
            "d'un mot de passe ou d'une empreinte ; CSV avec un en-tête nommant la colonne de l'adresse " +
            "(email, mail, courriel, login, username…) ; liste JSON de chaînes ou d'objets ; JSON Lines. " +
            "Seules les adresses sont lues : mots de passe et empreintes sont écartés à la lecture, jamais " +
            "enregistrés ni renvoyés. Les adresses d'un domaine de messagerie (ou sous-domaine) d'une " +
            "structure ou d'un de ses domaines déclarés ouvrent un ticket « compte compromis » ; les autres " +
            "sont comptées, pas conservées. Les lignes refusées sont nommées par leur numéro seulement. " +
            "Réimporter la même liste n'ouvre rien de nouveau.",
          consumes: ["multipart/form-data", ...RAW_CONTENT_TYPES],
          querystring: LeakImportQuery,
          body: z.unknown().meta({ format: "binary", description: "La liste (fichier brut ou formulaire)" }),
          response: { 201: LeakImportReport },
        },
      },
      async (request, reply) => {
        assertPermission(request.actor, "watch:handle");
        let source = request.query.source;
        let content: Buffer;
        if (request.isMultipart()) {
          const form = await readMultipart(request);
          source = form.source ?? source;
          content = form.content;
        } else {
          if (typeof request.body !== "string" || request.body.length === 0) {
            throw new AppError("VALIDATION_FAILED", {
              fields: [{ field: "file", message: "Le fichier envoyé est vide." }],
            });
          }
          content = Buffer.from(request.body, "latin1");
        }
        const report = await importLeakedCredentials(deps.database.db, {
          source: source ?? "",
          content,
          actor: request.actor,
          now: deps.clock(),
          ip: request.ip,
        });
        return reply.status(201).send(report);
      },
    );
  });

  app.get(
    "/watch/leaks",
    {
      config: { access: "watch:handle" },
      schema: {
        tags: TAGS,
        summary: "Historique des imports d'identifiants divulgués",
        description: "Les plus récents d'abord : source, date, auteur et comptes (jamais d'adresse).",
        querystring: LeakImportListQuery,
        response: { 200: LeakImportList },
      },
    },
    async (request) => {
      assertPermission(request.actor, "watch:handle");
      return { items: await listLeakImports(deps.database.db, request.actor, request.query) };
    },
  );
}
