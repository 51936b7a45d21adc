import { MatchRunList, MatchRunListQuery, MatchRunReport, MatchRunRequest } from "@vigie/contracts";
import { listMatchRuns, requestMatchingRun } from "@vigie/core";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";

const TAGS = ["Veille"];

/**
 * Matching of the structures' exposed assets against the vulnerabilities, for the CERT
 * (`watch:handle`): a run on demand and the history of runs (the schedule runs one every
 * 15 minutes).
 */
export function watchMatchingRoutes(app: TypedApp, deps: AppDeps): void {
  app.post(
    "/watch/matching/run",
    {
      config: { access: "watch:handle", rateLimit: routeRateLimit(deps, 6, "1 minute") },
      schema: {
        tags: TAGS,
        summary: "Lancer un rapprochement des actifs et des vulnérabilités",
        description:
          "`incremental` (par défaut) : seulement les actifs modifiés et les vulnérabilités changées depuis " +
          "le début du dernier rapprochement terminé (le premier est complet) ; `full` : tous les actifs " +
          "contre toutes les vulnérabilités. Ouvre, rouvre ou relève les tickets ; ceux qui ne sont plus " +
          "détectés dans ce qui a été examiné sont marqués corrigés. Un seul rapprochement à la fois.",
        body: MatchRunRequest,
        response: { 200: MatchRunReport },
      },
    },
    async (request) =>
      requestMatchingRun(deps.database.db, request.actor, {
        mode: request.body.mode,
        ip: request.ip,
        now: deps.clock(),
      }),
  );

  app.get(
    "/watch/matching/runs",
    {
      config: { access: "watch:handle" },
      schema: {
        tags: TAGS,
        summary: "Historique des rapprochements",
        description:
          "Les plus récents d'abord, avec ce que chacun a examiné et les tickets ouverts, relevés, corrigés.",
        querystring: MatchRunListQuery,
        response: { 200: MatchRunList },
      },
    },
    async (request) => ({ items: await listMatchRuns(deps.database.db, request.actor, request.query.limit) }),
  );
}
