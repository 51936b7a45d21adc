import { clockKindLabels } from "@vigie/contracts";
import { type ClockRow, caseJournalRepo, type Executor } from "@vigie/db";
import type { JournalAuthor } from "../cases/journal.ts";
import { formatParisDateTime } from "./mails.ts";

/** What happened to a clock, as its journal line tells it. */
export type ClockEvent =
  | { what: "opened" | "reopened" }
  | { what: "cancelled"; reason: string }
  | { what: "filed"; filedAt: Date; reference: string | null }
  | { what: "reminded"; reminder: "due_soon" | "overdue"; declarant: boolean; analyst: boolean };

const iso = (value: Date | string): string => new Date(value).toISOString();

/**
 * One line of the case's journal about a clock (kind `field_change`, field `clock.<kind>`, the
 * clock's id as reference), in the caller's transaction: the values are the dates that changed
 * (due date when opened, reminded or cancelled; filing date), the body says it in French.
 */
export async function recordClockEvent(
  trx: Executor,
  clock: Pick<ClockRow, "id" | "incident_id" | "kind" | "due_at">,
  author: JournalAuthor,
  event: ClockEvent,
  at: Date,
): Promise<void> {
  const label = clockKindLabels[clock.kind];
  const due = formatParisDateTime(new Date(clock.due_at));
  let body: string;
  let from: string | null = null;
  let to: string | null = null;
  switch (event.what) {
    case "opened":
      body = `Échéance réglementaire ouverte : ${label}, à déposer au plus tard le ${due}.`;
      to = iso(clock.due_at);
      break;
    case "reopened":
      body = `Échéance réglementaire rouverte : ${label}, à déposer au plus tard le ${due}.`;
      to = iso(clock.due_at);
      break;
    case "cancelled":
      body = `Échéance réglementaire annulée : ${label} (${event.reason}).`;
      from = iso(clock.due_at);
      break;
    case "filed": {
      const reference = event.reference ? ` (référence ${event.reference})` : "";
      body = `Dépôt enregistré : ${label}, déposé le ${formatParisDateTime(event.filedAt)}${reference}.`;
      to = iso(event.filedAt);
      break;
    }
    case "reminded": {
      const whom =
        event.declarant && event.analyst
          ? "au déclarant et à l'analyste"
          : event.analyst
            ? "à l'analyste"
            : "au déclarant";
      body =
        event.reminder === "due_soon"
          ? `Rappel envoyé ${whom} : ${label}, échéance le ${due} (moins de 12 heures).`
          : `Rappel envoyé ${whom} : ${label}, échéance dépassée depuis le ${due}.`;
      to = iso(clock.due_at);
      break;
    }
  }
  await caseJournalRepo.insertJournalEntries(trx, [
    {
      incident_id: clock.incident_id,
      at,
      actor_user_id: author.userId,
      actor_label: author.label,
      kind: "field_change",
      field: `clock.${clock.kind}`,
      old_value: from === null ? null : JSON.stringify(from),
      new_value: to === null ? null : JSON.stringify(to),
      body,
      ref_id: clock.id,
    },
  ]);
}
