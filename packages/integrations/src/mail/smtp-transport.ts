import nodemailer from "nodemailer";

/** One message to send (same shape as core's `OutgoingMail`). */
export interface SmtpMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
}

/** A mail transport over SMTP; `close` releases its pooled connections. */
export interface SmtpTransport {
  send(mail: SmtpMessage): Promise<void>;
  verify(): Promise<void>;
  close(): void;
}

function messageIdDomain(from: string): string {
  const address = from.match(/<([^>]+)>/)?.[1] ?? from;
  return address.split("@")[1]?.trim() || "vigie.localhost";
}

/**
 * An SMTP transport from `SMTP_URL` (smtp:// or smtps://user:pass@host:port) and `MAIL_FROM`.
 * Each outbox message carries its id as Message-ID, so a message delivered twice after a
 * crash can be recognised by the receiving side.
 */
export function createSmtpTransport(options: {
  url: string;
  from: string;
  /** Socket timeouts in ms (defaults suit a remote relay). */
  timeoutMs?: number;
}): SmtpTransport {
  const timeout = options.timeoutMs ?? 30_000;
  const transporter = nodemailer.createTransport({
    url: options.url,
    pool: true,
    maxConnections: 2,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  const domain = messageIdDomain(options.from);
  return {
    async send(mail) {
      const info = await transporter.sendMail({
        from: options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: `<${mail.id}@${domain}>`,
        headers: { "Auto-Submitted": "auto-generated" },
      });
      if (info.rejected.length > 0) {
        throw new Error(`Destinataire refusé par le serveur SMTP : ${info.rejected.join(", ")}`);
      }
    },
    async verify() {
      await transporter.verify();
    },
    close() {
      transporter.close();
    },
  };
}

/** The SMTP transport of the configuration, or null when mails stay in the outbox (no SMTP_URL). */
export function createMailTransport(config: {
  SMTP_URL?: string | undefined;
  MAIL_FROM: string;
}): SmtpTransport | null {
  if (!config.SMTP_URL) return null;
  return createSmtpTransport({ url: config.SMTP_URL, from: config.MAIL_FROM });
}
