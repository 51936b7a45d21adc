// The French e-mails of the regulatory clocks. Like every mail of the portal, they never quote
// the declaration: the reference, the obligation, the deadline and the link.

import { clockKindLabels } from "@vigie/contracts";
import type { MailContent } from "../mail/templates.ts";
import type { ClockKindCode } from "./deadlines.ts";

const SIGNATURE = `\n--\nVigie — CERT Santé\nCe message est envoyé automatiquement, merci de ne pas y répondre.\n`;

const parisDateTime = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  dateStyle: "full",
  timeStyle: "short",
});

/** A deadline in words, Paris time ("mardi 10 mars 2026 à 10:00"). */
export function formatParisDateTime(at: Date): string {
  return parisDateTime.format(at);
}

/** Which reminder: before the deadline (within the "due soon" window) or after it. */
export type ClockReminder = "due_soon" | "overdue";

function when(reminder: ClockReminder, dueAt: Date): string {
  return reminder === "due_soon"
    ? `L'échéance tombe le ${formatParisDateTime(dueAt)}, dans moins de 12 heures.`
    : `L'échéance est dépassée depuis le ${formatParisDateTime(dueAt)} : la démarche reste à faire au plus vite.`;
}

function subject(reminder: ClockReminder, kind: ClockKindCode, reference: string): string {
  const what = reminder === "due_soon" ? "échéance proche" : "échéance dépassée";
  return `Vigie : ${what} — ${clockKindLabels[kind]} — déclaration ${reference}`;
}

/** Reminds the declarant of a regulatory deadline of their declaration. */
export function clockReminderDeclarantMail(input: {
  fullName: string;
  reference: string;
  kind: ClockKindCode;
  dueAt: Date;
  reminder: ClockReminder;
  link: string;
}): MailContent {
  return {
    subject: subject(input.reminder, input.kind, input.reference),
    text: `Bonjour ${input.fullName},

Votre déclaration ${input.reference} est soumise à une obligation réglementaire :
${clockKindLabels[input.kind]}.

${when(input.reminder, input.dueAt)}

Si la démarche est faite, indiquez-le au CERT (date et référence du dépôt) en lui écrivant depuis le lien suivant :

${input.link}
${SIGNATURE}`,
  };
}

/** Reminds the analyst assigned to the case of one of its regulatory deadlines. */
export function clockReminderAnalystMail(input: {
  fullName: string;
  reference: string;
  kind: ClockKindCode;
  dueAt: Date;
  reminder: ClockReminder;
  link: string;
}): MailContent {
  return {
    subject: subject(input.reminder, input.kind, input.reference),
    text: `Bonjour ${input.fullName},

Le cas ${input.reference}, qui vous est attribué, a une échéance réglementaire non déposée :
${clockKindLabels[input.kind]}.

${when(input.reminder, input.dueAt)}

Le déclarant a reçu un rappel. Une fois le dépôt fait, enregistrez-le sur la page du cas :

${input.link}
${SIGNATURE}`,
  };
}
