import type {
  channel,
  maliciousType,
  nonMaliciousType,
  ObservatoryChart,
  StructureType,
} from "@vigie/contracts";

// Wording of the report: section titles, and the short forms of the taxonomy's labels that read
// inside a French sentence (the charts keep the taxonomy's own labels).

export type ReportSectionId = ObservatoryChart["section"];

/** Sections in the order of chapter 4 of the 2023 observatory. */
export const reportSections: readonly { id: ReportSectionId; title: string }[] = [
  { id: "key_figures", title: "Chiffres clés" },
  { id: "declarations", title: "Informations générales sur les signalements" },
  { id: "timing", title: "Horaire et jour des signalements" },
  { id: "state", title: "État des incidents lors de leur signalement" },
  { id: "regions", title: "Répartition des signalements par région" },
  { id: "structures", title: "Répartition des signalements selon le type de structure" },
  { id: "impacts", title: "Impacts sur les données et sur le fonctionnement" },
  { id: "patients", title: "Mise en danger des patients" },
  { id: "malicious", title: "Les actes malveillants" },
  { id: "non_malicious", title: "Les signalements d'origine non malveillante" },
  { id: "support", title: "Accompagnement et appui technique" },
];

/** Structure types in a sentence, plural ("les établissements de santé publics"). */
export const structureTypePlural: Record<StructureType, string> = {
  es_public: "établissements de santé publics",
  es_private_nonprofit: "établissements de santé privés d'intérêt collectif",
  es_private_forprofit: "établissements de santé privés à but lucratif",
  army_hospital: "hôpitaux des armées",
  esms: "établissements et services médico-sociaux",
  lbm: "laboratoires de biologie médicale",
  radiotherapy: "centres de radiothérapie",
  grades: "GRADeS",
  other: "autres structures",
};

/** How a declaration arrived, after "par" or as a phrase. */
export const channelPhrase: Record<(typeof channel.values)[number], string> = {
  portal: "par le portail de signalement",
  phone_oncall: "par appel à l'astreinte",
  email: "par courriel",
  other: "par un autre canal",
};

/** Malicious types in a sentence (lower case, short). */
export const maliciousTypeShort: Record<(typeof maliciousType.values)[number], string> = {
  account_compromise: "compromission de comptes",
  malicious_message: "messages malveillants",
  ransomware: "rançongiciel",
  is_compromise: "compromission du SI",
  data_leak: "fuite de données",
  malware: "logiciel malveillant",
  vulnerability_exploitation: "exploitation de vulnérabilité",
  denial_of_service: "déni de service",
  defacement: "défiguration de site web",
  equipment_theft: "vol d'équipement",
  fraud: "escroquerie ou usurpation",
  other: "autre acte malveillant",
};

/** Non-malicious types in a sentence (lower case, short). */
export const nonMaliciousTypeShort: Record<(typeof nonMaliciousType.values)[number], string> = {
  infrastructure_failure: "dysfonctionnement de l'infrastructure",
  telecom_loss: "perte du lien télécom",
  application_bug: "bug applicatif",
  power_outage: "coupure électrique",
  human_error: "erreur humaine",
  other: "autre cause non malveillante",
};

/**
 * The regions of `reference/regions.csv` with their article, as they read in a sentence
 * ("l'Occitanie", "les Hauts-de-France"); an unknown code reads "la région <code>".
 */
const regionsInSentence: Record<string, string> = {
  "11": "l'Île-de-France",
  "24": "le Centre-Val de Loire",
  "27": "la Bourgogne-Franche-Comté",
  "28": "la Normandie",
  "32": "les Hauts-de-France",
  "44": "le Grand Est",
  "52": "les Pays de la Loire",
  "53": "la Bretagne",
  "75": "la Nouvelle-Aquitaine",
  "76": "l'Occitanie",
  "84": "l'Auvergne-Rhône-Alpes",
  "93": "la région Provence-Alpes-Côte d'Azur",
  "94": "la Corse",
  "01": "la Guadeloupe",
  "02": "la Martinique",
  "03": "la Guyane",
  "04": "La Réunion",
  "06": "Mayotte",
};

/** A region in a sentence, with its article ("l'Occitanie"). */
export function regionInSentence(code: string, names: Readonly<Record<string, string>> = {}): string {
  return regionsInSentence[code] ?? `la région ${names[code] ?? code}`;
}

/** Whether a region reads as plural ("les Hauts-de-France arrivent"). */
export function regionIsPlural(code: string): boolean {
  return regionsInSentence[code]?.startsWith("les ") ?? false;
}
