/**
 * The published figures the demo must reproduce, transcribed from the table « Published figures »
 * of `shared/spec/observatory.md` (CERT Santé, observatory 2023 and earlier editions) for the
 * tests of the demo — independently of the generator's plan. Percentages are as published
 * (integers): a share "matches" when it rounds to them.
 */

export interface PublishedDataImpacts {
  data_loss_or_unavailability: number;
  none: number;
  personal_info_disclosure: number;
  structure_data_disclosure: number;
  data_integrity: number;
  other: number;
}

export const PUBLISHED_DATA_IMPACTS: Readonly<Record<2021 | 2022 | 2023, PublishedDataImpacts>> = {
  2021: {
    data_loss_or_unavailability: 396,
    none: 221,
    personal_info_disclosure: 77,
    structure_data_disclosure: 41,
    data_integrity: 35,
    other: 4,
  },
  2022: {
    data_loss_or_unavailability: 213,
    none: 216,
    personal_info_disclosure: 117,
    structure_data_disclosure: 40,
    data_integrity: 51,
    other: 2,
  },
  2023: {
    data_loss_or_unavailability: 245,
    none: 208,
    personal_info_disclosure: 114,
    structure_data_disclosure: 66,
    data_integrity: 55,
    other: 14,
  },
};

export const PUBLISHED = {
  2021: { declared: 733, structures: 582 },
  2022: {
    declared: 592,
    monthlyMean: 49,
    structures: 432,
    supportRequested: 165,
    careAffected: 203,
    maliciousPercent: 50,
    major: 22,
    unansweredStructures: 11,
  },
  2023: {
    declared: 581,
    outOfScope: 24,
    exercises: 3,
    monthlyMean: 48,
    structures: 462,
    several: 61,
    esFourOrMore: 8,
    oseDeclaring: 87,
    businessHoursPercent: 89,
    supportRequested: 165,
    technicalStructures: 93,
    careAffected: 203,
    endangermentPotential: 68,
    endangermentActual: 1,
    maliciousPercent: 50,
    ransomware: 32,
    maliciousMultiPercent: 16,
    major: 17,
    unansweredStructures: 20,
    /** Occitanie, Hauts-de-France, Auvergne-Rhône-Alpes: the three regions with most declarations. */
    topRegions: [
      ["76", 71],
      ["32", 67],
      ["84", 55],
    ] as const,
    /** Pays de la Loire, 5.1 % of national hospital activity, has the highest ratio (index 100). */
    activityLeader: { region: "52", share: 0.051 },
    nonMaliciousPercent: { infrastructure_failure: 35, telecom_loss: 33, application_bug: 17 },
    /** Of the mentions of data types among incidents that touched data. */
    dataTypePercent: {
      personal_health: 42,
      personal_other: 32,
      technical_sensitive: 14,
      confidential_strategic: 11,
    },
    dataTypeSeveralPercent: 24,
  },
} as const;

/** True when `share` (0–1) is displayed as `percent` once rounded to a whole percent. */
export function roundsToPercent(share: number, percent: number): boolean {
  return Math.round(share * 100) === percent;
}
