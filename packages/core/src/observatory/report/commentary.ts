import {
  channel,
  dataImpact,
  dataType,
  maliciousType,
  nonMaliciousType,
  type ObservatoryDocument,
  operationalImpact,
  regionCodes,
  stateAtDeclaration,
  structureTypes,
} from "@vigie/contracts";
import { countEvolution, previousInParentheses, shareEvolution } from "./evolution.ts";
import { capitalize, formatDecimal, joinFrench, monthNames, NNBSP, plural, weekdayNames } from "./format.ts";
import {
  channelPhrase,
  maliciousTypeShort,
  nonMaliciousTypeShort,
  type ReportSectionId,
  regionInSentence,
  regionIsPlural,
  structureTypePlural,
} from "./labels.ts";
import {
  type Block,
  derived,
  derivedShare,
  type Figure,
  type FigureFormat,
  fig,
  type Inline,
  inlines,
  list,
  numberAt,
  type Part,
  paragraph,
  withText,
} from "./rich-text.ts";

// The generated commentary of each section: the figures of the year and their evolution
// against the previous year, in French, as the 2023 observatory writes them. Pure functions of
// the two documents.

export interface CommentaryInput {
  current: ObservatoryDocument;
  /** The previous year's document; null when there is no data for it (nothing declared). */
  previous: ObservatoryDocument | null;
  /** Names of the regions by INSEE code (the regional report names its region). */
  regionNames?: Readonly<Record<string, string>>;
}

/** Figures of both years and the evolution wording, bound to one comparison. */
class Comparison {
  readonly year: number;
  readonly previousYear: number;

  constructor(
    readonly current: ObservatoryDocument,
    readonly previous: ObservatoryDocument | null,
  ) {
    this.year = current.year;
    this.previousYear = current.year - 1;
  }

  /** The current figure at a path. */
  c(path: string, format: FigureFormat = "count"): Figure {
    return fig(this.current, path, format);
  }

  /** The previous figure at a path, null without data. */
  p(path: string, format: FigureFormat = "count"): Figure | null {
    return this.previous ? fig(this.previous, path, format) : null;
  }

  /** The current value at a path (0 for null). */
  v(path: string): number {
    return numberAt(this.current, path) ?? 0;
  }

  /** The previous value at a path, null without data. */
  pv(path: string): number | null {
    return this.previous ? (numberAt(this.previous, path) ?? 0) : null;
  }

  /**
   * ", soit 2 % de moins qu'en 2022 (592)" for the count at a path. Without data for the previous
   * year, nothing: the report says it once, in its key figures and first sentence.
   */
  evo(path: string): Inline[] {
    if (!this.previous) return [];
    return countEvolution(this.c(path), this.p(path), this.previousYear);
  }

  /** ", en hausse de 3 points par rapport à 2022 (26 %)" for the share at a path. */
  shareEvo(path: string): Inline[] {
    if (!this.previous) return [];
    return shareEvolution(this.c(path, "share"), this.p(path, "share"), this.previousYear);
  }

  /** The evolution of a derived count (no path). */
  derivedEvo(current: number, previous: number | null): Inline[] {
    if (!this.previous) return [];
    return countEvolution(
      derived(this.year, current),
      previous === null ? null : derived(this.previousYear, previous),
      this.previousYear,
    );
  }

  /** The evolution of a derived share: part / whole of each year (no data when a whole is 0). */
  derivedShareEvo(
    part: number,
    whole: number,
    previousPart: number | null,
    previousWhole: number | null,
  ): Inline[] {
    if (!this.previous) return [];
    const previous =
      previousPart === null || previousWhole === null || previousWhole === 0
        ? null
        : derivedShare(this.previousYear, previousPart, previousWhole);
    return shareEvolution(derivedShare(this.year, part, whole), previous, this.previousYear);
  }

  /** ", contre 5 en 2022" when the previous year had some, else nothing. */
  versusPrevious(path: string): Inline[] {
    const previous = this.p(path);
    return previous && (previous.value ?? 0) > 0
      ? inlines(", contre ", previous, ` en ${this.previousYear}`)
      : [];
  }
}

/** Codes of a count map sorted by count, highest first (ties in the taxonomy's order). */
function ranked<T extends string>(codes: readonly T[], count: (code: T) => number): T[] {
  return [...codes].sort((a, b) => count(b) - count(a) || codes.indexOf(a) - codes.indexOf(b));
}

/** "1 incident a" / "3 incidents ont" — the figure, its noun and the verb agreed. */
function agreed(figure: Figure, singular: string, pluralForm: string): Inline[] {
  return inlines(figure, ` ${plural(figure.value ?? 0, singular, pluralForm)}`);
}

const nothingDeclared = (y: number) =>
  paragraph(`Aucun signalement n'a été déclaré en ${y} : rien à répartir.`);
const nothingInScope = (y: number) =>
  paragraph(
    `Aucun signalement du périmètre du CERT Santé en ${y} : pas d'analyse de qualification ni d'impact.`,
  );

// ——— Key figures ———

