import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../executor.ts";
import type { IncidentJournalTable } from "../schema.ts";

export type JournalRow = Selectable<IncidentJournalTable>;
export type NewJournalRow = Insertable<IncidentJournalTable>;

/** Appends entries to cases' journals (field changes, notes, reminders…), in the caller's transaction. */
export async function insertJournalEntries(trx: Executor, entries: readonly NewJournalRow[]): Promise<void> {
  if (entries.length === 0) return;
  await trx.insertInto("incident_journal").values([...entries]).execute();
}

/** A case's journal entries (not its messages or status changes), oldest first. */
export function listJournalEntries(db: Executor, incidentId: string): Promise<JournalRow[]> {
  return db
    .selectFrom("incident_journal")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .orderBy("at")
    .orderBy("id")
    .execute();
}
