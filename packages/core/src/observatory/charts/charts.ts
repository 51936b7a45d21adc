import {
  certOriginLabels,
  dataImpact,
  dataType,
  esStructureTypes,
  maliciousType,
  metropolitanRegionCodes,
  nonMaliciousType,
  type ObservatoryChart,
  type ObservatoryDocument,
  operationalImpact,
  origin,
  regionCodes,
  type StructureType,
  stateAtDeclaration,
  structureTypeLabels,
  structureTypes,
} from "@vigie/contracts";
import {
  type BarRow,
  groupedColumns,
  heatmap,
  horizontalBars,
  type KeyFigure,
  keyFigureTiles,
  type Series,
  type Tile,
  tileMap,
} from "./primitives.ts";
import {
  type Block,
  formatCount,
  formatDecimal,
  formatPercent,
  formatPrecisePercent,
  frame,
  type LegendItem,
  type Swatch,
  shareOf,
} from "./svg.ts";

// The figures of chapter 4 of the yearly report (`shared/seed/observatoire-cert-sante-2023.txt`,
// figures 1 to 21), drawn from the observatory document (`shared/spec/observatory.md`), each with
// its definition, population and data table. Figures 2 and 17 (the year's notable events and the
// threat timeline) are editorial, not data: they are not drawn.

type Doc = ObservatoryDocument;
type Section = ObservatoryChart["section"];
type Table = ObservatoryChart["table"];
type Cell = Table["rows"][number][number];

/** What the charts need beyond the documents. */
export interface ObservatoryChartLabels {
  /** INSEE region code → name (the `regions` table). */
  regionNames: Readonly<Record<string, string>>;
  /**
   * Structures of the directory per type, in the document's region (or all regions): the
   * denominators of « part des établissements » (figure 9). Without it, that chart shows the
   * declarations' side only.
   */
  directoryCounts?: Readonly<Partial<Record<StructureType, number>>> | null;
}

interface Context {
  doc: Doc;
  /** The previous year's document (same region), when given. */
  prev: Doc | null;
  /** The year before that (data impacts over three years). */
  prev2: Doc | null;
  labels: ObservatoryChartLabels;
  /** « toutes régions » or « structures de la région Occitanie ». */
  where: string;
}

const MONTHS = [
  "Janvier",
  "Février",
  "Mars",
  "Avril",
  "Mai",
  "Juin",
  "Juillet",
  "Août",
  "Septembre",
  "Octobre",
  "Novembre",
  "Décembre",
];
const SHORT_MONTHS = [
  "janv.",
  "févr.",
  "mars",
  "avr.",
  "mai",
  "juin",
  "juil.",
  "août",
  "sept.",
  "oct.",
  "nov.",
  "déc.",
];
const WEEKDAYS = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"];
/** The state at declaration in the CERT's words (the form asks it in the declarant's). */
const STATE_LABELS: Record<(typeof stateAtDeclaration.values)[number], string> = {
  resolved: "Résolu",
  in_progress: "En cours de résolution par la structure",
  support_needed: "Appui du CERT Santé sollicité (investigation, remédiation)",
  unknown: "État inconnu du déclarant",
};
const QUARTERS = ["1er trimestre", "2e trimestre", "3e trimestre", "4e trimestre"];

/**
 * Where each region's tile sits (column, row): the metropolitan regions roughly as on a map, the
 * overseas regions on the last row.
 */
const TILE_POSITIONS: Record<string, [number, number]> = {
  "28": [1, 0],
  "32": [2, 0],
  "44": [3, 0],
  "53": [0, 1],
  "52": [1, 1],
  "11": [2, 1],
  "27": [3, 1],
  "75": [1, 2],
  "24": [2, 2],
  "84": [3, 2],
  "76": [2, 3],
  "93": [3, 3],
  "94": [4, 3],
  "01": [0, 4],
  "02": [1, 4],
  "03": [2, 4],
  "04": [3, 4],
  "06": [4, 4],
};
const OVERSEAS_ROW = 4;

const sum = (values: Iterable<number>): number => {
  let total = 0;
  for (const v of values) total += v;
  return total;
};
const plural = (n: number, one: string, many: string): string => `${formatCount(n)} ${n > 1 ? many : one}`;

/** The documents compared (oldest first, the current year last) and their series. */
function yearsOf(ctx: Context, depth: 1 | 2): { docs: Doc[]; series: Series[] } {
  const docs = [depth === 2 ? ctx.prev2 : null, ctx.prev, ctx.doc].filter((d): d is Doc => d !== null);
  const swatches: Swatch[] = ["solid", "light", "hatched"];
  const series = docs.map((d, i) => ({
    label: String(d.year),
    swatch: swatches[docs.length - 1 - i] ?? "hatched",
  }));
  return { docs, series };
}

const legendOf = (series: readonly Series[]): LegendItem[] | undefined =>
  series.length > 1 ? series.map((s) => ({ label: s.label, swatch: s.swatch })) : undefined;

/** « ; comparaison avec 2022 selon les mêmes définitions » when other years are shown. */
function comparison(docs: readonly Doc[], current: Doc): string {
  const others = docs.filter((d) => d !== current).map((d) => String(d.year));
  if (others.length === 0) return "";
  return ` ; comparaison avec ${others.join(" et ")} selon les mêmes définitions`;
}

function declaredPopulation(ctx: Context, docs: readonly Doc[] = [ctx.doc]): string {
  return `Déclarations reçues du 1er janvier au 31 décembre ${ctx.doc.year} (date de déclaration, heure de Paris), ${ctx.where}${comparison(docs, ctx.doc)}.`;
}

function inScopePopulation(ctx: Context, docs: readonly Doc[] = [ctx.doc]): string {
  return `Incidents dans le périmètre : déclarations reçues en ${ctx.doc.year} (heure de Paris), hors incidents « hors périmètre », ${ctx.where}${comparison(docs, ctx.doc)}.`;
}

/** A table cell as read aloud: counts in French, a dash for nothing. */
function cellText(cell: Cell): string {
  if (cell === null) return "—";
  return typeof cell === "number" ? formatCount(cell) : cell;
}

