import {
  certOriginLabels,
  channel,
  dataImpact,
  dataType,
  maliciousType,
  nonMaliciousType,
  type ObservatoryDocument,
  operationalImpact,
  stateAtDeclaration,
  structureTypeLabels,
  structureTypes,
} from "@vigie/contracts";

// What the open data publishes of an observatory document (`vigie.observatory/1`): counts of
// declarations only, each an indicator split into modalities. Left out on purpose:
// - counts of distinct structures (declarants, OSE declaring, ES with four declarations or
//   more, structures given technical support, never answering a complement, helped by ANSSI or
//   the FSSI): their unit is the structure the secret protects, they describe the behaviour of
//   a few identifiable structures, and being an OSE is itself not public;
// - the weekday × hour grid and the hours (168 or 24 cells of small counts per region: almost
//   all withheld); the weekday and business hours are published;
// - shares, means and the activity index (derived from counts, or not counts).

/** Who is counted. Codes of the `population` column. */
export const openDataPopulations = {
  declarations: {
    label: "Déclarations",
    definition:
      "Déclarations reçues dans l'année (date de déclaration, heure de Paris) ; pour une région, celles " +
      "des structures situées dans la région au moment de la déclaration.",
  },
  declarations_dans_le_perimetre: {
    label: "Déclarations dans le périmètre",
    definition:
      "Déclarations de l'année qui ne sont pas hors périmètre (exercice, doublon, système d'information " +
      "hors santé…). Les indicateurs de qualification et d'impact portent sur elles.",
  },
  declarations_avec_appui_demande: {
    label: "Déclarations avec demande d'appui",
    definition: "Déclarations de l'année dans lesquelles la structure a demandé l'appui du CERT.",
  },
  incidents_malveillants: {
    label: "Incidents d'origine malveillante",
    definition: "Déclarations dans le périmètre dont l'origine retenue par le CERT est malveillante.",
  },
  incidents_non_malveillants: {
    label: "Incidents d'origine non malveillante",
    definition: "Déclarations dans le périmètre dont l'origine retenue par le CERT est non malveillante.",
  },
  incidents_avec_appui_technique: {
    label: "Incidents avec appui technique",
    definition: "Déclarations dans le périmètre pour lesquelles le CERT a apporté un appui technique.",
  },
} as const;
export type OpenDataPopulation = keyof typeof openDataPopulations;

export interface OpenDataModality {
  code: string;
  label: string;
}

/** A cell of the same row (region): an indicator and one of its modalities. */
export interface CellRef {
  indicator: string;
  modality: string;
}

export interface OpenDataIndicator {
  /** Code of the `indicateur` column (French, stable). */
  code: string;
  label: string;
  /** What is counted, in French (the JSON Schema repeats it). */
  definition: string;
  population: OpenDataPopulation;
  modalities: readonly OpenDataModality[];
  /** The counts, in the order of `modalities`. */
  values(doc: ObservatoryDocument): number[];
  /**
   * The cell equal to the sum of the modalities (each declaration in exactly one modality);
   * absent when a declaration may carry several modalities (types, impacts) or none.
   */
  total?: CellRef;
}

const DECLARATIONS: CellRef = { indicator: "declarations", modality: "total" };
const IN_SCOPE: CellRef = { indicator: "perimetre", modality: "dans_le_perimetre" };
const MALICIOUS: CellRef = { indicator: "origine", modality: "malicious" };
const NON_MALICIOUS: CellRef = { indicator: "origine", modality: "non_malicious" };
const SUPPORT_REQUESTED: CellRef = { indicator: "appui_demande", modality: "demande" };

const monthNames = [
  "janvier",
  "février",
  "mars",
  "avril",
  "mai",
  "juin",
  "juillet",
  "août",
  "septembre",
  "octobre",
  "novembre",
  "décembre",
];
const months: OpenDataModality[] = monthNames.map((label, i) => ({
  code: String(i + 1).padStart(2, "0"),
  label,
}));
const quarters: OpenDataModality[] = ["1er", "2e", "3e", "4e"].map((n, i) => ({
  code: `T${i + 1}`,
  label: `${n} trimestre`,
}));
const weekdays: OpenDataModality[] = [
  "lundi",
  "mardi",
  "mercredi",
  "jeudi",
  "vendredi",
  "samedi",
  "dimanche",
].map((label) => ({ code: label, label }));

