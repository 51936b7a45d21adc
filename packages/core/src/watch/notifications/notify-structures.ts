import { type TicketKind, type TicketUrgency, ticketUrgencies } from "@vigie/contracts";
import { type Executor, type WatchTicketRow, watchTicketsRepo } from "@vigie/db";
import { recordAudit } from "../../audit/record-audit.ts";
import { randomToken, sha256 } from "../../auth/secrets.ts";
import { queueMail } from "../../mail/queue-mail.ts";
import { parisLocalTime } from "../../time/paris-time.ts";
import { ticketDetailsOf, ticketReference } from "../tickets/present-ticket.ts";
import { type NoticeReason, type NoticeTicket, watchNotificationMail } from "./watch-mail.ts";

/** What the notification run needs from the configuration. */
export interface NotifySettings {
  now: Date;
  /** Base URL of the web app, for the links of the message. */
  publicUrl: string;
  /** WATCH_REMINDER_DAYS: a ticket still not acknowledged this long after its last notice is reminded. */
  reminderDays: number;
  /** WATCH_ACK_LINK_DAYS: how long the acknowledgment link stays valid. */
  ackLinkDays: number;
}

/** What one run did. */
export interface NotifyReport {
  /** Structures that were sent their grouped message. */
  notified: number;
  /** Structures with something to say but no recipient (tickets stay new). */
  noRecipient: number;
  /** Structures already notified this Paris day. */
  alreadyNotified: number;
  newTickets: number;
  raisedTickets: number;
  reminders: number;
}

/** Pages of the web app the message links to. */
export const WATCH_PATHS = {
  watch: "/veille",
  ack: (token: string) => `/veille/acquitter/${token}`,
} as const;

/** The watch settings from the parsed configuration (now excepted). */
export function watchNotifySettingsFrom(config: {
  publicUrl: string;
  WATCH_REMINDER_DAYS: number;
  WATCH_ACK_LINK_DAYS: number;
}): Omit<NotifySettings, "now"> {
  return {
    publicUrl: config.publicUrl,
    reminderDays: config.WATCH_REMINDER_DAYS,
    ackLinkDays: config.WATCH_ACK_LINK_DAYS,
  };
}

const DAY_MS = 86_400_000;

function rank(urgency: string | null): number {
  return urgency === null ? -1 : ticketUrgencies.indexOf(urgency as TicketUrgency);
}

/** Why a notifiable ticket is named (the first that applies). */
function reasonOf(ticket: WatchTicketRow, remindBefore: Date): NoticeReason | null {
  if (ticket.status === "new" || ticket.status === "reopened") return "new";
  if (ticket.notified_urgency !== null && rank(ticket.urgency) > rank(ticket.notified_urgency))
    return "raised";
  const last = [ticket.notified_at, ticket.last_reminded_at]
    .filter((d): d is Date => d !== null)
    .map((d) => new Date(d).getTime());
  if (ticket.status === "notified" && last.length > 0 && Math.max(...last) <= remindBefore.getTime())
    return "reminder";
  return null;
}

const URGENCY_ORDER: Record<string, number> = { critical: 0, high: 1, normal: 2 };

/**
 * The `watch.notify` job (hourly), at `now`: each structure with something to be told gets at
 * most one grouped message per Paris day (unique (structure, day) row), naming its new and
 * reopened tickets (→ notified), the open ones whose urgency rose above what it was told (even
 * acknowledged), and reminders of those still not acknowledged WATCH_REMINDER_DAYS after their
 * last notice. Nothing else is ever repeated. Recipients: the structure's contact addresses and
 * its active members; without any, nothing is sent and the tickets stay new. Each structure in
 * one transaction: the notification row, the tickets, their history, the outbox mail, the audit.
 */
