import { type ObservatoryDocument, ObservatoryDocumentSchema } from "@vigie/contracts";

// Hand-made observatory documents for the chart tests, shaped like the 2023 report's figures
// (581 declarations, 24 out of scope…) and validated by the contract's schema.

/** A 7 × 24 heat map with `total` declarations spread over working hours, a few at night. */
function heatmapOf(total: number): number[][] {
  const grid = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  let left = total;
  let i = 0;
  while (left > 0) {
    const day = i % 5;
    const hour = 9 + ((i * 7) % 9);
    const row = grid[day];
    if (row) row[hour] = (row[hour] ?? 0) + 1;
    left--;
    i++;
    if (left > 0 && i % 11 === 0) {
      const weekend = grid[5 + (i % 2)];
      if (weekend) weekend[20] = (weekend[20] ?? 0) + 1;
      left--;
    }
  }
  return grid;
}

/** Twelve months summing to `total`. */
function monthsOf(total: number, seed: number): number[] {
  const weights = Array.from({ length: 12 }, (_, m) => 8 + ((m * 5 + seed) % 7));
  const sumWeights = weights.reduce((a, b) => a + b, 0);
  const months = weights.map((w) => Math.floor((w * total) / sumWeights));
  months[0] = (months[0] ?? 0) + total - months.reduce((a, b) => a + b, 0);
  return months;
}

