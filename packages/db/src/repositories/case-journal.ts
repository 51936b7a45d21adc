import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../executor.ts";
import type { AttachmentsTable, IncidentJournalTable, ReflexSheetSendingsTable } from "../schema.ts";

export type JournalRow = Selectable<IncidentJournalTable>;
export type NewJournalRow = Insertable<IncidentJournalTable>;

/** Appends entries to cases' journals (field changes, notes, reminders…), in the caller's transaction. */
export async function insertJournalEntries(trx: Executor, entries: readonly NewJournalRow[]): Promise<void> {
  if (entries.length === 0) return;
  await trx
    .insertInto("incident_journal")
    .values([...entries])
    .execute();
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

/** Appends one entry and returns it (its id names it in the journal). */
export function insertJournalEntry(trx: Executor, entry: NewJournalRow): Promise<JournalRow> {
  return trx.insertInto("incident_journal").values(entry).returningAll().executeTakeFirstOrThrow();
}

/** A reflex sheet sent on a case, with the version's title and TLP and who sent it. */
export type JournalSendingRow = Selectable<ReflexSheetSendingsTable> & {
  slug: string;
  title: string;
  tlp: string;
  sent_by_name: string | null;
};

/** The reflex sheets sent on a case, oldest first, for its journal. */
export function listSheetSendings(db: Executor, incidentId: string): Promise<JournalSendingRow[]> {
  return db
    .selectFrom("reflex_sheet_sendings as s")
    .innerJoin("reflex_sheets as sh", "sh.id", "s.sheet_id")
    .innerJoin("reflex_sheet_versions as v", (join) =>
      join.onRef("v.sheet_id", "=", "s.sheet_id").onRef("v.version", "=", "s.version"),
    )
    .leftJoin("users as u", "u.id", "s.sent_by_user_id")
    .selectAll("s")
    .select(["sh.slug", "v.title", "v.tlp", "u.full_name as sent_by_name"])
    .where("s.incident_id", "=", incidentId)
    .orderBy("s.sent_at")
    .orderBy("s.id")
    .execute();
}

/** Files joined to the declaration itself (not to a message), with who uploaded them. */
export type JournalAttachmentRow = Selectable<AttachmentsTable> & { uploaded_by_name: string | null };

/** The declaration's own attachments (those of messages are listed with them), oldest first. */
export function listDeclarationAttachments(
  db: Executor,
  incidentId: string,
): Promise<JournalAttachmentRow[]> {
  return db
    .selectFrom("attachments as a")
    .leftJoin("users as u", "u.id", "a.uploaded_by_user_id")
    .selectAll("a")
    .select("u.full_name as uploaded_by_name")
    .where("a.incident_id", "=", incidentId)
    .where("a.message_id", "is", null)
    .orderBy("a.uploaded_at")
    .orderBy("a.id")
    .execute();
}
