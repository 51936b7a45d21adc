import { ObservatoryReportQuerySchema } from "@vigie/contracts";
import { assertPermission, getObservatoryReport } from "@vigie/core";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";
import { contentDisposition } from "./attachments.ts";

/** The observatory's yearly report (decision 0010): one HTML file, or its PDF printed by Chromium. */
export function observatoryReportRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    "/observatory/report",
    {
      config: { access: "observatory:read", rateLimit: routeRateLimit(deps, 10, "1 minute") },
      schema: {
        tags: ["Observatoire"],
        summary: "Rapport annuel de l'observatoire, en HTML ou en PDF",
        description:
          "Le rapport de l'année (`year`), national ou d'une région (`region`, code INSEE), sur le plan du " +
          "chapitre 4 de l'observatoire 2023 : chiffres clés, graphiques avec leurs définitions et leurs " +
          "tableaux, commentaires générés comparant à l'année précédente, sources et définitions. `format` : " +
          "`html` (un seul fichier, sans script ni ressource externe ; chaque chiffre porte `data-indicator`, " +
          "le chemin de l'indicateur dans `GET /api/v1/observatory`) ou `pdf` (imprimé par Chromium, " +
          "`CHROMIUM_PATH` ; 503 s'il manque). Toujours en téléchargement. Une ARS n'obtient que sa région.",
        querystring: ObservatoryReportQuerySchema,
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "observatory:read");
      const report = await getObservatoryReport(deps.database.db, request.actor, request.query, {
        chromiumPath: deps.config.CHROMIUM_PATH,
        now: deps.clock(),
        ip: request.ip,
      });
      return reply
        .status(200)
        .header("content-type", report.contentType)
        .header("content-disposition", contentDisposition(report.fileName))
        .header("x-content-type-options", "nosniff")
        .header("cache-control", "private, no-store")
        .send(report.content);
    },
  );
}
