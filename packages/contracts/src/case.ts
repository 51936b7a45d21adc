import { z } from "zod";
import {
  AttachmentView,
  DeclarationStatus,
  DeclarationSummary,
  DeclarationView,
  declarationStatuses,
} from "./declaration.ts";
import {
  authorityInvolved,
  dataImpact,
  dataType,
  maliciousType,
  nonMaliciousType,
  operationalImpact,
  origin,
  outOfScopeReason,
  patientEndangerment,
  siEffect,
  tlp,
} from "./taxonomy.ts";

// The CERT's handling of a case: qualification, assignment and deadlines, journal, notes,
// complement requests, technical support, events grouping declarations, saved views.

const dateTime = z.iso.datetime({ offset: true, error: "Date et heure invalides." });
const uniqueList = <T extends z.ZodType<string>>(item: T) =>
  z
    .array(item)
    .default([])
    .refine((values) => new Set(values).size === values.length, { error: "Valeurs en double." });

/** A CERT person as shown on a case (assignee, author of a journal entry). */
export const CertPerson = z.object({ id: z.uuid(), fullName: z.string() });

/**
 * The CERT's qualification of a case. Complete or refused: out of scope (a reason and a summary,
 * nothing else), or in scope with an origin, its types (malicious or not), `siEffect` for a
 * malicious incident, the impacts and a summary.
 */
export const QualificationInput = z
  .object({
    outOfScope: z.boolean({ error: "Indiquez si l'incident est hors périmètre." }),
    outOfScopeReason: outOfScopeReason.schema.nullish(),
    origin: origin.schema.nullish(),
    maliciousTypes: uniqueList(maliciousType.schema),
    nonMaliciousTypes: uniqueList(nonMaliciousType.schema),
    siEffect: siEffect.schema.nullish(),
    operationalImpact: operationalImpact.schema.nullish(),
    dataImpacts: uniqueList(dataImpact.schema),
    dataTypes: uniqueList(dataType.schema),
    patientEndangerment: patientEndangerment.schema.nullish(),
    summary: z
      .string({ error: "Rédigez un résumé de la qualification." })
      .trim()
      .min(10, { error: "Rédigez un résumé de la qualification (10 caractères au moins)." })
      .max(5000, { error: "5000 caractères au maximum." }),
  })
  .superRefine((q, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (q.outOfScope) {
      if (!q.outOfScopeReason) issue("outOfScopeReason", "Indiquez pourquoi l'incident est hors périmètre.");
      const carried =
        q.origin ||
        q.maliciousTypes.length > 0 ||
        q.nonMaliciousTypes.length > 0 ||
        q.siEffect ||
        q.operationalImpact ||
        q.dataImpacts.length > 0 ||
        q.dataTypes.length > 0 ||
        q.patientEndangerment;
      if (carried) issue("outOfScope", "Un incident hors périmètre ne porte pas d'autre qualification.");
      return;
    }
    if (q.outOfScopeReason) issue("outOfScopeReason", "Le motif ne s'indique que hors périmètre.");
    if (!q.origin) issue("origin", "Indiquez l'origine de l'incident.");
    if (q.origin === "malicious") {
      if (q.maliciousTypes.length === 0)
        issue("maliciousTypes", "Cochez au moins un type d'incident malveillant.");
      if (!q.siEffect) issue("siEffect", "Indiquez l'effet de l'incident malveillant sur le SI.");
    } else {
      if (q.maliciousTypes.length > 0)
        issue("maliciousTypes", "Les types malveillants ne s'appliquent qu'à une origine malveillante.");
      if (q.siEffect) issue("siEffect", "L'effet sur le SI ne s'indique que pour un incident malveillant.");
    }
    if (q.origin === "non_malicious") {
      if (q.nonMaliciousTypes.length === 0)
        issue("nonMaliciousTypes", "Cochez au moins un type d'incident non malveillant.");
    } else if (q.nonMaliciousTypes.length > 0) {
      issue("nonMaliciousTypes", "Ces types ne s'appliquent qu'à une origine non malveillante.");
    }
    if (!q.operationalImpact) issue("operationalImpact", "Indiquez l'impact sur le fonctionnement.");
    if (q.dataImpacts.length === 0)
      issue("dataImpacts", "Indiquez l'impact sur les données (ou « Aucun impact »).");
    if (q.dataImpacts.includes("none") && q.dataImpacts.length > 1)
      issue("dataImpacts", "« Aucun impact » ne peut pas être coché avec un autre impact.");
    const dataHit = q.dataImpacts.length > 0 && !q.dataImpacts.includes("none");
    if (q.dataTypes.length > 0 && !dataHit)
      issue("dataTypes", "Les types de données ne se renseignent que si des données sont touchées.");
    if (!q.patientEndangerment)
      issue("patientEndangerment", "Indiquez s'il y a eu mise en danger de patients.");
  });