/** Every value of a small table in words, for the <desc>; a pointer to the table for big ones. */
function describeTable(table: Table): string {
  const cells = table.rows.length * table.columns.length;
  if (cells > 120)
    return "Les valeurs détaillées figurent dans le tableau de données qui accompagne la figure.";
  return table.rows
    .map((row) => {
      const [head, ...rest] = row;
      const values = rest.map((cell, i) => `${table.columns[i + 1] ?? ""} : ${cellText(cell)}`).join(", ");
      return `${cellText(head ?? null)} — ${values}`;
    })
    .join(" ; ")
    .concat(".");
}

interface ChartSpec {
  id: string;
  section: Section;
  title: string;
  definition: string;
  population: string;
  /** What kind of figure (first words of the <desc>). */
  kind: string;
  subtitle?: string[];
  legend?: LegendItem[];
  body: (prefix: string) => Block;
  table: Table;
}

function chart(spec: ChartSpec): ObservatoryChart {
  const prefix = `obs-${spec.id}`;
  const description = [spec.kind, ...(spec.subtitle ?? []), describeTable(spec.table)].join(" ");
  const svg = frame({
    prefix,
    title: spec.title,
    description,
    subtitle: spec.subtitle,
    legend: spec.legend,
    body: spec.body(prefix),
    source: `Source : Vigie, CERT Santé. ${spec.population}`,
  });
  return {
    id: spec.id,
    section: spec.section,
    title: spec.title,
    definition: spec.definition,
    population: spec.population,
    svg,
    table: spec.table,
  };
}

interface Category {
  label: string;
  get: (doc: Doc) => number;
}

/**
 * Bars and table of categories compared over the years: one column per year and, with a base,
 * the current year's share of it (written after the bars too).
 */
function comparative(
  categories: readonly Category[],
  docs: readonly Doc[],
  current: Doc,
  options: {
    header: string;
    base?: (doc: Doc) => number;
    shareHeader?: string;
    total?: boolean;
  },
): { rows: BarRow[]; table: Table } {
  const { base } = options;
  const rows: BarRow[] = categories.map((c) => ({
    kind: "bar",
    label: c.label,
    values: docs.map((d) => c.get(d)),
    valueLabels: docs.map((d) => {
      const value = c.get(d);
      const total = base?.(d) ?? 0;
      return base && total > 0
        ? `${formatCount(value)} (${formatPercent(value / total)})`
        : formatCount(value);
    }),
  }));
  const columns = [options.header, ...docs.map((d) => String(d.year))];
  if (base) columns.push(options.shareHeader ?? `Part en ${current.year}`);
  const tableRows: Cell[][] = categories.map((c) => {
    const row: Cell[] = [c.label, ...docs.map((d) => c.get(d))];
    if (base) row.push(shareOf(c.get(current), base(current)));
    return row;
  });
  if (options.total) {
    const row: Cell[] = ["Total", ...docs.map((d) => sum(categories.map((c) => c.get(d))))];
    if (base) row.push(null);
    tableRows.push(row);
  }
  return { rows, table: { caption: "", columns, rows: tableRows } };
}

const withCaption = (table: Table, caption: string): Table => ({ ...table, caption });

// --- Key figures (figure 1) -----------------------------------------------------------------------

interface KeyFigureSpec {
  label: string;
  value: (doc: Doc) => number;
  kind: "count" | "share" | "decimal";
}

const KEY_FIGURES: readonly KeyFigureSpec[] = [
  { label: "Déclarations reçues", value: (d) => d.incidents.declared, kind: "count" },
  { label: "Incidents hors périmètre", value: (d) => d.incidents.out_of_scope, kind: "count" },
  { label: "Dont exercices de crise cyber", value: (d) => d.incidents.exercises, kind: "count" },
  { label: "Incidents dans le périmètre", value: (d) => d.incidents.in_scope, kind: "count" },
  { label: "Déclarations par mois en moyenne", value: (d) => d.incidents.monthly_mean, kind: "decimal" },
  { label: "Structures déclarantes", value: (d) => d.declarants.distinct, kind: "count" },
  { label: "Dont établissements de santé", value: (d) => d.declarants.es, kind: "count" },
  { label: "Dont établissements médico-sociaux", value: (d) => d.declarants.esms, kind: "count" },
  {
    label: "Structures ayant déclaré au moins 2 incidents",
    value: (d) => d.declarants.several,
    kind: "count",
  },
  {
    label: "Établissements de santé ayant déclaré au moins 4 incidents",
    value: (d) => d.declarants.es_four_or_more,
    kind: "count",
  },
  { label: "Opérateurs de services essentiels déclarants", value: (d) => d.declarants.ose, kind: "count" },
  {
    label: "Déclarations en heures et jours ouvrés",
    value: (d) => d.timing.business_hours_share,
    kind: "share",
  },
  { label: "Demandes d'accompagnement", value: (d) => d.support.requested, kind: "count" },
  {
    label: "Structures ayant reçu un appui technique",
    value: (d) => d.support.technical_structures,
    kind: "count",
  },
  {
    label: "Incidents avec prise en charge des patients touchée",
    value: (d) => d.operational_impact.patient_care_affected,
    kind: "count",
  },
  { label: "Incidents d'origine malveillante", value: (d) => d.origin.malicious_share, kind: "share" },
  { label: "Incidents malveillants majeurs", value: (d) => d.malicious.major, kind: "count" },
  {
    label: "Structures sans réponse à une demande de compléments",
    value: (d) => d.complements.unanswered_structures,
    kind: "count",
  },
  {
    label: "Structures accompagnées par l'ANSSI",
    value: (d) => d.authorities.anssi_structures,
    kind: "count",
  },
  {
    label: "Structures accompagnées par le FSSI",
    value: (d) => d.authorities.fssi_structures,
    kind: "count",
  },
];

function keyFigureText(spec: KeyFigureSpec, doc: Doc): string {
  const value = spec.value(doc);
  if (spec.kind === "share") return formatPrecisePercent(value);
  if (spec.kind === "decimal") return formatDecimal(value);
  return formatCount(value);
}

/** A key figure in the table: counts as numbers, shares and means as French text. */
function keyFigureCell(spec: KeyFigureSpec, doc: Doc): Cell {
  return spec.kind === "count" ? spec.value(doc) : keyFigureText(spec, doc);
}