function keyFiguresCommentary(k: Comparison): Block[] {
  const blocks: Block[] = [
    paragraph(
      k.previous
        ? `Le tableau ci-dessous rassemble les principaux chiffres des signalements déclarés en ${k.year} et leur évolution par rapport à ${k.previousYear}.`
        : `Le tableau ci-dessous rassemble les principaux chiffres des signalements déclarés en ${k.year}. Aucune donnée n'est disponible pour ${k.previousYear} : les évolutions ne sont pas calculées.`,
    ),
  ];
  const anssi = k.c("authorities.anssi_structures");
  const fssi = k.c("authorities.fssi_structures");
  const toStructures = (f: Figure): Inline[] =>
    f.value === 0
      ? inlines("auprès d'", withText(f, "aucune"), " structure")
      : inlines("auprès de ", f, ` ${plural(f.value ?? 0, "structure", "structures")}`);
  if (anssi.value === 0 && fssi.value === 0) {
    blocks.push(
      paragraph(
        "Aucune intervention directe de l'ANSSI ou du FSSI des ministères sociaux n'a été enregistrée en ",
        String(k.year),
        ".",
      ),
    );
  } else {
    blocks.push(
      paragraph(
        "En coordination avec le CERT Santé, l'ANSSI est intervenue directement ",
        toStructures(anssi),
        " et le FSSI des ministères sociaux ",
        toStructures(fssi),
        ", dans le suivi de la gestion d'un incident ou l'appui à la réponse.",
      ),
    );
  }
  return blocks;
}

// ——— Declarations ———

function declarationsCommentary(k: Comparison, regionNames: Readonly<Record<string, string>>): Block[] {
  const declared = k.c("incidents.declared");
  const where = k.current.region ? ` pour ${regionInSentence(k.current.region, regionNames)}` : "";
  if (declared.value === 0) {
    const previous = k.p("incidents.declared");
    return [
      paragraph(
        withText(declared, "Aucun"),
        ` signalement n'a été déclaré en ${k.year}${where}`,
        previous && (previous.value ?? 0) > 0 ? previousInParentheses(previous, k.previousYear) : [],
        ".",
      ),
    ];
  }
  const n = declared.value ?? 0;
  const blocks: Block[] = [
    paragraph(
      declared,
      ` ${plural(n, "signalement", "signalements")} en ${k.year}${where}`,
      countEvolution(declared, k.p("incidents.declared"), k.previousYear),
      ".",
    ),
  ];

  // Out of scope, exercises, the population analysed afterwards.
  const outOfScope = k.c("incidents.out_of_scope");
  const exercises = k.c("incidents.exercises");
  const inScope = k.c("incidents.in_scope");
  const scope: Part[] = [];
  if (outOfScope.value === 0) {
    scope.push(
      n === 1 ? "Il relève du périmètre du CERT Santé." : "Tous relèvent du périmètre du CERT Santé.",
    );
  } else {
    const oos = outOfScope.value ?? 0;
    scope.push(
      n === 1 ? "Il est" : inlines("Parmi eux, ", outOfScope, oos === 1 ? " est" : " sont"),
      " hors périmètre (système d'information ne supportant pas une activité sanitaire ou médico-sociale, doublon, exercice…)",
    );
    if ((exercises.value ?? 0) > 0) {
      scope.push(
        ", dont ",
        exercises,
        ` ${plural(exercises.value ?? 0, "exercice", "exercices")} de crise cyber intégrant une déclaration au CERT Santé`,
      );
    }
    scope.push(". ");
    const inside = inScope.value ?? 0;
    if (inside === 0) {
      scope.push(withText(inScope, "Aucun"), " signalement ne relève donc du périmètre analysé.");
    } else {
      scope.push(
        "Les analyses de qualification et d'impact portent sur ",
        inside === 1
          ? inlines("le seul signalement du périmètre (", inScope, ")")
          : inlines("les ", inScope, " signalements du périmètre"),
        ".",
      );
    }
  }
  blocks.push(paragraph(...scope));

  // Monthly mean and busiest months.
  const mean = k.c("incidents.monthly_mean", "mean");
  blocks.push(
    paragraph(
      "On compte en moyenne ",
      mean,
      ` ${plural(mean.value ?? 0, "déclaration", "déclarations")} par mois`,
      previousInParentheses(k.p("incidents.monthly_mean", "mean"), k.previousYear),
      ".",
      busiestMonths(k),
    ),
  );

  // Channels.
  const channels = ranked(channel.values, (code) => k.v(`incidents.by_channel.${code}`)).filter(
    (code) => k.v(`incidents.by_channel.${code}`) > 0,
  );
  if (channels.length === 1) {
    const only = channels[0] as (typeof channel.values)[number];
    blocks.push(
      paragraph(
        n === 1 ? "Il est arrivé " : "Tous sont arrivés ",
        channelPhrase[only],
        " (",
        k.c(`incidents.by_channel.${only}`),
        ").",
      ),
    );
  } else if (channels.length > 1) {
    const items = channels.map((code) =>
      inlines(
        channelPhrase[code],
        " (",
        k.c(`incidents.by_channel.${code}`),
        ", ",
        derivedShare(k.year, k.v(`incidents.by_channel.${code}`), n),
        ")",
      ),
    );
    blocks.push(paragraph("Les signalements sont arrivés ", joinInlines(items), "."));
  }
  return blocks;
}