export type QualificationInput = z.input<typeof QualificationInput>;

/** A recorded qualification, with who made it and when. */
export const QualificationView = z.object({
  outOfScope: z.boolean(),
  outOfScopeReason: outOfScopeReason.schema.nullable(),
  origin: origin.schema.nullable(),
  maliciousTypes: z.array(maliciousType.schema),
  nonMaliciousTypes: z.array(nonMaliciousType.schema),
  siEffect: siEffect.schema.nullable(),
  operationalImpact: operationalImpact.schema.nullable(),
  dataImpacts: z.array(dataImpact.schema),
  dataTypes: z.array(dataType.schema),
  patientEndangerment: patientEndangerment.schema.nullable(),
  summary: z.string(),
  qualifiedAt: z.string(),
  qualifiedBy: CertPerson.nullable(),
});

/** Assignment, deadlines and TLP of a case, changed by the CERT (fields left out are kept). */
export const UpdateCaseRequest = z
  .object({
    /** An analyst of the CERT, or null to unassign. */
    assigneeId: z.uuid({ error: "Analyste inconnu." }).nullable().optional(),
    firstResponseDueAt: dateTime.nullable().optional(),
    qualificationDueAt: dateTime.nullable().optional(),
    tlp: tlp.schema.optional(),
    /** The incident may affect other sectors (a criterion of the alerting rules, for ANSSI). */
    otherSectorsRisk: z
      .boolean({ error: "Indiquez si l'incident peut toucher d'autres secteurs." })
      .optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), {
    error: "Aucune modification demandée.",
  });

/** Handling figures of a case (durations in minutes from the declaration; null until reached). */
export const CaseTimings = z.object({
  acknowledgedAt: z.string().nullable(),
  qualifiedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  minutesToAcknowledge: z.number().int().nullable(),
  minutesToQualify: z.number().int().nullable(),
  minutesToClose: z.number().int().nullable(),
});

/** A request for complements (a question with a due date and reminders). */
export const ComplementRequestView = z.object({
  id: z.uuid(),
  questionMessageId: z.uuid(),
  requestedAt: z.string(),
  dueAt: z.string(),
  status: z.enum(["open", "answered", "never_answered", "cancelled"]),
  remindersSent: z.number().int(),
  lastRemindedAt: z.string().nullable(),
  answeredAt: z.string().nullable(),
});
export const complementStatusLabels: Record<z.infer<typeof ComplementRequestView>["status"], string> = {
  open: "En attente de réponse",
  answered: "Répondu",
  never_answered: "Jamais répondu",
  cancelled: "Annulé",
};

export const supportKind = {
  values: ["remote", "onsite", "analysis", "coordination", "other"] as const,
  labels: {
    remote: "Appui à distance",
    onsite: "Intervention sur site",
    analysis: "Analyse (journaux, échantillons, indicateurs)",
    coordination: "Coordination (prestataires, autorités)",
    other: "Autre",
  },
};

/** A technical support record (appui technique). */
export const SupportActionInput = z.object({
  /** When it was done (now if left out); not in the future. */
  performedAt: dateTime.optional(),
  kind: z.enum(supportKind.values, { error: "Nature d'appui inconnue." }),
  description: z
    .string()
    .trim()
    .min(3, { error: "Décrivez l'appui apporté." })
    .max(10_000, { error: "10000 caractères au maximum." }),
  durationMinutes: z.number().int().min(0).max(100_000).nullish(),
  /** ANSSI or the FSSI intervened directly for the structure. */
  authoritiesInvolved: uniqueList(authorityInvolved.schema),
});
export const SupportActionView = z.object({
  id: z.uuid(),
  performedAt: z.string(),
  performedBy: z.string(),
  kind: z.enum(supportKind.values),
  description: z.string(),
  durationMinutes: z.number().int().nullable(),
  authoritiesInvolved: z.array(authorityInvolved.schema),
});

/** An internal note of the CERT on a case: never shown to the declarant. */
export const NoteRequest = z.object({
  body: z
    .string()
    .trim()
    .min(1, { error: "La note est vide." })
    .max(20_000, { error: "20000 caractères au maximum." }),
  tlp: tlp.schema.default("amber"),
});

/** What kind of entry a journal line is. */
export const journalKinds = [
  "status_change",
  "message",
  "note",
  "field_change",
  "qualification",
  "attachment",
  "reflex_sheet",
  "event_linked",
  "event_unlinked",
  "complement_requested",
  "complement_reminder",
  "complement_answered",
  "complement_never_answered",
  "support",
  "alert",
] as const;
export const JournalKind = z.enum(journalKinds);

