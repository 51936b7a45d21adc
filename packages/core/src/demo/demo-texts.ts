import type { IncidentRecord } from "@vigie/contracts";
import type { Random } from "./random.ts";

type MaliciousType = IncidentRecord["malicious_types"][number];
type NonMaliciousType = IncidentRecord["non_malicious_types"][number];
type OutOfScopeReason = NonNullable<IncidentRecord["out_of_scope_reason"]>;
type AffectedSystem = IncidentRecord["affected_systems"][number];

/** Titles and descriptions of the demo declarations, in French, per type. */

const MALICIOUS_TEXTS: Record<MaliciousType, ReadonlyArray<readonly [string, string]>> = {
  ransomware: [
    [
      "Chiffrement de serveurs par un rançongiciel",
      "Fichiers chiffrés et note de rançon découverts sur les serveurs ; serveurs isolés du réseau, activité en mode dégradé.",
    ],
    [
      "Attaque par rançongiciel",
      "Postes et serveurs inaccessibles, extension de fichiers modifiée ; revendication d'exfiltration de données.",
    ],
  ],
  account_compromise: [
    [
      "Compromission de comptes de messagerie",
      "Envoi massif de courriels d'hameçonnage depuis des boîtes internes ; mots de passe réinitialisés.",
    ],
    [
      "Connexions VPN suspectes avec un compte légitime",
      "Connexions depuis l'étranger avec les identifiants d'un agent ; compte désactivé, journaux conservés.",
    ],
  ],
  malicious_message: [
    [
      "Campagne d'hameçonnage",
      "Faux message de la DSI demandant les identifiants des agents ; expéditeur bloqué à la passerelle.",
    ],
    [
      "Courriels piégés reçus par plusieurs services",
      "Pièce jointe malveillante reçue par une dizaine d'agents ; aucune ouverture constatée.",
    ],
  ],
  is_compromise: [
    [
      "Compromission d'un serveur",
      "Comptes à privilèges créés sur un serveur applicatif ; investigations en cours avec le prestataire.",
    ],
  ],
  data_leak: [
    [
      "Fuite de données patients",
      "Extraction de données publiée sur un forum ; analyse du périmètre des données exposées en cours.",
    ],
  ],
  malware: [
    [
      "Logiciel malveillant détecté sur des postes",
      "L'antivirus a détecté un code malveillant sur plusieurs postes ; postes isolés et réinstallés.",
    ],
  ],
  vulnerability_exploitation: [
    [
      "Exploitation d'une vulnérabilité du pare-feu",
      "Tentatives d'exploitation réussies sur l'accès VPN exposé ; correctif appliqué en urgence.",
    ],
    [
      "Exploitation d'une vulnérabilité du portail d'accès distant",
      "Sessions détournées sur la passerelle d'accès distant ; mise à jour et révocation des sessions.",
    ],
  ],
  denial_of_service: [
    [
      "Déni de service sur le site internet",
      "Site institutionnel indisponible plusieurs heures sous un afflux de requêtes.",
    ],
  ],
  defacement: [
    [
      "Défiguration du site internet",
      "Page d'accueil remplacée par un message revendicatif ; site restauré.",
    ],
  ],
  equipment_theft: [
    [
      "Vol d'un ordinateur portable",
      "Ordinateur portable d'un médecin volé dans un véhicule ; disque non chiffré.",
    ],
  ],
  fraud: [
    [
      "Tentative de fraude au faux fournisseur",
      "Demande de changement de coordonnées bancaires d'un fournisseur par courriel usurpé ; aucun virement effectué.",
    ],
  ],
  other: [
    [
      "Clés USB reçues par courrier",
      "Clés USB anonymes reçues par plusieurs services ; remises au RSSI sans avoir été branchées.",
    ],
  ],
};

