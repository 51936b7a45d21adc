import {
  AppError,
  type NotificationListQuery,
  type NotificationPage,
  openTicketStatuses,
  type TicketDetail,
  type TicketKind,
  type TicketListQuery,
  type TicketPage,
  type TicketStatus,
  type TicketUrgency,
  type WatchStats,
} from "@vigie/contracts";
import { type Executor, watchTicketsRepo } from "@vigie/db";
import { type Actor, assertPermission, hasPermission, structureScope } from "../../access/policy.ts";
import { recordAudit } from "../../audit/record-audit.ts";
import { parisStartOfDay } from "../../time/paris-time.ts";
import { presentTicket, ticketDetailsOf, ticketReference } from "./present-ticket.ts";
import { canSeeTicketStructure } from "./transition-tickets.ts";

const PAGE_SIZE = 50;

function scopeIds(actor: Actor): readonly string[] | null {
  const scope = structureScope(actor);
  if (scope.kind === "all") return null;
  if (scope.kind === "structures") return scope.structureIds;
  return [];
}

/** The tickets the actor may see (a declarant: its structures'), filtered, most urgent first. */
export async function listWatchTickets(
  db: Executor,
  actor: Actor | null,
  query: TicketListQuery,
): Promise<TicketPage> {
  assertPermission(actor, "watch:read");
  const { rows, total } = await watchTicketsRepo.listTickets(db, {
    structureIds: scopeIds(actor),
    ...(query.status ? { statuses: query.status === "ouverts" ? openTicketStatuses : [query.status] } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.urgency ? { urgency: query.urgency } : {}),
    ...(query.structureId ? { structureId: query.structureId } : {}),
    ...(query.cve ? { cveId: query.cve } : {}),
    ...(query.q ? { q: query.q } : {}),
    limit: PAGE_SIZE,
    offset: (query.page - 1) * PAGE_SIZE,
  });
  return {
    items: rows.map((row) => presentTicket(row, actor)),
    total,
    page: query.page,
    pageSize: PAGE_SIZE,
  };
}

function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

/**
 * One ticket with its asset, its vulnerability, its history and the notifications that named
 * it (the addresses for the CERT only). Another structure's ticket is NOT_FOUND, audited.
 */
export async function getWatchTicket(
  db: Executor,
  actor: Actor | null,
  id: string,
  ctx: { now: Date; ip?: string | null },
): Promise<TicketDetail> {
  assertPermission(actor, "watch:read");
  const row = await watchTicketsRepo.findTicket(db, id);
  if (!row || !canSeeTicketStructure(actor, row.structure_id)) {
    if (row) {
      await recordAudit(
        db,
        {
          actor,
          action: "watch.ticket.read",
          outcome: "denied",
          objectType: "watch_ticket",
          objectId: id,
          ip: ctx.ip ?? null,
        },
        ctx.now,
      );
    }
    throw new AppError("NOT_FOUND", { message: "Ticket de veille introuvable." });
  }
  const cert = hasPermission(actor, "watch:handle");
  const details = ticketDetailsOf(row);
  const asset = row.asset_id ? await watchTicketsRepo.findTicketAsset(db, row.asset_id) : undefined;
  const vulnerability = row.cve_id
    ? await watchTicketsRepo.findTicketVulnerability(db, row.cve_id)
    : undefined;
  const history = await watchTicketsRepo.listTicketHistory(db, row.id);
  const notifications = await watchTicketsRepo.listNotificationsOfTicket(db, row.id);
  return {
    ...presentTicket(row, actor),
    source: details.source,
    references: details.references,
    asset: asset ? { ...asset, network: asset.network === null ? null : String(asset.network) } : null,
    vulnerability: vulnerability
      ? {
          cveId: vulnerability.cve_id,
          name: vulnerability.kev_name,
          description: vulnerability.description,
          cvssScore: vulnerability.cvss_score === null ? null : Number(vulnerability.cvss_score),
          cvssSeverity: vulnerability.cvss_severity,
          inKev: vulnerability.in_kev,
          kevAddedOn: vulnerability.kev_added_on,
          ransomware: vulnerability.kev_ransomware,
          requiredAction: vulnerability.kev_action,
        }
      : null,
    history: history.map((h) => ({
      at: iso(h.at) ?? "",
      fromStatus: (h.from_status as TicketStatus | null) ?? null,
      toStatus: h.to_status as TicketStatus,
      urgency: h.urgency as TicketUrgency,
      via: h.via as "system" | "user" | "link",
      actorName: h.actor_name === null ? null : h.actor_name,
      note: h.note,
    })),
    notifications: notifications.map((n) => ({
      id: n.id,
      sentAt: iso(n.sent_at) ?? "",
      parisDay: n.paris_day,
      reminder: n.reminder_ticket_ids.includes(row.id),
      recipientCount: n.recipients.length,
      recipients: cert ? n.recipients : null,
      acknowledgedAt: iso(n.acknowledged_at),
    })),
  };
}