/** One line of a case's journal: everything that happened to it, oldest first. */
export const JournalEntry = z.object({
  /** Stable within the journal (`<kind>:<id>`). */
  id: z.string(),
  at: z.string(),
  kind: JournalKind,
  /** Who did it (a CERT member's name, the declarant's, or « Vigie » for the platform). */
  actor: z.string(),
  /** The changed field, for field changes and qualification lines. */
  field: z.string().nullable(),
  oldValue: z.unknown().nullable(),
  newValue: z.unknown().nullable(),
  /** Text of a note, a message, a support record, or a short description. */
  body: z.string().nullable(),
  tlp: tlp.schema.nullable(),
  attachments: z.array(AttachmentView),
});

/** The CERT's page of a case: the declaration as declared and everything about its handling. */
export const CaseView = z.object({
  declaration: DeclarationView,
  qualification: QualificationView.nullable(),
  tlp: tlp.schema,
  assignee: CertPerson.nullable(),
  firstResponseDueAt: z.string().nullable(),
  qualificationDueAt: z.string().nullable(),
  /** Past a deadline: no first response, or not qualified, in time. */
  overdue: z.boolean(),
  timings: CaseTimings,
  /** The statuses the case may move to now (`resolved` only once qualified). */
  allowedTransitions: z.array(DeclarationStatus),
  event: z.object({ id: z.uuid(), reference: z.string(), title: z.string() }).nullable(),
  complementRequests: z.array(ComplementRequestView),
  technicalSupportProvided: z.boolean(),
  authoritiesInvolved: z.array(authorityInvolved.schema),
  supportActions: z.array(SupportActionView),
  /** Set by the analyst: the incident may affect other sectors (alerting rules, decision 0009). */
  otherSectorsRisk: z.boolean(),
});

// ——— Events ———

/** A CERT event grouping declarations (a provider's outage, a phishing campaign). */
export const EventInput = z.object({
  title: z.string().trim().min(3, { error: "Donnez un titre (3 caractères au moins)." }).max(200),
  /** The shared analysis, shown to the linked declarants unless the event is TLP:RED. */
  analysis: z.string().trim().max(50_000, { error: "50000 caractères au maximum." }).default(""),
  tlp: tlp.schema.default("amber"),
});
export const UpdateEventRequest = z
  .object({
    title: z
      .string()
      .trim()
      .min(3, { error: "Donnez un titre (3 caractères au moins)." })
      .max(200)
      .optional(),
    analysis: z.string().trim().max(50_000, { error: "50000 caractères au maximum." }).optional(),
    tlp: tlp.schema.optional(),
    status: z.enum(["open", "closed"], { error: "Statut inconnu : open ou closed." }).optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { error: "Aucune modification demandée." });
export const EventSummary = z.object({
  id: z.uuid(),
  reference: z.string(),
  title: z.string(),
  tlp: tlp.schema,
  status: z.enum(["open", "closed"]),
  declarationCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const EventView = EventSummary.extend({
  analysis: z.string(),
  declarations: z.array(DeclarationSummary),
});
export const EventListQuery = z.object({
  q: z.string().trim().max(200, { error: "200 caractères au maximum." }).optional(),
  status: z.enum(["open", "closed"], { error: "Statut inconnu : open ou closed." }).optional(),
  page: z.coerce.number().int().min(1, { error: "Numéro de page invalide." }).max(10_000).default(1),
});
export const EventPage = z.object({
  items: z.array(EventSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
/** Declarations to link to an event (by id or reference CS-YYYY-NNNNNN). */
export const LinkDeclarationsRequest = z.object({
  declarations: z
    .array(z.string().trim().min(1))
    .min(1, { error: "Indiquez au moins une déclaration." })
    .max(500, { error: "500 déclarations au maximum à la fois." }),
});
/** One message sent to every declarant of an event's declarations (one thread entry each). */
export const EventMessageRequest = z.object({
  body: z.string().trim().min(1, { error: "Le message est vide." }).max(20_000),
  kind: z
    .enum(["message", "recommendation"], { error: "Nature inconnue : message ou recommendation." })
    .default("message"),
  tlp: tlp.schema.default("amber"),
});
export const EventMessageResult = z.object({ sent: z.number().int() });

// ——— Saved views of the queue ———

export const SaveViewRequest = z.object({
  name: z.string().trim().min(1, { error: "Nommez la vue." }).max(80, { error: "80 caractères au maximum." }),
  /** The queue's query string (`status=new&region=11`), without the page. */
  query: z.string().trim().max(2000, { error: "2000 caractères au maximum." }),
});
export const SavedView = z.object({
  id: z.uuid(),
  name: z.string(),
  query: z.string(),
  createdAt: z.string(),
});

/** Statuses in which a case is still being handled (the CERT's "open" cases). */
export const openStatuses = declarationStatuses.filter((s) => s !== "resolved" && s !== "closed");
