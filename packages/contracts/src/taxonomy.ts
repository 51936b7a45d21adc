import { z } from "zod";

// Codes of `shared/spec/taxonomy.md` (v1). Codes never change; labels are the French texts shown.

function codes<const T extends readonly [string, ...string[]]>(values: T, labels: Record<T[number], string>) {
  return { schema: z.enum(values), values, labels };
}

export const channel = codes(["portal", "phone_oncall", "email", "other"], {
  portal: "Portail de signalement",
  phone_oncall: "Appel à l'astreinte",
  email: "Courriel",
  other: "Autre",
});

export const stateAtDeclaration = codes(["resolved", "in_progress", "support_needed", "unknown"], {
  resolved: "Résolu",
  in_progress: "En cours de résolution par nos équipes",
  support_needed: "Nous avons besoin de l'appui du CERT",
  unknown: "Je ne sais pas",
});

export const origin = codes(["malicious", "non_malicious", "undetermined"], {
  malicious: "Oui, origine malveillante",
  non_malicious: "Non, origine non malveillante",
  undetermined: "Je ne sais pas",
});

export const maliciousType = codes(
  [
    "account_compromise",
    "malicious_message",
    "ransomware",
    "is_compromise",
    "data_leak",
    "malware",
    "vulnerability_exploitation",
    "denial_of_service",
    "defacement",
    "equipment_theft",
    "fraud",
    "other",
  ],
  {
    account_compromise: "Compromission de comptes / vol d'identifiants (messagerie, VPN, AD, maintenance)",
    malicious_message: "Messages malveillants (hameçonnage, harponnage, malspam)",
    ransomware: "Rançongiciel",
    is_compromise: "Compromission du SI",
    data_leak: "Fuite de données",
    malware: "Logiciel malveillant / virus",
    vulnerability_exploitation: "Exploitation de vulnérabilité",
    denial_of_service: "Déni de service",
    defacement: "Défiguration de site web",
    equipment_theft: "Vol d'équipement",
    fraud: "Escroquerie / usurpation (faux ordres de virement, appels frauduleux)",
    other: "Autre (envoi de clés USB, tentative d'intrusion sans succès…)",
  },
);

export const nonMaliciousType = codes(
  ["infrastructure_failure", "telecom_loss", "application_bug", "power_outage", "human_error", "other"],
  {
    infrastructure_failure:
      "Dysfonctionnement de l'infrastructure (locale, hébergeur, prestataire SaaS, mise à jour)",
    telecom_loss: "Perte du lien télécom",
    application_bug: "Bug applicatif (DPI, prescription, dispensation…)",
    power_outage: "Coupure électrique",
    human_error: "Erreur humaine / de manipulation",
    other: "Autre (vulnérabilité non exploitée, faux positif…)",
  },
);

export const dataImpact = codes(
  [
    "data_loss_or_unavailability",
    "none",
    "personal_info_disclosure",
    "structure_data_disclosure",
    "data_integrity",
    "other",
  ],
  {
    data_loss_or_unavailability: "Perte de données ou impossibilité d'accéder à des données",
    none: "Aucun impact",
    personal_info_disclosure: "Divulgation ou accès non autorisé à des informations à caractère personnel",
    structure_data_disclosure: "Divulgation ou accès non autorisé à des données relatives à la structure",
    data_integrity: "Atteinte à l'intégrité des données",
    other: "Autre",
  },
);

export const dataType = codes(
  ["personal_health", "personal_other", "technical_sensitive", "confidential_strategic"],
  {
    personal_health: "Données de santé à caractère personnel",
    personal_other: "Informations à caractère personnel hors données patient (identifiants…)",
    technical_sensitive: "Données techniques sensibles",
    confidential_strategic: "Informations confidentielles ou stratégiques",
  },
);

export const operationalImpact = codes(["none", "degraded_support", "degraded_care", "care_interrupted"], {
  none: "Aucun impact",
  degraded_support: "Activités support en mode dégradé",
  degraded_care: "Prise en charge des patients en mode dégradé",
  care_interrupted: "Interruption de la prise en charge",
});

export const patientEndangerment = codes(["none", "potential", "actual"], {
  none: "Non",
  potential: "Potentiellement",
  actual: "Oui",
});

export const affectedSystem = codes(
  [
    "messaging",
    "active_directory",
    "patient_record",
    "imaging",
    "laboratory",
    "telephony",
    "network_telecom",
    "workstations",
    "servers",
    "website",
    "remote_access",
    "medical_devices",
    "provider_hosted",
  ],
  {
    messaging: "Messagerie",
    active_directory: "Active Directory",
    patient_record: "Dossier patient informatisé (DPI)",
    imaging: "Imagerie (PACS/RIS)",
    laboratory: "Laboratoire",
    telephony: "Téléphonie",
    network_telecom: "Réseau / télécoms",
    workstations: "Postes de travail",
    servers: "Serveurs",
    website: "Site web",
    remote_access: "Accès distants / VPN",
    medical_devices: "Dispositifs médicaux",
    provider_hosted: "Hébergeur / prestataire (SaaS)",
  },
);

export const filing = codes(["complaint", "cnil", "provider_engaged"], {
  complaint: "Plainte déposée",
  cnil: "Notification à la CNIL",
  provider_engaged: "Prestataire de réponse à incident mandaté",
});

export const tlp = codes(["clear", "green", "amber", "amber_strict", "red"], {
  clear: "TLP:CLEAR — diffusion libre",
  green: "TLP:GREEN — diffusion à la communauté",
  amber: "TLP:AMBER — diffusion limitée aux organisations concernées",
  amber_strict: "TLP:AMBER+STRICT — diffusion limitée à votre organisation",
  red: "TLP:RED — destinataires nommés uniquement",
});

export const siEffect = codes(["none", "low", "moderate", "important", "extreme"], {
  none: "Aucun",
  low: "Faible",
  moderate: "Modéré",
  important: "Important",
  extreme: "Extrême",
});

export const outOfScopeReason = codes(["not_health_is", "exercise", "duplicate", "other"], {
  not_health_is: "Hors SI de santé ou médico-social",
  exercise: "Exercice de crise cyber",
  duplicate: "Doublon",
  other: "Autre",
});

/** Authorities that may intervene directly for a structure (`authorities_involved`). */
export const authorityInvolved = codes(["anssi", "fssi"], {
  anssi: "ANSSI",
  fssi: "FSSI des ministères sociaux",
});

/** The CERT's wording of the origin (the declarant's form asks it as a question). */
export const certOriginLabels: Record<(typeof origin.values)[number], string> = {
  malicious: "Malveillante",
  non_malicious: "Non malveillante",
  undetermined: "Indéterminée",
};

/** "Patient care affected" (taxonomy): degraded or interrupted care. */
export function careAffected(impact: z.infer<typeof operationalImpact.schema> | null | undefined): boolean {
  return impact === "degraded_care" || impact === "care_interrupted";
}