/** Modalities from a taxonomy's codes and French labels. */
function taxonomy<T extends string>(codes: readonly T[], labels: Record<T, string>): OpenDataModality[] {
  return codes.map((code) => ({ code, label: labels[code] }));
}

/** Counts of a map, in the order of the modalities (a code absent from the map counts 0). */
function ordered(modalities: readonly OpenDataModality[], map: Readonly<Record<string, number>>): number[] {
  return modalities.map((m) => map[m.code] ?? 0);
}

const channels = taxonomy(channel.values, channel.labels);
const states = taxonomy(stateAtDeclaration.values, stateAtDeclaration.labels);
const structureTypeModalities = taxonomy(structureTypes, structureTypeLabels);
const origins = taxonomy(["malicious", "non_malicious", "undetermined"] as const, certOriginLabels);
const maliciousTypes = taxonomy(maliciousType.values, maliciousType.labels);
const nonMaliciousTypes = taxonomy(nonMaliciousType.values, nonMaliciousType.labels);
const dataImpacts = taxonomy(dataImpact.values, dataImpact.labels);
const dataTypes = taxonomy(dataType.values, dataType.labels);
const operationalImpacts = [
  ...taxonomy(operationalImpact.values, operationalImpact.labels),
  { code: "non_renseigne", label: "Non renseigné" },
];