/** " Le mois le plus chargé est mars (62 signalements)." — or the tied months, or nothing. */
function busiestMonths(k: Comparison): Inline[] {
  const months = k.current.incidents.by_month;
  const max = Math.max(...months);
  if (max === 0) return [];
  const top = months.flatMap((count, i) => (count === max ? [i] : []));
  if (top.length > 3) return [];
  const first = top[0] as number;
  const figure = k.c(`incidents.by_month.${first}`);
  const names = joinFrench(top.map((i) => monthNames[i] as string));
  const noun = plural(max, "signalement", "signalements");
  return top.length === 1
    ? inlines(` Le mois le plus chargé est ${names} (`, figure, ` ${noun}).`)
    : inlines(` Les mois les plus chargés sont ${names} (`, figure, ` ${noun} chacun).`);
}

/** Joins inline items as a French list: "a, b et c". */
function joinInlines(items: Inline[][], conjunction = "et"): Inline[] {
  const parts: Part[] = [];
  items.forEach((item, i) => {
    if (i > 0) parts.push(i === items.length - 1 ? ` ${conjunction} ` : ", ");
    parts.push(item);
  });
  return inlines(...parts);
}

// ——— Timing ———

function hour(h: number): string {
  return `${h}${NNBSP}h`;
}

function timingCommentary(k: Comparison): Block[] {
  const declared = k.v("incidents.declared");
  if (declared === 0) return [nothingDeclared(k.year)];
  const inHours = k.c("timing.business_hours");
  const blocks: Block[] = [
    paragraph(
      k.c("timing.business_hours_share", "share"),
      declared === 1 ? " des signalements (le seul de l'année) a" : " des signalements ont",
      " été effectués en heures et jours ouvrés (HO/JO : du lundi au vendredi, de 9",
      `${NNBSP}h à 18${NNBSP}h, hors jours fériés), soit `,
      inHours,
      ` ${plural(inHours.value ?? 0, "signalement", "signalements")}`,
      k.shareEvo("timing.business_hours_share"),
      ".",
    ),
  ];
  const outside = declared - (inHours.value ?? 0);
  const heatmap = k.current.timing.heatmap;
  const weekend = [5, 6].reduce((sum, d) => sum + (heatmap[d] ?? []).reduce((a, b) => a + b, 0), 0);
  if (outside > 0) {
    blocks.push(
      paragraph(
        derived(k.year, outside),
        outside === 1 ? " signalement a été déposé" : " signalements ont été déposés",
        " en heures ou jours non ouvrés (HNO/JNO)",
        weekend > 0 ? inlines(", dont ", derived(k.year, weekend), " le week-end") : [],
        ".",
      ),
    );
  }
  // The busiest slot of the week.
  let max = 0;
  const slots: [number, number][] = [];
  heatmap.forEach((hours, day) => {
    hours.forEach((count, h) => {
      if (count > max) {
        max = count;
        slots.length = 0;
      }
      if (count === max && count > 0) slots.push([day, h]);
    });
  });
  const [day, h] = slots[0] ?? [0, 0];
  if (max > 0) {
    const figure = k.c(`timing.heatmap.${day}.${h}`);
    const slot = `le ${weekdayNames[day]} entre ${hour(h)} et ${hour(h + 1)}`;
    const noun = plural(max, "signalement", "signalements");
    blocks.push(
      slots.length === 1
        ? paragraph(`Le créneau le plus chargé de la semaine est ${slot} (`, figure, ` ${noun}).`)
        : paragraph(
            `${slots.length} créneaux de la semaine comptent chacun le maximum de `,
            figure,
            ` ${noun}, dont ${slot}.`,
          ),
    );
  }
  blocks.push(
    paragraph(
      "La déclaration formelle n'est pas toujours faite par le service qui a détecté l'incident : " +
        "l'heure de déclaration ne dit pas l'heure de détection.",
    ),
  );
  return blocks;
}

// ——— State at declaration, complements ———

const stateWording: Record<(typeof stateAtDeclaration.values)[number], string> = {
  resolved: "Résolus par la structure",
  in_progress: "En cours de résolution par la structure",
  support_needed: "Appui du CERT Santé nécessaire (investigation, aide à la remédiation)",
  unknown: "État inconnu du déclarant",
};

