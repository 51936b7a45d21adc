import { type Executor, mailOutboxRepo } from "@vigie/db";

/** A message to queue. */
export interface MailToQueue {
  to: string;
  subject: string;
  text: string;
}

/**
 * Queues a mail in the outbox. Pass the transaction of the change the mail describes: the
 * message then commits (or rolls back) with it, and the worker delivers it afterwards.
 */
export async function queueMail(trx: Executor, mail: MailToQueue, now: Date = new Date()): Promise<string> {
  const row = await mailOutboxRepo.insertMail(trx, {
    to_address: mail.to.trim(),
    subject: mail.subject,
    text_body: mail.text,
    created_at: now,
  });
  return row.id;
}

/** Queues several mails in one statement (same rules as `queueMail`). */
export function queueMails(
  trx: Executor,
  mails: readonly MailToQueue[],
  now: Date = new Date(),
): Promise<string[]> {
  return mailOutboxRepo.insertMails(
    trx,
    mails.map((mail) => ({
      to_address: mail.to.trim(),
      subject: mail.subject,
      text_body: mail.text,
      created_at: now,
    })),
  );
}
