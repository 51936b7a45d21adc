import type { StructureType } from "@vigie/contracts";
import { normaliseSearchText } from "./search-text.ts";

/** What the FINESS registry says of an establishment, as far as its type is concerned. */
export interface FinessClassification {
  /** FINESS category code (`categetab`, e.g. 355), when the file has it. */
  categoryCode?: string | null;
  /** Category label (`libcategetab`, e.g. « Centre Hospitalier (C.H.) »). */
  category?: string | null;
  /** Category group code (`categagretab`, e.g. 1102), when the file has it. */
  categoryGroupCode?: string | null;
  /** Category group label (`libcategagretab`). */
  categoryGroup?: string | null;
  /** Legal status label (`libsph` / `statut_juridique_lib`), often « Non concerné ». */
  legalStatus?: string | null;
  /** Pricing mode label (`libmft`), a hint of the sector when the status is missing. */
  pricingMode?: string | null;
  siret?: string | null;
  name: string;
  longName?: string | null;
}

/*
 * FINESS → structure_type, checked in this order (first match wins):
 *
 * | rule | FINESS                                                                  | type                 |
 * |------|-------------------------------------------------------------------------|----------------------|
 * | 1    | category 114 « Hôpital des armées », group « service de santé des armées » | army_hospital        |
 * | 2    | category 131 « Centre de Lutte Contre le Cancer » (CLCC)                  | es_private_nonprofit |
 * | 3    | category 611 or a « laboratoire » of « biologie » / « analyses »           | lbm                  |
 * | 4    | a radiotherapy category, or « radiothérapie » in the name of an           | radiotherapy         |
 * |      | establishment that is not a public hospital (CH, CHR/CHU, CHS)            |                      |
 * | 5    | group code 4xxx (social and medico-social domain), or an EHPAD, EHPA,     | esms                 |
 * |      | residence, IME, ITEP, MAS, FAM, ESAT, SSIAD, SESSAD, CAMSP, CMPP… label   |                      |
 * |      | or a group of « personnes âgées », « handicapés », « sociaux »…           |                      |
 * | 6    | only for health establishments (group 1xxx, or a hospital / care group):  |                      |
 * |      | status « public »                                                         | es_public            |
 * |      | status « intérêt collectif » (ESPIC) or « non lucratif »                  | es_private_nonprofit |
 * |      | status « lucratif » / « commercial »                                      | es_private_forprofit |
 * | 7    | status empty, « Non concerné », « indéterminé » — inferred, in order:     |                      |
 * |      | association, fondation, mutualité, Croix-Rouge, UGECAM… in the name       | es_private_nonprofit |
 * |      | a public hospital category (CH, CHR/CHU, CHS, ex hôpital local, SIH)      | es_public            |
 * |      | a SIRET of a public body (SIREN starting with 1 or 2)                     | es_public            |
 * |      | SARL, SAS, SCM, SELARL…, clinique, polyclinique, privé in the name, or a  | es_private_forprofit |
 * |      | pricing mode « non financés dotation globale » (OQN clinics)              |                      |
 * | 8    | anything else (imaging GIE, PMI, pharmacies, centres de santé…)           | other                |
 */

const ARMY_CATEGORY_CODES = new Set(["114"]);
const CLCC_CATEGORY_CODES = new Set(["131"]);
const LAB_CATEGORY_CODES = new Set(["611"]);
/** Medico-social categories whose group code may be missing (CSV files carry labels only). */
const MEDICO_SOCIAL_CATEGORY_CODES = new Set([
  "500", // EHPAD
  "501", // EHPA percevant des crédits d'assurance maladie
  "502", // EHPA ne percevant pas de crédits d'assurance maladie
  "202", // résidence autonomie
  "183", // IME
  "186", // ITEP
  "255", // MAS
  "437", // FAM
  "246", // ESAT
  "354", // SSIAD
  "209", // SPASAD
  "182", // SESSAD
  "190", // CAMSP
  "189", // CMPP
]);
/** Public hospital categories: CHR/CHU, CH ex hôpital local, CH, CHS. */
const PUBLIC_HOSPITAL_CATEGORY_CODES = new Set(["101", "106", "355", "292"]);