function stateCommentary(k: Comparison): Block[] {
  const declared = k.v("incidents.declared");
  const blocks: Block[] = [];
  if (declared === 0) {
    blocks.push(nothingDeclared(k.year));
  } else {
    const handled = k.v("state_at_declaration.resolved") + k.v("state_at_declaration.in_progress");
    const previousDeclared = k.pv("incidents.declared");
    const previousHandled =
      k.previous === null
        ? null
        : (k.pv("state_at_declaration.resolved") ?? 0) + (k.pv("state_at_declaration.in_progress") ?? 0);
    const share = handled / declared;
    blocks.push(
      paragraph(
        share > 0.5 ? "Plus de la moitié des incidents (" : share === 0.5 ? "La moitié des incidents (" : "",
        derivedShare(k.year, handled, declared),
        share >= 0.5 ? ")" : " des incidents",
        " étaient résolus ou en cours de résolution par la structure lors de leur signalement",
        k.derivedShareEvo(handled, declared, previousHandled, previousDeclared),
        ".",
      ),
      paragraph(
        "Le CERT Santé a été sollicité pour des actions d'investigation et d'aide à la remédiation pour ",
        derivedShare(k.year, k.v("state_at_declaration.support_needed"), declared),
        " des signalements (",
        k.c("state_at_declaration.support_needed"),
        ")",
        k.derivedShareEvo(
          k.v("state_at_declaration.support_needed"),
          declared,
          k.pv("state_at_declaration.support_needed"),
          previousDeclared,
        ),
        ".",
      ),
      list(
        stateAtDeclaration.values.map((code) => [
          `${stateWording[code]} : `,
          k.c(`state_at_declaration.${code}`),
          " (",
          derivedShare(k.year, k.v(`state_at_declaration.${code}`), declared),
          ")",
        ]),
      ),
    );
  }

  const requested = k.c("complements.requested");
  const unanswered = k.c("complements.unanswered_structures");
  if (requested.value === 0) {
    blocks.push(
      paragraph(
        withText(requested, "Aucune"),
        " demande de compléments d'information n'a été adressée aux déclarants",
        k.versusPrevious("complements.requested"),
        ".",
      ),
    );
  } else {
    blocks.push(
      paragraph(
        requested,
        (requested.value ?? 0) === 1
          ? " demande de compléments d'information a été adressée aux déclarants ; "
          : " demandes de compléments d'information ont été adressées aux déclarants ; ",
        unanswered.value === 0
          ? inlines(
              withText(unanswered, "aucune"),
              " structure n'est restée sans répondre",
              k.versusPrevious("complements.unanswered_structures"),
            )
          : inlines(
              unanswered,
              (unanswered.value ?? 0) === 1
                ? " structure n'a jamais transmis les informations demandées"
                : " structures n'ont jamais transmis les informations demandées",
              k.evo("complements.unanswered_structures"),
            ),
        ".",
      ),
    );
  }
  return blocks;
}

// ——— Regions ———

function regionsCommentary(k: Comparison, regionNames: Readonly<Record<string, string>>): Block[] {
  const declared = k.v("incidents.declared");
  const region = k.current.region;
  if (region) {
    const count = k.c(`regions.counts.${region}`);
    return [
      paragraph(
        capitalize(regionInSentence(region, regionNames)),
        " compte ",
        count,
        ` ${plural(count.value ?? 0, "signalement", "signalements")} en ${k.year}`,
        k.evo(`regions.counts.${region}`),
        ".",
      ),
      paragraph(
        "Ce rapport régional ne porte que sur les structures de la région (région de la structure au moment de la déclaration) ; " +
          "la comparaison avec l'activité hospitalière des autres régions figure dans le rapport national.",
      ),
    ];
  }
  if (declared === 0) return [nothingDeclared(k.year)];
  const blocks: Block[] = [];
  const count = (code: string) => k.v(`regions.counts.${code}`);
  const codes = Object.keys(k.current.regions.counts);
  const top = ranked(codes, count)
    .filter((code) => count(code) > 0)
    .slice(0, 3);
  const named = (code: string) =>
    inlines(regionInSentence(code, regionNames), " (", k.c(`regions.counts.${code}`), ")");
  if (top.length === 1 && count(top[0] as string) === declared) {
    blocks.push(paragraph("Tous les signalements proviennent de ", named(top[0] as string), "."));
  } else {
    const sum = top.reduce((s, code) => s + count(code), 0);
    blocks.push(
      paragraph(
        top.length === 1
          ? "La région comptant le plus de signalements est "
          : `Les ${top.length === 2 ? "deux" : "trois"} régions comptant le plus de signalements sont `,
        joinInlines(top.map(named)),
        ". ",
        top.length === 1 ? "Elle représente " : "Ensemble, elles représentent ",
        derivedShare(k.year, sum, declared),
        " des signalements.",
      ),
    );
  }
  const silent = regionCodes.filter((code) => count(code) === 0);
  if (silent.length > 0 && silent.length <= 3) {
    blocks.push(
      paragraph(
        capitalize(joinFrench(silent.map((code) => regionInSentence(code, regionNames)))),
        silent.length === 1 && !regionIsPlural(silent[0] as string) ? " n'a" : " n'ont",
        " transmis aucun signalement.",
      ),
    );
  } else if (silent.length > 3) {
    blocks.push(paragraph(derived(k.year, silent.length), " régions n'ont transmis aucun signalement."));
  }

  const index = k.current.regions.activity_index;
  if (index === null) {
    blocks.push(
      paragraph(
        "Aucune référence d'activité hospitalière des régions n'est chargée : le nombre de signalements rapporté à " +
          "l'activité hospitalière n'est pas calculé.",
      ),
    );
  } else {
    const indexed = ranked(Object.keys(index), (code) => index[code] ?? 0);
    const at = (code: string) =>
      inlines(
        regionInSentence(code, regionNames),
        " (indice ",
        k.c(`regions.activity_index.${code}`, "index"),
        ")",
      );
    const [first, ...others] = indexed;
    if (first) {
      const next = others.slice(0, 2);
      const last = indexed.length > 3 ? indexed[indexed.length - 1] : undefined;
      blocks.push(
        paragraph(
          "Rapporté à l'activité hospitalière des régions métropolitaines, ",
          regionInSentence(first, regionNames),
          regionIsPlural(first) ? " arrivent" : " arrive",
          " en tête (indice ",
          k.c(`regions.activity_index.${first}`, "index"),
          ", la référence)",
          next.length > 0 ? inlines(", devant ", joinInlines(next.map(at))) : [],
          ".",
          last
            ? inlines(
                " À l'inverse, ",
                at(last),
                regionIsPlural(last) ? " déclarent" : " déclare",
                " le moins au regard de son activité.",
              )
            : [],
          " Les régions d'outre-mer ne sont pas prises en compte dans cet indice.",
        ),
      );
    }
  }
  return blocks;
}

