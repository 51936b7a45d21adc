import { clocksRepo, declarationsRepo, type Executor } from "@vigie/db";
import type { JournalAuthor } from "../cases/journal.ts";
import { snapshotOf } from "../declarations/snapshot.ts";
import { applicableClockKinds, clockDueAt, STANDARD_CLOCK_KINDS } from "./deadlines.ts";
import { recordClockEvent } from "./journal.ts";

/** What the qualification did to a case's clocks. */
export interface ClockOpening {
  opened: number;
  reopened: number;
  cancelled: number;
}

/**
 * Brings a qualified case's regulatory clocks in line with its qualification (decision 0009),
 * in the qualification's transaction, the case locked, after its row was updated:
 * - out of scope: every open clock is cancelled (intermediate reports too);
 * - in scope: the clocks it must have (`applicableClockKinds`: NIS 2 for an OSE structure,
 *   CNIL for personal data disclosed) are opened — due from `detected_at` — or reopened if a
 *   previous qualification had cancelled them; open ones it no longer needs are cancelled.
 * Idempotent: a kind is opened once per case (unique index), filed clocks are never touched.
 * Each change is a line of the case's journal.
 */
export async function openRegulatoryClocks(
  trx: Executor,
  incidentId: string,
  author: JournalAuthor,
  now: Date,
): Promise<ClockOpening> {
  const outcome: ClockOpening = { opened: 0, reopened: 0, cancelled: 0 };
  // Read again: the effective values are computed by the database from the new qualification.
  const incident = await declarationsRepo.findIncidentById(trx, incidentId);
  if (!incident?.qualified_at) return outcome;
  if (incident.out_of_scope) {
    const cancelled = await clocksRepo.cancelOpenClocks(trx, incidentId, "all", now);
    for (const clock of cancelled) {
      await recordClockEvent(
        trx,
        clock,
        author,
        { what: "cancelled", reason: "cas qualifié hors périmètre" },
        now,
      );
    }
    outcome.cancelled = cancelled.length;
    return outcome;
  }
  const kinds = applicableClockKinds({
    outOfScope: false,
    ose: snapshotOf(incident).ose === true,
    dataImpacts: incident.effective_data_impacts ?? [],
  });
  const reopened = await clocksRepo.reopenCancelledClocks(trx, incidentId, kinds);
  // An imported incident may not say when it was detected: the declaration is then the start.
  const awareAt = new Date(incident.detected_at ?? incident.declared_at);
  const opened = await clocksRepo.insertClocksOnce(
    trx,
    kinds.map((kind) => ({
      incident_id: incidentId,
      kind,
      aware_at: awareAt,
      due_at: clockDueAt(kind, awareAt),
      created_at: now,
    })),
  );
  const noLonger = STANDARD_CLOCK_KINDS.filter((kind) => !(kinds as readonly string[]).includes(kind));
  const cancelled = await clocksRepo.cancelOpenClocks(trx, incidentId, noLonger, now);
  for (const clock of reopened) await recordClockEvent(trx, clock, author, { what: "reopened" }, now);
  for (const clock of opened) await recordClockEvent(trx, clock, author, { what: "opened" }, now);
  for (const clock of cancelled) {
    await recordClockEvent(
      trx,
      clock,
      author,
      { what: "cancelled", reason: "ne s'applique plus selon la qualification" },
      now,
    );
  }
  return { opened: opened.length, reopened: reopened.length, cancelled: cancelled.length };
}