function keyFiguresChart(ctx: Context): ObservatoryChart {
  const { doc, prev } = ctx;
  const docs = prev ? [prev, doc] : [doc];
  const figures: KeyFigure[] = KEY_FIGURES.map((spec) => ({
    label: spec.label,
    value: keyFigureText(spec, doc),
    previous: prev ? `${prev.year} : ${keyFigureText(spec, prev)}` : undefined,
  }));
  const title = prev
    ? `Chiffres clés des signalements déclarés en ${prev.year} et ${doc.year}`
    : `Chiffres clés des signalements déclarés en ${doc.year}`;
  return chart({
    id: "key-figures",
    section: "key_figures",
    title,
    kind: "Chiffres clés.",
    definition:
      "Déclarations : déclarations reçues dans l'année ; hors périmètre : incidents ne concernant pas un système d'information de santé ou médico-social (dont exercices de crise cyber), exclus de la qualification ; structures : établissements distincts (FINESS géographique) ayant déclaré au moins un incident ; heures et jours ouvrés : du lundi au vendredi hors jours fériés, de 9 h à 18 h (heure de Paris) ; prise en charge des patients touchée : prise en charge dégradée ou interrompue ; incident malveillant majeur : effet important ou extrême sur le système d'information.",
    population: `${declaredPopulation(ctx, docs)} Origine, prise en charge des patients et incidents majeurs : incidents dans le périmètre.`,
    body: () => keyFigureTiles(figures),
    table: {
      caption: title,
      columns: ["Indicateur", ...docs.map((d) => String(d.year))],
      rows: KEY_FIGURES.map((spec) => [spec.label, ...docs.map((d) => keyFigureCell(spec, d))]),
    },
  });
}

// --- Declarations (figure 3) ------------------------------------------------------------------------

function byMonthChart(ctx: Context): ObservatoryChart {
  const { doc, prev } = ctx;
  const { docs, series } = yearsOf(ctx, 1);
  const title = `Nombre de signalements par mois en ${doc.year}`;
  const mean = doc.incidents.monthly_mean;
  const subtitle = [
    `${plural(doc.incidents.declared, "déclaration", "déclarations")} en ${doc.year}, soit ${formatDecimal(mean)} par mois en moyenne` +
      (prev
        ? ` (${prev.year} : ${formatCount(prev.incidents.declared)}, ${formatDecimal(prev.incidents.monthly_mean)} par mois).`
        : "."),
  ];
  const rows: Cell[][] = MONTHS.map((month, m) => [month, ...docs.map((d) => d.incidents.by_month[m] ?? 0)]);
  rows.push(["Total", ...docs.map((d) => d.incidents.declared)]);
  return chart({
    id: "declarations-by-month",
    section: "declarations",
    title,
    kind: "Histogramme des déclarations par mois.",
    subtitle,
    legend: [
      ...(legendOf(series) ?? []),
      { label: `Moyenne mensuelle ${doc.year} : ${formatDecimal(mean)}`, swatch: "dashed-line" },
    ],
    definition:
      "Nombre de déclarations selon le mois de leur réception (heure de Paris), janvier en premier ; la ligne pointillée est la moyenne mensuelle de l'année (déclarations de l'année ÷ 12).",
    population: declaredPopulation(ctx, docs),
    body: (prefix) =>
      groupedColumns({
        prefix,
        series,
        groups: SHORT_MONTHS.map((label, m) => ({
          label,
          values: docs.map((d) => d.incidents.by_month[m] ?? 0),
        })),
        mean,
      }),
    table: {
      caption: `Déclarations par mois${prev ? `, ${prev.year} et ${doc.year}` : ` en ${doc.year}`}`,
      columns: ["Mois", ...docs.map((d) => String(d.year))],
      rows,
    },
  });
}

// --- Timing (figure 4) ----------------------------------------------------------------------------

function heatmapChart(ctx: Context): ObservatoryChart {
  const { doc, prev } = ctx;
  const hours = Array.from({ length: 24 }, (_, h) => h);
  const title = `Répartition des signalements selon l'horaire et le jour de leur dépôt en ${doc.year}`;
  const share = (d: Doc): string =>
    d.incidents.declared > 0 ? formatPercent(d.timing.business_hours_share) : "—";
  const subtitle = [
    `Déclarées en heures et jours ouvrés (HO/JO) : ${formatCount(doc.timing.business_hours)}, soit ${share(doc)}` +
      (prev ? ` (${prev.year} : ${share(prev)}).` : "."),
  ];
  const rows: Cell[][] = WEEKDAYS.map((day, w) => {
    const values = hours.map((h) => doc.timing.heatmap[w]?.[h] ?? 0);
    return [day, ...values, sum(values)];
  });
  return chart({
    id: "declarations-by-weekday-hour",
    section: "timing",
    title,
    kind: "Carte de chaleur des déclarations par jour de la semaine (lignes) et heure (colonnes), le nombre écrit dans chaque case.",
    subtitle,
    definition:
      "Nombre de déclarations selon le jour de la semaine et l'heure de leur dépôt (heure de Paris, de 0 h à 23 h) ; plus la case est foncée, plus les déclarations sont nombreuses. Heures et jours ouvrés : du lundi au vendredi, hors jours fériés, de 9 h à 18 h.",
    population: declaredPopulation(ctx, prev ? [prev, doc] : [doc]),
    body: () =>
      heatmap({
        rows: WEEKDAYS.map((label, w) => ({
          label,
          values: hours.map((h) => doc.timing.heatmap[w]?.[h] ?? 0),
        })),
        columnLabels: hours.map((h) => `${h} h`),
      }),
    table: {
      caption: `Déclarations par jour et heure de dépôt en ${doc.year}`,
      columns: ["Jour", ...hours.map((h) => `${h} h`), "Total"],
      rows,
    },
  });
}

// --- State at declaration (figure 5) ------------------------------------------------------------------