// ——— Structures ———

function structuresCommentary(k: Comparison): Block[] {
  const declared = k.v("incidents.declared");
  if (declared === 0) return [nothingDeclared(k.year)];
  const blocks: Block[] = [
    paragraph(
      k.c("structure_types.es_share", "share"),
      declared === 1 ? " des signalements a" : " des signalements ont",
      " été déclarés par des établissements de santé (ES)",
      k.shareEvo("structure_types.es_share"),
      ".",
    ),
  ];
  const types = ranked(structureTypes, (code) => k.v(`structure_types.counts.${code}`)).filter(
    (code) => k.v(`structure_types.counts.${code}`) > 0,
  );
  blocks.push(
    list(
      types.map((code) => [
        `${capitalize(structureTypePlural[code])} : `,
        k.c(`structure_types.counts.${code}`),
        " (",
        derivedShare(k.year, k.v(`structure_types.counts.${code}`), declared),
        ")",
        k.evo(`structure_types.counts.${code}`),
      ]),
    ),
  );

  const distinct = k.c("declarants.distinct");
  const es = k.c("declarants.es");
  const esms = k.c("declarants.esms");
  blocks.push(
    paragraph(
      agreed(distinct, "structure a", "structures ont"),
      ` déclaré au moins un incident en ${k.year}`,
      k.evo("declarants.distinct"),
      ", dont ",
      agreed(es, "établissement de santé", "établissements de santé"),
      " et ",
      agreed(esms, "établissement ou service médico-social", "établissements et services médico-sociaux"),
      ".",
    ),
  );
  const several = k.c("declarants.several");
  const fourOrMore = k.c("declarants.es_four_or_more");
  blocks.push(
    several.value === 0
      ? paragraph(withText(several, "Aucune"), " structure n'a déclaré plus d'un incident.")
      : paragraph(
          agreed(several, "structure a", "structures ont"),
          " déclaré au moins deux incidents",
          k.evo("declarants.several"),
          (fourOrMore.value ?? 0) > 0
            ? inlines(
                " ; ",
                agreed(fourOrMore, "établissement de santé en a", "établissements de santé en ont"),
                " signalé au moins quatre",
              )
            : "",
          ".",
        ),
  );
  const ose = k.c("declarants.ose");
  blocks.push(
    ose.value === 0
      ? paragraph(
          withText(ose, "Aucun"),
          " opérateur de services essentiels (OSE) n'a déclaré d'incident",
          k.versusPrevious("declarants.ose"),
          ".",
        )
      : paragraph(
          agreed(
            ose,
            "opérateur de services essentiels (OSE) a",
            "opérateurs de services essentiels (OSE) ont",
          ),
          " déclaré au moins un incident",
          k.evo("declarants.ose"),
          ".",
        ),
  );
  return blocks;
}

// ——— Impacts on data and operations ———

const dataImpactWording: Record<(typeof dataImpact.values)[number], string> = {
  data_loss_or_unavailability: "Perte de données ou impossibilité d'accéder à des données",
  none: "Aucun impact sur les données",
  personal_info_disclosure: "Divulgation ou accès non autorisé à des informations à caractère personnel",
  structure_data_disclosure: "Divulgation ou accès non autorisé à des données relatives à la structure",
  data_integrity: "Atteinte à l'intégrité des données",
  other: "Autre impact sur les données",
};

const dataTypeInSentence: Record<(typeof dataType.values)[number], string> = {
  personal_health: "les données de santé à caractère personnel",
  personal_other: "les informations à caractère personnel hors données patient",
  technical_sensitive: "les données techniques sensibles",
  confidential_strategic: "les informations confidentielles ou stratégiques",
};

const operationalWording: Record<(typeof operationalImpact.values)[number], string> = {
  none: "Aucun impact sur le fonctionnement",
  degraded_support: "Activités support en mode dégradé",
  degraded_care: "Prise en charge des patients en mode dégradé",
  care_interrupted: "Interruption de la prise en charge",
};

