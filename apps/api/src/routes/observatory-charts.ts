import { ObservatoryChartsResponseSchema, ObservatoryQuerySchema } from "@vigie/contracts";
import { assertPermission, getObservatoryCharts } from "@vigie/core";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";

/** The observatory's charts (decision 0010): SVG drawn on the server, definitions and tables. */
export function observatoryChartRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    "/observatory/charts",
    {
      config: { access: "observatory:read", rateLimit: routeRateLimit(deps, 30, "1 minute") },
      schema: {
        tags: ["Observatoire"],
        summary: "Graphiques de l'observatoire d'une année, national ou régional",
        description:
          "Les figures du rapport annuel (chapitre 4) calculées pour l'année (`year`) et, au choix, une " +
          "région (`region`, code INSEE) : pour chacune le SVG, sa définition, sa population et le " +
          "tableau de ses données. L'année précédente est comparée là où le rapport compare. Une ARS " +
          "n'obtient que sa région (sans `region`, sa région ; une autre région est refusée).",
        querystring: ObservatoryQuerySchema,
        response: { 200: ObservatoryChartsResponseSchema },
      },
    },
    async (request) => {
      assertPermission(request.actor, "observatory:read");
      return getObservatoryCharts(deps.database.db, request.actor, request.query, {
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );
}