function stateChart(ctx: Context): ObservatoryChart {
  const { doc } = ctx;
  const { docs, series } = yearsOf(ctx, 1);
  const title = `État des incidents lors de leur signalement en ${doc.year}`;
  const { rows, table } = comparative(
    stateAtDeclaration.values.map((code) => ({
      label: STATE_LABELS[code],
      get: (d: Doc) => d.state_at_declaration[code] ?? 0,
    })),
    docs,
    doc,
    { header: "État lors de la déclaration", base: (d) => d.incidents.declared, total: true },
  );
  return chart({
    id: "state-at-declaration",
    section: "state",
    title,
    kind: "Diagramme en barres horizontales de l'état des incidents lors de leur déclaration.",
    legend: legendOf(series),
    definition:
      "État de l'incident indiqué par la structure au moment de sa déclaration : résolu, en cours de résolution par ses équipes, appui du CERT Santé nécessaire (investigation, remédiation) ou ne sait pas. Part : sur l'ensemble des déclarations de l'année.",
    population: declaredPopulation(ctx, docs),
    body: (prefix) => horizontalBars({ prefix, series, rows }),
    table: withCaption(
      table,
      `État des incidents lors de leur déclaration, ${docs.map((d) => d.year).join(" et ")}`,
    ),
  });
}

// --- Regions (figures 6 and 7) -----------------------------------------------------------------------

function regionName(ctx: Context, code: string): string {
  return ctx.labels.regionNames[code] ?? `Région ${code}`;
}

const byName =
  (ctx: Context) =>
  (a: string, b: string): number =>
    regionName(ctx, a).localeCompare(regionName(ctx, b), "fr");

function regionCountsChart(ctx: Context): ObservatoryChart {
  const { doc, prev } = ctx;
  const counts = doc.regions.counts;
  const codes = [...new Set([...regionCodes, ...Object.keys(counts)])];
  const known = codes.filter((c) => TILE_POSITIONS[c]);
  const top = [...codes]
    .filter((c) => (counts[c] ?? 0) > 0)
    .sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0) || byName(ctx)(a, b))
    .slice(0, 3);
  const title = `Répartition des signalements par région en ${doc.year}`;
  const subtitle =
    top.length > 0
      ? [
          `Régions les plus déclarantes : ${top.map((c) => `${regionName(ctx, c)} (${formatCount(counts[c] ?? 0)})`).join(", ")}.`,
        ]
      : [];
  const docs = prev ? [prev, doc] : [doc];
  return chart({
    id: "regions-counts",
    section: "regions",
    title,
    kind: "Carte en tuiles des régions (une tuile par région, placée selon sa position approximative ; l'outre-mer sur une ligne à part), chaque tuile portant le nombre de déclarations et d'autant plus foncée qu'il est élevé.",
    subtitle,
    definition:
      "Nombre de déclarations selon la région de la structure déclarante, telle qu'enregistrée au moment de la déclaration (18 régions, outre-mer compris).",
    population: declaredPopulation(ctx, docs),
    body: () =>
      tileMap({
        tiles: known.map((code): Tile => {
          const [col, row] = TILE_POSITIONS[code] ?? [0, 0];
          const value = counts[code] ?? 0;
          return { label: regionName(ctx, code), col, row, value, valueLabel: formatCount(value) };
        }),
        overseasFromRow: OVERSEAS_ROW,
        format: formatCount,
        integer: true,
      }),
    table: {
      caption: `Déclarations par région${prev ? `, ${prev.year} et ${doc.year}` : ` en ${doc.year}`}`,
      columns: ["Région", ...docs.map((d) => String(d.year)), `Part en ${doc.year}`],
      rows: [...codes]
        .sort(byName(ctx))
        .map((code) => [
          regionName(ctx, code),
          ...docs.map((d) => d.regions.counts[code] ?? 0),
          shareOf(counts[code] ?? 0, doc.incidents.declared),
        ]),
    },
  });
}

function activityIndexChart(ctx: Context): ObservatoryChart {
  const { doc } = ctx;
  const index = doc.regions.activity_index;
  const codes = [...metropolitanRegionCodes].sort(byName(ctx));
  const title = `Nombre de signalements rapporté à l'activité hospitalière des régions en ${doc.year}`;
  const leader = index
    ? codes.reduce<string | null>(
        (best, c) => (best === null || (index[c] ?? 0) > (index[best] ?? 0) ? c : best),
        null,
      )
    : null;
  const subtitle = index
    ? leader
      ? [`Indice 100 : ${regionName(ctx, leader)}, la région qui déclare le plus au regard de son activité.`]
      : []
    : [
        "Indice non calculé : aucune référence d'activité hospitalière des régions n'a été chargée dans la plateforme.",
      ];
  return chart({
    id: "regions-activity-index",
    section: "regions",
    title,
    kind: "Carte en tuiles des 13 régions métropolitaines, chaque tuile portant l'indice de déclaration rapporté à l'activité hospitalière et d'autant plus foncée qu'il est élevé.",
    subtitle,
    definition:
      "Pour chaque région métropolitaine : nombre de déclarations ÷ part de la région dans l'activité hospitalière nationale (référence d'activité chargée par le CERT Santé, la plus récente dont l'année ne dépasse pas celle de l'observatoire), ramené à 100 pour la région au ratio le plus élevé. Les régions d'outre-mer ne sont pas prises en compte, leur activité hospitalière étant faible au regard de la métropole.",
    population: declaredPopulation(ctx),
    body: () =>
      tileMap({
        tiles: metropolitanRegionCodes.map((code): Tile => {
          const [col, row] = TILE_POSITIONS[code] ?? [0, 0];
          // A region the activity reference gives no share for has no index (its key is absent).
          const value = index?.[code] ?? null;
          return {
            label: regionName(ctx, code),
            col,
            row,
            value,
            valueLabel: value === null ? "non calculé" : formatDecimal(value),
          };
        }),
        format: formatDecimal,
        integer: false,
      }),
    table: {
      caption: `Déclarations rapportées à l'activité hospitalière des régions métropolitaines en ${doc.year}`,
      columns: ["Région", `Déclarations ${doc.year}`, "Indice (100 = ratio le plus élevé)"],
      rows: codes.map((code) => [
        regionName(ctx, code),
        doc.regions.counts[code] ?? 0,
        index?.[code] !== undefined ? formatDecimal(index[code] ?? 0) : null,
      ]),
    },
  });
}

// --- Structures (figures 8 and 9) ---------------------------------------------------------------------

