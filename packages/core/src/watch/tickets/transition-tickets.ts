import {
  type AcknowledgeTicketsRequest,
  AppError,
  canTransitionTicket,
  type FalsePositiveRequest,
  type TicketNoteRequest,
  type TicketStatus,
  type TicketTransitionResult,
  type TicketUrgency,
  ticketStatusLabels,
  ticketUrgencyDays,
} from "@vigie/contracts";
import { type Executor, type WatchTicketRow, watchTicketsRepo } from "@vigie/db";
import { type Actor, assertPermission, structureScope } from "../../access/policy.ts";
import { recordAudit } from "../../audit/record-audit.ts";
import { parisLocalTime } from "../../time/paris-time.ts";
import { presentTicket, ticketActorSide, ticketReference } from "./present-ticket.ts";

/** When and from where a change is made. */
export interface TicketChangeContext {
  now: Date;
  ip?: string | null;
}

/** True when the actor may see tickets of this structure (the CERT: every structure). */
export function canSeeTicketStructure(actor: Actor, structureId: string): boolean {
  const scope = structureScope(actor);
  if (scope.kind === "all") return true;
  if (scope.kind === "structures") return scope.structureIds.includes(structureId);
  return false;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function refused(ticket: WatchTicketRow, to: TicketStatus): AppError {
  return new AppError("WATCH_TRANSITION_REFUSED", {
    message: `Le ticket ${ticketReference(ticket.id)} est « ${ticketStatusLabels[ticket.status as TicketStatus]} » : il ne peut pas passer à « ${ticketStatusLabels[to]} ».`,
    details: { ticketId: ticket.id, from: ticket.status, to },
  });
}

/** Locks the tickets, each visible to the actor (else NOT_FOUND, as if absent). */
async function lockVisible(trx: Executor, actor: Actor, ids: readonly string[]): Promise<WatchTicketRow[]> {
  const unique = [...new Set(ids)];
  const rows = await watchTicketsRepo.lockTickets(trx, unique);
  const visible = rows.filter((row) => canSeeTicketStructure(actor, row.structure_id));
  if (visible.length !== unique.length) {
    throw new AppError("NOT_FOUND", { message: "Ticket de veille introuvable." });
  }
  return visible;
}

async function present(trx: Executor, actor: Actor, ids: readonly string[]) {
  const items = [];
  for (const id of ids) {
    const row = await watchTicketsRepo.findTicket(trx, id);
    if (row) items.push(presentTicket(row, actor));
  }
  return items;
}

/** Writes the history row and the audit entry of one change. */
async function record(
  trx: Executor,
  actor: Actor,
  ticket: WatchTicketRow,
  to: TicketStatus,
  action: string,
  note: string | null,
  ctx: TicketChangeContext,
  details: Record<string, unknown> = {},
): Promise<void> {
  await watchTicketsRepo.insertTicketHistory(trx, [
    {
      ticket_id: ticket.id,
      at: ctx.now,
      from_status: ticket.status,
      to_status: to,
      urgency: ticket.urgency,
      actor_user_id: actor.userId,
      via: "user",
      note,
    },
  ]);
  await recordAudit(
    trx,
    {
      actor,
      action,
      objectType: "watch_ticket",
      objectId: ticket.id,
      ip: ctx.ip ?? null,
      details: { structureId: ticket.structure_id, from: ticket.status, to, ...details },
    },
    ctx.now,
  );
}

/**
 * Acknowledges tickets (a member of their structure with watch:manage, or the CERT), several
 * at once; those already acknowledged are left as they are. One transaction: a ticket that
 * cannot be acknowledged (fixed, false positive) refuses the whole request.
 */
export async function acknowledgeTickets(
  db: Executor,
  actor: Actor | null,
  request: AcknowledgeTicketsRequest,
  ctx: TicketChangeContext,
): Promise<TicketTransitionResult> {
  assertPermission(actor, "watch:manage");
  const side = ticketActorSide(actor);
  return db.transaction().execute(async (trx) => {
    const tickets = await lockVisible(trx, actor, request.ticketIds);
    let changed = 0;
    for (const ticket of tickets) {
      if (ticket.status === "acknowledged") continue;
      if (!canTransitionTicket(ticket.status as TicketStatus, "acknowledged", side)) {
        throw refused(ticket, "acknowledged");
      }
      await watchTicketsRepo.updateTicket(trx, ticket.id, {
        status: "acknowledged",
        acknowledged_at: ctx.now,
        acknowledged_by_user_id: actor.userId,
        updated_at: ctx.now,
      });
      await record(trx, actor, ticket, "acknowledged", "watch.ticket.acknowledge", null, ctx);
      changed++;
    }
    return {
      changed,
      tickets: await present(
        trx,
        actor,
        tickets.map((t) => t.id),
      ),
    };
  });
}

/**
 * Marks a ticket fixed (its structure or the CERT). Matching reopens it if the problem is
 * still detected.
 */
export async function markTicketFixed(
  db: Executor,
  actor: Actor | null,
  ticketId: string,
  request: TicketNoteRequest,
  ctx: TicketChangeContext,
): Promise<TicketTransitionResult> {
  assertPermission(actor, "watch:manage");
  const side = ticketActorSide(actor);
  return db.transaction().execute(async (trx) => {
    const [ticket] = await lockVisible(trx, actor, [ticketId]);
    if (!ticket) throw new AppError("NOT_FOUND");
    if (!canTransitionTicket(ticket.status as TicketStatus, "fixed", side)) throw refused(ticket, "fixed");
    await watchTicketsRepo.updateTicket(trx, ticket.id, {
      status: "fixed",
      fixed_at: ctx.now,
      updated_at: ctx.now,
    });
    await record(
      trx,
      actor,
      ticket,
      "fixed",
      "watch.ticket.fix",
      request.note || "Corrigé selon la structure",
      ctx,
    );
    return { changed: 1, tickets: await present(trx, actor, [ticket.id]) };
  });
}

/**
 * Classes a ticket as a false positive (CERT, watch:handle) with a reason and an expiry date
 * (in the future, at most one year ahead); matching reopens it once the date has passed.
 */
export async function markTicketFalsePositive(
  db: Executor,
  actor: Actor | null,
  ticketId: string,
  request: FalsePositiveRequest,
  ctx: TicketChangeContext,
): Promise<TicketTransitionResult> {
  assertPermission(actor, "watch:handle");
  const today = parisLocalTime(ctx.now).date;
  const latest = addDays(today, 365);
  if (request.until <= today) {
    throw new AppError("VALIDATION_FAILED", {
      fields: [{ field: "until", message: "La date d'échéance du faux positif doit être dans le futur." }],
    });
  }
  if (request.until > latest) {
    throw new AppError("VALIDATION_FAILED", {
      fields: [{ field: "until", message: "La date d'échéance du faux positif est à un an au plus." }],
    });
  }
  return db.transaction().execute(async (trx) => {
    const [ticket] = await lockVisible(trx, actor, [ticketId]);
    if (!ticket) throw new AppError("NOT_FOUND");
    if (!canTransitionTicket(ticket.status as TicketStatus, "false_positive", "cert")) {
      throw refused(ticket, "false_positive");
    }
    await watchTicketsRepo.updateTicket(trx, ticket.id, {
      status: "false_positive",
      false_positive_reason: request.reason,
      false_positive_until: request.until,
      updated_at: ctx.now,
    });
    await record(
      trx,
      actor,
      ticket,
      "false_positive",
      "watch.ticket.false_positive",
      `Faux positif jusqu'au ${request.until} : ${request.reason}`,
      ctx,
      { until: request.until },
    );
    return { changed: 1, tickets: await present(trx, actor, [ticket.id]) };
  });
}

/**
 * Reopens a fixed ticket or a false positive (CERT): it is notified again as a new one, with
 * a deadline counted from today.
 */
export async function reopenTicket(
  db: Executor,
  actor: Actor | null,
  ticketId: string,
  request: TicketNoteRequest,
  ctx: TicketChangeContext,
): Promise<TicketTransitionResult> {
  assertPermission(actor, "watch:handle");
  return db.transaction().execute(async (trx) => {
    const [ticket] = await lockVisible(trx, actor, [ticketId]);
    if (!ticket) throw new AppError("NOT_FOUND");
    if (!canTransitionTicket(ticket.status as TicketStatus, "reopened", "cert"))
      throw refused(ticket, "reopened");
    await watchTicketsRepo.updateTicket(trx, ticket.id, {
      status: "reopened",
      fixed_at: null,
      false_positive_reason: null,
      false_positive_until: null,
      notified_urgency: null,
      acknowledged_at: null,
      acknowledged_by_user_id: null,
      due_on: addDays(parisLocalTime(ctx.now).date, ticketUrgencyDays[ticket.urgency as TicketUrgency]),
      updated_at: ctx.now,
    });
    await record(
      trx,
      actor,
      ticket,
      "reopened",
      "watch.ticket.reopen",
      request.note || "Rouvert par le CERT",
      ctx,
    );
    return { changed: 1, tickets: await present(trx, actor, [ticket.id]) };
  });
}
