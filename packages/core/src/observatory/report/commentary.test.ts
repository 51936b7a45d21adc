import { type ObservatoryDocument, ObservatoryDocumentSchema } from "@vigie/contracts";
import { describe, expect, it } from "vitest";
import { emptyObservatoryDocument, setHeatmap } from "../document-fixture.ts";
import { reportCommentary } from "./commentary.ts";
import type { ReportSectionId } from "./labels.ts";
import { type Block, blockText, type Figure, valueAt } from "./rich-text.ts";
import { sample2022, sample2023 } from "./sample-documents.ts";

const N = "\u202f";

/** Every document used here is a valid `vigie.observatory/1` document. */
function valid(doc: ObservatoryDocument): ObservatoryDocument {
  return ObservatoryDocumentSchema.parse(doc);
}

function texts(current: ObservatoryDocument, previous: ObservatoryDocument | null, regionNames = {}) {
  const commentary = reportCommentary({
    current: valid(current),
    previous: previous && valid(previous),
    regionNames,
  });
  const bySection = Object.fromEntries(
    Object.entries(commentary).map(([id, blocks]) => [id, blocks.map(blockText).join("\n")]),
  ) as Record<ReportSectionId, string>;
  return { commentary, bySection, all: Object.values(bySection).join("\n") };
}

function figures(blocks: Block[]): Figure[] {
  return blocks.flatMap((b) =>
    (b.kind === "paragraph" ? [b.content] : b.items).flatMap((inl) =>
      inl.filter((i): i is Figure => typeof i !== "string"),
    ),
  );
}

/** A document with one declaration: a malicious in-scope incident, care interrupted. */
function single(year: number): ObservatoryDocument {
  const d = emptyObservatoryDocument(year);
  d.incidents.declared = 1;
  d.incidents.in_scope = 1;
  d.incidents.by_month[4] = 1;
  d.incidents.monthly_mean = 1 / 12;
  d.incidents.by_quarter[1] = 1;
  d.incidents.by_channel.phone_oncall = 1;
  d.declarants = { distinct: 1, es: 1, esms: 0, several: 0, es_four_or_more: 0, ose: 1 };
  setHeatmap(d, 6, 3, 1);
  d.state_at_declaration.support_needed = 1;
  d.support.requested = 1;
  d.support.requested_share = 1;
  d.support.requested_by_structure_type.es_public = 1;
  d.regions.counts["84"] = 1;
  d.structure_types.counts.es_public = 1;
  d.structure_types.es_share = 1;
  d.operational_impact.counts.care_interrupted = 1;
  d.operational_impact.patient_care_affected = 1;
  d.patient_endangerment.potential = 1;
  d.origin.counts.malicious = 1;
  d.origin.malicious_share = 1;
  d.malicious.types.ransomware = 1;
  d.malicious.by_quarter[1] = 1;
  d.malicious.major = 1;
  d.complements.requested = 1;
  d.complements.unanswered_structures = 1;
  d.authorities.anssi_structures = 1;
  return d;
}

