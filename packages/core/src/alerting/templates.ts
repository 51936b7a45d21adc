import {
  type AlertRule,
  type AlertTarget,
  alertTargetLabels,
  certOriginLabels,
  dataImpact,
  dataType,
  maliciousType,
  nonMaliciousType,
  operationalImpact,
  patientEndangerment,
  type RuleFact,
  ruleFactLabels,
  type StructureType,
  siEffect,
  structureTypeLabels,
  tlp as tlpCodes,
} from "@vigie/contracts";
import { PARIS_TIME_ZONE } from "../time/paris-time.ts";
import type { CaseFacts } from "./facts.ts";

/** The TLP levels a message to an authority may carry (never red). */
export type SendableTlp = "clear" | "green" | "amber" | "amber_strict";
/** Any TLP level (a TLP:RED case shows its proposals, blocked). */
export type AnyTlp = SendableTlp | "red";

/** What an alert to an authority is made of: coded values only, never the declarant's words. */
export interface AlertTemplateInput {
  target: AlertTarget;
  reference: string;
  declaredAt: Date;
  /** Set once the CERT qualified the case (the facts are then its qualification). */
  qualifiedAt: Date | null;
  facts: CaseFacts;
  /** The region's name (reference table `regions`). */
  regionName: string | null;
  /** The structure's name: given to the ARS only. */
  structureName: string;
  /** The CERT's own summary of its qualification. */
  qualificationSummary: string | null;
  tlp: AnyTlp;
  /** The rules that proposed the alert (their labels say why). */
  rules: readonly AlertRule[];
}

export interface AlertMessage {
  subject: string;
  body: string;
}

/** « TLP:AMBER », « TLP:AMBER+STRICT »… the marking a message carries. */
export function tlpMarking(level: AnyTlp): string {
  return tlpCodes.labels[level].split(" — ")[0] ?? `TLP:${level.toUpperCase()}`;
}

const parisDateTime = new Intl.DateTimeFormat("fr-FR", {
  timeZone: PARIS_TIME_ZONE,
  dateStyle: "short",
  timeStyle: "short",
});

/** The labels of each fact's codes, for the message. */
const codeLabels: Partial<Record<RuleFact, Record<string, string>>> = {
  origin: certOriginLabels,
  malicious_types: maliciousType.labels,
  non_malicious_types: nonMaliciousType.labels,
  si_effect: siEffect.labels,
  operational_impact: operationalImpact.labels,
  patient_endangerment: patientEndangerment.labels,
  data_impacts: dataImpact.labels,
  data_types: dataType.labels,
};

/** The facts the message lists, in this order. */
const listedFacts: RuleFact[] = [
  "origin",
  "malicious_types",
  "non_malicious_types",
  "si_effect",
  "operational_impact",
  "patient_endangerment",
  "data_impacts",
  "data_types",
];

/** Why each target receives the message: its first paragraph. */
const introByTarget: Record<AlertTarget, string> = {
  fssi:
    "Le CERT Santé porte à la connaissance du FSSI des ministères sociaux un incident de sécurité " +
    "des systèmes d'information d'une structure de santé, qu'il estime majeur.",
  dgs_corruss:
    "Le CERT Santé informe la DGS (CORRUSS) d'un incident de sécurité des systèmes d'information " +
    "ayant des conséquences sur la prise en charge des patients.",
  health_agency:
    "Le CERT Santé informe les agences sanitaires d'un incident de sécurité des systèmes " +
    "d'information à impact majeur sur la prise en charge des patients.",
  anssi:
    "Le CERT Santé informe l'ANSSI d'un incident de sécurité des systèmes d'information touchant " +
    "une structure du secteur de la santé.",
  ars: "Le CERT Santé informe l'ARS d'un incident de sécurité des systèmes d'information déclaré par une structure de votre région.",
};

/** Short subject of each target. */
const subjectByTarget: Record<AlertTarget, string> = {
  fssi: "incident majeur",
  dgs_corruss: "incident affectant la prise en charge des patients",
  health_agency: "incident à impact majeur sur la prise en charge",
  anssi: "incident de sécurité",
  ars: "incident déclaré dans votre région",
};