function structureTypesChart(ctx: Context): ObservatoryChart {
  const { doc } = ctx;
  const { docs, series } = yearsOf(ctx, 1);
  const title = `Répartition des signalements selon le type de structure en ${doc.year}`;
  const { rows, table } = comparative(
    structureTypes.map((code) => ({
      label: structureTypeLabels[code],
      get: (d: Doc) => d.structure_types.counts[code] ?? 0,
    })),
    docs,
    doc,
    { header: "Type de structure", base: (d) => d.incidents.declared, total: true },
  );
  return chart({
    id: "structure-types",
    section: "structures",
    title,
    kind: "Diagramme en barres horizontales des déclarations par type de structure.",
    subtitle: [
      `Établissements de santé : ${formatPercent(doc.structure_types.es_share)} des déclarations en ${doc.year}.`,
    ],
    legend: legendOf(series),
    definition:
      "Nombre de déclarations selon le type de la structure déclarante, tel qu'enregistré au moment de la déclaration. Les établissements de santé (ES) regroupent les ES publics, privés d'intérêt collectif, privés à but lucratif et les hôpitaux des armées. Part : sur l'ensemble des déclarations de l'année.",
    population: declaredPopulation(ctx, docs),
    body: (prefix) => horizontalBars({ prefix, series, rows }),
    table: withCaption(table, `Déclarations par type de structure, ${docs.map((d) => d.year).join(" et ")}`),
  });
}

function esVersusDirectoryChart(ctx: Context): ObservatoryChart {
  const { doc, labels } = ctx;
  const declared = (t: StructureType): number => doc.structure_types.counts[t] ?? 0;
  const declaredTotal = sum(esStructureTypes.map(declared));
  const directory = labels.directoryCounts ?? null;
  const listed = (t: StructureType): number => directory?.[t] ?? 0;
  const listedTotal = sum(esStructureTypes.map(listed));
  const share = (value: number, total: number): number => (total > 0 ? value / total : 0);
  const series: Series[] = [
    { label: "Part des déclarations des établissements de santé", short: "Déclarations", swatch: "solid" },
  ];
  if (directory) {
    series.push({
      label: "Part des établissements de santé de l'annuaire",
      short: "Annuaire",
      swatch: "hatched",
    });
  }
  const rows: BarRow[] = esStructureTypes.map((t) => {
    const values = [share(declared(t), declaredTotal)];
    if (directory) values.push(share(listed(t), listedTotal));
    return { kind: "bar", label: structureTypeLabels[t], values, valueLabels: values.map(formatPercent) };
  });
  const title = `Part des signalements comparée à la part des établissements de santé selon leur type en ${doc.year}`;
  return chart({
    id: "es-types-vs-directory",
    section: "structures",
    title,
    kind: "Diagramme en barres horizontales comparant, pour chaque type d'établissement de santé, sa part des déclarations et sa part des établissements de l'annuaire.",
    subtitle: directory
      ? []
      : ["L'annuaire des structures n'a pas été fourni : seule la part des déclarations est représentée."],
    legend: legendOf(series),
    definition:
      "Pour chaque type d'établissement de santé (ES) : sa part des déclarations faites par des ES, et sa part des ES inscrits à l'annuaire des structures de la plateforme (à la date du calcul). Un type dont la part des déclarations dépasse la part dans l'annuaire déclare proportionnellement davantage.",
    population: `${declaredPopulation(ctx)} Annuaire : établissements de santé inscrits${doc.region ? " dans la région" : ""}, à la date du calcul.`,
    body: (prefix) => horizontalBars({ prefix, series, rows }),
    table: {
      caption: `Part des déclarations et part de l'annuaire par type d'établissement de santé en ${doc.year}`,
      columns: [
        "Type d'établissement de santé",
        `Déclarations ${doc.year}`,
        "Part des déclarations des ES",
        "Établissements de l'annuaire",
        "Part des ES de l'annuaire",
      ],
      rows: esStructureTypes.map((t) => [
        structureTypeLabels[t],
        declared(t),
        shareOf(declared(t), declaredTotal),
        directory ? listed(t) : null,
        directory ? shareOf(listed(t), listedTotal) : null,
      ]),
    },
  });
}

// --- Impacts (figures 10, 11, impact on care) ------------------------------------------------------------

function dataImpactsChart(ctx: Context): ObservatoryChart {
  const { doc } = ctx;
  const { docs, series } = yearsOf(ctx, 2);
  const categories = dataImpact.values.map((code) => ({
    label: dataImpact.labels[code],
    get: (d: Doc) => d.data_impacts.counts[code] ?? 0,
  }));
  const { table } = comparative(categories, docs, doc, {
    header: "Impact sur les données",
    base: (d) => d.incidents.in_scope,
  });
  const years = docs.map((d) => d.year);
  const title = `Répartition selon les types d'impact sur les données, ${years.join(", ")}`;
  return chart({
    id: "data-impacts",
    section: "impacts",
    title,
    kind: "Histogramme groupé des incidents par type d'impact sur les données, une colonne par année.",
    legend: legendOf(series),
    definition:
      "Nombre d'incidents portant chaque type d'impact sur les données (un incident peut en porter plusieurs ; « aucun impact » exclut les autres). Part : sur les incidents dans le périmètre de l'année.",
    population: inScopePopulation(ctx, docs),
    body: (prefix) =>
      groupedColumns({
        prefix,
        series,
        groups: categories.map((c) => ({ label: c.label, values: docs.map(c.get) })),
      }),
    table: withCaption(table, `Incidents par type d'impact sur les données, ${years.join(", ")}`),
  });
}