/** A national document shaped like the 2023 report, scaled by `declared`. */
export function sampleDocument(
  year: number,
  declared = 581,
  overrides: { region?: string | null; activityIndex?: boolean } = {},
): ObservatoryDocument {
  const outOfScope = Math.round(declared * 0.041);
  const inScope = declared - outOfScope;
  const malicious = Math.round(inScope * 0.5);
  const nonMalicious = inScope - malicious - 7;
  const region = overrides.region ?? null;
  const regions: Record<string, number> = {
    "11": 40,
    "24": 20,
    "27": 41,
    "28": 38,
    "32": 67,
    "44": 45,
    "52": 48,
    "53": 30,
    "75": 50,
    "76": 71,
    "84": 55,
    "93": 37,
    "94": 5,
    "01": 4,
    "02": 3,
    "03": 2,
    "04": 4,
    "06": 1,
  };
  for (const code of Object.keys(regions)) {
    regions[code] = region === null ? Math.round(((regions[code] ?? 0) * declared) / 581) : 0;
  }
  const regionTotal = Object.values(regions).reduce((a, b) => a + b, 0);
  const home = region ?? "11";
  regions[home] = (regions[home] ?? 0) + declared - regionTotal;
  const requested = Math.round(declared * 0.284);
  const requestedOthers = [0.12, 0.15, 0.01, 0.18, 0.03, 0.01, 0.01, 0.01].map((s) =>
    Math.round(requested * s),
  );
  const [nonprofit, forprofit, army, esms, lbm, radiotherapy, grades, otherType] = requestedOthers;
  const byQuarter = (n: number) => [
    Math.floor(n / 4) + (n % 4),
    Math.floor(n / 4),
    Math.floor(n / 4),
    Math.floor(n / 4),
  ];
  const months = monthsOf(declared, year);
  const doc: ObservatoryDocument = {
    format: "vigie.observatory/1",
    year,
    region,
    incidents: {
      declared,
      out_of_scope: outOfScope,
      exercises: 3,
      in_scope: inScope,
      by_month: months,
      monthly_mean: declared / 12,
      by_quarter: [0, 1, 2, 3].map((q) => months.slice(q * 3, q * 3 + 3).reduce((a, b) => a + b, 0)),
      by_channel: { portal: declared - 20, phone_oncall: 13, email: 7, other: 0 },
    },
    declarants: { distinct: 462, es: 301, esms: 121, several: 61, es_four_or_more: 8, ose: 87 },
    timing: {
      business_hours: Math.round(declared * 0.89),
      business_hours_share: 0.89,
      heatmap: heatmapOf(declared),
    },
    state_at_declaration: {
      resolved: Math.round(declared * 0.3),
      in_progress: Math.round(declared * 0.3),
      support_needed: Math.round(declared * 0.34),
      unknown: declared - Math.round(declared * 0.3) * 2 - Math.round(declared * 0.34),
    },
    support: {
      requested,
      requested_share: requested / declared,
      requested_by_structure_type: {
        es_public: requested - requestedOthers.reduce((a, b) => a + b, 0),
        es_private_nonprofit: nonprofit ?? 0,
        es_private_forprofit: forprofit ?? 0,
        army_hospital: army ?? 0,
        esms: esms ?? 0,
        lbm: lbm ?? 0,
        radiotherapy: radiotherapy ?? 0,
        grades: grades ?? 0,
        other: otherType ?? 0,
      },
      technical_structures: 93,
      technical_by_origin: {
        malicious: {
          account_compromise: 20,
          malicious_message: 5,
          ransomware: 25,
          is_compromise: 15,
          data_leak: 6,
          malware: 4,
          vulnerability_exploitation: 9,
          denial_of_service: 1,
          defacement: 0,
          equipment_theft: 0,
          fraud: 2,
          other: 1,
        },
        non_malicious: {
          infrastructure_failure: 8,
          telecom_loss: 3,
          application_bug: 2,
          power_outage: 1,
          human_error: 0,
          other: 1,
        },
      },
    },
    regions: {
      counts: regions,
      activity_index:
        overrides.activityIndex === false
          ? null
          : {
              "11": 31.5,
              "24": 48.2,
              "27": 87.4,
              "28": 76.1,
              "32": 77,
              "44": 61,
              "52": 100,
              "53": 58.3,
              "75": 57.9,
              "76": 77.2,
              "84": 49.9,
              "93": 45.5,
              "94": 60,
            },
    },
    structure_types: {
      counts: {
        es_public: Math.round(declared * 0.5),
        es_private_nonprofit: Math.round(declared * 0.09),
        es_private_forprofit: Math.round(declared * 0.11),
        army_hospital: Math.round(declared * 0.01),
        esms: Math.round(declared * 0.21),
        lbm: Math.round(declared * 0.03),
        radiotherapy: Math.round(declared * 0.01),
        grades: Math.round(declared * 0.02),
        other:
          declared -
          [0.5, 0.09, 0.11, 0.01, 0.21, 0.03, 0.01, 0.02].reduce((a, s) => a + Math.round(declared * s), 0),
      },
      es_share: 0.71,
    },
    data_impacts: {
      counts: {
        data_loss_or_unavailability: 245,
        none: 208,
        personal_info_disclosure: 114,
        structure_data_disclosure: 66,
        data_integrity: 55,
        other: 14,
      },
    },
    data_types: {
      counts: {
        personal_health: 130,
        personal_other: 99,
        technical_sensitive: 43,
        confidential_strategic: 34,
      },
      impacted_incidents: 246,
      multi_category_share: 0.24,
    },
    operational_impact: {
      counts: { none: 295, degraded_support: 59, degraded_care: 164, care_interrupted: 39 },
      patient_care_affected: 203,
      degraded_mode_mean_hours: 26.5,
    },
    patient_endangerment: { potential: 68, actual: 1 },
    origin: {
      counts: { malicious, non_malicious: nonMalicious, undetermined: 7 },
      malicious_share: malicious / inScope,
    },
    malicious: {
      types: {
        account_compromise: 80,
        malicious_message: 52,
        ransomware: 32,
        is_compromise: 40,
        data_leak: 25,
        malware: 12,
        vulnerability_exploitation: 30,
        denial_of_service: 6,
        defacement: 2,
        equipment_theft: 3,
        fraud: 14,
        other: 20,
      },
      multi_qualified: Math.round(malicious * 0.16),
      by_quarter: byQuarter(malicious),
      major: 17,
    },
    non_malicious: {
      types: {
        infrastructure_failure: Math.round(nonMalicious * 0.35),
        telecom_loss: Math.round(nonMalicious * 0.33),
        application_bug: Math.round(nonMalicious * 0.17),
        power_outage: 12,
        human_error: 9,
        other: 15,
      },
      by_quarter: byQuarter(nonMalicious),
    },
    complements: { requested: 60, unanswered_structures: 20 },
    authorities: { anssi_structures: 37, fssi_structures: 23 },
    publications: { alerts: 105 },
    watch: { structures_alerted: 451 },
  };
  return ObservatoryDocumentSchema.parse(doc);
}

export { emptyObservatoryDocument as emptyDocument } from "../document-fixture.ts";

export const REGION_NAMES: Record<string, string> = {
  "11": "Île-de-France",
  "24": "Centre-Val de Loire",
  "27": "Bourgogne-Franche-Comté",
  "28": "Normandie",
  "32": "Hauts-de-France",
  "44": "Grand Est",
  "52": "Pays de la Loire",
  "53": "Bretagne",
  "75": "Nouvelle-Aquitaine",
  "76": "Occitanie",
  "84": "Auvergne-Rhône-Alpes",
  "93": "Provence-Alpes-Côte d'Azur",
  "94": "Corse",
  "01": "Guadeloupe",
  "02": "Martinique",
  "03": "Guyane",
  "04": "La Réunion",
  "06": "Mayotte",
};
