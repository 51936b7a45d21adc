import {
  openTicketStatuses,
  type TicketConfidence,
  type TicketKind,
  type TicketUrgency,
  ticketUrgencies,
  ticketUrgencyDays,
  ticketUrgencyLabels,
} from "@vigie/contracts";
import {
  type Executor,
  type ExistingTicketRow,
  type NewWatchTicketRow,
  type SeenTicketUpdate,
  watchTicketsRepo,
} from "@vigie/db";
import { parisLocalTime } from "../../time/paris-time.ts";
import { fixTicketsAsSystem } from "./close-tickets-of-asset.ts";

/** What a ticket's message names. Never a password. */
export interface TicketDetails {
  title: string;
  action: string;
  host?: string;
  ip?: string;
  domain?: string;
  port?: number;
  service?: string;
  vendor?: string;
  product?: string;
  version?: string;
  email?: string;
  source?: string;
  references?: string[];
}

/** One thing found about a structure: an asset × a vulnerability, an exposed service, a leaked account. */
export interface Finding {
  structureId: string;
  assetId: string | null;
  kind: TicketKind;
  /** What makes two findings the same: `vuln:<asset>:<CVE>`, `service:<asset>`, `leak:<email>`. */
  findingKey: string;
  cveId: string | null;
  confidence: TicketConfidence;
  urgency: TicketUrgency;
  details: TicketDetails;
}

/**
 * What a pass evaluated: open tickets of these kinds (and structures; and assets or CVEs when
 * given) that the pass did not find again are fixed.
 */
export interface FindingScope {
  kinds: TicketKind[];
  structureIds?: string[];
  assetIds?: string[];
  cveIds?: string[];
}

export interface RecordFindingsResult {
  opened: number;
  reopened: number;
  raised: number;
  seen: number;
  fixed: number;
}

const BATCH = 2_000;

function urgencyRank(urgency: string): number {
  return ticketUrgencies.indexOf(urgency as TicketUrgency);
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function ticketKey(structureId: string, findingKey: string): string {
  return `${structureId}\u0000${findingKey}`;
}

/**
 * Records findings as watch tickets, keyed by (structure, finding key), so the same problem
 * is never reported twice: a new finding opens a ticket; a fixed ticket, or a false positive
 * whose expiry has passed, seen again is reopened; an open ticket seen again keeps its status
 * and takes the finding's urgency (a rise is what the notification sends again, through
 * `notified_urgency`). Within `scope`, open tickets the pass did not find again are fixed.
 * Writes the history; runs in the caller's transaction.
 */
export async function recordFindings(
  db: Executor,
  findings: readonly Finding[],
  now: Date,
  scope?: FindingScope,
): Promise<RecordFindingsResult> {
  const result: RecordFindingsResult = { opened: 0, reopened: 0, raised: 0, seen: 0, fixed: 0 };
  const today = parisLocalTime(now).date;

  // One finding per ticket: the most urgent wins when a pass produced the same key twice.
  const unique = new Map<string, Finding>();
  for (const finding of findings) {
    const key = ticketKey(finding.structureId, finding.findingKey);
    const previous = unique.get(key);
    if (!previous || urgencyRank(finding.urgency) > urgencyRank(previous.urgency)) unique.set(key, finding);
  }
  const all = [...unique.values()];

  for (let start = 0; start < all.length; start += BATCH) {
    const batch = all.slice(start, start + BATCH);
    const existing = new Map<string, ExistingTicketRow>();
    for (const row of await watchTicketsRepo.findTicketsByKeys(db, batch)) {
      existing.set(ticketKey(row.structure_id, row.finding_key), row);
    }
    const inserts: NewWatchTicketRow[] = [];
    const updates: SeenTicketUpdate[] = [];
    const history: { ticketId: string; from: string | null; to: string; urgency: string; note: string }[] =
      [];

    for (const finding of batch) {
      const row = existing.get(ticketKey(finding.structureId, finding.findingKey));
      const dueOn = addDays(today, ticketUrgencyDays[finding.urgency]);
      const details = JSON.stringify(finding.details);
      if (!row) {
        inserts.push({
          structure_id: finding.structureId,
          asset_id: finding.assetId,
          kind: finding.kind,
          finding_key: finding.findingKey,
          cve_id: finding.cveId,
          confidence: finding.confidence,
          status: "new",
          urgency: finding.urgency,
          details,
          due_on: dueOn,
          first_seen_at: now,
          last_seen_at: now,
          created_at: now,
          updated_at: now,
        });
        continue;
      }
      const expiredFalsePositive =
        row.status === "false_positive" &&
        row.false_positive_until !== null &&
        row.false_positive_until < today;
      if (row.status === "false_positive" && !expiredFalsePositive) {
        // The CERT said it is not a problem, until its date: seen, nothing else.
        updates.push({
          id: row.id,
          status: row.status,
          urgency: row.urgency,
          confidence: finding.confidence,
          details,
          dueOn: row.due_on,
          reopen: false,
        });
        result.seen++;
        continue;
      }
      if (row.status === "fixed" || expiredFalsePositive) {
        updates.push({
          id: row.id,
          status: "reopened",
          urgency: finding.urgency,
          confidence: finding.confidence,
          details,
          dueOn,
          reopen: true,
        });
        history.push({
          ticketId: row.id,
          from: row.status,
          to: "reopened",
          urgency: finding.urgency,
          note: expiredFalsePositive
            ? "Faux positif échu : de nouveau détecté"
            : "De nouveau détecté après correction",
        });
        result.reopened++;
        continue;
      }
      const raised = urgencyRank(finding.urgency) > urgencyRank(row.urgency);
      const earlierDue = row.due_on === null || dueOn < row.due_on ? dueOn : row.due_on;
      updates.push({
        id: row.id,
        status: row.status,
        urgency: finding.urgency,
        confidence: finding.confidence,
        details,
        dueOn: raised ? earlierDue : row.due_on,
        reopen: false,
      });
      if (raised) {
        history.push({
          ticketId: row.id,
          from: row.status,
          to: row.status,
          urgency: finding.urgency,
          note: `Urgence relevée : ${ticketUrgencyLabels[finding.urgency]}`,
        });
        result.raised++;
      } else {
        result.seen++;
      }
    }

    const insertedIds = await watchTicketsRepo.insertTickets(db, inserts);
    insertedIds.forEach((id, i) => {
      history.push({
        ticketId: id,
        from: null,
        to: "new",
        urgency: inserts[i]?.urgency ?? "normal",
        note: "Détecté",
      });
    });
    result.opened += insertedIds.length;
    await watchTicketsRepo.updateSeenTickets(db, updates, now);
    await watchTicketsRepo.insertTicketHistory(
      db,
      history.map((h) => ({
        ticket_id: h.ticketId,
        at: now,
        from_status: h.from,
        to_status: h.to,
        urgency: h.urgency,
        actor_user_id: null,
        via: "system",
        note: h.note,
      })),
    );
  }

  if (scope) {
    const open = await watchTicketsRepo.listOpenTicketsInScope(db, {
      ...scope,
      openStatuses: openTicketStatuses,
    });
    const gone = open.filter((row) => !unique.has(ticketKey(row.structure_id, row.finding_key)));
    result.fixed = await fixTicketsAsSystem(
      db,
      gone.map((row) => row.id),
      now,
      "Plus détecté lors du dernier rapprochement",
    );
  }
  return result;
}
