import { z } from "zod";
import { StructureTypeSchema } from "./roles.ts";
import {
  affectedSystem,
  channel,
  dataImpact,
  dataType,
  filing,
  maliciousType,
  nonMaliciousType,
  operationalImpact,
  origin,
  patientEndangerment,
  stateAtDeclaration,
  tlp,
} from "./taxonomy.ts";

const finess = z
  .string()
  .trim()
  .transform((v) => v.replace(/\s/g, "").toUpperCase())
  .pipe(z.string().regex(/^(\d{2}|2A|2B)\d{7}$/, { error: "Numéro FINESS invalide (9 caractères)." }));
const dateTime = z.iso.datetime({ offset: true, error: "Date et heure invalides." });
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `${max} caractères au maximum.` })
    .optional()
    .transform((v) => (v ? v : undefined));
const unique = <T extends z.ZodType<string>>(item: T) =>
  z
    .array(item)
    .default([])
    .refine((values) => new Set(values).size === values.length, { error: "Valeurs en double." });

/** Tolerance for a detection time slightly ahead of the server's clock (phones drift). */
export const FUTURE_TOLERANCE_MS = 10 * 60_000;

/** The declarant's identity and how to call them back. */
export const DeclarantContact = z.object({
  fullName: z.string().trim().min(2, { error: "Indiquez votre nom." }).max(200),
  jobTitle: optionalText(200),
  email: z.email({ error: "Adresse électronique invalide." }).max(254),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 .()-]{6,25}$/, {
      error: "Numéro de téléphone invalide (chiffres, espaces, + . - ( ) ).",
    }),
  otherContact: optionalText(500),
});

/**
 * A declaration as the declarant submits it (form, API v1, or an analyst on their behalf).
 * Only the fields of the legal minimum are required, so a declarant in a crisis can send in
 * two minutes and complete later. The same schema validates in the browser and on the server.
 */
export const DeclarationInput = z
  .object({
    /** Random UUID chosen by the client: a retried submission with the same key creates nothing new. */
    idempotencyKey: z.uuid({ error: "Clé d'idempotence invalide (UUID attendu)." }),
    /** FINESS ET of the structure concerned, then the other structures of the group hit by the same incident. */
    finess: z.array(finess).min(1, { error: "Indiquez la structure concernée." }).max(50),
    declarant: DeclarantContact,
    title: z.string().trim().min(3, { error: "Donnez un titre court (3 caractères au moins)." }).max(200),
    description: z
      .string()
      .trim()
      .min(10, { error: "Décrivez ce qui s'est passé (10 caractères au moins)." })
      .max(20_000),
    detectedAt: dateTime,
    startedAt: dateTime.nullish(),
    proposedOrigin: origin.schema.nullish(),
    proposedMaliciousTypes: unique(maliciousType.schema),
    proposedNonMaliciousTypes: unique(nonMaliciousType.schema),
    affectedSystems: unique(affectedSystem.schema),
    operationalImpact: operationalImpact.schema,
    degradedSince: dateTime.nullish(),
    /** Estimated or known duration of the degraded mode, in hours. */
    degradedModeHours: z.number().min(0).max(100_000).nullish(),
    patientEndangerment: patientEndangerment.schema.nullish(),
    patientEndangermentDetails: optionalText(2000),
    dataImpacts: unique(dataImpact.schema),
    dataTypes: unique(dataType.schema),
    personsAffected: z.number().int().min(0).max(100_000_000).nullish(),
    otherStructuresAffected: optionalText(2000),
    stateAtDeclaration: stateAtDeclaration.schema,
    measuresTaken: optionalText(10_000),
    supportRequested: z.boolean({ error: "Indiquez si vous souhaitez être accompagné par le CERT." }),
    filings: unique(filing.schema),
    providerName: optionalText(200),
    tlp: tlp.schema.default("amber"),
    /** How the declaration reached the CERT: set by the server (`portal`), or by an analyst recording a call. */
    channel: channel.schema.optional(),
  })
  .superRefine((d, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (d.dataImpacts.includes("none") && d.dataImpacts.length > 1) {
      issue("dataImpacts", "« Aucun impact » ne peut pas être coché avec un autre impact.");
    }
    const dataHit = d.dataImpacts.length > 0 && !d.dataImpacts.includes("none");
    if (d.dataTypes.length > 0 && !dataHit) {
      issue("dataTypes", "Les types de données ne se renseignent que si des données sont touchées.");
    }
    if (d.proposedMaliciousTypes.length > 0 && d.proposedOrigin === "non_malicious") {
      issue("proposedMaliciousTypes", "Types malveillants cochés alors que l'origine est non malveillante.");
    }
    if (d.proposedNonMaliciousTypes.length > 0 && d.proposedOrigin !== "non_malicious") {
      issue("proposedNonMaliciousTypes", "Ces types ne s'appliquent qu'à une origine non malveillante.");
    }
    if (d.startedAt && Date.parse(d.startedAt) > Date.parse(d.detectedAt)) {
      issue("startedAt", "Le début de l'incident ne peut pas être postérieur à sa constatation.");
    }
    if (Date.parse(d.detectedAt) > Date.now() + FUTURE_TOLERANCE_MS) {
      issue("detectedAt", "La date de constatation est dans le futur.");
    }
    const degraded = d.operationalImpact !== "none";
    if (!degraded && (d.degradedSince || d.degradedModeHours != null)) {
      issue("degradedSince", "Le mode dégradé ne se renseigne que si le fonctionnement est touché.");
    }
    if (d.providerName && !d.filings.includes("provider_engaged")) {
      issue("providerName", "Cochez « prestataire mandaté » pour indiquer son nom.");
    }
  });