function dataTypesChart(ctx: Context): ObservatoryChart {
  const { doc } = ctx;
  const counts = doc.data_types.counts;
  const mentions = sum(dataType.values.map((code) => counts[code] ?? 0));
  const impacted = doc.data_types.impacted_incidents;
  const multi = doc.data_types.multi_category_share;
  const title = `Répartition selon les types de données impactées en ${doc.year}`;
  const rows: BarRow[] = dataType.values.map((code) => {
    const value = counts[code] ?? 0;
    return {
      kind: "bar",
      label: dataType.labels[code],
      values: [value],
      valueLabels: [
        mentions > 0 ? `${formatCount(value)} (${formatPercent(value / mentions)})` : formatCount(value),
      ],
    };
  });
  const subtitle = [
    `${plural(impacted, "incident a touché", "incidents ont touché")} des données${
      multi !== null ? ` ; ${formatPercent(multi)} d'entre eux plus d'une catégorie.` : "."
    }`,
  ];
  return chart({
    id: "data-types",
    section: "impacts",
    title,
    kind: "Diagramme en barres horizontales des incidents par type de données touchées.",
    subtitle,
    definition:
      "Nombre d'incidents ayant touché chaque catégorie de données (un incident peut en toucher plusieurs). Part des mentions : sur l'ensemble des catégories citées ; part des incidents : sur les incidents ayant touché au moins une catégorie de données.",
    population: inScopePopulation(ctx),
    body: (prefix) =>
      horizontalBars({ prefix, series: [{ label: String(doc.year), swatch: "solid" }], rows }),
    table: {
      caption: `Incidents par type de données touchées en ${doc.year}`,
      columns: [
        "Type de données",
        `Incidents ${doc.year}`,
        "Part des mentions",
        "Part des incidents touchant des données",
      ],
      rows: dataType.values.map((code) => [
        dataType.labels[code],
        counts[code] ?? 0,
        shareOf(counts[code] ?? 0, mentions),
        shareOf(counts[code] ?? 0, impacted),
      ]),
    },
  });
}

function operationalImpactChart(ctx: Context): ObservatoryChart {
  const { doc, prev } = ctx;
  const { docs, series } = yearsOf(ctx, 1);
  const { rows, table } = comparative(
    operationalImpact.values.map((code) => ({
      label: operationalImpact.labels[code],
      get: (d: Doc) => d.operational_impact.counts[code] ?? 0,
    })),
    docs,
    doc,
    { header: "Impact sur le fonctionnement", base: (d) => d.incidents.in_scope },
  );
  const care = (d: Doc): string =>
    `${formatCount(d.operational_impact.patient_care_affected)}${
      d.incidents.in_scope > 0
        ? ` (${formatPercent(d.operational_impact.patient_care_affected / d.incidents.in_scope)})`
        : ""
    }`;
  const hours = doc.operational_impact.degraded_mode_mean_hours;
  const subtitle = [
    `Prise en charge des patients touchée (dégradée ou interrompue) : ${care(doc)}${prev ? ` ; ${prev.year} : ${care(prev)}` : ""}.`,
  ];
  if (hours !== null)
    subtitle.push(`Durée moyenne du mode dégradé, quand elle est connue : ${formatDecimal(hours)} h.`);
  const title = `Impact des incidents sur le fonctionnement des structures en ${doc.year}`;
  return chart({
    id: "operational-impact",
    section: "impacts",
    title,
    kind: "Diagramme en barres horizontales des incidents selon leur impact sur le fonctionnement de la structure.",
    subtitle,
    legend: legendOf(series),
    definition:
      "Effet le plus grave de l'incident sur le fonctionnement de la structure : aucun, activités support en mode dégradé, prise en charge des patients en mode dégradé, interruption de la prise en charge. Les incidents dont l'impact n'est pas renseigné ne sont pas comptés. Part : sur les incidents dans le périmètre.",
    population: inScopePopulation(ctx, docs),
    body: (prefix) => horizontalBars({ prefix, series, rows }),
    table: withCaption(
      table,
      `Incidents par impact sur le fonctionnement, ${docs.map((d) => d.year).join(" et ")}`,
    ),
  });
}

// --- Patients (figure 12) ------------------------------------------------------------------------------

function patientEndangermentChart(ctx: Context): ObservatoryChart {
  const { doc } = ctx;
  const { docs, series } = yearsOf(ctx, 1);
  const { rows, table } = comparative(
    [
      { label: "Mise en danger potentielle", get: (d: Doc) => d.patient_endangerment.potential },
      { label: "Mise en danger avérée", get: (d: Doc) => d.patient_endangerment.actual },
    ],
    docs,
    doc,
    { header: "Mise en danger des patients", base: (d) => d.incidents.in_scope, total: true },
  );
  const total = doc.patient_endangerment.potential + doc.patient_endangerment.actual;
  const title = `Mise en danger des patients en ${doc.year}`;
  return chart({
    id: "patient-endangerment",
    section: "patients",
    title,
    kind: "Diagramme en barres horizontales des incidents ayant mis en danger des patients, potentiellement ou de façon avérée.",
    subtitle: [
      `${plural(total, "incident a mis", "incidents ont mis")} des patients en danger${
        doc.incidents.in_scope > 0
          ? `, soit ${formatPercent(total / doc.incidents.in_scope)} des incidents`
          : ""
      }, dont ${plural(doc.patient_endangerment.actual, "cas avéré", "cas avérés")}.`,
    ],
    legend: legendOf(series),
    definition:
      "Nombre d'incidents ayant entraîné une mise en danger des patients, potentielle ou avérée, selon la qualification du CERT Santé. Part : sur les incidents dans le périmètre.",
    population: inScopePopulation(ctx, docs),
    body: (prefix) => horizontalBars({ prefix, series, rows }),
    table: withCaption(table, `Mise en danger des patients, ${docs.map((d) => d.year).join(" et ")}`),
  });
}

// --- Origin, malicious and non-malicious (figures 13 to 16, 19 to 21) ------------------------------------

function originChart(ctx: Context): ObservatoryChart {
  const { doc } = ctx;
  const { docs, series } = yearsOf(ctx, 1);
  const { rows, table } = comparative(
    origin.values.map((code) => ({
      label: certOriginLabels[code],
      get: (d: Doc) => d.origin.counts[code] ?? 0,
    })),
    docs,
    doc,
    { header: "Origine", base: (d) => d.incidents.in_scope, total: true },
  );
  const title = `Répartition des incidents d'origine malveillante ou non malveillante en ${doc.year}`;
  return chart({
    id: "origin",
    section: "malicious",
    title,
    kind: "Diagramme en barres horizontales des incidents par origine.",
    subtitle: [
      `Origine malveillante : ${formatPercent(doc.origin.malicious_share)} des incidents${
        ctx.prev ? ` (${ctx.prev.year} : ${formatPercent(ctx.prev.origin.malicious_share)})` : ""
      }.`,
    ],
    legend: legendOf(series),
    definition:
      "Origine de l'incident retenue par le CERT Santé : malveillante, non malveillante, ou indéterminée (y compris quand elle n'est pas renseignée). Part : sur les incidents dans le périmètre.",
    population: inScopePopulation(ctx, docs),
    body: (prefix) => horizontalBars({ prefix, series, rows }),
    table: withCaption(table, `Incidents par origine, ${docs.map((d) => d.year).join(" et ")}`),
  });
}

