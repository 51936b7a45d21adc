import { type Executor, mailOutboxRepo } from "@vigie/db";
import type { MailTransport } from "./transport.ts";

/** After this many failed attempts a message stays unsent (visible with its last error). */
export const MAX_MAIL_ATTEMPTS = 12;
/** How long a worker may take to send a claimed message before another may try it. */
const CLAIM_MS = 5 * 60_000;

/**
 * Wait before the next attempt after `attempts` failures: 1, 2, 4… minutes, at most 6 hours
 * (12 attempts span about a day, enough for an SMTP relay outage).
 */
export function mailRetryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);
}

/** What one delivery run did. */
export interface DeliveryReport {
  sent: number;
  failed: number;
}

/**
 * Sends the due messages of the outbox through the transport. Each message is claimed first
 * (so concurrent workers never pick the same one), its attempt counted, then marked sent or
 * given its error and next attempt time. Delivery is at-least-once only if a worker dies
 * between the SMTP acceptance and the update, which is the best SMTP allows.
 */
export async function deliverOutbox(
  db: Executor,
  transport: MailTransport,
  now: Date,
  options: { batch?: number } = {},
): Promise<DeliveryReport> {
  const claimed = await mailOutboxRepo.claimDueMails(db, {
    now,
    claimUntil: new Date(now.getTime() + CLAIM_MS),
    limit: options.batch ?? 50,
    maxAttempts: MAX_MAIL_ATTEMPTS,
  });
  const report: DeliveryReport = { sent: 0, failed: 0 };
  for (const mail of claimed) {
    try {
      await transport.send({ id: mail.id, to: mail.to_address, subject: mail.subject, text: mail.text_body });
      await mailOutboxRepo.markMailSent(db, mail.id, now);
      report.sent++;
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
      await mailOutboxRepo.markMailFailed(
        db,
        mail.id,
        message,
        new Date(now.getTime() + mailRetryDelayMs(mail.attempts)),
      );
      report.failed++;
    }
  }
  return report;
}