describe("generated commentary", () => {
  it("states the year's figures and their evolution as the 2023 observatory does", () => {
    const { bySection } = texts(sample2023(), sample2022());
    expect(bySection.declarations).toContain(
      `581 signalements en 2023, soit 2${N}% de moins qu'en 2022 (592).`,
    );
    expect(bySection.declarations).toContain("Parmi eux, 24 sont hors périmètre");
    expect(bySection.declarations).toContain("dont 3 exercices de crise cyber");
    expect(bySection.declarations).toContain("portent sur les 557 signalements du périmètre");
    // 581 / 12 = 48.4; 592 / 12 = 49.3.
    expect(bySection.declarations).toContain("On compte en moyenne 48 déclarations par mois (49 en 2022).");
    expect(bySection.declarations).toContain("Le mois le plus chargé est mars (62 signalements).");
    // 540 / 581 = 92.9 %.
    expect(bySection.declarations).toContain(`par le portail de signalement (540, 93${N}%)`);
    expect(bySection.timing).toContain(
      `89${N}% des signalements ont été effectués en heures et jours ouvrés`,
    );
    expect(bySection.timing).toContain(
      `soit 517 signalements, en hausse de 15 points par rapport à 2022 (74${N}%).`,
    );
    // 581 − 517 = 64 outside business hours, 3 of them on Saturday.
    expect(bySection.timing).toContain(
      "64 signalements ont été déposés en heures ou jours non ouvrés (HNO/JNO), dont 3 le week-end.",
    );
    expect(bySection.timing).toContain(`le mardi entre 10${N}h et 11${N}h (30 signalements)`);
    // (150 + 185) / 581 = 57.7 %; (160 + 170) / 592 = 55.7 %.
    expect(bySection.state).toContain(`Plus de la moitié des incidents (58${N}%)`);
    expect(bySection.state).toContain(`en hausse de 2 points par rapport à 2022 (56${N}%)`);
    // 20 vs 11: +81.8 %.
    expect(bySection.state).toContain(
      `20 structures n'ont jamais transmis les informations demandées, soit 82${N}% de plus qu'en 2022 (11).`,
    );
    // 71 + 67 + 55 = 193 of 581 = 33.2 %.
    expect(bySection.regions).toContain(
      `Les trois régions comptant le plus de signalements sont l'Occitanie (71), les Hauts-de-France (67) et l'Auvergne-Rhône-Alpes (55). Ensemble, elles représentent 33${N}% des signalements.`,
    );
    expect(bySection.regions).toContain("Mayotte n'a transmis aucun signalement.");
    expect(bySection.regions).toContain("les Pays de la Loire arrivent en tête (indice 100");
    expect(bySection.regions).toContain("l'Île-de-France (indice 45) déclare le moins");
    expect(bySection.structures).toContain(
      `71${N}% des signalements ont été déclarés par des établissements de santé (ES), en hausse de 7 points par rapport à 2022 (64${N}%).`,
    );
    expect(bySection.structures).toContain(
      "462 structures ont déclaré au moins un incident en 2023, soit 7\u202f% de plus qu'en 2022 (432), dont 301 établissements de santé et 121 établissements et services médico-sociaux.",
    );
    expect(bySection.structures).toContain("8 établissements de santé en ont signalé au moins quatre");
    expect(bySection.impacts).toContain(
      `Perte de données ou impossibilité d'accéder à des données : 245 (44${N}%), soit 15${N}% de plus qu'en 2022 (213)`,
    );
    expect(bySection.impacts).toContain(
      "Autre impact sur les données : 14 (3\u202f%), soit 7 fois plus qu'en 2022 (2)",
    );
    expect(bySection.impacts).toContain(
      "203 incidents ont affecté la prise en charge des patients (mode dégradé ou interruption), autant qu'en 2022.",
    );
    // 39 interrupted of 203 affected = 19.2 %.
    expect(bySection.impacts).toContain(`19${N}% d'entre eux ont conduit à une interruption`);
    expect(bySection.impacts).toContain(`le mode dégradé a duré 26,5${N}h (30${N}h en 2022).`);
    // 68 + 1 = 69 of 557 = 12.4 %; 52 the year before: +32.7 %.
    expect(bySection.patients).toContain(
      `69 mises en danger de patients ont été signalées en 2023 (12${N}% des incidents du périmètre), soit 33${N}% de plus qu'en 2022 (52).`,
    );
    expect(bySection.patients).toContain(
      "Un seul incident a entraîné une mise en danger avérée ; les 68 autres sont des mises en danger potentielles.",
    );
    expect(bySection.malicious).toContain(
      `50${N}% des incidents du périmètre ont une origine malveillante (279), stable par rapport à 2022 (50${N}%).`,
    );
    expect(bySection.malicious).toContain(
      `32 attaques par rançongiciel ont été signalées, soit 28${N}% de plus qu'en 2022 (25).`,
    );
    // 45 of 279 = 16.1 %.
    expect(bySection.malicious).toContain(
      `16${N}% des incidents malveillants (45) relèvent de plusieurs qualifications`,
    );
    expect(bySection.malicious).toContain(
      `17 incidents malveillants majeurs (effet important ou extrême sur le système d'information), soit 23${N}% de moins qu'en 2022 (22).`,
    );
    // 97 of 278 = 34.9 %.
    expect(bySection.non_malicious).toContain(`Dysfonctionnement de l'infrastructure : 97 (35${N}%)`);
    expect(bySection.support).toContain(
      `165 demandes d'accompagnement en 2023, autant qu'en 2022. Elles représentent 28${N}% des signalements, stable par rapport à 2022 (28${N}%).`,
    );
    // 81 of 165 = 49.1 %.
    expect(bySection.support).toContain(
      `Ce sont les établissements de santé publics qui ont le plus sollicité le CERT Santé (81 demandes, 49${N}% des demandes).`,
    );
    expect(bySection.key_figures).toContain(
      "l'ANSSI est intervenue directement auprès de 37 structures et le FSSI",
    );
  });

  it("attaches every figure to its path and the exact value of its year's document", () => {
    const current = sample2023();
    const previous = sample2022();
    const { commentary } = texts(current, previous);
    let checked = 0;
    for (const blocks of Object.values(commentary)) {
      for (const figure of figures(blocks)) {
        if (figure.path === null) continue;
        const doc = figure.year === 2023 ? current : figure.year === 2022 ? previous : null;
        expect(doc, `année inattendue ${figure.year}`).not.toBeNull();
        expect(figure.value, figure.path).toBe(valueAt(doc as ObservatoryDocument, figure.path));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("says once that the previous year has no data, and compares nothing", () => {
    const { bySection, all } = texts(sample2023(), null);
    expect(bySection.declarations).toContain("581 signalements en 2023 (aucune donnée pour 2022).");
    expect(bySection.key_figures).toContain(
      "Aucune donnée n'est disponible pour 2022 : les évolutions ne sont pas calculées.",
    );
    expect(all.match(/aucune donnée/gi)).toHaveLength(2);
    expect(all).not.toMatch(/de plus qu'en|de moins qu'en|par rapport à 2022|en 2022\)/);
    expect(bySection.declarations).toContain("On compte en moyenne 48 déclarations par mois.");
  });

  it("writes a year without declarations without a figure out of place", () => {
    const { bySection, all } = texts(emptyObservatoryDocument(2024), sample2023());
    expect(bySection.declarations).toBe("Aucun signalement n'a été déclaré en 2024 (581 en 2023).");
    expect(bySection.timing).toBe("Aucun signalement n'a été déclaré en 2024 : rien à répartir.");
    expect(bySection.malicious).toBe(
      "Aucun signalement du périmètre du CERT Santé en 2024 : pas d'analyse de qualification ni d'impact.",
    );
    expect(bySection.support).toContain(
      "Aucune demande d'accompagnement n'a été formulée en 2024, contre 165 en 2023.",
    );
    expect(bySection.state).toContain(
      "Aucune demande de compléments d'information n'a été adressée aux déclarants, contre 120 en 2023.",
    );
    expect(bySection.key_figures).toContain("Aucune intervention directe de l'ANSSI ou du FSSI");
    expect(all).not.toMatch(/NaN|undefined|null|Infinity/);
    // Nothing the year before either.
    const empty = texts(emptyObservatoryDocument(2024), null);
    expect(empty.bySection.declarations).toBe("Aucun signalement n'a été déclaré en 2024.");
    expect(empty.all).not.toMatch(/NaN|undefined|null|Infinity/);
  });

  it("agrees in the singular when there is one of each", () => {
    const { bySection, all } = texts(single(2023), single(2022));
    expect(bySection.declarations).toContain("1 signalement en 2023, autant qu'en 2022.");
    expect(bySection.declarations).toContain("Il relève du périmètre du CERT Santé.");
    // 1 / 12 = 0.083: one decimal, singular.
    expect(bySection.declarations).toContain("On compte en moyenne 0,1 déclaration par mois (0,1 en 2022).");
    expect(bySection.declarations).toContain("Il est arrivé par appel à l'astreinte (1).");
    expect(bySection.timing).toContain(
      "1 signalement a été déposé en heures ou jours non ouvrés (HNO/JNO), dont 1 le week-end.",
    );
    expect(bySection.structures).toContain(
      "1 structure a déclaré au moins un incident en 2023, autant qu'en 2022, dont 1 établissement de santé et 0 établissement ou service médico-social.",
    );
    expect(bySection.structures).toContain("Aucune structure n'a déclaré plus d'un incident.");
    expect(bySection.structures).toContain(
      "1 opérateur de services essentiels (OSE) a déclaré au moins un incident, autant qu'en 2022.",
    );
    expect(bySection.state).toContain(
      "1 demande de compléments d'information a été adressée aux déclarants ; 1 structure n'a jamais transmis les informations demandées, autant qu'en 2022.",
    );
    expect(bySection.regions).toContain("Tous les signalements proviennent de l'Auvergne-Rhône-Alpes (1).");
    expect(bySection.impacts).toContain(
      "1 incident a affecté la prise en charge des patients (mode dégradé ou interruption), autant qu'en 2022. Il a conduit à une interruption de la prise en charge.",
    );
    expect(bySection.patients).toContain("1 mise en danger de patients a été signalée en 2023");
    expect(bySection.patients).toContain("Elle est restée potentielle (1) : aucune mise en danger avérée.");
    expect(bySection.malicious).toContain("Une attaque par rançongiciel a été signalée, autant qu'en 2022.");
    expect(bySection.malicious).toContain("1 incident malveillant majeur (effet");
    expect(bySection.support).toContain(
      "1 demande d'accompagnement en 2023, autant qu'en 2022. Elle représente 100\u202f% des signalements, stable par rapport à 2022 (100\u202f%).",
    );
    expect(bySection.support).toContain("(1 demande, 100\u202f% des demandes)");
    expect(bySection.key_figures).toContain(
      "l'ANSSI est intervenue directement auprès de 1 structure et le FSSI des ministères sociaux auprès d'aucune structure",
    );
    expect(all).not.toMatch(/NaN|undefined|null/);
  });

  it("words the endangerment of patients for every mix of potential and actual", () => {
    const with_ = (potential: number, actual: number) => {
      const d = sample2023();
      d.patient_endangerment = { potential, actual };
      return texts(d, null).bySection.patients;
    };
    expect(with_(3, 0)).toContain("Toutes sont restées potentielles (3) : aucune mise en danger avérée.");
    expect(with_(0, 2)).toContain("Toutes ont été avérées (2).");
    expect(with_(0, 1)).toContain("Elle a été avérée (1).");
    expect(with_(1, 4)).toContain(
      "4 incidents ont entraîné une mise en danger avérée ; l'autre (1) est une mise en danger potentielle.",
    );
    expect(with_(0, 0)).toBe("Aucune mise en danger de patients n'a été signalée en 2023.");
  });

  it("names a drop to zero against the previous year", () => {
    const d = sample2023();
    d.malicious.types.ransomware = 0;
    d.malicious.major = 0;
    d.complements.unanswered_structures = 0;
    const { bySection } = texts(d, sample2022());
    expect(bySection.malicious).toContain(
      "Aucune attaque par rançongiciel n'a été signalée, contre 25 en 2022.",
    );
    expect(bySection.malicious).toContain(
      "Aucun incident malveillant majeur (effet important ou extrême sur le système d'information), contre 22 en 2022.",
    );
    expect(bySection.malicious).toContain(`Rançongiciel : 0, contre 25 en 2022`);
    expect(bySection.state).toContain("aucune structure n'est restée sans répondre, contre 11 en 2022.");
  });

  it("lists tied busiest months together", () => {
    const d = sample2023();
    d.incidents.by_month = [10, 62, 62, 10, 10, 10, 10, 10, 10, 10, 10, 10];
    d.incidents.declared = 244;
    expect(texts(d, null).bySection.declarations).toContain(
      "Les mois les plus chargés sont février et mars (62 signalements chacun).",
    );
  });

  it("writes a regional report for its region and says the activity index is national", () => {
    const current = emptyObservatoryDocument(2023, "76");
    current.incidents.declared = 71;
    current.incidents.in_scope = 71;
    current.incidents.monthly_mean = 71 / 12;
    current.regions.counts["76"] = 71;
    const previous = emptyObservatoryDocument(2022, "76");
    previous.incidents.declared = 60;
    previous.incidents.in_scope = 60;
    previous.regions.counts["76"] = 60;
    const { bySection } = texts(current, previous, { "76": "Occitanie" });
    // (71 − 60) / 60 = 18.3 %.
    expect(bySection.declarations).toContain(
      `71 signalements en 2023 pour l'Occitanie, soit 18${N}% de plus qu'en 2022 (60).`,
    );
    expect(bySection.regions).toContain(
      `L'Occitanie compte 71 signalements en 2023, soit 18${N}% de plus qu'en 2022 (60).`,
    );
    expect(bySection.regions).toContain("figure dans le rapport national");
    expect(bySection.regions).not.toContain("indice");
  });

  it("says when no activity reference is loaded", () => {
    const d = sample2023();
    d.regions.activity_index = null;
    expect(texts(d, null).bySection.regions).toContain(
      "Aucune référence d'activité hospitalière des régions n'est chargée",
    );
  });
});
