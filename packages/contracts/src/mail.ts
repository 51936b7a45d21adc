import { z } from "zod";

/** GET /api/outbox: page and optional recipient filter. */
export const OutboxQuery = z.object({
  to: z.string().trim().max(254).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

/** A message of the outbox, as the administrator reads it. */
export const OutboxMessageView = z.object({
  id: z.uuid(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
});

/** A page of the outbox, newest first. */
export const OutboxPage = z.object({
  items: z.array(OutboxMessageView),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
