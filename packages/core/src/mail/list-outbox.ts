import type { OutboxMessageView, OutboxPage } from "@vigie/contracts";
import { type Executor, type MailRow, mailOutboxRepo } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";

/** A message as the outbox page shows it. */
export function outboxMessageView(row: MailRow): z.infer<typeof OutboxMessageView> {
  return {
    id: row.id,
    to: row.to_address,
    subject: row.subject,
    text: row.text_body,
    createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at?.toISOString() ?? null,
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
  };
}

/**
 * One page of the outbox, newest first. Reading it is audited: the messages hold live
 * verification and password reset links.
 */
export async function listOutbox(
  db: Executor,
  actor: Actor | null,
  query: { to?: string | undefined; page: number; pageSize: number },
  context: { ip?: string | null },
  now: Date,
): Promise<z.infer<typeof OutboxPage>> {
  assertPermission(actor, "outbox:read");
  const { rows, total } = await mailOutboxRepo.listMails(
    db,
    { to: query.to },
    { offset: (query.page - 1) * query.pageSize, limit: query.pageSize },
  );
  await recordAudit(
    db,
    {
      actor,
      action: "outbox.read",
      ip: context.ip ?? null,
      details: { page: query.page, ...(query.to ? { to: query.to } : {}) },
    },
    now,
  );
  return { items: rows.map(outboxMessageView), total, page: query.page, pageSize: query.pageSize };
}