/** The CERT's list of notifications: who was alerted, when, about which tickets, acknowledged or not. */
export async function listWatchNotifications(
  db: Executor,
  actor: Actor | null,
  query: NotificationListQuery,
): Promise<NotificationPage> {
  assertPermission(actor, "watch:handle");
  const { rows, total } = await watchTicketsRepo.listNotifications(db, {
    ...(query.structureId ? { structureId: query.structureId } : {}),
    ...(query.acknowledged ? { acknowledged: query.acknowledged === "yes" } : {}),
    limit: PAGE_SIZE,
    offset: (query.page - 1) * PAGE_SIZE,
  });
  const briefs = new Map(
    (await watchTicketsRepo.ticketBriefs(db, [...new Set(rows.flatMap((r) => r.ticket_ids))])).map((b) => [
      b.id,
      b,
    ]),
  );
  return {
    items: rows.map((n) => {
      const tickets = n.ticket_ids.flatMap((id) => {
        const brief = briefs.get(id);
        if (!brief) return [];
        return [
          {
            id,
            reference: ticketReference(id),
            title: ticketDetailsOf(brief).title,
            kind: brief.kind as TicketKind,
            status: brief.status as TicketStatus,
            urgency: brief.urgency as TicketUrgency,
            reminder: n.reminder_ticket_ids.includes(id),
          },
        ];
      });
      return {
        id: n.id,
        structureId: n.structure_id,
        structureName: n.structure_name,
        parisDay: n.paris_day,
        sentAt: iso(n.sent_at) ?? "",
        recipients: n.recipients,
        tickets,
        ackExpiresAt: iso(n.ack_expires_at) ?? "",
        acknowledgedAt: iso(n.acknowledged_at),
        acknowledgedTickets: tickets.filter((t) => t.status === "acknowledged").length,
      };
    }),
    total,
    page: query.page,
    pageSize: PAGE_SIZE,
  };
}

/**
 * The watch's figures of a Paris year (CERT): « structures alertées » (distinct structures with
 * a notification sent that year) by ticket kind, structure type and region, how many of them
 * acknowledged a ticket, and the tickets opened, fixed and still open by kind and urgency.
 */
export async function watchStats(db: Executor, actor: Actor | null, year: number): Promise<WatchStats> {
  assertPermission(actor, "watch:handle");
  const from = parisStartOfDay(`${year}-01-01`);
  const to = parisStartOfDay(`${year + 1}-01-01`);
  const figures = await watchTicketsRepo.watchYearFigures(db, from, to);
  return {
    year,
    alertedStructures: figures.alertedStructures,
    acknowledgingStructures: figures.acknowledgingStructures,
    byKind: figures.byKind.map((r) => ({ kind: r.kind as TicketKind, structures: r.structures })),
    byStructureType: figures.byStructureType.map((r) => ({
      structureType: r.structure_type,
      structures: r.structures,
    })),
    byRegion: figures.byRegion.map((r) => ({
      regionCode: r.region_code,
      regionName: r.region_name,
      structures: r.structures,
    })),
    tickets: figures.tickets.map((r) => ({
      kind: r.kind as TicketKind,
      urgency: r.urgency as TicketUrgency,
      opened: r.opened,
      fixed: r.fixed,
      open: r.open,
    })),
  };
}
