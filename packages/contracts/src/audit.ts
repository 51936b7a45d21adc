import { z } from "zod";

/** Outcome of an audited action. */
export const AuditOutcome = z.enum(["success", "failure", "denied"]);

/** GET /api/audit: filters and cursor (the id of the last entry already seen), newest first. */
export const AuditQuery = z.object({
  /** A user id, or the label recorded for the actor (e-mail, "système"). */
  actor: z.string().trim().min(1, { error: "Acteur vide." }).max(254).optional(),
  action: z.string().trim().min(1, { error: "Action vide." }).max(100).optional(),
  objectType: z.string().trim().min(1, { error: "Type d'objet vide." }).max(100).optional(),
  objectId: z.string().trim().min(1, { error: "Identifiant d'objet vide." }).max(200).optional(),
  cursor: z
    .string()
    .regex(/^\d{1,19}$/, { error: "Curseur invalide : reprenez la valeur nextCursor de la page précédente." })
    .optional(),
  limit: z.coerce
    .number({ error: "Le nombre d'entrées doit être un nombre." })
    .int({ error: "Le nombre d'entrées doit être un entier." })
    .min(1, { error: "Au moins 1 entrée." })
    .max(200, { error: "Au plus 200 entrées par page." })
    .default(50),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

/** One entry of the audit log as shown on the audit screen. */
export const AuditEntryView = z.object({
  id: z.string(),
  occurredAt: z.string(),
  actorUserId: z.string().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  outcome: AuditOutcome,
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;

/** A page of the audit log; `nextCursor` is null on the last page. */
export const AuditPageView = z.object({
  entries: z.array(AuditEntryView),
  nextCursor: z.string().nullable(),
});
export type AuditPageView = z.infer<typeof AuditPageView>;

/** What is wrong with the chain at one entry. */
export const AuditProblemKind = z.enum(["altered", "broken_link", "head_mismatch"]);

/** GET /api/audit/verify: the result of walking the whole hash chain. */
export const AuditVerificationView = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  problems: z.array(z.object({ id: z.string(), kind: AuditProblemKind, message: z.string() })),
});
export type AuditVerificationView = z.infer<typeof AuditVerificationView>;