/** The published indicators, in the order of the file. */
export const openDataIndicators: readonly OpenDataIndicator[] = [
  {
    code: "declarations",
    label: "Déclarations reçues",
    definition: "Nombre de déclarations reçues dans l'année.",
    population: "declarations",
    modalities: [{ code: "total", label: "Total" }],
    values: (d) => [d.incidents.declared],
  },
  {
    code: "perimetre",
    label: "Déclarations selon le périmètre",
    definition:
      "Déclarations dans le périmètre du CERT, et hors périmètre : exercices de crise cyber, autres " +
      "motifs (doublon, système d'information hors santé…).",
    population: "declarations",
    modalities: [
      { code: "dans_le_perimetre", label: "Dans le périmètre" },
      { code: "hors_perimetre_exercice", label: "Hors périmètre : exercice de crise cyber" },
      { code: "hors_perimetre_autre", label: "Hors périmètre : autre motif" },
    ],
    values: (d) => [
      d.incidents.in_scope,
      d.incidents.exercises,
      d.incidents.out_of_scope - d.incidents.exercises,
    ],
    total: DECLARATIONS,
  },
  {
    code: "mois_de_declaration",
    label: "Déclarations par mois",
    definition: "Déclarations selon le mois de leur réception (heure de Paris).",
    population: "declarations",
    modalities: months,
    values: (d) => [...d.incidents.by_month],
    total: DECLARATIONS,
  },
  {
    code: "trimestre_de_declaration",
    label: "Déclarations par trimestre",
    definition: "Déclarations selon le trimestre de leur réception (heure de Paris).",
    population: "declarations",
    modalities: quarters,
    values: (d) => [...d.incidents.by_quarter],
    total: DECLARATIONS,
  },
  {
    code: "jour_de_declaration",
    label: "Déclarations par jour de la semaine",
    definition: "Déclarations selon le jour de la semaine de leur réception (heure de Paris).",
    population: "declarations",
    modalities: weekdays,
    values: (d) => d.timing.heatmap.map((hours) => hours.reduce((a, b) => a + b, 0)),
    total: DECLARATIONS,
  },
  {
    code: "heures_ouvrees",
    label: "Déclarations en heures ouvrées",
    definition:
      "Déclarations reçues en heures et jours ouvrés (du lundi au vendredi de 9 h à 18 h, heure de Paris, " +
      "hors jours fériés) ou en dehors.",
    population: "declarations",
    modalities: [
      { code: "heures_ouvrees", label: "En heures et jours ouvrés" },
      { code: "hors_heures_ouvrees", label: "En dehors des heures et jours ouvrés" },
    ],
    values: (d) => [d.timing.business_hours, d.incidents.declared - d.timing.business_hours],
    total: DECLARATIONS,
  },
  {
    code: "canal",
    label: "Déclarations par canal",
    definition: "Déclarations selon le canal par lequel elles sont parvenues au CERT.",
    population: "declarations",
    modalities: channels,
    values: (d) => ordered(channels, d.incidents.by_channel),
    total: DECLARATIONS,
  },
  {
    code: "etat_a_la_declaration",
    label: "État de l'incident à la déclaration",
    definition: "Déclarations selon l'état de l'incident indiqué par la structure au moment de déclarer.",
    population: "declarations",
    modalities: states,
    values: (d) => ordered(states, d.state_at_declaration),
    total: DECLARATIONS,
  },
  {
    code: "type_de_structure",
    label: "Déclarations par type de structure",
    definition: "Déclarations selon le type de la structure déclarante au moment de la déclaration.",
    population: "declarations",
    modalities: structureTypeModalities,
    values: (d) => ordered(structureTypeModalities, d.structure_types.counts),
    total: DECLARATIONS,
  },
  {
    code: "appui_demande",
    label: "Demandes d'appui au CERT",
    definition: "Déclarations dans lesquelles la structure a demandé, ou non, l'appui du CERT.",
    population: "declarations",
    modalities: [
      { code: "demande", label: "Appui demandé" },
      { code: "non_demande", label: "Appui non demandé" },
    ],
    values: (d) => [d.support.requested, d.incidents.declared - d.support.requested],
    total: DECLARATIONS,
  },
  {
    code: "appui_demande_par_type_de_structure",
    label: "Demandes d'appui par type de structure",
    definition: "Déclarations avec demande d'appui, selon le type de la structure déclarante.",
    population: "declarations_avec_appui_demande",
    modalities: structureTypeModalities,
    values: (d) => ordered(structureTypeModalities, d.support.requested_by_structure_type),
    total: SUPPORT_REQUESTED,
  },
  {
    code: "demande_de_complement",
    label: "Demandes de complément du CERT",
    definition: "Déclarations pour lesquelles le CERT a demandé, ou non, un complément d'information.",
    population: "declarations",
    modalities: [
      { code: "demande", label: "Complément demandé" },
      { code: "non_demande", label: "Pas de complément demandé" },
    ],
    values: (d) => [d.complements.requested, d.incidents.declared - d.complements.requested],
    total: DECLARATIONS,
  },
  {
    code: "origine",
    label: "Origine des incidents",
    definition:
      "Incidents selon l'origine retenue par le CERT (indéterminée tant qu'elle n'est pas établie).",
    population: "declarations_dans_le_perimetre",
    modalities: origins,
    values: (d) => ordered(origins, d.origin.counts),
    total: IN_SCOPE,
  },
  {
    code: "types_malveillants",
    label: "Types d'incidents malveillants",
    definition:
      "Incidents malveillants portant chaque type (un incident peut en porter plusieurs : les effectifs " +
      "ne s'additionnent pas).",
    population: "incidents_malveillants",
    modalities: maliciousTypes,
    values: (d) => ordered(maliciousTypes, d.malicious.types),
  },
  {
    code: "malveillance_par_trimestre",
    label: "Incidents malveillants par trimestre",
    definition: "Incidents malveillants selon le trimestre de leur déclaration (heure de Paris).",
    population: "incidents_malveillants",
    modalities: quarters,
    values: (d) => [...d.malicious.by_quarter],
    total: MALICIOUS,
  },
  {
    code: "malveillance_majeure",
    label: "Incidents malveillants majeurs",
    definition:
      "Incidents malveillants dont l'effet sur le système d'information est important ou extrême, et les autres.",
    population: "incidents_malveillants",
    modalities: [
      { code: "majeur", label: "Effet important ou extrême" },
      { code: "non_majeur", label: "Autre effet ou effet non renseigné" },
    ],
    values: (d) => [d.malicious.major, d.origin.counts.malicious - d.malicious.major],
    total: MALICIOUS,
  },
  {
    code: "malveillance_types_multiples",
    label: "Incidents malveillants à plusieurs types",
    definition: "Incidents malveillants qualifiés de deux types ou plus, et les autres.",
    population: "incidents_malveillants",
    modalities: [
      { code: "plusieurs_types", label: "Deux types ou plus" },
      { code: "un_type_au_plus", label: "Un type ou aucun" },
    ],
    values: (d) => [d.malicious.multi_qualified, d.origin.counts.malicious - d.malicious.multi_qualified],
    total: MALICIOUS,
  },
  {
    code: "types_non_malveillants",
    label: "Types d'incidents non malveillants",
    definition:
      "Incidents non malveillants portant chaque type (un incident peut en porter plusieurs : les " +
      "effectifs ne s'additionnent pas).",
    population: "incidents_non_malveillants",
    modalities: nonMaliciousTypes,
    values: (d) => ordered(nonMaliciousTypes, d.non_malicious.types),
  },
  {
    code: "non_malveillance_par_trimestre",
    label: "Incidents non malveillants par trimestre",
    definition: "Incidents non malveillants selon le trimestre de leur déclaration (heure de Paris).",
    population: "incidents_non_malveillants",
    modalities: quarters,
    values: (d) => [...d.non_malicious.by_quarter],
    total: NON_MALICIOUS,
  },
  {
    code: "impact_sur_les_donnees",
    label: "Impacts sur les données",
    definition:
      "Incidents portant chaque impact sur les données (un incident peut en porter plusieurs : les " +
      "effectifs ne s'additionnent pas).",
    population: "declarations_dans_le_perimetre",
    modalities: dataImpacts,
    values: (d) => ordered(dataImpacts, d.data_impacts.counts),
  },
  {
    code: "types_de_donnees",
    label: "Types de données touchées",
    definition:
      "Incidents touchant chaque type de données (un incident peut en toucher plusieurs : les effectifs " +
      "ne s'additionnent pas).",
    population: "declarations_dans_le_perimetre",
    modalities: dataTypes,
    values: (d) => ordered(dataTypes, d.data_types.counts),
  },
  {
    code: "donnees_touchees",
    label: "Incidents touchant des données typées",
    definition: "Incidents pour lesquels au moins un type de données touchées est renseigné, et les autres.",
    population: "declarations_dans_le_perimetre",
    modalities: [
      { code: "au_moins_un_type", label: "Au moins un type de données touchées" },
      { code: "aucun_type", label: "Aucun type de données renseigné" },
    ],
    values: (d) => [d.data_types.impacted_incidents, d.incidents.in_scope - d.data_types.impacted_incidents],
    total: IN_SCOPE,
  },
  {
    code: "impact_sur_le_fonctionnement",
    label: "Impact sur le fonctionnement de la structure",
    definition:
      "Incidents selon leur impact sur le fonctionnement de la structure et la prise en charge des patients.",
    population: "declarations_dans_le_perimetre",
    modalities: operationalImpacts,
    values: (d) => {
      const counts = ordered(operationalImpacts.slice(0, -1), d.operational_impact.counts);
      return [...counts, d.incidents.in_scope - counts.reduce((a, b) => a + b, 0)];
    },
    total: IN_SCOPE,
  },
  {
    code: "mise_en_danger_des_patients",
    label: "Mise en danger des patients",
    definition:
      "Incidents ayant mis en danger des patients, potentiellement ou effectivement, et les autres.",
    population: "declarations_dans_le_perimetre",
    modalities: [
      { code: "potentielle", label: "Mise en danger potentielle" },
      { code: "averee", label: "Mise en danger avérée" },
      { code: "aucune_ou_non_renseignee", label: "Aucune mise en danger ou non renseignée" },
    ],
    values: (d) => {
      const { potential, actual } = d.patient_endangerment;
      return [potential, actual, d.incidents.in_scope - potential - actual];
    },
    total: IN_SCOPE,
  },
  {
    code: "appui_technique_malveillant",
    label: "Appui technique du CERT : types d'incidents malveillants",
    definition:
      "Incidents ayant reçu un appui technique du CERT, par type d'incident malveillant (un incident " +
      "peut en porter plusieurs : les effectifs ne s'additionnent pas).",
    population: "incidents_avec_appui_technique",
    modalities: maliciousTypes,
    values: (d) => ordered(maliciousTypes, d.support.technical_by_origin.malicious),
  },
  {
    code: "appui_technique_non_malveillant",
    label: "Appui technique du CERT : types d'incidents non malveillants",
    definition:
      "Incidents ayant reçu un appui technique du CERT, par type d'incident non malveillant (un incident " +
      "peut en porter plusieurs : les effectifs ne s'additionnent pas).",
    population: "incidents_avec_appui_technique",
    modalities: nonMaliciousTypes,
    values: (d) => ordered(nonMaliciousTypes, d.support.technical_by_origin.non_malicious),
  },
];

/**
 * Further equations between cells of one row (beyond each indicator's total), which a reader
 * could use too: each quarter is the sum of its three months.
 */
export const openDataRowRelations: ReadonlyArray<{ total: CellRef; members: readonly CellRef[] }> =
  quarters.map((quarter, q) => ({
    total: { indicator: "trimestre_de_declaration", modality: quarter.code },
    members: months
      .slice(3 * q, 3 * q + 3)
      .map((m) => ({ indicator: "mois_de_declaration", modality: m.code })),
  }));
