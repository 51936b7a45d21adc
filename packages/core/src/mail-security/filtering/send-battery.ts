import nodemailer from "nodemailer";
import type { FilteringMessage } from "./battery.ts";

export interface BatterySendReport {
  sent: string[];
  failed: { token: string; error: string }[];
}

/** The bare address of a `Name <address>` sender. */
export function addressOf(from: string): string {
  return (from.match(/<([^>]+)>/)?.[1] ?? from).trim();
}

/**
 * Sends the battery through the relay (`MAIL_TEST_SMTP_URL`, else `SMTP_URL`), each message as
 * built (raw), the envelope from the platform's address to the mailbox — whatever the headers say.
 * One failed message does not stop the others.
 */
export async function sendFilteringBattery(
  transportUrl: string,
  messages: readonly FilteringMessage[],
  envelope: { from: string; to: string },
  options: { timeoutMs?: number } = {},
): Promise<BatterySendReport> {
  const timeout = options.timeoutMs ?? 30_000;
  const transporter = nodemailer.createTransport({
    url: transportUrl,
    pool: true,
    maxConnections: 1,
    maxMessages: 1000,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  const report: BatterySendReport = { sent: [], failed: [] };
  try {
    for (const message of messages) {
      try {
        const info = await transporter.sendMail({
          envelope: { from: addressOf(envelope.from), to: [envelope.to] },
          raw: message.raw,
        });
        if (info.rejected.length > 0)
          report.failed.push({ token: message.token, error: "destinataire refusé" });
        else report.sent.push(message.token);
      } catch (err) {
        report.failed.push({ token: message.token, error: (err as Error).message.slice(0, 300) });
      }
    }
  } finally {
    transporter.close();
  }
  return report;
}