export type DeclarationInput = z.input<typeof DeclarationInput>;
export type DeclarationData = z.output<typeof DeclarationInput>;

/**
 * The life of a case: `new` (not yet looked at), `triage` (acknowledged, being assessed),
 * `in_progress`, `waiting_declarant` (a question awaits the declarant), `resolved` (qualified,
 * handling finished), `closed`. The declarant sees the same statuses with its own wording.
 */
export const declarationStatuses = [
  "new",
  "triage",
  "in_progress",
  "waiting_declarant",
  "resolved",
  "closed",
] as const;
export const DeclarationStatus = z.enum(declarationStatuses);
export type DeclarationStatusCode = z.infer<typeof DeclarationStatus>;
/** The declarant's wording. */
export const declarationStatusLabels: Record<DeclarationStatusCode, string> = {
  new: "Reçue",
  triage: "Prise en compte",
  in_progress: "En cours de traitement",
  waiting_declarant: "En attente de votre réponse",
  resolved: "Résolue",
  closed: "Clôturée",
};
/** The CERT's wording. */
export const certStatusLabels: Record<DeclarationStatusCode, string> = {
  new: "Nouvelle",
  triage: "En tri",
  in_progress: "En cours de traitement",
  waiting_declarant: "En attente du déclarant",
  resolved: "Résolue",
  closed: "Clôturée",
};

/**
 * The state machine: which status may follow which (the server enforces it; the web app offers
 * only these). `resolved` requires a qualification; `closed` follows `resolved`; a resolved or
 * closed case can be reopened (back to `in_progress`).
 */
export const declarationTransitions: Record<DeclarationStatusCode, readonly DeclarationStatusCode[]> = {
  new: ["triage", "in_progress", "waiting_declarant", "resolved"],
  triage: ["in_progress", "waiting_declarant", "resolved"],
  in_progress: ["waiting_declarant", "resolved"],
  waiting_declarant: ["in_progress", "resolved"],
  resolved: ["closed", "in_progress"],
  closed: ["in_progress"],
};

/** How sure the CERT can be of who declared: the declaration is never refused for it. */
export const DeclarantStanding = z.enum(["verified", "pending_link", "unverified_account", "anonymous"]);
export const declarantStandingLabels: Record<z.infer<typeof DeclarantStanding>, string> = {
  verified: "Compte vérifié, rattaché à la structure",
  pending_link: "Rattachement à la structure en attente de validation",
  unverified_account: "Adresse électronique non vérifiée",
  anonymous: "Déclaration sans compte",
};

