import type { ObservatoryDocument } from "@vigie/contracts";
import { emptyObservatoryDocument, setHeatmap } from "../document-fixture.ts";

// Hand-made documents close to the published 2022 and 2023 figures (`shared/spec/observatory.md`),
// for the report's unit tests and previews.

export function sample2023(): ObservatoryDocument {
  const d = emptyObservatoryDocument(2023);
  d.incidents = {
    declared: 581,
    out_of_scope: 24,
    exercises: 3,
    in_scope: 557,
    by_month: [45, 50, 62, 44, 47, 49, 41, 38, 52, 55, 50, 48],
    monthly_mean: 581 / 12,
    by_quarter: [157, 140, 131, 153],
    by_channel: { portal: 540, phone_oncall: 13, email: 28, other: 0 },
  };
  d.declarants = { distinct: 462, es: 301, esms: 121, several: 61, es_four_or_more: 8, ose: 87 };
  d.timing.business_hours = 517;
  d.timing.business_hours_share = 517 / 581;
  setHeatmap(d, 1, 10, 30);
  setHeatmap(d, 0, 9, 25);
  setHeatmap(d, 5, 11, 3);
  d.state_at_declaration = { resolved: 150, in_progress: 185, support_needed: 196, unknown: 50 };
  d.support.requested = 165;
  d.support.requested_share = 165 / 581;
  d.support.requested_by_structure_type.es_public = 81;
  d.support.requested_by_structure_type.esms = 40;
  d.support.requested_by_structure_type.es_private_forprofit = 44;
  d.support.technical_structures = 93;
  d.support.technical_by_origin.malicious.ransomware = 20;
  d.support.technical_by_origin.malicious.account_compromise = 35;
  d.support.technical_by_origin.non_malicious.infrastructure_failure = 12;
  d.regions.counts = {
    ...d.regions.counts,
    "76": 71,
    "32": 67,
    "84": 55,
    "11": 50,
    "52": 48,
    "44": 45,
    "75": 44,
    "93": 40,
    "28": 35,
    "27": 34,
    "53": 30,
    "24": 25,
    "94": 5,
    "01": 4,
    "02": 3,
    "03": 2,
    "04": 3,
    "06": 0,
  };
  d.regions.activity_index = {
    "11": 45,
    "24": 60,
    "27": 95,
    "28": 80,
    "32": 81,
    "44": 55,
    "52": 100,
    "53": 62,
    "75": 50,
    "76": 82,
    "84": 58,
    "93": 52,
    "94": 70,
  };
  d.structure_types.counts = {
    ...d.structure_types.counts,
    es_public: 300,
    es_private_nonprofit: 50,
    es_private_forprofit: 60,
    army_hospital: 2,
    esms: 121,
    lbm: 20,
    radiotherapy: 5,
    grades: 3,
    other: 20,
  };
  d.structure_types.es_share = 412 / 581;
  d.data_impacts.counts = {
    data_loss_or_unavailability: 245,
    none: 208,
    personal_info_disclosure: 114,
    structure_data_disclosure: 66,
    data_integrity: 55,
    other: 14,
  };
  d.data_types = {
    counts: { personal_health: 120, personal_other: 91, technical_sensitive: 40, confidential_strategic: 31 },
    impacted_incidents: 230,
    multi_category_share: 55 / 230,
  };
  d.operational_impact = {
    counts: { none: 295, degraded_support: 59, degraded_care: 164, care_interrupted: 39 },
    patient_care_affected: 203,
    degraded_mode_mean_hours: 26.5,
  };
  d.patient_endangerment = { potential: 68, actual: 1 };
  d.origin = { counts: { malicious: 279, non_malicious: 278, undetermined: 0 }, malicious_share: 279 / 557 };
  d.malicious.types = {
    ...d.malicious.types,
    account_compromise: 80,
    malicious_message: 60,
    ransomware: 32,
    is_compromise: 30,
    data_leak: 25,
    malware: 20,
    vulnerability_exploitation: 28,
    fraud: 10,
    other: 15,
  };
  d.malicious.multi_qualified = 45;
  d.malicious.by_quarter = [70, 68, 72, 69];
  d.malicious.major = 17;
  d.non_malicious.types = {
    infrastructure_failure: 97,
    telecom_loss: 92,
    application_bug: 47,
    power_outage: 15,
    human_error: 12,
    other: 15,
  };
  d.non_malicious.by_quarter = [75, 65, 60, 78];
  d.complements = { requested: 120, unanswered_structures: 20 };
  d.authorities = { anssi_structures: 37, fssi_structures: 23 };
  // The 2023 observatory: 105 alerts published, more than 451 structures warned.
  d.publications = { alerts: 105 };
  d.watch = { structures_alerted: 451 };
  return d;
}

export function sample2022(): ObservatoryDocument {
  const d = emptyObservatoryDocument(2022);
  d.incidents = {
    declared: 592,
    out_of_scope: 20,
    exercises: 2,
    in_scope: 572,
    by_month: [50, 48, 52, 47, 49, 51, 45, 40, 50, 55, 52, 53],
    monthly_mean: 592 / 12,
    by_quarter: [150, 147, 135, 160],
    by_channel: { portal: 560, phone_oncall: 12, email: 20, other: 0 },
  };
  d.declarants = { distinct: 432, es: 290, esms: 110, several: 70, es_four_or_more: 9, ose: 80 };
  d.timing.business_hours = 438;
  d.timing.business_hours_share = 438 / 592;
  d.state_at_declaration = { resolved: 160, in_progress: 170, support_needed: 220, unknown: 42 };
  d.support.requested = 165;
  d.support.requested_share = 165 / 592;
  d.support.technical_structures = 90;
  d.structure_types.counts = {
    ...d.structure_types.counts,
    es_public: 310,
    esms: 110,
    es_private_forprofit: 70,
    other: 102,
  };
  d.structure_types.es_share = 380 / 592;
  d.data_impacts.counts = {
    data_loss_or_unavailability: 213,
    none: 216,
    personal_info_disclosure: 117,
    structure_data_disclosure: 40,
    data_integrity: 51,
    other: 2,
  };
  d.data_types = {
    counts: { personal_health: 100, personal_other: 80, technical_sensitive: 30, confidential_strategic: 20 },
    impacted_incidents: 200,
    multi_category_share: 0.2,
  };
  d.operational_impact = {
    counts: { none: 320, degraded_support: 49, degraded_care: 170, care_interrupted: 33 },
    patient_care_affected: 203,
    degraded_mode_mean_hours: 30,
  };
  d.patient_endangerment = { potential: 50, actual: 2 };
  d.origin = { counts: { malicious: 286, non_malicious: 280, undetermined: 6 }, malicious_share: 286 / 572 };
  d.malicious.types = {
    ...d.malicious.types,
    account_compromise: 85,
    malicious_message: 90,
    ransomware: 25,
    is_compromise: 28,
  };
  d.malicious.major = 22;
  d.non_malicious.types = {
    infrastructure_failure: 90,
    telecom_loss: 80,
    application_bug: 60,
    power_outage: 20,
    human_error: 15,
    other: 15,
  };
  d.complements = { requested: 100, unanswered_structures: 11 };
  d.authorities = { anssi_structures: 30, fssi_structures: 20 };
  // 2022: chosen for the comparison.
  d.publications = { alerts: 96 };
  d.watch = { structures_alerted: 402 };
  return d;
}
