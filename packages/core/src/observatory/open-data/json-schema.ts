import { DISCLOSURE_THRESHOLD } from "./disclosure-control.ts";
import { type OpenDataPopulation, openDataIndicators, openDataPopulations } from "./indicators.ts";
import { NATIONAL_NAME, OUTSIDE_REGIONS_NAME, openDataRegionCodes, openDataRegionNames } from "./regions.ts";
import type { OpenDataLevel, OpenDataStatus } from "./table.ts";

/** Identifier of the schema (version 1 of the file's layout). */
export const OPEN_DATA_SCHEMA_ID = "urn:vigie:observatoire:donnees-ouvertes:1";

const levelDescriptions: Record<OpenDataLevel, string> = {
  national: `${NATIONAL_NAME} : toutes les déclarations de l'année.`,
  regional: "Une des 18 régions : les déclarations des structures situées dans la région.",
  hors_region:
    "Les déclarations des structures sans région (collectivités d'outre-mer sans ARS de région, région " +
    "non renseignée) : le national moins la somme des 18 régions.",
};

const statusDescriptions: Record<OpenDataStatus, string> = {
  publie: "Effectif publié : 0, ou au moins 5.",
  secret:
    `Secret statistique : effectif compris entre 1 et ${DISCLOSURE_THRESHOLD - 1}, non publié. Lorsque le ` +
    "total d'un indicateur n'est pas publié (secret ou secret secondaire), ses modalités nulles sont aussi " +
    `secrètes (l'effectif d'une modalité secrète est alors compris entre 0 et ${DISCLOSURE_THRESHOLD - 1}).`,
  secret_secondaire:
    `Secret secondaire : effectif d'au moins ${DISCLOSURE_THRESHOLD}, non publié pour qu'un effectif ` +
    "secret ne puisse pas être retrouvé par différence avec les totaux.",
};

const regionNames = openDataRegionCodes.map(
  (code) => openDataRegionNames[code as keyof typeof openDataRegionNames],
);

type Schema = Record<string, unknown>;

/** `{ if: column = value, then, else }`: a rule that applies to the lines with that value. */
function when(column: string, value: string, then: Schema, otherwise?: Schema): Schema {
  return {
    if: { type: "object", properties: { [column]: { const: value } }, required: [column] },
    // biome-ignore lint/suspicious/noThenProperty: `then` is a JSON Schema keyword.
    then: { type: "object", ...then },
    ...(otherwise ? { else: { type: "object", ...otherwise } } : {}),
  };
}

function documented<T extends string>(
  codes: readonly T[],
  describe: (code: T) => { title: string; description: string },
) {
  return codes.map((code) => ({ const: code, ...describe(code) }));
}

/**
 * The JSON Schema (draft 2020-12) of one line of the open-data CSV. Each line, read as an
 * object keyed by the header's column names, with empty fields as null and the `annee` and
 * `valeur` columns as integers, validates against it. Descriptions are in French; the codes of
 * every indicator, its modalities and their labels are listed.
 */