function impactsCommentary(k: Comparison): Block[] {
  const inScope = k.v("incidents.in_scope");
  if (inScope === 0) return [nothingInScope(k.year)];
  const blocks: Block[] = [];
  const impacts = ranked(dataImpact.values, (code) => k.v(`data_impacts.counts.${code}`)).filter(
    (code) => k.v(`data_impacts.counts.${code}`) > 0 || (k.pv(`data_impacts.counts.${code}`) ?? 0) > 0,
  );
  blocks.push(
    paragraph(
      "Impacts sur les données des ",
      k.c("incidents.in_scope"),
      " signalements du périmètre (un signalement peut en porter plusieurs) :",
    ),
  );
  if (impacts.length > 0) {
    blocks.push(
      list(
        impacts.map((code) => [
          `${dataImpactWording[code]} : `,
          k.c(`data_impacts.counts.${code}`),
          " (",
          derivedShare(k.year, k.v(`data_impacts.counts.${code}`), inScope),
          ")",
          k.evo(`data_impacts.counts.${code}`),
        ]),
      ),
    );
  } else {
    blocks.push(paragraph("Aucun impact sur les données n'a été qualifié."));
  }

  const impacted = k.c("data_types.impacted_incidents");
  if (impacted.value === 0) {
    blocks.push(
      paragraph(
        withText(impacted, "Aucun"),
        " incident du périmètre n'a touché une catégorie de données identifiée.",
      ),
    );
  } else {
    const mentions = dataType.values.reduce((s, code) => s + k.v(`data_types.counts.${code}`), 0);
    const types = ranked(dataType.values, (code) => k.v(`data_types.counts.${code}`)).filter(
      (code) => k.v(`data_types.counts.${code}`) > 0,
    );
    const multi = k.current.data_types.multi_category_share;
    blocks.push(
      paragraph(
        agreed(impacted, "incident a", "incidents ont"),
        " touché des données à caractère personnel, techniques ou relatives à la structure (",
        derivedShare(k.year, impacted.value ?? 0, inScope),
        " du périmètre)",
        k.evo("data_types.impacted_incidents"),
        ".",
        multi === null
          ? []
          : inlines(
              " ",
              k.c("data_types.multi_category_share", "share"),
              " d'entre eux touchent plus d'une catégorie de données.",
            ),
        " Parmi les catégories atteintes, ",
        joinInlines(
          types.map((code, i) =>
            inlines(
              dataTypeInSentence[code],
              i === 0 ? " représentent " : " ",
              derivedShare(k.year, k.v(`data_types.counts.${code}`), mentions),
              i === 0 ? " des mentions (" : " (",
              k.c(`data_types.counts.${code}`),
              ")",
            ),
          ),
        ),
        ".",
      ),
    );
  }

  blocks.push(paragraph("Impacts sur le fonctionnement des structures :"));
  blocks.push(
    list(
      operationalImpact.values.map((code) => [
        `${operationalWording[code]} : `,
        k.c(`operational_impact.counts.${code}`),
        " (",
        derivedShare(k.year, k.v(`operational_impact.counts.${code}`), inScope),
        ")",
        k.evo(`operational_impact.counts.${code}`),
      ]),
    ),
  );
  const care = k.c("operational_impact.patient_care_affected");
  const careCount = care.value ?? 0;
  const hours = k.current.operational_impact.degraded_mode_mean_hours;
  blocks.push(
    careCount === 0
      ? paragraph(
          withText(care, "Aucun"),
          " incident n'a affecté la prise en charge des patients",
          k.versusPrevious("operational_impact.patient_care_affected"),
          ".",
        )
      : paragraph(
          agreed(care, "incident a", "incidents ont"),
          " affecté la prise en charge des patients (mode dégradé ou interruption)",
          k.evo("operational_impact.patient_care_affected"),
          ". ",
          careCount === 1
            ? "Il a conduit"
            : inlines(
                derivedShare(k.year, k.v("operational_impact.counts.care_interrupted"), careCount),
                " d'entre eux ont conduit",
              ),
          careCount === 1 && k.v("operational_impact.counts.care_interrupted") === 0
            ? " à un mode dégradé, sans interruption"
            : " à une interruption de la prise en charge",
          ".",
          hours === null
            ? " La durée du mode dégradé n'est pas renseignée."
            : inlines(
                " En moyenne, le mode dégradé a duré ",
                k.c("operational_impact.degraded_mode_mean_hours", "hours"),
                hours >= 48 ? ` (environ ${formatDecimal(hours / 24, 1)} jours)` : "",
                previousInParentheses(
                  k.previous?.operational_impact.degraded_mode_mean_hours == null
                    ? null
                    : k.p("operational_impact.degraded_mode_mean_hours", "hours"),
                  k.previousYear,
                ),
                ".",
              ),
        ),
  );
  return blocks;
}

// ——— Patients ———

function patientsCommentary(k: Comparison): Block[] {
  const inScope = k.v("incidents.in_scope");
  if (inScope === 0) return [nothingInScope(k.year)];
  const potential = k.c("patient_endangerment.potential");
  const actual = k.c("patient_endangerment.actual");
  const p = potential.value ?? 0;
  const a = actual.value ?? 0;
  const total = p + a;
  const previousTotal =
    k.previous === null
      ? null
      : (k.pv("patient_endangerment.potential") ?? 0) + (k.pv("patient_endangerment.actual") ?? 0);
  if (total === 0) {
    return [
      paragraph(
        `Aucune mise en danger de patients n'a été signalée en ${k.year}`,
        previousTotal
          ? inlines(", contre ", derived(k.previousYear, previousTotal), ` en ${k.previousYear}`)
          : [],
        ".",
      ),
    ];
  }
  const blocks: Block[] = [
    paragraph(
      derived(k.year, total),
      total === 1
        ? " mise en danger de patients a été signalée"
        : " mises en danger de patients ont été signalées",
      ` en ${k.year} (`,
      derivedShare(k.year, total, inScope),
      " des incidents du périmètre)",
      k.derivedEvo(total, previousTotal),
      ".",
    ),
  ];
  let detail: Inline[];
  if (a === 0) {
    detail =
      total === 1
        ? inlines("Elle est restée potentielle (", potential, ") : aucune mise en danger avérée.")
        : inlines(
            "Toutes sont restées potentielles (",
            potential,
            ") : ",
            withText(actual, "aucune"),
            " mise en danger avérée.",
          );
  } else if (p === 0) {
    detail =
      total === 1
        ? inlines("Elle a été avérée (", actual, ").")
        : inlines("Toutes ont été avérées (", actual, ").");
  } else {
    detail = inlines(
      a === 1 ? inlines(withText(actual, "Un seul"), " incident a") : inlines(actual, " incidents ont"),
      " entraîné une mise en danger avérée ; ",
      p === 1
        ? inlines("l'autre (", potential, ") est une mise en danger potentielle")
        : inlines("les ", potential, " autres sont des mises en danger potentielles"),
      ".",
    );
  }
  blocks.push(paragraph(detail));
  return blocks;
}

