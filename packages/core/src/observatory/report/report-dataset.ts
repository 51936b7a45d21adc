import { type IncidentRecord, type IncidentRecordInput, IncidentRecordSchema } from "@vigie/contracts";
import { withFinessCheckDigit } from "../../directory/finess.ts";

// A small, hand-written dataset in `vigie.incident/1` for the report's integration, command-line,
// API and browser tests: 12 declarations in 2023 and 8 in 2022, in Occitanie (76),
// Hauts-de-France (32), Île-de-France (11) and Auvergne-Rhône-Alpes (84, 2022 only). Its
// figures are worked out by hand in `REPORT_DATASET_FACTS`.

interface Structure {
  finess_et: string;
  name: string;
  type: "es_public" | "es_private_forprofit" | "esms" | "lbm";
  region: string;
  department: string;
  ose?: boolean;
}

const structures = {
  chToulouse: {
    finess_et: withFinessCheckDigit("31000101"),
    name: "CH de Toulouse-Nord",
    type: "es_public",
    region: "76",
    department: "31",
  },
  cliniqueMontpellier: {
    finess_et: withFinessCheckDigit("34000102"),
    name: "Clinique du Lez",
    type: "es_private_forprofit",
    region: "76",
    department: "34",
  },
  ehpadAlbi: {
    finess_et: withFinessCheckDigit("81000103"),
    name: "EHPAD Les Cèdres",
    type: "esms",
    region: "76",
    department: "81",
  },
  chLille: {
    finess_et: withFinessCheckDigit("59000104"),
    name: "CH de Lille-Sud",
    type: "es_public",
    region: "32",
    department: "59",
    ose: true,
  },
  laboAmiens: {
    finess_et: withFinessCheckDigit("80000105"),
    name: "Laboratoire de la Somme",
    type: "lbm",
    region: "32",
    department: "80",
  },
  chParis: {
    finess_et: withFinessCheckDigit("75000106"),
    name: "Hôpital Saint-Vigie",
    type: "es_public",
    region: "11",
    department: "75",
  },
  ehpadCreteil: {
    finess_et: withFinessCheckDigit("94000107"),
    name: "EHPAD Le Verger",
    type: "esms",
    region: "11",
    department: "94",
  },
  chLyon: {
    finess_et: withFinessCheckDigit("69000108"),
    name: "CH de Lyon-Est",
    type: "es_public",
    region: "84",
    department: "69",
  },
} satisfies Record<string, Structure>;

function record(
  reference: string,
  declaredAt: string,
  structure: Structure,
  fields: Partial<IncidentRecordInput> = {},
) {
  return IncidentRecordSchema.parse({
    reference,
    declared_at: declaredAt,
    structure,
    title: `Incident ${reference}`,
    ...fields,
  });
}

