import type { IncidentRecord } from "@vigie/contracts";
import type { OutOfHoursProfile } from "./demo-times.ts";

/**
 * What the demo declarations of 2021–2023 must add up to: the figures published by the CERT
 * Santé (`shared/spec/observatory.md`, table « Published figures », taken from the 2023
 * observatory and earlier editions), and, where the report publishes nothing, values chosen to
 * be plausible and consistent with it (marked « choisi »). The generator
 * (`observatory-demo.ts`) meets every count exactly; its unit test tallies the records.
 */

/** How a declaring structure is drawn: ES from the real FINESS rows, the others see `demo-structures.ts`. */
export type DemoKind = "es" | "esms" | "lbm" | "radiotherapy" | "grades" | "other";

type MaliciousType = IncidentRecord["malicious_types"][number];
type NonMaliciousType = IncidentRecord["non_malicious_types"][number];
type DataImpact = IncidentRecord["data_impacts"][number];
type DataType = IncidentRecord["data_types"][number];
type OutOfScopeReason = NonNullable<IncidentRecord["out_of_scope_reason"]>;

/** A forced declaration time (Paris wall clock), to put the edges of the rules into the demo. */
export interface EdgeTime {
  date: string;
  hour: number;
  minute: number;
  second: number;
  /** What the time is, for the reader of the plan. */
  why: string;
}

/** A CERT event grouping declarations of one month and one type. */
export interface DemoEvent {
  ref: string;
  month: number;
  type: MaliciousType | NonMaliciousType;
  origin: "malicious" | "non_malicious";
  declarations: number;
}

export interface DemoYearPlan {
  year: number;
  /** Declarations per Paris month, January first (sums to the year's declarations). */
  monthly: readonly number[];
  /** Declarations in HO/JO. */
  businessHours: number;
  outOfHours: OutOfHoursProfile;
  edgeTimes: readonly EdgeTime[];
  outOfScope: Readonly<Record<OutOfScopeReason, number>>;
  /** Declaring structures: how many of each kind declared how many times. */
  declarants: ReadonlyArray<{ kind: DemoKind; multiplicity: number; structures: number }>;
  /** Declarations per INSEE region (all 18). */
  regions: Readonly<Record<string, number>>;
  /** OSE structures declaring this year, when published (the OSE set is chosen to meet it). */
  oseDeclaring: number | null;
  /** In scope: malicious, non-malicious; the rest is undetermined. */
  malicious: number;
  nonMalicious: number;
  ransomware: number;
  /** Weights of the other malicious types (first type of each malicious incident). */
  maliciousTypeWeights: Readonly<Partial<Record<MaliciousType, number>>>;
  /** Malicious incidents carrying several types. */
  maliciousMulti: number;
  /** Malicious incidents with `si_effect` important or extreme. */
  major: number;
  /** One type per non-malicious incident: exact counts (sum = nonMalicious). */
  nonMaliciousTypes: Readonly<Record<NonMaliciousType, number>>;
  careInterrupted: number;
  degradedCare: number;
  degradedSupport: number;
  endangermentPotential: number;
  endangermentActual: number;
  /** Incidents carrying each data impact (in scope; every in-scope incident carries ≥ 1). */
  dataImpacts: Readonly<Record<DataImpact, number>>;
  /** Incidents with three data impacts (those with two follow from the number of mentions). */
  dataImpactsTriple: number;
  /** Incidents carrying each data type, how many carry any, two, three. */
  dataTypes: Readonly<Record<DataType, number>>;
  dataTypeIncidents: number;
  dataTypeTwo: number;
  dataTypeThree: number;
  supportRequested: number;
  /** Calls to the on-call line (all out of hours) and how many of them got technical support. */
  phoneOncall: number;
  phoneWithTechnicalSupport: number;
  /** Structures given technical support, and second supported incidents of some of them. */
  technicalStructures: number;
  technicalExtraIncidents: number;
  complementsAnswered: number;
  unansweredStructures: number;
  authorities: { anssiOnly: number; fssiOnly: number; both: number };
  events: readonly DemoEvent[];
}

const METROPOLITAN_WEIGHTS_2023 = {
  "11": 50,
  "24": 22,
  "27": 36,
  "28": 38,
  "32": 67,
  "44": 45,
  "52": 46,
  "53": 32,
  "75": 50,
  "76": 71,
  "84": 55,
  "93": 38,
  "94": 2,
};

