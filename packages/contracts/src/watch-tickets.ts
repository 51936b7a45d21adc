import { z } from "zod";
import { TicketKindSchema, TicketStatusSchema, TicketUrgencySchema, ticketConfidences } from "./watch.ts";

/**
 * Watch tickets (decision 0011, « Tickets and notifications »): the requests and responses of
 * the tickets' lifecycle, the structures' grouped notifications, the acknowledgment link and
 * the CERT's yearly figures. The vocabulary and the state machine are in `watch.ts`.
 */

const uuid = (what: string) => z.uuid({ error: `Identifiant ${what} invalide.` });

/** `ouverts`: every status that still asks something of the structure. */
export const TicketStatusFilter = z.union([TicketStatusSchema, z.literal("ouverts")], {
  error: "Statut inconnu : nouveau, signalé, pris en compte, corrigé, faux positif, rouvert ou « ouverts ».",
});

export const TicketListQuery = z.object({
  status: TicketStatusFilter.optional(),
  kind: TicketKindSchema.optional(),
  urgency: TicketUrgencySchema.optional(),
  structureId: uuid("de structure").optional(),
  cve: z
    .string()
    .trim()
    .regex(/^CVE-\d{4}-\d{4,}$/i, { error: "CVE invalide (CVE-AAAA-NNNN)." })
    .optional(),
  q: z.string().trim().max(200, { error: "Recherche trop longue (200 caractères au plus)." }).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type TicketListQuery = z.infer<typeof TicketListQuery>;

/** What the structure may do on a ticket, for the current user. */
export const TicketAction = z.enum(["acknowledge", "fix", "false_positive", "reopen"]);
export type TicketAction = z.infer<typeof TicketAction>;

/** One ticket as listed: what the message names, its status and deadline. Never a password. */
export const TicketSummary = z.object({
  id: z.uuid(),
  /** Short reference shown to people: `VT-` and the first 8 characters of the id. */
  reference: z.string(),
  structureId: z.uuid(),
  structureName: z.string(),
  kind: TicketKindSchema,
  status: TicketStatusSchema,
  urgency: TicketUrgencySchema,
  notifiedUrgency: TicketUrgencySchema.nullable(),
  confidence: z.enum(ticketConfidences),
  cveId: z.string().nullable(),
  title: z.string(),
  action: z.string(),
  host: z.string().nullable(),
  ip: z.string().nullable(),
  domain: z.string().nullable(),
  port: z.number().int().nullable(),
  service: z.string().nullable(),
  vendor: z.string().nullable(),
  product: z.string().nullable(),
  version: z.string().nullable(),
  email: z.string().nullable(),
  dueOn: z.string().nullable(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  notifiedAt: z.string().nullable(),
  reminderCount: z.number().int(),
  acknowledgedAt: z.string().nullable(),
  fixedAt: z.string().nullable(),
  falsePositiveUntil: z.string().nullable(),
  falsePositiveReason: z.string().nullable(),
  /** No contact address and no active member: nothing can be sent (« sans destinataire »). */
  noRecipient: z.boolean(),
  actions: z.array(TicketAction),
});
export type TicketSummary = z.infer<typeof TicketSummary>;

export const TicketPage = z.object({
  items: z.array(TicketSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type TicketPage = z.infer<typeof TicketPage>;

export const TicketHistoryEntry = z.object({
  at: z.string(),
  fromStatus: TicketStatusSchema.nullable(),
  toStatus: TicketStatusSchema,
  urgency: TicketUrgencySchema,
  via: z.enum(["system", "user", "link"]),
  /** Who, when a person did it. */
  actorName: z.string().nullable(),
  note: z.string().nullable(),
});

export const TicketNotificationEntry = z.object({
  id: z.uuid(),
  sentAt: z.string(),
  parisDay: z.string(),
  /** true when this message named the ticket as a reminder. */
  reminder: z.boolean(),
  recipientCount: z.number().int(),
  /** The addresses: for the CERT only (null for the structure). */
  recipients: z.array(z.string()).nullable(),
  acknowledgedAt: z.string().nullable(),
});

export const TicketAssetSummary = z.object({
  id: z.uuid(),
  kind: z.string(),
  label: z.string().nullable(),
  domain: z.string().nullable(),
  network: z.string().nullable(),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  service: z.string().nullable(),
  vendor: z.string().nullable(),
  product: z.string().nullable(),
  version: z.string().nullable(),
});

export const TicketVulnerabilitySummary = z.object({
  cveId: z.string(),
  name: z.string().nullable(),
  description: z.string().nullable(),
  cvssScore: z.number().nullable(),
  cvssSeverity: z.string().nullable(),
  inKev: z.boolean(),
  kevAddedOn: z.string().nullable(),
  ransomware: z.boolean(),
  requiredAction: z.string().nullable(),
});

export const TicketDetail = TicketSummary.extend({
  source: z.string().nullable(),
  references: z.array(z.string()),
  asset: TicketAssetSummary.nullable(),
  vulnerability: TicketVulnerabilitySummary.nullable(),
  history: z.array(TicketHistoryEntry),
  notifications: z.array(TicketNotificationEntry),
});
export type TicketDetail = z.infer<typeof TicketDetail>;

export const TicketParams = z.object({ id: uuid("de ticket") });

export const AcknowledgeTicketsRequest = z.object({
  ticketIds: z
    .array(uuid("de ticket"), { error: "Liste de tickets attendue." })
    .min(1, { error: "Choisissez au moins un ticket." })
    .max(500, { error: "500 tickets au plus à la fois." }),
});
export type AcknowledgeTicketsRequest = z.infer<typeof AcknowledgeTicketsRequest>;

export const TicketNoteRequest = z.object({
  note: z.string().trim().max(2000, { error: "Note trop longue (2 000 caractères au plus)." }).optional(),
});
export type TicketNoteRequest = z.infer<typeof TicketNoteRequest>;

export const FalsePositiveRequest = z.object({
  reason: z
    .string({ error: "Indiquez la raison du faux positif." })
    .trim()
    .min(5, { error: "Indiquez la raison du faux positif (5 caractères au moins)." })
    .max(2000, { error: "Raison trop longue (2 000 caractères au plus)." }),
  until: z.iso.date({ error: "Date d'échéance invalide (AAAA-MM-JJ)." }),
});
export type FalsePositiveRequest = z.infer<typeof FalsePositiveRequest>;

export const TicketTransitionResult = z.object({
  changed: z.number().int(),
  tickets: z.array(TicketSummary),
});
export type TicketTransitionResult = z.infer<typeof TicketTransitionResult>;

// ——— Notifications (CERT) ———

export const NotificationListQuery = z.object({
  structureId: uuid("de structure").optional(),
  acknowledged: z.enum(["yes", "no"], { error: "Valeur attendue : yes ou no." }).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type NotificationListQuery = z.infer<typeof NotificationListQuery>;

export const NotificationTicketBrief = z.object({
  id: z.uuid(),
  reference: z.string(),
  title: z.string(),
  kind: TicketKindSchema,
  status: TicketStatusSchema,
  urgency: TicketUrgencySchema,
  reminder: z.boolean(),
});

export const NotificationView = z.object({
  id: z.uuid(),
  structureId: z.uuid(),
  structureName: z.string(),
  parisDay: z.string(),
  sentAt: z.string(),
  recipients: z.array(z.string()),
  tickets: z.array(NotificationTicketBrief),
  ackExpiresAt: z.string(),
  /** When the acknowledgment link was used. */
  acknowledgedAt: z.string().nullable(),
  /** Tickets of the message acknowledged by any means. */
  acknowledgedTickets: z.number().int(),
});
export type NotificationView = z.infer<typeof NotificationView>;

export const NotificationPage = z.object({
  items: z.array(NotificationView),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type NotificationPage = z.infer<typeof NotificationPage>;

// ——— Acknowledgment link (public) ———

export const AckTokenParams = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, { error: "Lien d'acquittement invalide." }),
});

/** What an acknowledgment link covers: references, titles and statuses, nothing more. */
export const AckLinkView = z.object({
  sentAt: z.string(),
  expiresAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  tickets: z.array(z.object({ reference: z.string(), title: z.string(), status: TicketStatusSchema })),
});
export type AckLinkView = z.infer<typeof AckLinkView>;

export const AckLinkResult = AckLinkView.extend({ acknowledged: z.number().int() });
export type AckLinkResult = z.infer<typeof AckLinkResult>;

// ——— Yearly figures (CERT) ———

export const WatchStatsQuery = z.object({
  year: z.coerce
    .number({ error: "Année invalide." })
    .int({ error: "Année invalide." })
    .min(2000, { error: "Année invalide (2000 au plus tôt)." })
    .max(2100, { error: "Année invalide." })
    .optional(),
});

export const WatchStats = z.object({
  year: z.number().int(),
  /** « Structures alertées cette année »: distinct structures with a notification sent in the year. */
  alertedStructures: z.number().int(),
  /** Of those, how many acknowledged at least one ticket in the year. */
  acknowledgingStructures: z.number().int(),
  byKind: z.array(z.object({ kind: TicketKindSchema, structures: z.number().int() })),
  byStructureType: z.array(z.object({ structureType: z.string(), structures: z.number().int() })),
  byRegion: z.array(
    z.object({
      regionCode: z.string().nullable(),
      regionName: z.string().nullable(),
      structures: z.number().int(),
    }),
  ),
  tickets: z.array(
    z.object({
      kind: TicketKindSchema,
      urgency: TicketUrgencySchema,
      opened: z.number().int(),
      fixed: z.number().int(),
      open: z.number().int(),
    }),
  ),
});
export type WatchStats = z.infer<typeof WatchStats>;