// ——— Malicious ———

function quarters(k: Comparison, path: string): Inline[] {
  const ordinals = ["au premier", "au deuxième", "au troisième", "au quatrième"];
  return inlines(
    "Par trimestre : ",
    joinInlines(ordinals.map((ordinal, i) => inlines(k.c(`${path}.${i}`), ` ${ordinal}`))),
    ".",
  );
}

function maliciousCommentary(k: Comparison): Block[] {
  const inScope = k.v("incidents.in_scope");
  if (inScope === 0) return [nothingInScope(k.year)];
  const malicious = k.c("origin.counts.malicious");
  const m = malicious.value ?? 0;
  const blocks: Block[] = [
    paragraph(
      k.c("origin.malicious_share", "share"),
      " des incidents du périmètre ont une origine malveillante (",
      malicious,
      ")",
      k.shareEvo("origin.malicious_share"),
      ". ",
      agreed(k.c("origin.counts.non_malicious"), "est", "sont"),
      " d'origine non malveillante",
      k.v("origin.counts.undetermined") > 0
        ? inlines(" et ", k.c("origin.counts.undetermined"), " d'origine indéterminée")
        : "",
      ".",
    ),
  ];
  if (m === 0) {
    blocks.push(paragraph(`Aucun incident d'origine malveillante en ${k.year}.`));
    return blocks;
  }
  const types = ranked(maliciousType.values, (code) => k.v(`malicious.types.${code}`)).filter(
    (code) => k.v(`malicious.types.${code}`) > 0 || (k.pv(`malicious.types.${code}`) ?? 0) > 0,
  );
  blocks.push(paragraph("Types d'actes malveillants (un incident peut en relever de plusieurs) :"));
  blocks.push(
    list(
      types.map((code) => [
        `${capitalize(maliciousTypeShort[code])} : `,
        k.c(`malicious.types.${code}`),
        k.evo(`malicious.types.${code}`),
      ]),
    ),
  );
  const ransomware = k.c("malicious.types.ransomware");
  const r = ransomware.value ?? 0;
  blocks.push(
    r === 0
      ? paragraph(
          withText(ransomware, "Aucune"),
          " attaque par rançongiciel n'a été signalée",
          k.versusPrevious("malicious.types.ransomware"),
          ".",
        )
      : paragraph(
          r === 1
            ? inlines(withText(ransomware, "Une"), " attaque par rançongiciel a été signalée")
            : inlines(ransomware, " attaques par rançongiciel ont été signalées"),
          k.evo("malicious.types.ransomware"),
          ".",
        ),
  );
  const multi = k.c("malicious.multi_qualified");
  if ((multi.value ?? 0) > 0) {
    blocks.push(
      paragraph(
        derivedShare(k.year, multi.value ?? 0, m),
        " des incidents malveillants (",
        multi,
        ") relèvent de plusieurs qualifications : une attaque par rançongiciel après la compromission d'un compte VPN " +
          "relève par exemple de « compromission du SI » et de « rançongiciel ».",
      ),
    );
  }
  const major = k.c("malicious.major");
  blocks.push(
    major.value === 0
      ? paragraph(
          withText(major, "Aucun"),
          " incident malveillant majeur (effet important ou extrême sur le système d'information)",
          k.versusPrevious("malicious.major"),
          ".",
        )
      : paragraph(
          agreed(major, "incident malveillant majeur", "incidents malveillants majeurs"),
          " (effet important ou extrême sur le système d'information)",
          k.evo("malicious.major"),
          ".",
        ),
  );
  blocks.push(paragraph(quarters(k, "malicious.by_quarter")));
  return blocks;
}

// ——— Non-malicious ———

function nonMaliciousCommentary(k: Comparison): Block[] {
  const inScope = k.v("incidents.in_scope");
  if (inScope === 0) return [nothingInScope(k.year)];
  const nonMalicious = k.c("origin.counts.non_malicious");
  const n = nonMalicious.value ?? 0;
  const blocks: Block[] = [
    paragraph(
      derivedShare(k.year, n, inScope),
      " des incidents du périmètre ont une origine non malveillante (",
      nonMalicious,
      ")",
      k.derivedShareEvo(n, inScope, k.pv("origin.counts.non_malicious"), k.pv("incidents.in_scope")),
      ".",
    ),
  ];
  if (n === 0) return blocks;
  const types = ranked(nonMaliciousType.values, (code) => k.v(`non_malicious.types.${code}`)).filter(
    (code) => k.v(`non_malicious.types.${code}`) > 0 || (k.pv(`non_malicious.types.${code}`) ?? 0) > 0,
  );
  blocks.push(
    paragraph("Causes des incidents d'origine non malveillante (part des incidents non malveillants) :"),
  );
  blocks.push(
    list(
      types.map((code) => [
        `${capitalize(nonMaliciousTypeShort[code])} : `,
        k.c(`non_malicious.types.${code}`),
        " (",
        derivedShare(k.year, k.v(`non_malicious.types.${code}`), n),
        ")",
        k.evo(`non_malicious.types.${code}`),
      ]),
    ),
  );
  blocks.push(paragraph(quarters(k, "non_malicious.by_quarter")));
  return blocks;
}