interface TypeFamily<T extends string> {
  id: "malicious" | "non-malicious";
  section: Section;
  values: readonly T[];
  labels: Record<T, string>;
  counts: (d: Doc) => Partial<Record<T, number>>;
  byQuarter: (d: Doc) => readonly number[];
  base: (d: Doc) => number;
  /** « malveillante » / « non malveillante ». */
  adjective: string;
  figureTitle: string;
}

function familyCharts<T extends string>(ctx: Context, family: TypeFamily<T>): ObservatoryChart[] {
  const { doc, prev } = ctx;
  const count = (d: Doc, code: T): number => family.counts(d)[code] ?? 0;
  // The types in decreasing order of the year's count (the taxonomy's order between equals).
  const order = [...family.values].sort((a, b) => count(doc, b) - count(doc, a));
  const base = family.base(doc);
  const typeRows: BarRow[] = order.map((code) => {
    const value = count(doc, code);
    return {
      kind: "bar",
      label: family.labels[code],
      values: [value],
      valueLabels: [base > 0 ? `${formatCount(value)} (${formatPercent(value / base)})` : formatCount(value)],
    };
  });
  const subtitle = [
    `${plural(base, `incident d'origine ${family.adjective}`, `incidents d'origine ${family.adjective}`)} en ${doc.year}.`,
  ];
  if (family.id === "malicious") {
    subtitle.push(
      `${formatCount(doc.malicious.multi_qualified)} relèvent de plusieurs types${
        base > 0 ? ` (${formatPercent(doc.malicious.multi_qualified / base)})` : ""
      } ; ${plural(doc.malicious.major, "incident majeur", "incidents majeurs")} (effet important ou extrême sur le SI).`,
    );
  }
  const typeDefinition = `Nombre d'incidents d'origine ${family.adjective} portant chaque type (un incident peut en porter plusieurs). Part : sur les incidents d'origine ${family.adjective} de l'année.`;
  const charts: ObservatoryChart[] = [
    chart({
      id: `${family.id}-types`,
      section: family.section,
      title: `${family.figureTitle} en ${doc.year}`,
      kind: `Diagramme en barres horizontales des incidents d'origine ${family.adjective} par type.`,
      subtitle,
      definition: typeDefinition,
      population: inScopePopulation(ctx),
      body: (prefix) =>
        horizontalBars({ prefix, series: [{ label: String(doc.year), swatch: "solid" }], rows: typeRows }),
      table: {
        caption: `Incidents d'origine ${family.adjective} par type en ${doc.year}`,
        columns: ["Type", `Incidents ${doc.year}`, `Part des incidents d'origine ${family.adjective}`],
        rows: order.map((code) => [family.labels[code], count(doc, code), shareOf(count(doc, code), base)]),
      },
    }),
  ];

  const { docs, series } = yearsOf(ctx, 1);
  if (prev) {
    charts.push(
      chart({
        id: `${family.id}-types-evolution`,
        section: family.section,
        title: `Évolution du nombre d'incidents dont l'origine est ${family.adjective}, ${prev.year} et ${doc.year}`,
        kind: `Diagramme en barres horizontales comparant, pour chaque type d'origine ${family.adjective}, le nombre d'incidents de ${prev.year} et de ${doc.year}.`,
        subtitle: [
          `${formatCount(family.base(doc))} incidents en ${doc.year}, ${formatCount(family.base(prev))} en ${prev.year}.`,
        ],
        legend: legendOf(series),
        definition: `Nombre d'incidents d'origine ${family.adjective} portant chaque type (un incident peut en porter plusieurs), pour chacune des deux années. Écart : nombre de l'année moins celui de l'année précédente.`,
        population: inScopePopulation(ctx, docs),
        body: (prefix) =>
          horizontalBars({
            prefix,
            series,
            rows: order.map((code) => ({
              kind: "bar",
              label: family.labels[code],
              values: docs.map((d) => count(d, code)),
              valueLabels: docs.map((d) => formatCount(count(d, code))),
            })),
          }),
        table: {
          caption: `Incidents d'origine ${family.adjective} par type, ${prev.year} et ${doc.year}`,
          columns: ["Type", String(prev.year), String(doc.year), "Écart"],
          rows: order.map((code) => [
            family.labels[code],
            count(prev, code),
            count(doc, code),
            count(doc, code) - count(prev, code),
          ]),
        },
      }),
    );
  }

  const quarterRows: Cell[][] = QUARTERS.map((label, q) => [
    label,
    ...docs.map((d) => family.byQuarter(d)[q] ?? 0),
  ]);
  quarterRows.push(["Total", ...docs.map((d) => sum(family.byQuarter(d)))]);
  charts.push(
    chart({
      id: `${family.id}-by-quarter`,
      section: family.section,
      title: `Incidents d'origine ${family.adjective} par trimestre en ${doc.year}`,
      kind: `Histogramme des incidents d'origine ${family.adjective} par trimestre de déclaration.`,
      legend: legendOf(series),
      definition: `Nombre d'incidents d'origine ${family.adjective} selon le trimestre de leur déclaration (heure de Paris).`,
      population: inScopePopulation(ctx, docs),
      body: (prefix) =>
        groupedColumns({
          prefix,
          series,
          groups: QUARTERS.map((label, q) => ({
            label,
            values: docs.map((d) => family.byQuarter(d)[q] ?? 0),
          })),
          plotHeight: 180,
        }),
      table: {
        caption: `Incidents d'origine ${family.adjective} par trimestre${prev ? `, ${prev.year} et ${doc.year}` : ` en ${doc.year}`}`,
        columns: ["Trimestre", ...docs.map((d) => String(d.year))],
        rows: quarterRows,
      },
    }),
  );
  return charts;
}

// --- Support (figure 18 and the requests) -----------------------------------------------------------------

