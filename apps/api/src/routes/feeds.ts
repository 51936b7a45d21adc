import fastifyMultipart from "@fastify/multipart";
import {
  AppError,
  FeedRunList,
  FeedRunListQuery,
  FeedRunView,
  FeedSourceParams,
  VulnerabilityDetail,
  VulnerabilityList,
  VulnerabilityListQuery,
  VulnerabilityParams,
} from "@vigie/contracts";
import {
  assertPermission,
  getVulnerability,
  listFeedRuns,
  listVulnerabilities,
  uploadFeedFile,
} from "@vigie/core";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";

/** The full NVD dump of KEV CVEs is a few tens of MB; room to spare. */
export const FEED_UPLOAD_LIMIT = 128 * 1024 * 1024;
/** Content types of a feed sent as the raw body. */
const RAW_TYPES = [
  "application/json",
  "application/xml",
  "text/xml",
  "application/rss+xml",
  "text/plain",
  "application/octet-stream",
] as const;
const TAGS = ["Veille — flux de vulnérabilités"];

/** Vulnerability feeds (decision 0011): file uploads, the runs' reports, the merged vulnerabilities. */
export function feedRoutes(app: TypedApp, deps: AppDeps): void {
  // Raw and multipart bodies only for the upload: every other route keeps its JSON parsing.
  app.register(async (scope) => {
    scope.removeContentTypeParser(["application/json", "text/plain"]);
    scope.addContentTypeParser(
      [...RAW_TYPES],
      { parseAs: "buffer", bodyLimit: FEED_UPLOAD_LIMIT },
      (_r, body, done) => done(null, body),
    );
    await scope.register(fastifyMultipart, {
      throwFileSizeLimit: false,
      limits: { fileSize: FEED_UPLOAD_LIMIT, files: 1, fields: 5, fieldSize: 1024, parts: 6 },
    });
    uploadRoute(scope as TypedApp, deps);
  });

  app.get(
    "/watch/feeds/runs",
    {
      config: { access: "watch:handle" },
      schema: {
        tags: TAGS,
        summary: "Lister les derniers chargements de flux et leurs problèmes",
        querystring: FeedRunListQuery,
        response: { 200: FeedRunList },
      },
    },
    async (request) => {
      assertPermission(request.actor, "watch:handle");
      return { items: await listFeedRuns(deps.database.db, request.actor, request.query) };
    },
  );

  app.get(
    "/watch/vulnerabilities",
    {
      config: { access: "watch:handle" },
      schema: {
        tags: TAGS,
        summary: "Chercher dans les vulnérabilités connues (KEV, NVD, CERT-FR)",
        description:
          "`q` : mots cherchés dans l'identifiant CVE, la description, l'éditeur, le produit et le nom KEV ; " +
          "`kev=true` : seulement les vulnérabilités exploitées (catalogue KEV), `kev=false` : les autres ; " +
          "`cve` : identifiant CVE ou son début (CVE-2023-49). Les plus récemment ajoutées au KEV d'abord.",
        querystring: VulnerabilityListQuery,
        response: { 200: VulnerabilityList },
      },
    },
    async (request) => {
      assertPermission(request.actor, "watch:handle");
      return listVulnerabilities(deps.database.db, request.actor, request.query);
    },
  );

  app.get(
    "/watch/vulnerabilities/:cve",
    {
      config: { access: "watch:handle" },
      schema: {
        tags: TAGS,
        summary: "Consulter une vulnérabilité : sources et révisions, KEV, critères CPE, avis CERT-FR",
        params: VulnerabilityParams,
        response: { 200: VulnerabilityDetail },
      },
    },
    async (request) => {
      assertPermission(request.actor, "watch:handle");
      return getVulnerability(deps.database.db, request.actor, request.params.cve);
    },
  );
}

function uploadRoute(app: TypedApp, deps: AppDeps): void {
  app.post(
    "/watch/feeds/:source",
    {
      bodyLimit: FEED_UPLOAD_LIMIT,
      config: { access: "watch:handle", rateLimit: routeRateLimit(deps, 10, "1 minute") },
      schema: {
        tags: TAGS,
        summary: "Charger un fichier de flux (CISA KEV, NVD, CERT-FR)",
        description:
          "Corps : le fichier, en multipart/form-data (champ `file`) ou brut (`application/json`, " +
          "`application/rss+xml`, `text/xml`…), 128 Mo au plus. `kev` : catalogue CISA KEV (JSON) ; " +
          "`nvd` : un enregistrement CVE ou une réponse de l'API CVE 2.0 ; `certfr` : JSON ou RSS du CERT-FR. " +
          "La réponse est le compte rendu du chargement : `succeeded`, `partial` (enregistrements rejetés, " +
          "les autres enregistrés) ou `failed` (fichier illisible : rien n'a changé), avec chaque problème.",
        params: FeedSourceParams,
        consumes: ["multipart/form-data", ...RAW_TYPES],
        response: { 200: FeedRunView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "watch:handle");
      let content: Buffer;
      let name = "envoi";
      if (request.isMultipart()) {
        const part = await request.file();
        if (!part)
          throw new AppError("VALIDATION_FAILED", {
            fields: [{ field: "file", message: "Aucun fichier reçu." }],
          });
        content = await part.toBuffer();
        if (part.file.truncated) {
          throw new AppError("FILE_TOO_LARGE", {
            message: `Fichier trop volumineux (${FEED_UPLOAD_LIMIT / 1024 / 1024} Mo au maximum).`,
          });
        }
        name = part.filename || name;
      } else {
        content = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      }
      if (content.length === 0) {
        throw new AppError("FILE_EMPTY", {
          fields: [{ field: "file", message: "Le fichier envoyé est vide." }],
        });
      }
      return uploadFeedFile(deps.database.db, request.actor, {
        source: request.params.source,
        content,
        origin: `file:${name}`,
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );
}