export async function notifyStructures(db: Executor, settings: NotifySettings): Promise<NotifyReport> {
  const report: NotifyReport = {
    notified: 0,
    noRecipient: 0,
    alreadyNotified: 0,
    newTickets: 0,
    raisedTickets: 0,
    reminders: 0,
  };
  const { now } = settings;
  const remindBefore = new Date(now.getTime() - settings.reminderDays * DAY_MS);
  const parisDay = parisLocalTime(now).date;
  for (const structureId of await watchTicketsRepo.structuresToNotify(db, remindBefore)) {
    const outcome = await db.transaction().execute(async (trx) => {
      const recipients = await watchTicketsRepo.structureRecipients(trx, structureId);
      if (!recipients) return null;
      if (recipients.emails.length === 0) return "no_recipient" as const;
      const tickets = await watchTicketsRepo.lockNotifiableTickets(trx, structureId, remindBefore);
      const named = tickets
        .map((ticket) => ({ ticket, reason: reasonOf(ticket, remindBefore) }))
        .filter((t): t is { ticket: WatchTicketRow; reason: NoticeReason } => t.reason !== null)
        .sort(
          (a, b) =>
            (URGENCY_ORDER[a.ticket.urgency] ?? 3) - (URGENCY_ORDER[b.ticket.urgency] ?? 3) ||
            (a.ticket.due_on ?? "9999").localeCompare(b.ticket.due_on ?? "9999") ||
            a.ticket.id.localeCompare(b.ticket.id),
        );
      if (named.length === 0) return null;
      const token = randomToken(32);
      const ackExpiresAt = new Date(now.getTime() + settings.ackLinkDays * DAY_MS);
      const inserted = await watchTicketsRepo.insertNotification(trx, {
        structure_id: structureId,
        paris_day: parisDay,
        sent_at: now,
        recipients: recipients.emails,
        ticket_ids: named.map((n) => n.ticket.id),
        reminder_ticket_ids: named.filter((n) => n.reason === "reminder").map((n) => n.ticket.id),
        ack_token_hash: sha256(token),
        ack_expires_at: ackExpiresAt,
      });
      if (!inserted) return "already" as const;

      const history = [];
      const notice: NoticeTicket[] = [];
      const counts = { new: 0, raised: 0, reminder: 0 };
      for (const { ticket, reason } of named) {
        counts[reason]++;
        let reminderCount = ticket.reminder_count;
        if (reason === "new") {
          await watchTicketsRepo.updateTicket(trx, ticket.id, {
            status: "notified",
            notified_at: now,
            notified_urgency: ticket.urgency,
            last_reminded_at: null,
            reminder_count: 0,
            updated_at: now,
          });
          reminderCount = 0;
        } else if (reason === "raised") {
          // A raise is a notice: the reminder delay starts again from it.
          await watchTicketsRepo.updateTicket(trx, ticket.id, {
            notified_urgency: ticket.urgency,
            last_reminded_at: now,
            updated_at: now,
          });
        } else {
          reminderCount = ticket.reminder_count + 1;
          await watchTicketsRepo.updateTicket(trx, ticket.id, {
            reminder_count: reminderCount,
            last_reminded_at: now,
            updated_at: now,
          });
        }
        history.push({
          ticket_id: ticket.id,
          at: now,
          from_status: ticket.status,
          to_status: reason === "new" ? "notified" : ticket.status,
          urgency: ticket.urgency,
          actor_user_id: null,
          via: "system",
          note:
            reason === "new"
              ? "Signalé à la structure par courriel"
              : reason === "raised"
                ? "Urgence relevée signalée à la structure"
                : `Rappel n° ${reminderCount} envoyé à la structure`,
        });
        const details = ticketDetailsOf(ticket);
        notice.push({
          reference: ticketReference(ticket.id),
          kind: ticket.kind as TicketKind,
          reason,
          urgency: ticket.urgency as TicketUrgency,
          title: details.title,
          action: details.action,
          cveId: ticket.cve_id,
          host: details.host,
          ip: details.ip,
          domain: details.domain,
          port: details.port,
          service: details.service,
          product: details.product,
          vendor: details.vendor,
          version: details.version,
          email: details.email,
          dueOn: ticket.due_on,
          reminderCount,
        });
      }
      await watchTicketsRepo.insertTicketHistory(trx, history);
      const mail = watchNotificationMail({
        structureName: recipients.name,
        tickets: notice,
        ackLink: `${settings.publicUrl}${WATCH_PATHS.ack(token)}`,
        ackExpiresAt,
        watchLink: `${settings.publicUrl}${WATCH_PATHS.watch}`,
      });
      // One grouped message per structure: every recipient is of the same structure.
      await queueMail(trx, { to: recipients.emails.join(", "), ...mail }, now);
      await recordAudit(
        trx,
        {
          actorLabel: "système",
          action: "watch.notification.sent",
          objectType: "watch_notification",
          objectId: inserted.id,
          details: { structureId, recipients: recipients.emails.length, ...counts },
        },
        now,
      );
      return counts;
    });
    if (outcome === "no_recipient") report.noRecipient++;
    else if (outcome === "already") report.alreadyNotified++;
    else if (outcome) {
      report.notified++;
      report.newTickets += outcome.new;
      report.raisedTickets += outcome.raised;
      report.reminders += outcome.reminder;
    }
  }
  return report;
}
