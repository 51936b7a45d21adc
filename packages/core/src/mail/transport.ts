/** One message as handed to a transport. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Stable id, sent as the Message-ID so a resent message is recognisable. */
  id: string;
}

/** Where mails go out (SMTP in production); implemented in `@vigie/integrations`. */
export interface MailTransport {
  /** Sends one message; throws when the server refuses it or cannot be reached. */
  send(mail: OutgoingMail): Promise<void>;
}
