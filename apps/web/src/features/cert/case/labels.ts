import {
  alertTargetLabels,
  authorityInvolved,
  certOriginLabels,
  certStatusLabels,
  clockKindLabels,
  complementStatusLabels,
  type DeclarationStatusCode,
  dataImpact,
  dataType,
  type journalKinds,
  maliciousType,
  nonMaliciousType,
  operationalImpact,
  outOfScopeReason,
  patientEndangerment,
  siEffect,
  supportKind,
  tlp,
} from "@vigie/contracts";
import { formatDateTime } from "../../../app/ui.tsx";

/** The button that moves a case to a status (from the current one). */
export function transitionLabel(from: DeclarationStatusCode, to: DeclarationStatusCode): string {
  switch (to) {
    case "triage":
      return "Passer en tri";
    case "in_progress":
      return from === "resolved" || from === "closed" ? "Rouvrir" : "Passer en cours de traitement";
    case "waiting_declarant":
      return "Mettre en attente du déclarant";
    case "resolved":
      return "Déclarer résolu";
    case "closed":
      return "Clôturer";
    default:
      return certStatusLabels[to];
  }
}

export const journalKindLabels: Record<(typeof journalKinds)[number], string> = {
  status_change: "Changement de statut",
  message: "Message",
  note: "Note interne",
  field_change: "Modification",
  qualification: "Qualification",
  attachment: "Pièce jointe",
  reflex_sheet: "Fiche réflexe envoyée",
  event_linked: "Rattachement à un évènement",
  event_unlinked: "Détachement d'un évènement",
  complement_requested: "Demande de compléments",
  complement_reminder: "Relance de la demande de compléments",
  complement_answered: "Compléments reçus",
  complement_never_answered: "Demande de compléments restée sans réponse",
  support: "Appui technique",
  alert: "Alerte",
};

/** Short TLP names for badges ("TLP:AMBER+STRICT"). */
export const tlpShort: Record<(typeof tlp.values)[number], string> = {
  clear: "TLP:CLEAR",
  green: "TLP:GREEN",
  amber: "TLP:AMBER",
  amber_strict: "TLP:AMBER+STRICT",
  red: "TLP:RED",
};

type Codes = { labels: Record<string, string> };

const statusCodes: Codes = { labels: certStatusLabels };
const originCodes: Codes = { labels: certOriginLabels };

/** A field of a journal line: its French name and, for coded values, their labels. */
interface FieldSpec {
  label: string;
  codes?: Codes;
  date?: boolean;
  minutes?: boolean;
}

const fieldSpecs: Record<string, FieldSpec> = {
  status: { label: "Statut", codes: statusCodes },
  assignee: { label: "Analyste assigné" },
  assigneeId: { label: "Analyste assigné" },
  firstResponseDueAt: { label: "Échéance de première réponse", date: true },
  qualificationDueAt: { label: "Échéance de qualification", date: true },
  tlp: { label: "TLP", codes: tlp },
  outOfScope: { label: "Hors périmètre" },
  outOfScopeReason: { label: "Motif de hors périmètre", codes: outOfScopeReason },
  origin: { label: "Origine", codes: originCodes },
  maliciousTypes: { label: "Types malveillants", codes: maliciousType },
  nonMaliciousTypes: { label: "Types non malveillants", codes: nonMaliciousType },
  siEffect: { label: "Effet sur le SI", codes: siEffect },
  operationalImpact: { label: "Impact sur le fonctionnement", codes: operationalImpact },
  qualifiedOperationalImpact: { label: "Impact sur le fonctionnement", codes: operationalImpact },
  dataImpacts: { label: "Impact sur les données", codes: dataImpact },
  qualifiedDataImpacts: { label: "Impact sur les données", codes: dataImpact },
  dataTypes: { label: "Types de données", codes: dataType },
  qualifiedDataTypes: { label: "Types de données", codes: dataType },
  patientEndangerment: { label: "Mise en danger de patients", codes: patientEndangerment },
  qualifiedPatientEndangerment: { label: "Mise en danger de patients", codes: patientEndangerment },
  summary: { label: "Résumé de la qualification" },
  qualificationSummary: { label: "Résumé de la qualification" },
  event: { label: "Évènement" },
  eventId: { label: "Évènement" },
  technicalSupportProvided: { label: "Appui technique apporté" },
  authoritiesInvolved: { label: "Autorités intervenues", codes: authorityInvolved },
  kind: { label: "Nature", codes: supportKind },
  dueAt: { label: "Réponse attendue avant le", date: true },
  durationMinutes: { label: "Durée", minutes: true },
  complementStatus: { label: "Demande de compléments", codes: { labels: complementStatusLabels } },
  performedAt: { label: "Réalisé le", date: true },
  requestedAt: { label: "Demandée le", date: true },
  remindersSent: { label: "Relances envoyées" },
  reminder: { label: "Relance n°" },
  reference: { label: "Évènement" },
  // Alerts to the authorities (decision 0009).
  target: { label: "Destinataire", codes: { labels: alertTargetLabels } },
  ruleSetVersion: { label: "Version des règles" },
  dismissed: { label: "Non envoyée" },
  retried: { label: "Courriels renvoyés" },
};

