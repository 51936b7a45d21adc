import type { NoteRequest } from "@vigie/contracts";
import { caseJournalRepo, type Executor } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { findReadableDeclaration } from "../declarations/read-declarations.ts";
import { certAuthor } from "./journal.ts";
import { type JournalEntryData, toJournalEntry } from "./journal-read.ts";

/**
 * An analyst writes an internal note on a case: a journal line with its TLP (TLP:RED allowed,
 * since it never leaves the CERT). Notes live only in `incident_journal`, which no declarant
 * view reads. The note and its audit entry commit together; the audit keeps no note text.
 */
export async function addCaseNote(
  db: Executor,
  actor: Actor | null,
  incidentId: string,
  request: z.output<typeof NoteRequest>,
  context: { now: Date; ip?: string | null },
): Promise<JournalEntryData> {
  assertPermission(actor, "declarations:handle");
  const { now } = context;
  const incident = await findReadableDeclaration(db, actor, incidentId, context);
  const author = await certAuthor(db, actor);
  const row = await db.transaction().execute(async (trx) => {
    const note = await caseJournalRepo.insertJournalEntry(trx, {
      incident_id: incident.id,
      at: now,
      actor_user_id: actor.userId,
      actor_label: author.label,
      kind: "note",
      body: request.body,
      tlp: request.tlp,
    });
    await recordAudit(
      trx,
      {
        actor,
        action: "case.note_added",
        objectType: "incident",
        objectId: incident.id,
        ip: context.ip ?? null,
        details: { reference: incident.reference, noteId: String(note.id), tlp: request.tlp },
      },
      now,
    );
    return note;
  });
  return toJournalEntry(row);
}
