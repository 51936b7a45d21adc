import { createHash } from "node:crypto";
import type { FilteringCategory } from "@vigie/contracts";
import MailComposer from "nodemailer/lib/mail-composer";
import type Mail from "nodemailer/lib/mailer";

/** What every message of a campaign shares. */
export interface MessageContext {
  token: string;
  /** `[Test Vigie <token>] <title>` */
  subject: string;
  /** The mailbox. */
  to: string;
  /** The platform's sender, e.g. `Vigie - test de filtrage <filtrage@vigie.example>`. */
  from: string;
  senderDomain: string;
  targetDomain: string;
  /** RFC 5322 date. */
  date: string;
  messageId: string;
}

/** One control point of the battery: how to build its message. */
export interface BatterySpec {
  code: string;
  category: FilteringCategory;
  title: string;
  build(c: MessageContext): Buffer | Promise<Buffer>;
}

/** The French note every message carries. */
export function note(c: MessageContext): string {
  return (
    "Message de test du filtrage de la messagerie, envoyé par la plateforme Vigie du CERT Santé à la " +
    `demande de votre structure. Référence : ${c.token}.\r\n` +
    "Il ne contient rien de dangereux. N'ouvrez pas ses pièces jointes et ne cliquez sur aucun lien : " +
    "cochez simplement sa référence dans Vigie s'il est arrivé dans la boîte.\r\n"
  );
}

/** A message built by nodemailer's MailComposer (well-formed MIME), with the campaign's headers. */
export function compose(c: MessageContext, options: Mail.Options = {}): Promise<Buffer> {
  const { headers, ...rest } = options;
  const composer = new MailComposer({
    from: c.from,
    to: c.to,
    subject: c.subject,
    date: new Date(c.date),
    messageId: c.messageId,
    text: note(c),
    disableFileAccess: true,
    disableUrlAccess: true,
    ...rest,
    headers: { "X-Vigie-Test": c.token, ...(headers as Record<string, string> | undefined) },
  });
  return new Promise((resolve, reject) =>
    composer.compile().build((err, message) => (err ? reject(err) : resolve(message))),
  );
}

export interface RawOptions {
  /** Replaces the From line (`null`: no From). */
  from?: string | null;
  /** Replaces the Subject line (`null`: no Subject). */
  subject?: string | null;
  /** `null`: no Date header. */
  date?: string | null;
  /** `null`: no Message-ID. */
  messageId?: string | null;
  /** Content-Type and Content-Transfer-Encoding lines (default: UTF-8 text, 8bit). */
  content?: string[];
  /** Other header lines, added after the standard ones. */
  extra?: string[];
}

/** A message written by hand, for what a composer refuses to produce (malformed on purpose). */
export function raw(c: MessageContext, body: string | Buffer, options: RawOptions = {}): Buffer {
  const lines: string[] = [];
  const from = options.from === undefined ? c.from : options.from;
  if (from !== null) lines.push(`From: ${from}`);
  lines.push(`To: ${c.to}`);
  const subject = options.subject === undefined ? c.subject : options.subject;
  if (subject !== null) lines.push(`Subject: ${subject}`);
  const date = options.date === undefined ? c.date : options.date;
  if (date !== null) lines.push(`Date: ${date}`);
  const messageId = options.messageId === undefined ? c.messageId : options.messageId;
  if (messageId !== null) lines.push(`Message-ID: ${messageId}`);
  lines.push("MIME-Version: 1.0", `X-Vigie-Test: ${c.token}`);
  lines.push(
    ...(options.content ?? ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]),
  );
  lines.push(...(options.extra ?? []));
  const head = Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "utf8");
  const text = typeof body === "string" ? Buffer.from(body.replace(/\r?\n/g, "\r\n"), "utf8") : body;
  return Buffer.concat([
    head,
    text,
    text.subarray(-2).toString() === "\r\n" ? Buffer.alloc(0) : Buffer.from("\r\n"),
  ]);
}

/** Base64 in 76-character lines. */
export function b64(data: Buffer | string): string {
  const text = (typeof data === "string" ? Buffer.from(data, "utf8") : data).toString("base64");
  return text.replace(/.{1,76}/g, "$&\r\n");
}

/** The campaign's short tag in every token: 8 hex characters of the campaign id's hash. */
export function campaignTag(campaignId: string): string {
  return createHash("sha256").update(campaignId).digest("hex").slice(0, 8).toUpperCase();
}

/** A part of a multipart body. */
export function part(headers: string[], body: string): string {
  return `${headers.join("\r\n")}\r\n\r\n${body}`;
}

/** A multipart body from parts and a boundary. */
export function multipart(
  boundary: string,
  parts: string[],
  options: { close?: boolean; preamble?: string; epilogue?: string } = {},
): string {
  const preamble = options.preamble ? `${options.preamble}\r\n` : "";
  const body = parts.map((p) => `--${boundary}\r\n${p}\r\n`).join("");
  const end = options.close === false ? "" : `--${boundary}--\r\n`;
  return `${preamble}${body}${end}${options.epilogue ?? ""}`;
}