// ——— Support ———

function supportCommentary(k: Comparison): Block[] {
  const declared = k.v("incidents.declared");
  const requested = k.c("support.requested");
  const r = requested.value ?? 0;
  const blocks: Block[] = [];
  if (r === 0) {
    blocks.push(
      paragraph(
        withText(requested, "Aucune"),
        ` demande d'accompagnement n'a été formulée en ${k.year}`,
        k.versusPrevious("support.requested"),
        ".",
      ),
    );
  } else {
    blocks.push(
      paragraph(
        requested,
        r === 1 ? " demande d'accompagnement" : " demandes d'accompagnement",
        ` en ${k.year}`,
        k.evo("support.requested"),
        ". ",
        r === 1 ? "Elle représente " : "Elles représentent ",
        k.c("support.requested_share", "share"),
        " des signalements",
        k.shareEvo("support.requested_share"),
        ".",
      ),
    );
    const types = ranked(structureTypes, (code) => k.v(`support.requested_by_structure_type.${code}`)).filter(
      (code) => k.v(`support.requested_by_structure_type.${code}`) > 0,
    );
    const top = types[0];
    if (top) {
      blocks.push(
        paragraph(
          `Ce sont les ${structureTypePlural[top]} qui ont le plus sollicité le CERT Santé (`,
          k.c(`support.requested_by_structure_type.${top}`),
          " ",
          plural(k.v(`support.requested_by_structure_type.${top}`), "demande", "demandes"),
          ", ",
          derivedShare(k.year, k.v(`support.requested_by_structure_type.${top}`), r),
          " des demandes).",
        ),
        list(
          types.map((code) => [
            `${capitalize(structureTypePlural[code])} : `,
            k.c(`support.requested_by_structure_type.${code}`),
          ]),
        ),
      );
    }
  }
  if (declared === 0 && r === 0) return blocks;

  const technical = k.c("support.technical_structures");
  blocks.push(
    technical.value === 0
      ? paragraph(
          `Aucun appui technique à une structure n'a été enregistré en ${k.year}`,
          k.versusPrevious("support.technical_structures"),
          ".",
        )
      : paragraph(
          "Le CERT Santé a apporté un appui technique à ",
          agreed(technical, "structure", "structures"),
          k.evo("support.technical_structures"),
          ".",
        ),
  );
  const origins: { path: string; label: string; count: number }[] = [
    ...maliciousType.values.map((code) => ({
      path: `support.technical_by_origin.malicious.${code}`,
      label: maliciousTypeShort[code],
      count: k.v(`support.technical_by_origin.malicious.${code}`),
    })),
    ...nonMaliciousType.values.map((code) => ({
      path: `support.technical_by_origin.non_malicious.${code}`,
      label: nonMaliciousTypeShort[code],
      count: k.v(`support.technical_by_origin.non_malicious.${code}`),
    })),
  ]
    .filter((o) => o.count > 0)
    .sort((a, b) => b.count - a.count);
  if (origins.length > 0) {
    const malicious = maliciousType.values.reduce(
      (s, c) => s + k.v(`support.technical_by_origin.malicious.${c}`),
      0,
    );
    const nonMalicious = nonMaliciousType.values.reduce(
      (s, c) => s + k.v(`support.technical_by_origin.non_malicious.${c}`),
      0,
    );
    blocks.push(
      paragraph(
        "Les incidents ayant bénéficié d'un appui technique relèvent surtout de : ",
        joinInlines(origins.slice(0, 3).map((o) => inlines(o.label, " (", k.c(o.path), ")"))),
        ". Les qualifications d'origine malveillante y comptent pour ",
        derivedShare(k.year, malicious, malicious + nonMalicious),
        " des mentions.",
      ),
    );
  }
  return blocks;
}

/** The commentary of every section, in French, from the year's document and the previous one. */
export function reportCommentary(input: CommentaryInput): Record<ReportSectionId, Block[]> {
  const k = new Comparison(input.current, input.previous);
  const names = input.regionNames ?? {};
  return {
    key_figures: keyFiguresCommentary(k),
    declarations: declarationsCommentary(k, names),
    timing: timingCommentary(k),
    state: stateCommentary(k),
    regions: regionsCommentary(k, names),
    structures: structuresCommentary(k),
    impacts: impactsCommentary(k),
    patients: patientsCommentary(k),
    malicious: maliciousCommentary(k),
    non_malicious: nonMaliciousCommentary(k),
    support: supportCommentary(k),
  };
}

/** Whether a previous year's document counts as data (something was declared). */
export function hasData(document: ObservatoryDocument | null | undefined): document is ObservatoryDocument {
  return !!document && document.incidents.declared > 0;
}
