import {
  ActivityReferenceInputSchema,
  ActivityReferenceSchema,
  AppError,
  ObservatoryDocumentSchema,
  ObservatoryQuerySchema,
} from "@vigie/contracts";
import {
  assertPermission,
  listActivityReferences,
  loadActivityReference,
  readObservatory,
} from "@vigie/core";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";

const ReferenceYearParams = z.object({
  year: z.coerce
    .number({ error: "L'année de référence doit être un nombre." })
    .int("L'année de référence doit être un nombre entier.")
    .min(2000, "L'année de référence doit être comprise entre 2000 et 2100.")
    .max(2100, "L'année de référence doit être comprise entre 2000 et 2100."),
});

/**
 * The observatory (decision 0010): the indicator document of a year (`vigie.observatory/1`) for
 * sessions and API tokens, and the regional activity reference its index is computed from.
 */
export function observatoryRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    "/v1/observatory",
    {
      config: { access: "observatory:read" },
      schema: {
        tags: ["Observatoire"],
        summary: "Indicateurs de l'observatoire d'une année (vigie.observatory/1)",
        description:
          "Le document `vigie.observatory/1` des déclarations d'une année civile (heure de Paris), " +
          "national ou d'une région (`region`, code INSEE : déclarations des structures de cette région " +
          "au moment de la déclaration). Session ou jeton d'API portant `observatory:read`. Une ARS ne " +
          "consulte que sa région : sans `region`, le document de sa région ; une autre région est refusée (403).",
        security: [{ bearer: [] }, { session: [] }],
        querystring: ObservatoryQuerySchema,
        response: { 200: ObservatoryDocumentSchema },
      },
    },
    async (request) => {
      assertPermission(request.actor, "observatory:read");
      return readObservatory(deps.database.db, request.actor, request.query, {
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );

  app.get(
    "/observatory/activity-references",
    {
      config: { access: "observatory:read" },
      schema: {
        tags: ["Observatoire"],
        summary: "Lister les références d'activité hospitalière régionale chargées",
        description:
          "Chaque référence : son année, sa source, les parts d'activité nationale des régions " +
          "métropolitaines, qui l'a chargée et quand. L'indice d'activité d'une année utilise la " +
          "référence la plus récente dont l'année est antérieure ou égale, à défaut la plus ancienne.",
        response: { 200: z.array(ActivityReferenceSchema) },
      },
    },
    async (request) => {
      assertPermission(request.actor, "observatory:read");
      return listActivityReferences(deps.database.db, request.actor);
    },
  );

  app.put(
    "/observatory/activity-references/:year",
    {
      config: { access: "observatory:manage" },
      schema: {
        tags: ["Observatoire"],
        summary: "Charger la référence d'activité hospitalière régionale d'une année",
        description:
          "Remplace la référence de l'année donnée (`referenceYear` du corps égal à l'année du chemin) : " +
          "source et parts d'activité nationale (fractions, 5,1 % s'écrit 0.051) des régions " +
          "métropolitaines, dont la somme ne dépasse pas 100 %.",
        params: ReferenceYearParams,
        body: ActivityReferenceInputSchema,
        response: { 200: ActivityReferenceSchema },
      },
    },
    async (request) => {
      assertPermission(request.actor, "observatory:manage");
      if (request.body.referenceYear !== request.params.year) {
        const message = `L'année de référence du corps (${request.body.referenceYear}) diffère de celle de l'adresse (${request.params.year}).`;
        throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "referenceYear", message }] });
      }
      return loadActivityReference(deps.database.db, request.actor, request.body, {
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );
}