export const DEMO_YEAR_PLANS: readonly DemoYearPlan[] = [
  {
    year: 2021,
    monthly: [62, 70, 66, 58, 60, 63, 55, 50, 61, 64, 62, 62], // 733 (publié)
    businessHours: 550, // 75 % (choisi)
    outOfHours: {
      justAfterClosing: 8,
      earlyEvening: 15,
      lateEvening: 35,
      night: 15,
      weekend: 22,
      holiday: 5,
    },
    edgeTimes: [
      { date: "2021-12-31", hour: 23, minute: 55, second: 10, why: "dernières minutes de 2021 à Paris" },
    ],
    outOfScope: { not_health_is: 16, exercise: 1, duplicate: 5, other: 3 },
    declarants: [
      // 582 structures (publié), 733 déclarations
      { kind: "es", multiplicity: 10, structures: 1 },
      { kind: "es", multiplicity: 7, structures: 1 },
      { kind: "es", multiplicity: 6, structures: 1 },
      { kind: "es", multiplicity: 5, structures: 2 },
      { kind: "es", multiplicity: 4, structures: 4 },
      { kind: "es", multiplicity: 3, structures: 40 },
      { kind: "es", multiplicity: 2, structures: 20 },
      { kind: "es", multiplicity: 1, structures: 311 },
      { kind: "esms", multiplicity: 2, structures: 5 },
      { kind: "esms", multiplicity: 1, structures: 155 },
      { kind: "lbm", multiplicity: 2, structures: 2 },
      { kind: "lbm", multiplicity: 1, structures: 12 },
      { kind: "radiotherapy", multiplicity: 1, structures: 10 },
      { kind: "grades", multiplicity: 1, structures: 4 },
      { kind: "other", multiplicity: 2, structures: 4 },
      { kind: "other", multiplicity: 1, structures: 10 },
    ],
    regions: {
      "11": 72,
      "24": 28,
      "27": 40,
      "28": 44,
      "32": 75,
      "44": 62,
      "52": 48,
      "53": 42,
      "75": 66,
      "76": 80,
      "84": 78,
      "93": 55,
      "94": 4,
      "01": 8,
      "02": 7,
      "03": 4,
      "04": 16,
      "06": 4,
    },
    oseDeclaring: null,
    malicious: 340,
    nonMalicious: 352,
    ransomware: 30,
    maliciousTypeWeights: {
      malicious_message: 100,
      account_compromise: 65,
      vulnerability_exploitation: 30,
      is_compromise: 20,
      data_leak: 8,
      malware: 30,
      fraud: 15,
      denial_of_service: 8,
      defacement: 5,
      equipment_theft: 6,
      other: 20,
    },
    maliciousMulti: 45,
    major: 30,
    nonMaliciousTypes: {
      infrastructure_failure: 110,
      telecom_loss: 95,
      application_bug: 80,
      power_outage: 22,
      human_error: 27,
      other: 18,
    },
    careInterrupted: 50,
    degradedCare: 190,
    degradedSupport: 110,
    endangermentPotential: 72,
    endangermentActual: 3,
    dataImpacts: {
      data_loss_or_unavailability: 396,
      none: 221,
      personal_info_disclosure: 77,
      structure_data_disclosure: 41,
      data_integrity: 35,
      other: 4,
    },
    dataImpactsTriple: 4,
    dataTypes: {
      personal_health: 207,
      personal_other: 129,
      technical_sensitive: 69,
      confidential_strategic: 55,
    },
    dataTypeIncidents: 380,
    dataTypeTwo: 60,
    dataTypeThree: 10,
    supportRequested: 200,
    phoneOncall: 12,
    phoneWithTechnicalSupport: 10,
    technicalStructures: 98,
    technicalExtraIncidents: 8,
    complementsAnswered: 85,
    unansweredStructures: 9,
    authorities: { anssiOnly: 18, fssiOnly: 3, both: 15 },
    events: [
      { ref: "EV-2021-0001", month: 2, type: "malicious_message", origin: "malicious", declarations: 10 },
      {
        ref: "EV-2021-0002",
        month: 9,
        type: "infrastructure_failure",
        origin: "non_malicious",
        declarations: 8,
      },
    ],
  },
  {
    year: 2022,
    monthly: [55, 50, 52, 46, 49, 51, 44, 40, 50, 53, 54, 48], // 592 (publié), moyenne 49
    businessHours: 456, // 77 % (choisi : le rapport 2023 dit 89 %, « en augmentation de 15 % »)
    outOfHours: {
      justAfterClosing: 6,
      earlyEvening: 12,
      lateEvening: 40,
      night: 15,
      weekend: 22,
      holiday: 5,
    },
    edgeTimes: [
      {
        date: "2022-12-31",
        hour: 23,
        minute: 40,
        second: 0,
        why: "31 décembre 23 h 40 à Paris : encore 2022",
      },
    ],
    outOfScope: { not_health_is: 12, exercise: 2, duplicate: 4, other: 2 },
    declarants: [
      // 432 structures (publié), 592 déclarations
      { kind: "es", multiplicity: 8, structures: 1 },
      { kind: "es", multiplicity: 6, structures: 1 },
      { kind: "es", multiplicity: 5, structures: 2 },
      { kind: "es", multiplicity: 4, structures: 4 },
      { kind: "es", multiplicity: 3, structures: 33 },
      { kind: "es", multiplicity: 2, structures: 27 },
      { kind: "es", multiplicity: 1, structures: 222 },
      { kind: "esms", multiplicity: 3, structures: 5 },
      { kind: "esms", multiplicity: 2, structures: 20 },
      { kind: "esms", multiplicity: 1, structures: 80 },
      { kind: "lbm", multiplicity: 3, structures: 1 },
      { kind: "lbm", multiplicity: 1, structures: 11 },
      { kind: "radiotherapy", multiplicity: 1, structures: 8 },
      { kind: "grades", multiplicity: 1, structures: 3 },
      { kind: "other", multiplicity: 2, structures: 3 },
      { kind: "other", multiplicity: 1, structures: 11 },
    ],
    regions: {
      "11": 55,
      "24": 22,
      "27": 32,
      "28": 36,
      "32": 60,
      "44": 48,
      "52": 40,
      "53": 34,
      "75": 52,
      "76": 66,
      "84": 58,
      "93": 41,
      "94": 3,
      "01": 9,
      "02": 8,
      "03": 5,
      "04": 19,
      "06": 4,
    },
    oseDeclaring: null,
    malicious: 286, // 50 % des 572 incidents du périmètre (publié)
    nonMalicious: 280,
    ransomware: 29, // 2023 : « en hausse de 10 % »
    maliciousTypeWeights: {
      account_compromise: 70,
      malicious_message: 70,
      vulnerability_exploitation: 25,
      is_compromise: 18,
      data_leak: 10,
      malware: 18,
      fraud: 14,
      denial_of_service: 6,
      defacement: 4,
      equipment_theft: 5,
      other: 17,
    },
    maliciousMulti: 40,
    major: 22, // publié
    nonMaliciousTypes: {
      infrastructure_failure: 84,
      telecom_loss: 80,
      application_bug: 62,
      power_outage: 18,
      human_error: 20,
      other: 16,
    },
    careInterrupted: 48,
    degradedCare: 155, // 203 prises en charge touchées (publié)
    degradedSupport: 80,
    endangermentPotential: 60,
    endangermentActual: 2,
    dataImpacts: {
      data_loss_or_unavailability: 213,
      none: 216,
      personal_info_disclosure: 117,
      structure_data_disclosure: 40,
      data_integrity: 51,
      other: 2,
    },
    dataImpactsTriple: 5,
    dataTypes: {
      personal_health: 146,
      personal_other: 110,
      technical_sensitive: 62,
      confidential_strategic: 47,
    },
    dataTypeIncidents: 290,
    dataTypeTwo: 55,
    dataTypeThree: 10,
    supportRequested: 165, // publié
    phoneOncall: 10,
    phoneWithTechnicalSupport: 9,
    technicalStructures: 88,
    technicalExtraIncidents: 6,
    complementsAnswered: 75,
    unansweredStructures: 11, // publié
    authorities: { anssiOnly: 14, fssiOnly: 4, both: 14 },
    events: [
      { ref: "EV-2022-0001", month: 4, type: "telecom_loss", origin: "non_malicious", declarations: 7 },
      { ref: "EV-2022-0002", month: 11, type: "account_compromise", origin: "malicious", declarations: 6 },
    ],
  },
  {
    year: 2023,
    monthly: [52, 45, 55, 44, 46, 50, 47, 38, 49, 54, 53, 48], // 581 (publié), moyenne 48
    businessHours: 517, // 89 % (publié)
    // « augmentation significative des incidents déclarés entre 18h et 18h30 »
    outOfHours: {
      justAfterClosing: 35,
      earlyEvening: 12,
      lateEvening: 15,
      night: 14,
      weekend: 19,
      holiday: 5,
    },
    edgeTimes: [
      {
        date: "2023-01-01",
        hour: 0,
        minute: 20,
        second: 0,
        why: "1er janvier 0 h 20 à Paris (31 décembre en UTC)",
      },
      { date: "2023-03-15", hour: 18, minute: 0, second: 0, why: "18 h 00 pile : hors heures ouvrées" },
      { date: "2023-05-18", hour: 11, minute: 5, second: 0, why: "jeudi de l'Ascension, jour férié" },
      { date: "2023-05-29", hour: 9, minute: 30, second: 0, why: "lundi de Pentecôte, jour férié" },
      { date: "2023-07-14", hour: 10, minute: 15, second: 0, why: "vendredi 14 juillet, jour férié" },
    ],
    outOfScope: { not_health_is: 15, exercise: 3, duplicate: 4, other: 2 }, // 24 dont 3 exercices (publié)
    declarants: [
      // 462 structures, 61 avec plusieurs déclarations, 8 ES avec au moins 4 (publié) ;
      // 301 ES et 121 ESMS parmi les déclarants (rapport, p. 23)
      { kind: "es", multiplicity: 9, structures: 1 },
      { kind: "es", multiplicity: 7, structures: 1 },
      { kind: "es", multiplicity: 6, structures: 1 },
      { kind: "es", multiplicity: 5, structures: 2 },
      { kind: "es", multiplicity: 4, structures: 3 },
      { kind: "es", multiplicity: 3, structures: 28 },
      { kind: "es", multiplicity: 2, structures: 20 },
      { kind: "es", multiplicity: 1, structures: 245 },
      { kind: "esms", multiplicity: 2, structures: 4 },
      { kind: "esms", multiplicity: 1, structures: 117 },
      // « un groupe de laboratoires de biologie médicale » : 4 déclarations, pas un ES
      { kind: "lbm", multiplicity: 4, structures: 1 },
      { kind: "lbm", multiplicity: 1, structures: 13 },
      { kind: "radiotherapy", multiplicity: 1, structures: 8 },
      { kind: "grades", multiplicity: 1, structures: 4 },
      { kind: "other", multiplicity: 1, structures: 14 },
    ],
    regions: {
      // Occitanie 71, Hauts-de-France 67, Auvergne-Rhône-Alpes 55 (publié)
      ...METROPOLITAN_WEIGHTS_2023,
      "01": 7,
      "02": 6,
      "03": 3,
      "04": 11,
      "06": 2,
    },
    oseDeclaring: 87, // publié
    malicious: 279, // 50 % des 557 incidents du périmètre (publié)
    nonMalicious: 278,
    ransomware: 32, // publié, « équitablement réparties sur les 4 trimestres »
    maliciousTypeWeights: {
      account_compromise: 78,
      malicious_message: 52,
      vulnerability_exploitation: 30,
      is_compromise: 18,
      data_leak: 12,
      malware: 15,
      fraud: 14,
      denial_of_service: 6,
      defacement: 3,
      equipment_theft: 5,
      other: 14,
    },
    maliciousMulti: 45, // 16 % (publié)
    major: 17, // publié
    nonMaliciousTypes: {
      infrastructure_failure: 97, // 35 % (publié)
      telecom_loss: 92, // 33 % (publié)
      application_bug: 47, // 17 % (publié)
      power_outage: 14,
      human_error: 16,
      other: 12,
    },
    careInterrupted: 39, // « 19 % … ont subi une interruption »
    degradedCare: 164, // 203 prises en charge touchées (publié)
    degradedSupport: 59, // 53 % sans impact sur le fonctionnement
    endangermentPotential: 68, // publié
    endangermentActual: 1, // publié
    dataImpacts: {
      data_loss_or_unavailability: 245,
      none: 208,
      personal_info_disclosure: 114,
      structure_data_disclosure: 66,
      data_integrity: 55,
      other: 14,
    },
    dataImpactsTriple: 15,
    // 42 / 32 / 14 / 11 % des mentions, 24 % avec plusieurs catégories (publié)
    dataTypes: {
      personal_health: 162,
      personal_other: 123,
      technical_sensitive: 55,
      confidential_strategic: 44,
    },
    dataTypeIncidents: 300,
    dataTypeTwo: 60,
    dataTypeThree: 12,
    supportRequested: 165, // publié
    phoneOncall: 13, // « 13 incidents pris en charge par l'astreinte … 12 ont fait l'objet d'un appui technique »
    phoneWithTechnicalSupport: 12,
    technicalStructures: 93, // publié
    technicalExtraIncidents: 7,
    complementsAnswered: 70,
    unansweredStructures: 20, // publié
    // ANSSI auprès de 37 structures, FSSI de 23, 40 structures en tout (rapport, p. 18)
    authorities: { anssiOnly: 17, fssiOnly: 3, both: 20 },
    events: [
      {
        ref: "EV-2023-0001",
        month: 3,
        type: "infrastructure_failure",
        origin: "non_malicious",
        declarations: 12,
      },
      { ref: "EV-2023-0002", month: 6, type: "telecom_loss", origin: "non_malicious", declarations: 7 },
      { ref: "EV-2023-0003", month: 10, type: "malicious_message", origin: "malicious", declarations: 8 },
      {
        ref: "EV-2023-0004",
        month: 11,
        type: "vulnerability_exploitation",
        origin: "malicious",
        declarations: 5,
      },
    ],
  },
];

/** Structures flagged OSE that declare in no demo year of 2023 but did earlier (choisi). */
export const DEMO_EXTRA_OSE = 35;
