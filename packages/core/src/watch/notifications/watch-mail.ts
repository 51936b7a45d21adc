// The French grouped message of the watch: one per structure and Paris day, marked TLP:AMBER
// in its subject and body. It names, for each ticket, where (IP, domain or host, port,
// service), what (product, version, CVE and its title), how urgent, what to do and by when;
// for a leaked account only the address, never a password.

import {
  sensitiveServices,
  type TicketKind,
  type TicketUrgency,
  ticketKindLabels,
  ticketUrgencyLabels,
} from "@vigie/contracts";
import type { MailContent } from "../../mail/templates.ts";
import { PARIS_TIME_ZONE } from "../../time/paris-time.ts";

/** Why a ticket is in the message. */
export type NoticeReason = "new" | "raised" | "reminder";

/** One ticket as the message names it. */
export interface NoticeTicket {
  reference: string;
  kind: TicketKind;
  reason: NoticeReason;
  urgency: TicketUrgency;
  title: string;
  action: string;
  cveId: string | null;
  host: string | null;
  ip: string | null;
  domain: string | null;
  port: number | null;
  service: string | null;
  product: string | null;
  vendor: string | null;
  version: string | null;
  email: string | null;
  dueOn: string | null;
  reminderCount: number;
}

const SIGNATURE = `\n--\nVigie — CERT Santé\nCe message est envoyé automatiquement, merci de ne pas y répondre.\n`;
const TLP = "TLP:AMBER";
const TLP_LINE =
  "TLP:AMBER — diffusion limitée à votre structure et à ses prestataires qui ont besoin d'en connaître.";

const longDate = new Intl.DateTimeFormat("fr-FR", { timeZone: "UTC", dateStyle: "full" });
const longDateParis = new Intl.DateTimeFormat("fr-FR", { timeZone: PARIS_TIME_ZONE, dateStyle: "long" });

/** A calendar day (YYYY-MM-DD) in words: « mardi 10 mars 2026 ». */
export function formatFrenchDay(day: string): string {
  return longDate.format(new Date(`${day}T12:00:00Z`));
}

const reasonLabels: Record<NoticeReason, string> = {
  new: "Nouveau",
  raised: "Urgence relevée",
  reminder: "Rappel",
};

function serviceLabel(service: string | null): string | null {
  if (!service) return null;
  return service in sensitiveServices
    ? sensitiveServices[service as keyof typeof sensitiveServices].label
    : service;
}

function ticketBlock(ticket: NoticeTicket, index: number): string {
  const lines: string[] = [];
  const reason =
    ticket.reason === "reminder"
      ? `${reasonLabels.reminder} n° ${ticket.reminderCount}`
      : reasonLabels[ticket.reason];
  lines.push(`${index}. [${reason}] ${ticket.title} — ${ticket.reference}`);
  lines.push(`   Nature : ${ticketKindLabels[ticket.kind]}`);
  if (ticket.kind === "leaked_credential") {
    // The address only: a password is never stored, so never sent.
    if (ticket.email) lines.push(`   Compte concerné : ${ticket.email}`);
  }
  if (ticket.ip) lines.push(`   Adresse IP : ${ticket.ip}`);
  if (ticket.domain) lines.push(`   Domaine : ${ticket.domain}`);
  if (ticket.host && ticket.host !== ticket.ip && ticket.host !== ticket.domain)
    lines.push(`   Hôte : ${ticket.host}`);
  const service = serviceLabel(ticket.service);
  if (ticket.port !== null || service) {
    lines.push(
      `   Port et service : ${[ticket.port !== null ? `port ${ticket.port}` : null, service].filter(Boolean).join(" — ")}`,
    );
  }
  if (ticket.product) {
    lines.push(
      `   Produit : ${[ticket.vendor, ticket.product].filter(Boolean).join(" ")}${ticket.version ? ` version ${ticket.version}` : ""}`,
    );
  }
  if (ticket.cveId) lines.push(`   Vulnérabilité : ${ticket.cveId} — ${ticket.title}`);
  lines.push(`   Urgence : ${ticketUrgencyLabels[ticket.urgency]}`);
  if (ticket.action) lines.push(`   Action attendue : ${ticket.action}`);
  if (ticket.dueOn) lines.push(`   Échéance : ${formatFrenchDay(ticket.dueOn)}`);
  return lines.join("\n");
}

/** The grouped message of one structure's day: new, more urgent and reminded tickets, one link to acknowledge them all. */
export function watchNotificationMail(input: {
  structureName: string;
  tickets: readonly NoticeTicket[];
  ackLink: string;
  ackExpiresAt: Date;
  watchLink: string;
}): MailContent {
  const count = input.tickets.length;
  const critical = input.tickets.some((t) => t.urgency === "critical");
  const subject = `[${TLP}] Vigie — veille : ${count} point${count > 1 ? "s" : ""} d'exposition à traiter${critical ? " (urgence critique)" : ""} — ${input.structureName}`;
  const blocks = input.tickets.map((t, i) => ticketBlock(t, i + 1)).join("\n\n");
  return {
    subject,
    text: `${TLP_LINE}

Bonjour,

La veille du CERT Santé a relevé ${count > 1 ? `${count} points` : "un point"} concernant les systèmes exposés sur Internet ou les comptes de ${input.structureName} :

${blocks}

Pour indiquer au CERT que vous avez pris en compte ${count > 1 ? "ces points" : "ce point"}, ouvrez ce lien (aucune connexion n'est nécessaire ; il est valable jusqu'au ${longDateParis.format(input.ackExpiresAt)}) :

${input.ackLink}

Ce lien est personnel à votre structure : ne le transférez pas en dehors des personnes chargées de la sécurité.
Les membres de la structure qui ont un compte Vigie retrouvent ces tickets, leur historique et leur suivi ici :

${input.watchLink}

Un ticket marqué corrigé est rouvert automatiquement si le problème est encore détecté.
Sans prise en compte, un rappel est envoyé après quelques jours.

${TLP_LINE}
${SIGNATURE}`,
  };
}
