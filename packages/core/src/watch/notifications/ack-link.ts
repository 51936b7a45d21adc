import {
  AckLinkResult,
  type AckLinkView,
  AppError,
  canTransitionTicket,
  type TicketStatus,
} from "@vigie/contracts";
import { type Executor, type WatchNotificationRow, watchTicketsRepo } from "@vigie/db";
import { recordAudit } from "../../audit/record-audit.ts";
import { sha256 } from "../../auth/secrets.ts";
import { ticketDetailsOf, ticketReference } from "../tickets/present-ticket.ts";

async function findValid(db: Executor, token: string, now: Date): Promise<WatchNotificationRow> {
  const notification = await watchTicketsRepo.findNotificationByTokenHash(db, sha256(token));
  if (!notification) throw new AppError("WATCH_ACK_LINK_UNKNOWN");
  if (new Date(notification.ack_expires_at).getTime() <= now.getTime())
    throw new AppError("WATCH_ACK_LINK_EXPIRED");
  return notification;
}

async function view(db: Executor, notification: WatchNotificationRow): Promise<AckLinkView> {
  const briefs = new Map(
    (await watchTicketsRepo.ticketBriefs(db, notification.ticket_ids)).map((b) => [b.id, b]),
  );
  return {
    sentAt: new Date(notification.sent_at).toISOString(),
    expiresAt: new Date(notification.ack_expires_at).toISOString(),
    acknowledgedAt: notification.acknowledged_at
      ? new Date(notification.acknowledged_at).toISOString()
      : null,
    tickets: notification.ticket_ids.flatMap((id) => {
      const brief = briefs.get(id);
      return brief
        ? [
            {
              reference: ticketReference(id),
              title: ticketDetailsOf(brief).title,
              status: brief.status as TicketStatus,
            },
          ]
        : [];
    }),
  };
}

/** What an acknowledgment link covers (references, titles, statuses); unknown or expired: a French error. */
export async function readAckLink(db: Executor, token: string, now: Date): Promise<AckLinkView> {
  return view(db, await findValid(db, token, now));
}

/**
 * Acknowledges, through the secret link of a notification (no sign-in), every ticket it named
 * that is still waiting for it (via 'link'); already acknowledged, fixed or false positive are
 * left alone, so a second use is harmless. One transaction with the history and the audit.
 */
export async function acknowledgeByLink(
  db: Executor,
  token: string,
  ctx: { now: Date; ip?: string | null },
): Promise<AckLinkResult> {
  return db.transaction().execute(async (trx) => {
    const notification = await findValid(trx, token, ctx.now);
    const tickets = await watchTicketsRepo.lockTickets(trx, notification.ticket_ids);
    const history = [];
    for (const ticket of tickets) {
      if (ticket.structure_id !== notification.structure_id) continue;
      if (!canTransitionTicket(ticket.status as TicketStatus, "acknowledged", "structure")) continue;
      await watchTicketsRepo.updateTicket(trx, ticket.id, {
        status: "acknowledged",
        acknowledged_at: ctx.now,
        acknowledged_by_user_id: null,
        updated_at: ctx.now,
      });
      history.push({
        ticket_id: ticket.id,
        at: ctx.now,
        from_status: ticket.status,
        to_status: "acknowledged",
        urgency: ticket.urgency,
        actor_user_id: null,
        via: "link",
        note: "Pris en compte depuis le lien du courriel",
      });
    }
    await watchTicketsRepo.insertTicketHistory(trx, history);
    await watchTicketsRepo.markNotificationAcknowledged(trx, notification.id, ctx.now);
    await recordAudit(
      trx,
      {
        actorLabel: "lien d'acquittement",
        action: "watch.notification.acknowledge",
        objectType: "watch_notification",
        objectId: notification.id,
        ip: ctx.ip ?? null,
        details: { structureId: notification.structure_id, acknowledged: history.length },
      },
      ctx.now,
    );
    const updated = await watchTicketsRepo.findNotificationByTokenHash(trx, sha256(token));
    return AckLinkResult.parse({
      ...(await view(trx, updated ?? notification)),
      acknowledged: history.length,
    });
  });
}