/** The records, 2022 then 2023. */
export function reportDatasetRecords(): IncidentRecord[] {
  const s = structures;
  return [
    // ——— 2022: 8 declarations (76: 4, 32: 2, 84: 2) ———
    record("CS-2022-000001", "2022-02-08T10:00:00+01:00", s.chToulouse, {
      origin: "malicious",
      malicious_types: ["ransomware"],
      si_effect: "important",
      data_impacts: ["data_loss_or_unavailability"],
      operational_impact: "degraded_care",
      support_requested: true,
    }),
    record("CS-2022-000002", "2022-03-15T14:00:00+01:00", s.chToulouse, {
      origin: "non_malicious",
      non_malicious_types: ["telecom_loss"],
      data_impacts: ["none"],
      operational_impact: "none",
    }),
    record("CS-2022-000003", "2022-05-10T11:00:00+02:00", s.cliniqueMontpellier, {
      origin: "malicious",
      malicious_types: ["malicious_message"],
      data_impacts: ["none"],
      operational_impact: "none",
    }),
    record("CS-2022-000004", "2022-06-14T21:00:00+02:00", s.ehpadAlbi, {
      origin: "non_malicious",
      non_malicious_types: ["application_bug"],
      operational_impact: "degraded_support",
    }),
    record("CS-2022-000005", "2022-09-13T10:30:00+02:00", s.chLille, {
      origin: "malicious",
      malicious_types: ["account_compromise"],
      si_effect: "extreme",
      operational_impact: "care_interrupted",
      support_requested: true,
    }),
    record("CS-2022-000006", "2022-10-11T15:00:00+02:00", s.laboAmiens, {
      origin: "non_malicious",
      non_malicious_types: ["infrastructure_failure"],
      operational_impact: "none",
    }),
    record("CS-2022-000007", "2022-11-08T09:15:00+01:00", s.chLyon, {
      out_of_scope: true,
      out_of_scope_reason: "not_health_is",
    }),
    record("CS-2022-000008", "2022-12-06T16:45:00+01:00", s.chLyon, {
      origin: "malicious",
      malicious_types: ["fraud"],
      operational_impact: "none",
    }),

    // ——— 2023: 12 declarations (76: 5, 32: 4, 11: 3) ———
    record("CS-2023-000001", "2023-01-10T10:00:00+01:00", s.chToulouse, {
      state_at_declaration: "support_needed",
      support_requested: true,
      origin: "malicious",
      malicious_types: ["ransomware", "is_compromise"],
      si_effect: "extreme",
      data_impacts: ["data_loss_or_unavailability"],
      operational_impact: "care_interrupted",
      degraded_mode_hours: 48,
      patient_endangerment: "potential",
      technical_support_provided: true,
      authorities_involved: ["anssi"],
    }),
    record("CS-2023-000002", "2023-02-14T15:30:00+01:00", s.chToulouse, {
      state_at_declaration: "in_progress",
      origin: "malicious",
      malicious_types: ["account_compromise"],
      si_effect: "moderate",
      data_impacts: ["personal_info_disclosure"],
      data_types: ["personal_other"],
      operational_impact: "none",
    }),
    // Friday 20:45: out of business hours.
    record("CS-2023-000003", "2023-03-03T20:45:00+01:00", s.cliniqueMontpellier, {
      state_at_declaration: "resolved",
      origin: "non_malicious",
      non_malicious_types: ["telecom_loss"],
      data_impacts: ["data_loss_or_unavailability"],
      operational_impact: "degraded_care",
      degraded_mode_hours: 6,
    }),
    // Saturday.
    record("CS-2023-000004", "2023-04-15T11:00:00+02:00", s.ehpadAlbi, {
      channel: "email",
      state_at_declaration: "resolved",
      origin: "malicious",
      malicious_types: ["malicious_message"],
      data_impacts: ["none"],
      operational_impact: "none",
    }),
    record("CS-2023-000005", "2023-05-09T09:30:00+02:00", s.chToulouse, {
      out_of_scope: true,
      out_of_scope_reason: "exercise",
    }),
    record("CS-2023-000006", "2023-06-06T14:00:00+02:00", s.chLille, {
      state_at_declaration: "support_needed",
      support_requested: true,
      origin: "malicious",
      malicious_types: ["ransomware"],
      si_effect: "important",
      data_impacts: ["data_loss_or_unavailability", "personal_info_disclosure"],
      data_types: ["personal_health", "technical_sensitive"],
      operational_impact: "degraded_care",
      degraded_mode_hours: 30,
      patient_endangerment: "actual",
      technical_support_provided: true,
      authorities_involved: ["anssi", "fssi"],
      complement_requested_at: "2023-06-07T10:00:00+02:00",
    }),
    record("CS-2023-000007", "2023-07-11T10:00:00+02:00", s.chLille, {
      state_at_declaration: "in_progress",
      origin: "non_malicious",
      non_malicious_types: ["infrastructure_failure"],
      data_impacts: ["none"],
      operational_impact: "degraded_support",
    }),
    record("CS-2023-000008", "2023-09-12T16:00:00+02:00", s.laboAmiens, {
      origin: "non_malicious",
      non_malicious_types: ["application_bug"],
      operational_impact: "degraded_care",
      patient_endangerment: "potential",
    }),
    // Tuesday 8:30: before business hours.
    record("CS-2023-000009", "2023-10-03T08:30:00+02:00", s.laboAmiens, {
      out_of_scope: true,
      out_of_scope_reason: "not_health_is",
    }),
    record("CS-2023-000010", "2023-11-07T10:00:00+01:00", s.chParis, {
      origin: "malicious",
      malicious_types: ["data_leak", "account_compromise"],
      si_effect: "low",
      data_impacts: ["personal_info_disclosure", "structure_data_disclosure"],
      data_types: ["personal_health", "personal_other", "confidential_strategic"],
      operational_impact: "none",
      complement_requested_at: "2023-11-08T10:00:00+01:00",
      complement_answered_at: "2023-11-09T10:00:00+01:00",
    }),
    record("CS-2023-000011", "2023-11-21T11:00:00+01:00", s.chParis, {
      channel: "phone_oncall",
      support_requested: true,
    }),
    // Christmas day: a public holiday.
    record("CS-2023-000012", "2023-12-25T10:00:00+01:00", s.ehpadCreteil, {
      origin: "non_malicious",
      non_malicious_types: ["power_outage"],
      operational_impact: "none",
    }),
  ];
}

/** The dataset's figures, worked out by hand from the records above. */
export const REPORT_DATASET_FACTS = {
  declared: { 2022: 8, 2023: 12 },
  /** 2023: the exercise (5) and the laboratory's not-health IS (9). */
  outOfScope2023: 2,
  /** 2023: 12 − 4 (3 at 20:45, 4 on a Saturday, 9 at 8:30, 12 on Christmas day). */
  businessHours2023: 8,
  /** 2023: records 1 and 6; 2022: record 1. */
  ransomware: { 2022: 1, 2023: 2 },
  /** Occitanie: 4 in 2022, 5 in 2023. */
  occitanie: { 2022: 4, 2023: 5 },
  /** Île-de-France: none in 2022, 3 in 2023. */
  ileDeFrance: { 2022: 0, 2023: 3 },
} as const;
