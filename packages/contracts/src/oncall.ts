import { z } from "zod";

const dateTime = (label: string) =>
  z.iso.datetime({
    offset: true,
    error: `${label} : date et heure ISO 8601 attendues (ex. 2026-03-14T20:00:00+01:00).`,
  });

/** A CERT lead schedules someone on call. */
export const CreateShiftRequest = z.object({
  userId: z.uuid({ error: "Identifiant de la personne d'astreinte invalide." }),
  startsAt: dateTime("Début"),
  endsAt: dateTime("Fin"),
  position: z.coerce
    .number({ error: "Rang d'appel requis (1 = appelé en premier, 2 = renfort…)." })
    .int({ error: "Le rang d'appel est un nombre entier." })
    .min(1, { error: "Le rang d'appel va de 1 à 9." })
    .max(9, { error: "Le rang d'appel va de 1 à 9." })
    .default(1),
});

/** Period of the rota to list (default: from now, the next 14 days). */
export const ShiftListQuery = z.object({
  from: dateTime("Début de période").optional(),
  to: dateTime("Fin de période").optional(),
});

/** One shift of the rota. */
export const ShiftView = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  fullName: z.string(),
  email: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  position: z.number().int(),
});
export const ShiftList = z.object({ items: z.array(ShiftView) });

/** Who is on call now, position 1 first; the fallback address pages whoever reads it when nobody is. */
export const OncallNow = z.object({
  at: z.string(),
  items: z.array(ShiftView),
  fallbackEmail: z.string(),
});

/** Filter of the pages list. */
export const PageListQuery = z.object({
  pending: z
    .enum(["true", "false"], { error: "pending : true ou false attendu." })
    .optional()
    .transform((v) => v === "true"),
});

/** One page of a declaration to the on-call team. */
export const PageView = z.object({
  id: z.uuid(),
  incidentId: z.uuid(),
  reference: z.string(),
  title: z.string(),
  level: z.number().int(),
  targetEmail: z.string(),
  shiftUserId: z.uuid().nullable(),
  shiftUserName: z.string().nullable(),
  createdAt: z.string(),
  webhookSentAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  escalatedAt: z.string().nullable(),
});
export const PageList = z.object({ items: z.array(PageView) });
