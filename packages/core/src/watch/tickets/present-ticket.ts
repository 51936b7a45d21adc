import {
  canTransitionTicket,
  type TicketAction,
  type TicketKind,
  type TicketStatus,
  type TicketSummary,
  type TicketUrgency,
} from "@vigie/contracts";
import type { TicketListRow, WatchTicketRow } from "@vigie/db";
import { type Actor, hasPermission } from "../../access/policy.ts";

/** The short reference people read and type: `VT-` and the first 8 characters of the id. */
export function ticketReference(id: string): string {
  return `VT-${id.slice(0, 8).toUpperCase()}`;
}

/** Who an actor is to the state machine: the CERT (watch:handle) or a member of the structure. */
export function ticketActorSide(actor: Actor): "cert" | "structure" {
  return hasPermission(actor, "watch:handle") ? "cert" : "structure";
}

/** What the actor may do on a ticket in its current status. */
export function ticketActions(actor: Actor, status: TicketStatus): TicketAction[] {
  const side = ticketActorSide(actor);
  const actions: TicketAction[] = [];
  if (hasPermission(actor, "watch:manage")) {
    if (canTransitionTicket(status, "acknowledged", side)) actions.push("acknowledge");
    if (canTransitionTicket(status, "fixed", side)) actions.push("fix");
  }
  if (side === "cert") {
    if (canTransitionTicket(status, "false_positive", "cert")) actions.push("false_positive");
    if (canTransitionTicket(status, "reopened", "cert")) actions.push("reopen");
  }
  return actions;
}

function text(details: Record<string, unknown>, key: string): string | null {
  const value = details[key];
  return typeof value === "string" && value !== "" ? value : null;
}

function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

/** What the details of a ticket name, read defensively from its JSON. Never a password. */
export function ticketDetailsOf(row: Pick<WatchTicketRow, "details">) {
  const d = (row.details ?? {}) as Record<string, unknown>;
  return {
    title: text(d, "title") ?? "Ticket de veille",
    action: text(d, "action") ?? "",
    host: text(d, "host"),
    ip: text(d, "ip"),
    domain: text(d, "domain"),
    port: typeof d.port === "number" ? d.port : null,
    service: text(d, "service"),
    vendor: text(d, "vendor"),
    product: text(d, "product"),
    version: text(d, "version"),
    email: text(d, "email"),
    source: text(d, "source"),
    references: Array.isArray(d.references)
      ? d.references.filter((r): r is string => typeof r === "string")
      : [],
  };
}

/** A ticket row as the API lists it, with what the actor may do. */
export function presentTicket(row: TicketListRow, actor: Actor): TicketSummary {
  const { source: _source, references: _references, ...details } = ticketDetailsOf(row);
  return {
    id: row.id,
    reference: ticketReference(row.id),
    structureId: row.structure_id,
    structureName: row.structure_name,
    kind: row.kind as TicketKind,
    status: row.status as TicketStatus,
    urgency: row.urgency as TicketUrgency,
    notifiedUrgency: (row.notified_urgency as TicketUrgency | null) ?? null,
    confidence: row.confidence as TicketSummary["confidence"],
    cveId: row.cve_id,
    ...details,
    dueOn: row.due_on,
    firstSeenAt: iso(row.first_seen_at) ?? "",
    lastSeenAt: iso(row.last_seen_at) ?? "",
    notifiedAt: iso(row.notified_at),
    reminderCount: row.reminder_count,
    acknowledgedAt: iso(row.acknowledged_at),
    fixedAt: iso(row.fixed_at),
    falsePositiveUntil: row.false_positive_until,
    falsePositiveReason: row.false_positive_reason,
    noRecipient: row.no_recipient,
    actions: ticketActions(actor, row.status as TicketStatus),
  };
}