const PUBLIC_HOSPITAL_LABEL =
  /\b(centre hospitalier|c h r|c h u|hopital local|syndicat inter hospitalier|chu|chr)\b/;
const MEDICO_SOCIAL_LABEL =
  /\b(ehpad|ehpa|e h p a d|e h p a|hebergement pour personnes agees|residence autonomie|logement foyer|institut medico|i m e|itep|maison d accueil specialisee|foyer d accueil medicalise|esat|etablissement et service d aide par le travail|soins infirmiers a domicile|ssiad|spasad|sessad|camsp|cmpp|medico psycho pedagogique|action medico sociale precoce|maisons? d accueil hospitalieres?)\b/;
const MEDICO_SOCIAL_GROUP =
  /\b(personnes agees|handicap\w*|sociaux|social|enfance|adultes en difficulte|protection|aide a domicile|multi clienteles)\b/;
const HEALTH_GROUP =
  /\b(hospitali\w*|hopita\w*|loi hospitaliere|soins|dialyse|lutte|psychiatri\w*|readaptation|courte duree|longue duree|armees)\b/;
const NONPROFIT_NAME =
  /\b(association|assoc|asso|fondation|mutuali\w*|mutuelle|croix rouge|ugecam|ordre de malte|diaconat|congregation|oeuvre|oeuvres|sante mentale france)\b/;
const FORPROFIT_NAME =
  /\b(sarl|sas|sasu|sa|scm|sci|selarl|selas|selafa|selca|sel|snc|eurl|clinique|polyclinique|cl|prive|privee)\b/;

/** The taxonomy's structure type of a FINESS establishment (rules documented above). */
export function classifyStructure(input: FinessClassification): StructureType {
  const code = input.categoryCode?.trim() ?? "";
  const groupCode = input.categoryGroupCode?.trim() ?? "";
  const category = normaliseSearchText(input.category);
  const group = normaliseSearchText(input.categoryGroup);
  const status = normaliseSearchText(input.legalStatus);
  const names = normaliseSearchText(input.name, input.longName);
  const publicHospital = PUBLIC_HOSPITAL_CATEGORY_CODES.has(code) || PUBLIC_HOSPITAL_LABEL.test(category);

  if (
    ARMY_CATEGORY_CODES.has(code) ||
    category.includes("hopital des armees") ||
    group.includes("sante des armees")
  ) {
    return "army_hospital";
  }
  if (CLCC_CATEGORY_CODES.has(code) || /lutte contre (le )?cancer|\bclcc\b/.test(category)) {
    return "es_private_nonprofit";
  }
  if (LAB_CATEGORY_CODES.has(code) || (/\blaboratoire/.test(category) && /biolog|analyse/.test(category))) {
    return "lbm";
  }
  if (category.includes("radiotherap") || (!publicHospital && /\bradioth/.test(names))) {
    return "radiotherapy";
  }
  if (
    groupCode.startsWith("4") ||
    MEDICO_SOCIAL_CATEGORY_CODES.has(code) ||
    MEDICO_SOCIAL_LABEL.test(category) ||
    MEDICO_SOCIAL_GROUP.test(group)
  ) {
    return "esms";
  }
  const healthEstablishment =
    groupCode.startsWith("1") || publicHospital || (groupCode === "" && HEALTH_GROUP.test(group));
  if (!healthEstablishment) return "other";

  if (/\bpublic\b/.test(status)) return "es_public";
  if (status.includes("interet collectif") || status.includes("non lucratif")) return "es_private_nonprofit";
  if (/\blucratif\b|\bcommercial\b/.test(status)) return "es_private_forprofit";

  if (NONPROFIT_NAME.test(names)) return "es_private_nonprofit";
  if (publicHospital) return "es_public";
  if (/^[12]\d{13}$/.test(input.siret?.trim() ?? "")) return "es_public";
  if (FORPROFIT_NAME.test(names)) return "es_private_forprofit";
  if (normaliseSearchText(input.pricingMode).includes("non finances dotation globale")) {
    return "es_private_forprofit";
  }
  return "other";
}