export function openDataJsonSchema(): Schema {
  const populationCodes = Object.keys(openDataPopulations) as OpenDataPopulation[];
  const indicatorRules = openDataIndicators.map((indicator) =>
    when("indicateur", indicator.code, {
      properties: {
        population: { const: indicator.population },
        libelle_indicateur: { const: indicator.label },
        modalite: { enum: indicator.modalities.map((m) => m.code) },
      },
      anyOf: indicator.modalities.map((m) => ({
        type: "object",
        properties: { modalite: { const: m.code }, libelle_modalite: { const: m.label } },
      })),
    }),
  );

  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: OPEN_DATA_SCHEMA_ID,
    title: "Observatoire des incidents de sécurité des systèmes d'information de santé — données ouvertes",
    description:
      "Une ligne du fichier CSV des données ouvertes de l'observatoire (UTF-8, séparateur virgule, une ligne " +
      "d'en-tête portant les noms des colonnes). Format long : une ligne par année, territoire (France " +
      "entière, chacune des 18 régions, déclarations hors région), indicateur et modalité. Lue comme un " +
      "objet dont les clés sont les noms des colonnes, les champs vides valant null et les colonnes " +
      "`annee` et `valeur` converties en entiers, chaque ligne est valide selon ce schéma. Seuls des " +
      "effectifs de déclarations sont publiés : aucun numéro FINESS, aucun nom de structure, aucun texte " +
      `libre. Secret statistique : les effectifs compris entre 1 et ${DISCLOSURE_THRESHOLD - 1} ne sont pas ` +
      "publiés (statut `secret`), ni les effectifs qui permettraient de les retrouver par différence avec " +
      "les totaux d'un indicateur, les totaux nationaux ou les trimestres (statut `secret_secondaire`). Les " +
      "zéros sont publiés, sauf sous un total non publié.",
    type: "object",
    additionalProperties: false,
    required: [
      "annee",
      "niveau",
      "code_region",
      "nom_region",
      "population",
      "indicateur",
      "libelle_indicateur",
      "modalite",
      "libelle_modalite",
      "valeur",
      "statut",
    ],
    properties: {
      annee: {
        type: "integer",
        minimum: 2000,
        maximum: 2100,
        description: "Année civile des déclarations (date de déclaration, heure de Paris).",
      },
      niveau: {
        type: "string",
        description: "Territoire de la ligne.",
        oneOf: documented(["national", "regional", "hors_region"] as const, (code) => ({
          title: code,
          description: levelDescriptions[code],
        })),
      },
      code_region: {
        type: ["string", "null"],
        enum: [...openDataRegionCodes, null],
        description:
          "Code INSEE de la région (deux chiffres) pour le niveau `regional` ; vide pour les niveaux " +
          "`national` et `hors_region`.",
      },
      nom_region: {
        type: "string",
        enum: [NATIONAL_NAME, ...regionNames, OUTSIDE_REGIONS_NAME],
        description: `Nom de la région, « ${NATIONAL_NAME} » ou « ${OUTSIDE_REGIONS_NAME} ».`,
      },
      population: {
        type: "string",
        description: "Ensemble des déclarations dénombrées par l'indicateur.",
        oneOf: documented(populationCodes, (code) => ({
          title: openDataPopulations[code].label,
          description: openDataPopulations[code].definition,
        })),
      },
      indicateur: {
        type: "string",
        description:
          "Code de l'indicateur. Les modalités d'un indicateur doté d'un total s'additionnent ; celles des " +
          "types et impacts (un incident peut en porter plusieurs) ne s'additionnent pas.",
        oneOf: openDataIndicators.map((indicator) => ({
          const: indicator.code,
          title: indicator.label,
          description:
            indicator.definition +
            (indicator.total
              ? ` Total : indicateur « ${indicator.total.indicator} », modalité « ${indicator.total.modality} ».`
              : ""),
        })),
      },
      libelle_indicateur: { type: "string", description: "Intitulé de l'indicateur, en français." },
      modalite: {
        type: "string",
        description:
          "Code de la modalité (codes de la taxonomie du CERT Santé, mois `01` à `12`, trimestres `T1` à `T4`…).",
      },
      libelle_modalite: { type: "string", description: "Intitulé de la modalité, en français." },
      valeur: {
        type: ["integer", "null"],
        minimum: 0,
        description:
          "Nombre de déclarations ; vide lorsque l'effectif est couvert par le secret statistique.",
      },
      statut: {
        type: "string",
        description: "Diffusion de l'effectif.",
        oneOf: documented(["publie", "secret", "secret_secondaire"] as const, (code) => ({
          title: code,
          description: statusDescriptions[code],
        })),
      },
    },
    allOf: [
      when(
        "statut",
        "publie",
        {
          properties: {
            valeur: { type: "integer", anyOf: [{ const: 0 }, { minimum: DISCLOSURE_THRESHOLD }] },
          },
        },
        { properties: { valeur: { type: "null" } } },
      ),
      when("niveau", "regional", {
        anyOf: openDataRegionCodes.map((code) => ({
          type: "object",
          properties: {
            code_region: { const: code },
            nom_region: { const: openDataRegionNames[code as keyof typeof openDataRegionNames] },
          },
        })),
      }),
      when("niveau", "national", {
        properties: { code_region: { type: "null" }, nom_region: { const: NATIONAL_NAME } },
      }),
      when("niveau", "hors_region", {
        properties: { code_region: { type: "null" }, nom_region: { const: OUTSIDE_REGIONS_NAME } },
      }),
      ...indicatorRules,
    ],
  };
}
