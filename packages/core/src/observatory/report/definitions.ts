// The "Sources et définitions" section: how each indicator of `vigie.observatory/1` is counted
// (`shared/spec/observatory.md`), in French.

export const populationDefinitions: readonly { term: string; definition: string }[] = [
  {
    term: "Signalements déclarés",
    definition:
      "Les déclarations reçues par le CERT Santé dont la date de déclaration, en heure de Paris, tombe dans l'année " +
      "(et, pour un rapport régional, dont la structure est dans la région au moment de la déclaration), quels que " +
      "soient leur canal et leur marquage TLP.",
  },
  {
    term: "Périmètre",
    definition:
      "Les signalements déclarés qui ne sont pas hors périmètre. Les indicateurs de qualification (origine, types) " +
      "et d'impact ne portent que sur eux.",
  },
  {
    term: "Structure",
    definition:
      "Un établissement identifié par son numéro FINESS géographique, avec le type, la région et le statut OSE " +
      "qu'il avait au moment de la déclaration.",
  },
  {
    term: "Établissement de santé (ES)",
    definition:
      "Établissements de santé publics, privés d'intérêt collectif, privés à but lucratif et hôpitaux des armées.",
  },
  {
    term: "Heures et jours ouvrés (HO/JO)",
    definition: "Du lundi au vendredi, de 9 h à 18 h (heure de Paris), hors les 11 jours fériés légaux.",
  },
  {
    term: "Évolutions",
    definition:
      "Comparées à l'année précédente, calculée de la même façon : en pourcentage pour les nombres, en points pour " +
      "les parts (différence des pourcentages affichés). Les parts sont arrondies à l'unité, au dixième en dessous " +
      "de 1 %.",
  },
];

/** Indicator definitions by path (the document's paths, as marked on every figure). */
export const indicatorDefinitions: readonly { path: string; definition: string; population: string }[] = [
  { path: "incidents.declared", definition: "Nombre de signalements", population: "déclarés" },
  { path: "incidents.out_of_scope", definition: "Signalements hors périmètre", population: "déclarés" },
  {
    path: "incidents.exercises",
    definition: "Signalements hors périmètre pour exercice de crise cyber",
    population: "déclarés",
  },
  {
    path: "incidents.in_scope",
    definition: "Signalements déclarés moins les hors périmètre",
    population: "déclarés",
  },
  {
    path: "incidents.by_month",
    definition: "Signalements par mois (janvier en premier)",
    population: "déclarés",
  },
  { path: "incidents.monthly_mean", definition: "Signalements déclarés ÷ 12", population: "déclarés" },
  { path: "incidents.by_quarter", definition: "Signalements par trimestre", population: "déclarés" },
  {
    path: "incidents.by_channel",
    definition: "Signalements par canal (portail, astreinte, courriel, autre)",
    population: "déclarés",
  },
  {
    path: "declarants.distinct",
    definition:
      "Structures distinctes ayant au moins une déclaration ; declarants.es et declarants.esms : celles de type ES et ESMS",
    population: "déclarés",
  },
  {
    path: "declarants.several",
    definition: "Structures ayant au moins deux déclarations",
    population: "déclarés",
  },
  {
    path: "declarants.es_four_or_more",
    definition: "ES ayant au moins quatre déclarations",
    population: "déclarés",
  },
  { path: "declarants.ose", definition: "Structures OSE distinctes ayant déclaré", population: "déclarés" },
  {
    path: "timing.business_hours",
    definition: "Signalements déclarés en heures et jours ouvrés ; business_hours_share : leur part",
    population: "déclarés",
  },
  {
    path: "timing.heatmap",
    definition: "Signalements par jour de la semaine (lundi en premier) et heure de Paris",
    population: "déclarés",
  },
  {
    path: "state_at_declaration",
    definition: "Signalements par état de l'incident à la déclaration",
    population: "déclarés",
  },
  {
    path: "support.requested",
    definition:
      "Signalements avec une demande d'accompagnement ; requested_share : leur part ; requested_by_structure_type : par type de structure",
    population: "déclarés",
  },
  {
    path: "support.technical_structures",
    definition: "Structures distinctes ayant reçu au moins un appui technique du CERT Santé",
    population: "déclarés",
  },
  {
    path: "support.technical_by_origin",
    definition: "Types d'origine des incidents ayant reçu un appui technique",
    population: "périmètre",
  },
  { path: "regions.counts", definition: "Signalements par région (les 18 régions)", population: "déclarés" },
  {
    path: "regions.activity_index",
    definition:
      "Pour les 13 régions métropolitaines : signalements ÷ part de la région dans l'activité hospitalière nationale, ramené à 100 pour la plus haute",
    population: "déclarés",
  },
  {
    path: "structure_types.counts",
    definition: "Signalements par type de structure ; es_share : part des ES",
    population: "déclarés",
  },
  {
    path: "data_impacts.counts",
    definition: "Incidents portant chaque impact sur les données",
    population: "périmètre",
  },
  {
    path: "data_types.counts",
    definition:
      "Incidents portant chaque catégorie de données ; impacted_incidents : incidents avec au moins une catégorie ; multi_category_share : part de ceux-ci avec au moins deux",
    population: "périmètre",
  },
  {
    path: "operational_impact.counts",
    definition:
      "Incidents par impact sur le fonctionnement ; patient_care_affected : prise en charge dégradée ou interrompue ; degraded_mode_mean_hours : durée moyenne du mode dégradé de ceux-ci",
    population: "périmètre",
  },
  {
    path: "patient_endangerment",
    definition: "Mises en danger potentielles et avérées de patients",
    population: "périmètre",
  },
  {
    path: "origin.counts",
    definition:
      "Incidents par origine (origine non qualifiée comptée indéterminée) ; malicious_share : part malveillante",
    population: "périmètre",
  },
  {
    path: "malicious.types",
    definition:
      "Incidents malveillants par type ; multi_qualified : avec au moins deux types ; by_quarter : par trimestre ; major : effet sur le SI important ou extrême",
    population: "périmètre",
  },
  {
    path: "non_malicious.types",
    definition: "Incidents non malveillants par type ; by_quarter : par trimestre",
    population: "périmètre",
  },
  {
    path: "complements.requested",
    definition:
      "Incidents avec une demande de compléments ; unanswered_structures : structures avec au moins une demande jamais satisfaite",
    population: "déclarés",
  },
  {
    path: "publications.alerts",
    definition:
      "Alertes de sécurité publiées par le CERT pour la première fois dans l'année, quel que soit leur marquage TLP " +
      "(chiffre national, y compris dans un rapport régional)",
    population: "publications du CERT",
  },
  {
    path: "watch.structures_alerted",
    definition:
      "Structures distinctes ayant reçu au moins un message de la veille dans l'année (vulnérabilité exploitée d'un " +
      "système exposé, service sensible exposé ou compte compromis) ; pour un rapport régional, les structures de la région",
    population: "structures de l'annuaire",
  },
  {
    path: "authorities.anssi_structures",
    definition: "Structures distinctes avec une intervention directe de l'ANSSI (fssi_structures : du FSSI)",
    population: "déclarés",
  },
];