const NON_MALICIOUS_TEXTS: Record<NonMaliciousType, ReadonlyArray<readonly [string, string]>> = {
  infrastructure_failure: [
    [
      "Indisponibilité de l'hébergeur de solutions métier",
      "Applications hébergées inaccessibles à la suite d'un incident chez l'hébergeur ; procédures dégradées activées.",
    ],
    [
      "Panne après une mise à jour du système de stockage",
      "La baie de stockage est tombée après une mise à jour ; DPI et messagerie indisponibles.",
    ],
  ],
  telecom_loss: [
    [
      "Perte du lien télécom",
      "Coupure de la liaison opérateur : plus d'accès au DPI ni à la téléphonie sur le site.",
    ],
    [
      "Coupure de la téléphonie des urgences",
      "Numéros des urgences injoignables pendant la panne de l'opérateur ; renvoi d'appels mis en place.",
    ],
  ],
  application_bug: [
    [
      "Dysfonctionnement du logiciel de prescription",
      "Doses affichées de manière erronée après une mise à jour de l'éditeur ; vigilance renforcée des soignants.",
    ],
    [
      "Bug du dossier patient informatisé",
      "Résultats de laboratoire non intégrés au DPI depuis la nuit ; correctif attendu de l'éditeur.",
    ],
  ],
  power_outage: [
    [
      "Coupure électrique de la salle serveurs",
      "Coupure électrique prolongée ; onduleurs épuisés, arrêt brutal des serveurs.",
    ],
  ],
  human_error: [
    [
      "Suppression accidentelle de données",
      "Suppression par erreur d'un répertoire partagé ; restauration depuis la sauvegarde de la veille.",
    ],
  ],
  other: [
    [
      "Alerte de sécurité levée à tort",
      "Comportement inhabituel d'un serveur signalé par l'EDR ; faux positif après investigation.",
    ],
  ],
};

const OUT_OF_SCOPE_TEXTS: Record<OutOfScopeReason, readonly [string, string]> = {
  not_health_is: [
    "Panne du système de contrôle d'accès du parking",
    "Le système de badges du parking du personnel ne fonctionne plus ; aucun lien avec le système d'information de santé.",
  ],
  exercise: [
    "Exercice de crise cyber",
    "Déclaration réalisée dans le cadre d'un exercice de crise cyber de l'établissement.",
  ],
  duplicate: ["Doublon d'une déclaration", "Même incident que la déclaration transmise la veille."],
  other: ["Demande d'information", "Question sur la déclaration des incidents, sans incident à signaler."],
};

const UNDETERMINED_TEXT = [
  "Comportement anormal du système d'information",
  "Lenteurs et redémarrages inexpliqués de plusieurs serveurs ; l'origine n'a pas pu être établie.",
] as const;

/** A title and description for an incident of this origin and type. */
export function incidentTexts(
  random: Random,
  incident: {
    outOfScope: OutOfScopeReason | null;
    maliciousType: MaliciousType | undefined;
    nonMaliciousType: NonMaliciousType | undefined;
  },
): { title: string; description: string } {
  let pair: readonly [string, string];
  if (incident.outOfScope) pair = OUT_OF_SCOPE_TEXTS[incident.outOfScope];
  else if (incident.maliciousType) pair = random.pick(MALICIOUS_TEXTS[incident.maliciousType]);
  else if (incident.nonMaliciousType) pair = random.pick(NON_MALICIOUS_TEXTS[incident.nonMaliciousType]);
  else pair = UNDETERMINED_TEXT;
  return { title: pair[0], description: pair[1] };
}

/** Systems a type of incident usually touches. */
export const SYSTEMS_BY_TYPE: Readonly<Record<string, readonly AffectedSystem[][]>> = {
  ransomware: [
    ["servers", "workstations", "active_directory"],
    ["servers", "imaging"],
  ],
  account_compromise: [["messaging"], ["remote_access", "active_directory"]],
  malicious_message: [["messaging"]],
  is_compromise: [["servers", "active_directory"]],
  data_leak: [["provider_hosted"], ["servers"]],
  malware: [["workstations"]],
  vulnerability_exploitation: [["remote_access"], ["website"]],
  denial_of_service: [["website"]],
  defacement: [["website"]],
  equipment_theft: [["workstations"]],
  fraud: [["messaging", "telephony"]],
  "malicious:other": [["workstations"]],
  infrastructure_failure: [["provider_hosted", "patient_record"], ["servers"]],
  telecom_loss: [["network_telecom", "telephony"]],
  application_bug: [["patient_record"], ["laboratory"], ["imaging"]],
  power_outage: [["servers", "network_telecom"]],
  human_error: [["servers"], ["patient_record"]],
  "non_malicious:other": [["servers"]],
};