/** A stored attachment, as listed. */
export const AttachmentView = z.object({
  id: z.uuid(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  uploadedAt: z.string(),
  downloadUrl: z.string(),
});

/** One entry of a declaration's thread with the CERT. */
export const MessageView = z.object({
  id: z.uuid(),
  authorKind: z.enum(["declarant", "cert", "system"]),
  authorName: z.string(),
  kind: z.enum(["message", "question", "answer", "recommendation"]),
  body: z.string(),
  createdAt: z.string(),
  attachments: z.array(AttachmentView),
  tlp: tlp.schema,
  /** Sent to every declaration of this event at once. */
  eventReference: z.string().nullable(),
});

/** One change of status. */
export const StatusChangeView = z.object({
  from: DeclarationStatus.nullable(),
  to: DeclarationStatus,
  at: z.string(),
  by: z.string(),
  comment: z.string().nullable(),
});

/** A structure named by a declaration, as it was at declaration time. */
export const DeclaredStructure = z.object({
  id: z.uuid(),
  finessEt: z.string(),
  name: z.string(),
  town: z.string().nullable(),
});

/** A line of the declarations list. */
export const DeclarationSummary = z.object({
  id: z.uuid(),
  reference: z.string(),
  title: z.string(),
  status: DeclarationStatus,
  channel: channel.schema,
  structure: DeclaredStructure,
  declaredAt: z.string(),
  supportRequested: z.boolean(),
  operationalImpact: operationalImpact.schema,
  /** A question from the CERT awaits the declarant's answer. */
  awaitingAnswer: z.boolean(),
  /** The CERT's handling, for the CERT's readers only (absent for the declarant's side). */
  handling: z
    .object({
      assignee: z.object({ id: z.uuid(), fullName: z.string() }).nullable(),
      overdue: z.boolean(),
      qualified: z.boolean(),
      outOfScope: z.boolean(),
      event: z.object({ id: z.uuid(), reference: z.string() }).nullable(),
      tlp: tlp.schema,
    })
    .optional(),
});

/** The shared analysis of the CERT event a declaration is linked to, as its declarant sees it. */
export const SharedEventAnalysis = z.object({
  reference: z.string(),
  title: z.string(),
  analysis: z.string(),
});

/** A declaration page: what was declared, its thread, history and attachments. */
export const DeclarationView = DeclarationSummary.extend({
  data: z.object({}).passthrough(),
  structures: z.array(DeclaredStructure),
  standing: DeclarantStanding,
  outOfHours: z.boolean(),
  oncallPaged: z.boolean(),
  messages: z.array(MessageView),
  statusHistory: z.array(StatusChangeView),
  attachments: z.array(AttachmentView),
  /** The CERT event's analysis shared with the linked declarants (never a TLP:RED one). */
  sharedAnalysis: SharedEventAnalysis.nullable(),
});

/** The acknowledgment returned once the declaration is committed. */
export const DeclarationReceipt = z.object({
  id: z.uuid(),
  reference: z.string(),
  declaredAt: z.string(),
  outOfHours: z.boolean(),
  /** The 24/7 on-call number, shown when the declaration was made out of hours and needs help. */
  oncallPhone: z.string().nullable(),
  oncallPaged: z.boolean(),
  /** Where to follow the declaration (a secret link for declarations made without an account). */
  followUrl: z.string(),
  /** True when the same idempotency key had already been used: this is the original receipt. */
  replayed: z.boolean(),
});

/** A message posted on a declaration's thread. */
export const PostMessageRequest = z.object({
  body: z.string().trim().min(1, { error: "Le message est vide." }).max(20_000),
  kind: z.enum(["message", "question", "answer", "recommendation"]).default("message"),
  /** Attachments uploaded beforehand, joined to this message. */
  attachmentIds: z.array(z.uuid()).max(20).default([]),
  /** TLP marking; a message to the declarant cannot be TLP:RED (write an internal note). */
  tlp: tlp.schema.optional(),
  /** For a question: when the answer is expected (a request for complements); default from the settings. */
  dueAt: dateTime.optional(),
});

/**
 * A repeated query parameter (`?status=a&status=b`) or a comma-separated one (`?status=a,b`).
 * Errors name the parameter itself (`status`), as when it took a single value.
 */
const listParam = <T extends string>(item: z.ZodType<T, string>) =>
  z
    .union([z.array(z.string()), z.string()])
    .optional()
    .transform((v, ctx): T[] | undefined => {
      if (v === undefined) return undefined;
      const values = (Array.isArray(v) ? v : v.split(",")).map((s) => s.trim()).filter((s) => s !== "");
      if (values.length > 30) {
        ctx.issues.push({ code: "custom", message: "30 valeurs au maximum.", input: v });
        return z.NEVER;
      }
      const parsed: T[] = [];
      for (const value of values) {
        const result = item.safeParse(value);
        if (!result.success) {
          const message = result.error.issues[0]?.message ?? "Valeur invalide.";
          ctx.issues.push({ code: "custom", message: `${message} (${value.slice(0, 40)})`, input: v });
          return z.NEVER;
        }
        parsed.push(result.data);
      }
      return parsed;
    });
const booleanParam = z
  .enum(["true", "false"], { error: "Valeur attendue : true ou false." })
  .optional()
  .transform((v) => (v === undefined ? undefined : v === "true"));
const dayParam = z.iso.date({ error: "Date invalide (AAAA-MM-JJ)." }).optional();

/** Operational impact filter: the taxonomy's codes, and `care_affected` (care degraded or interrupted). */
export const ImpactFilter = z.enum([...operationalImpact.values, "care_affected"]);
/** Proposed type filter: any malicious or non-malicious type. */
export const IncidentTypeFilter = z.enum([...maliciousType.values, ...nonMaliciousType.values]);
/**
 * Orders of the declarations list; `due`: the nearest pending deadline first (first response
 * while new, qualification while unqualified), the cases without one last (CERT readers).
 */
export const DeclarationSort = z.enum(["declared_desc", "declared_asc", "status", "due"]);

/**
 * Filters of the declarations list. Every reader sees only their scope; within it the CERT's
 * queue filters apply to whoever reads the list. Lists take repeated or comma-separated values.
 */
export const DeclarationListQuery = z
  .object({
    /** One or several statuses. */
    status: listParam(DeclarationStatus),
    /** Words searched (accents and case ignored, word beginnings) in the reference, title,
     * description, structures' names and FINESS, and the messages of the thread. */
    q: z.string().trim().max(200, { error: "200 caractères au maximum." }).optional(),
    structureType: listParam(StructureTypeSchema),
    /** Region code of the structure at declaration time. */
    region: listParam(z.string().regex(/^\d{2,3}$/, { error: "Code de région invalide." })),
    origin: listParam(origin.schema),
    /** Proposed malicious or non-malicious types: any of them. */
    type: listParam(IncidentTypeFilter),
    impact: listParam(ImpactFilter),
    channel: listParam(channel.schema),
    supportRequested: booleanParam,
    outOfHours: booleanParam,
    /** An analyst's id, `me` (the reader) or `none` (unassigned). */
    assignee: z
      .union([z.uuid(), z.enum(["me", "none"])], { error: "Analyste inconnu (identifiant, me ou none)." })
      .optional(),
    /** Past a deadline (first response or qualification). */
    overdue: booleanParam,
    /** Qualified by the CERT, or not yet. */
    qualified: booleanParam,
    /** Linked to this event. */
    event: z.uuid({ error: "Évènement inconnu." }).optional(),
    /** Declared on or after this day (Europe/Paris). */
    declaredFrom: dayParam,
    /** Declared on or before this day (Europe/Paris). */
    declaredTo: dayParam,
    sort: DeclarationSort.default("declared_desc"),
    page: z.coerce.number().int().min(1, { error: "Numéro de page invalide." }).max(10_000).default(1),
  })
  .refine((v) => !v.declaredFrom || !v.declaredTo || v.declaredFrom <= v.declaredTo, {
    error: "La date de début est postérieure à la date de fin.",
    path: ["declaredTo"],
  });

/** Declarations per status within the current filters, the status filter left aside. */
export const DeclarationStatusCounts = z.object({
  new: z.number().int(),
  triage: z.number().int(),
  in_progress: z.number().int(),
  waiting_declarant: z.number().int(),
  resolved: z.number().int(),
  closed: z.number().int(),
});

/** One page of the declarations list. */
export const DeclarationPage = z.object({
  items: z.array(DeclarationSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  counts: DeclarationStatusCounts,
  /**
   * The CERT's counters within the same filters, status filter left aside, among the open cases
   * (neither resolved nor closed): past a deadline, unassigned, assigned to the reader (CERT
   * readers only).
   */
  counters: z
    .object({ overdue: z.number().int(), unassigned: z.number().int(), mine: z.number().int() })
    .optional(),
});

/** A status change decided by the CERT. */
export const ChangeStatusRequest = z.object({
  status: DeclarationStatus,
  comment: z
    .string()
    .trim()
    .max(2000, { error: "2000 caractères au maximum." })
    .optional()
    .transform((v) => (v ? v : undefined)),
});

/** Largest draft kept on the server, in bytes of JSON. */
export const DRAFT_MAX_BYTES = 200 * 1024;

/** A draft of a declaration as the form saved it (any JSON object, up to 200 kB). */
export const SaveDraftRequest = z.object({
  data: z.record(z.string(), z.unknown(), { error: "Le brouillon doit être un objet JSON." }),
});

/** A saved draft; its key is the declaration's future idempotency key. */
export const DraftView = z.object({
  key: z.uuid(),
  data: z.record(z.string(), z.unknown()),
  updatedAt: z.string(),
});

/** GET /api/declarations/settings: what the form shows before anything is sent. */
export const DeclarationPortalSettings = z.object({
  /** The CERT's 24/7 on-call number, shown out of business hours when care is affected or help is wanted. */
  oncallPhone: z.string(),
});
