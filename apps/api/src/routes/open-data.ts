import { ObservatoryQuerySchema } from "@vigie/contracts";
import { assertPermission, getOpenDataCsv, getOpenDataSchema } from "@vigie/core";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";
import { contentDisposition } from "./attachments.ts";

/** The observatory's open data (decision 0010): the CSV of a year, and the JSON Schema of its lines. */
export function openDataRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    "/observatory/open-data",
    {
      config: { access: "observatory:read", rateLimit: routeRateLimit(deps, 10, "1 minute") },
      schema: {
        tags: ["Observatoire"],
        summary: "Données ouvertes de l'observatoire (CSV)",
        description:
          "Le fichier de publication de l'année (`year`) : format long, une ligne par territoire (France " +
          "entière, chacune des 18 régions, déclarations hors région), indicateur et modalité. Seuls des " +
          "effectifs de déclarations : aucun FINESS, aucun nom, aucun texte libre. Les effectifs de 1 à 4 " +
          "sont couverts par le secret statistique (`secret`), ainsi que ceux qui permettraient de les " +
          "retrouver par différence (`secret_secondaire`). `region` ne garde que les lignes d'une région ; " +
          "une ARS n'obtient que celles de sa région. Colonnes décrites par " +
          "`GET /api/observatory/open-data/schema`. Toujours en téléchargement.",
        querystring: ObservatoryQuerySchema,
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "observatory:read");
      const file = await getOpenDataCsv(deps.database.db, request.actor, request.query, {
        now: deps.clock(),
        ip: request.ip,
      });
      return reply
        .status(200)
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", contentDisposition(file.fileName))
        .header("x-content-type-options", "nosniff")
        .header("cache-control", "private, no-store")
        .send(file.content);
    },
  );

  app.get(
    "/observatory/open-data/schema",
    {
      config: { access: "observatory:read" },
      schema: {
        tags: ["Observatoire"],
        summary: "Schéma JSON (draft 2020-12) des lignes des données ouvertes",
        description:
          "Chaque ligne du CSV, lue comme un objet dont les clés sont les noms des colonnes (champs vides : " +
          "null ; `annee` et `valeur` : entiers), est valide selon ce schéma : types, codes des " +
          "indicateurs, des modalités et des régions, définitions en français.",
      },
    },
    async (request, reply) => {
      const schema = getOpenDataSchema(request.actor);
      return reply
        .status(200)
        .header("content-type", "application/schema+json; charset=utf-8")
        .send(JSON.stringify(schema, null, 2));
    },
  );
}