/** Keys of a journal value that identify things rather than say anything to a reader. */
export const technicalKeys = new Set([
  "id",
  "messageId",
  "sheetId",
  "slug",
  "version",
  "eventId",
  "refId",
  "notificationId",
]);

/** What a thread message was, from its journal line's value. */
export function messageKindLabel(value: unknown): string | null {
  const v = (value ?? {}) as { messageKind?: string; authorKind?: string };
  switch (v.messageKind) {
    case "question":
      return "Question au déclarant";
    case "answer":
      return "Réponse du déclarant";
    case "recommendation":
      return "Recommandation";
    default:
      return v.authorKind === "cert"
        ? "Message au déclarant"
        : v.authorKind === "declarant"
          ? "Message du déclarant"
          : v.authorKind === "system"
            ? "Message de Vigie"
            : null;
  }
}

const camel = (field: string) =>
  field
    .replace(/_user_id$|_id$/, (m) => (m === "_user_id" ? "" : "Id"))
    .replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function specOf(field: string): FieldSpec | undefined {
  // A regulatory clock's line: "clock.nis2_early_warning".
  const clock = field.startsWith("clock.")
    ? clockKindLabels[field.slice(6) as keyof typeof clockKindLabels]
    : undefined;
  if (clock) return { label: clock, date: true };
  return fieldSpecs[field] ?? fieldSpecs[camel(field)];
}

/** The French name of a field of a journal line. */
export function fieldLabel(field: string): string {
  return specOf(field)?.label ?? field;
}

const isoDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A value of a journal line, in words: codes by their labels, dates in Paris time, people by name. */
export function formatValue(field: string | null, value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  const spec = field ? specOf(field) : undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return "—";
    return value.map((v) => formatValue(field, v)).join(", ");
  }
  if (typeof value === "boolean") return value ? "Oui" : "Non";
  if (typeof value === "number") {
    return spec?.minutes ? `${value.toLocaleString("fr-FR")} min` : value.toLocaleString("fr-FR");
  }
  if (typeof value === "string") {
    if (spec?.codes?.labels[value]) return spec.codes.labels[value];
    if (spec?.date || isoDate.test(value)) return formatDateTime(value);
    return value;
  }
  if (typeof value === "object") {
    const o = value as Record<string, unknown>;
    const named = o.fullName ?? o.name ?? o.reference ?? o.label ?? o.title;
    if (typeof named === "string") {
      return typeof o.reference === "string" && typeof o.title === "string"
        ? `${o.reference} — ${o.title}`
        : named;
    }
    return JSON.stringify(value);
  }
  return String(value);
}