/** What the origin makes of the incident, in the subject and in the body. */
function originWords(facts: CaseFacts): { subject: string; sentence: string } {
  switch (facts.values.origin[0]) {
    case "malicious":
      return { subject: "origine malveillante", sentence: "L'incident est d'origine malveillante." };
    case "non_malicious":
      return {
        subject: "origine non malveillante",
        sentence: "L'incident n'est pas d'origine malveillante.",
      };
    default:
      return {
        subject: "origine indéterminée",
        sentence: "L'origine de l'incident n'est pas encore déterminée.",
      };
  }
}

function factLine(fact: RuleFact, codes: readonly string[]): string {
  const labels = codeLabels[fact] ?? {};
  const text = codes.length === 0 ? "non renseigné" : codes.map((code) => labels[code] ?? code).join(" ; ");
  return `- ${ruleFactLabels[fact]} : ${text}`;
}

/**
 * The French message of an alert to a target: subject and body carry the TLP marking, the
 * reference, the structure's type and region (its name for the ARS only), the coded
 * qualification and impacts with their labels, and the CERT's summary. Never the declarant's
 * description, contact details or attachments, nor a link into Vigie.
 */
export function renderAlert(input: AlertTemplateInput): AlertMessage {
  const marking = tlpMarking(input.tlp);
  const origin = originWords(input.facts);
  const region = input.regionName ?? "région non renseignée";
  const structureType = input.facts.values.structure_type[0] ?? "other";
  const typeLabel = structureTypeLabels[structureType as StructureType] ?? structureType;
  const subject = `[${marking}] CERT Santé — ${input.reference} — ${subjectByTarget[input.target]}, ${origin.subject} (${region})`;

  const structureLines = [
    `- Référence : ${input.reference}`,
    `- Type de structure : ${typeLabel}`,
    `- Région : ${region}`,
    ...(input.target === "ars" ? [`- Structure : ${input.structureName}`] : []),
  ];
  const statuses = [
    ...(input.facts.flags.ose ? ["opérateur de services essentiels (OSE)"] : []),
    ...(input.facts.flags.oiv ? ["opérateur d'importance vitale (OIV)"] : []),
  ];
  if (statuses.length > 0) structureLines.push(`- Statut de la structure : ${statuses.join(", ")}`);
  structureLines.push(`- Déclaré le : ${parisDateTime.format(input.declaredAt)} (heure de Paris)`);

  const qualificationIntro = input.qualifiedAt
    ? `Qualification du CERT Santé (${parisDateTime.format(input.qualifiedAt)}) :`
    : "Le CERT Santé n'a pas encore qualifié l'incident ; valeurs déclarées par la structure :";
  const factLines = listedFacts
    .filter((fact) => input.facts.values[fact].length > 0 || fact === "operational_impact")
    .map((fact) => factLine(fact, input.facts.values[fact]));
  if (input.facts.flags.other_sectors_risk) factLines.push("- Peut toucher d'autres secteurs : oui");

  const summary =
    input.qualifiedAt && input.qualificationSummary ? input.qualificationSummary : "Analyse en cours.";
  const reasons =
    input.rules.length > 0
      ? `\nCritères d'alerte retenus :\n${input.rules.map((rule) => `- ${rule.label}`).join("\n")}\n`
      : "";

  const body = `${marking} — ${tlpCodes.labels[input.tlp].split(" — ")[1] ?? ""}

Madame, Monsieur,

${introByTarget[input.target]} ${origin.sentence}

${structureLines.join("\n")}

${qualificationIntro}
${factLines.join("\n")}

Analyse du CERT Santé :
${summary}
${reasons}
Ce message est classé ${marking} : merci de respecter ce marquage dans toute diffusion.
Pour toute question, contactez le CERT Santé en rappelant la référence ${input.reference}.

--
CERT Santé
Destinataire : ${alertTargetLabels[input.target]}
${marking}
`;
  return { subject, body };
}

/**
 * Makes sure a message edited by an analyst still carries the case's TLP marking (subject and
 * body), adding it when it was removed.
 */
export function withMarking(message: AlertMessage, level: AnyTlp): AlertMessage {
  const marking = tlpMarking(level);
  return {
    subject: message.subject.includes(marking) ? message.subject : `[${marking}] ${message.subject}`,
    body: message.body.includes(marking) ? message.body : `${marking}\n\n${message.body}`,
  };
}