function technicalSupportChart(ctx: Context): ObservatoryChart {
  const { doc } = ctx;
  const { malicious, non_malicious: nonMalicious } = doc.support.technical_by_origin;
  const rows: BarRow[] = [
    { kind: "heading", label: "Origine malveillante" },
    ...maliciousType.values.map(
      (code): BarRow => ({
        kind: "bar",
        label: maliciousType.labels[code],
        values: [malicious[code] ?? 0],
        valueLabels: [formatCount(malicious[code] ?? 0)],
      }),
    ),
    { kind: "heading", label: "Origine non malveillante" },
    ...nonMaliciousType.values.map(
      (code): BarRow => ({
        kind: "bar",
        label: nonMaliciousType.labels[code],
        values: [nonMalicious[code] ?? 0],
        valueLabels: [formatCount(nonMalicious[code] ?? 0)],
      }),
    ),
  ];
  const title = `Origine des incidents pour lesquels un appui technique a été apporté par le CERT Santé en ${doc.year}`;
  return chart({
    id: "technical-support-origin",
    section: "support",
    title,
    kind: "Diagramme en barres horizontales, par origine puis par type, des incidents ayant reçu un appui technique.",
    subtitle: [
      `${plural(doc.support.technical_structures, "structure a bénéficié", "structures ont bénéficié")} d'un appui technique du CERT Santé.`,
    ],
    definition:
      "Nombre d'incidents ayant reçu un appui technique du CERT Santé, selon leur origine et leur type (un incident peut porter plusieurs types). Structures : établissements distincts ayant reçu au moins un appui technique dans l'année.",
    population: inScopePopulation(ctx),
    body: (prefix) =>
      horizontalBars({ prefix, series: [{ label: String(doc.year), swatch: "solid" }], rows }),
    table: {
      caption: `Incidents ayant reçu un appui technique, par origine et type, en ${doc.year}`,
      columns: ["Origine", "Type", `Incidents ${doc.year}`],
      rows: [
        ...maliciousType.values.map((code): Cell[] => [
          certOriginLabels.malicious,
          maliciousType.labels[code],
          malicious[code] ?? 0,
        ]),
        ...nonMaliciousType.values.map((code): Cell[] => [
          certOriginLabels.non_malicious,
          nonMaliciousType.labels[code],
          nonMalicious[code] ?? 0,
        ]),
      ],
    },
  });
}

function supportRequestsChart(ctx: Context): ObservatoryChart {
  const { doc, prev } = ctx;
  const { docs, series } = yearsOf(ctx, 1);
  const { rows, table } = comparative(
    structureTypes.map((code) => ({
      label: structureTypeLabels[code],
      get: (d: Doc) => d.support.requested_by_structure_type[code] ?? 0,
    })),
    docs,
    doc,
    {
      header: "Type de structure",
      base: (d) => d.support.requested,
      shareHeader: `Part des demandes en ${doc.year}`,
      total: true,
    },
  );
  const requested = (d: Doc): string =>
    `${formatCount(d.support.requested)}${d.incidents.declared > 0 ? `, soit ${formatPercent(d.support.requested_share)} des déclarations` : ""}`;
  const title = `Demandes d'accompagnement par type de structure en ${doc.year}`;
  return chart({
    id: "support-requests",
    section: "support",
    title,
    kind: "Diagramme en barres horizontales des demandes d'accompagnement par type de structure.",
    subtitle: [
      `Demandes d'accompagnement : ${requested(doc)}${prev ? ` (${prev.year} : ${requested(prev)})` : ""}.`,
    ],
    legend: legendOf(series),
    definition:
      "Nombre de déclarations comportant une demande d'accompagnement du CERT Santé, selon le type de la structure déclarante. Part : sur l'ensemble des demandes d'accompagnement de l'année.",
    population: declaredPopulation(ctx, docs),
    body: (prefix) => horizontalBars({ prefix, series, rows }),
    table: withCaption(
      table,
      `Demandes d'accompagnement par type de structure, ${docs.map((d) => d.year).join(" et ")}`,
    ),
  });
}

/**
 * Every chart of the observatory for a document, in the report's order. `history` holds the
 * documents of earlier years (same region; any order): the previous year is compared where the
 * report compares, the data impacts over three years. Region maps are drawn for the national
 * document only (a region's document has one region).
 */
export function observatoryCharts(
  doc: ObservatoryDocument,
  history: readonly ObservatoryDocument[],
  labels: ObservatoryChartLabels,
): ObservatoryChart[] {
  const sameScope = (d: Doc, year: number) => d.year === year && d.region === doc.region;
  const regionName = doc.region ? (labels.regionNames[doc.region] ?? `Région ${doc.region}`) : null;
  const ctx: Context = {
    doc,
    prev: history.find((d) => sameScope(d, doc.year - 1)) ?? null,
    prev2: history.find((d) => sameScope(d, doc.year - 2)) ?? null,
    labels,
    where: regionName ? `structures de la région ${regionName}` : "toutes régions",
  };
  const charts: ObservatoryChart[] = [
    keyFiguresChart(ctx),
    byMonthChart(ctx),
    heatmapChart(ctx),
    stateChart(ctx),
  ];
  if (doc.region === null) charts.push(regionCountsChart(ctx), activityIndexChart(ctx));
  charts.push(
    structureTypesChart(ctx),
    esVersusDirectoryChart(ctx),
    dataImpactsChart(ctx),
    dataTypesChart(ctx),
    operationalImpactChart(ctx),
    patientEndangermentChart(ctx),
    originChart(ctx),
    ...familyCharts(ctx, {
      id: "malicious",
      section: "malicious",
      values: maliciousType.values,
      labels: maliciousType.labels,
      counts: (d) => d.malicious.types,
      byQuarter: (d) => d.malicious.by_quarter,
      base: (d) => d.origin.counts.malicious ?? 0,
      adjective: "malveillante",
      figureTitle: "Nombre d'incidents par type d'origine malveillante",
    }),
    ...familyCharts(ctx, {
      id: "non-malicious",
      section: "non_malicious",
      values: nonMaliciousType.values,
      labels: nonMaliciousType.labels,
      counts: (d) => d.non_malicious.types,
      byQuarter: (d) => d.non_malicious.by_quarter,
      base: (d) => d.origin.counts.non_malicious ?? 0,
      adjective: "non malveillante",
      figureTitle: "Origine non malveillante des incidents",
    }),
    supportRequestsChart(ctx),
    technicalSupportChart(ctx),
  );
  return charts;
}
