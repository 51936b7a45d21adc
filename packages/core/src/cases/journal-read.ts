import { type JournalEntry, journalKinds } from "@vigie/contracts";
import {
  attachmentsRepo,
  caseJournalRepo,
  declarationsRepo,
  type Executor,
  type IncidentRow,
  type JournalRow,
} from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { toAttachmentView } from "../attachments/attachment-view.ts";
import { CERT_PUBLIC_NAME } from "../declarations/present.ts";
import { findReadableDeclaration } from "../declarations/read-declarations.ts";
import { declarantContactOf } from "../declarations/status.ts";

export type JournalEntryData = z.infer<typeof JournalEntry>;
type JournalKindCode = JournalEntryData["kind"];
type Tlp = NonNullable<JournalEntryData["tlp"]>;

const known = new Set<string>(journalKinds);
const iso = (value: Date | string): string => new Date(value).toISOString();

/** An `incident_journal` row as a journal line (`<kind>:<id>`). */
export function toJournalEntry(row: JournalRow): JournalEntryData {
  return {
    id: `${row.kind}:${row.id}`,
    at: iso(row.at),
    kind: row.kind as JournalKindCode,
    actor: row.actor_label,
    field: row.field,
    oldValue: row.old_value ?? null,
    newValue: row.new_value ?? null,
    body: row.body,
    tlp: row.tlp as Tlp | null,
    attachments: [],
  };
}

/** A line with where it comes from, to keep lines written at the same instant in a natural order. */
interface Sourced {
  entry: JournalEntryData;
  /** Lines of the same instant: the declaration, then messages, what they carried, status, the rest. */
  rank: number;
  sequence: number;
}

/**
 * A case's journal, oldest first: the union, at read time, of its thread, status history, the
 * files sent with the declaration, the reflex sheets sent and `incident_journal` (field
 * changes, notes, qualification, events, complement requests, support, alerts). Nothing is
 * copied, so the journal cannot drift from the thread. No access check: callers check.
 */
export async function readCaseJournal(db: Executor, incident: IncidentRow): Promise<JournalEntryData[]> {
  // One query after the other: the executor may be a transaction (one connection).
  const messages = await declarationsRepo.listMessages(db, incident.id);
  const statusChanges = await declarationsRepo.listStatusChanges(db, incident.id);
  const messageFiles = await attachmentsRepo.listForIncident(db, incident.id);
  const declarationFiles = await caseJournalRepo.listDeclarationAttachments(db, incident.id);
  const sendings = await caseJournalRepo.listSheetSendings(db, incident.id);
  const rows = await caseJournalRepo.listJournalEntries(db, incident.id);
  const lines: Sourced[] = [];
  const declaredAt = new Date(incident.declared_at).getTime();
  const declarant = declarantContactOf(incident).fullName;

  statusChanges.forEach((change, sequence) => {
    lines.push({
      rank: change.from_status === null ? 0 : 4,
      sequence,
      entry: {
        id: `status_change:${change.id}`,
        at: iso(change.changed_at),
        kind: "status_change",
        actor: change.changed_by_label,
        field: "status",
        oldValue: change.from_status,
        newValue: change.to_status,
        body: change.comment,
        tlp: null,
        attachments: [],
      },
    });
  });
  declarationFiles.forEach((file, sequence) => {
    // Uploaded while the form was being filled in: joined to the case when it was declared.
    const at = Math.max(new Date(file.uploaded_at).getTime(), declaredAt);
    lines.push({
      rank: 1,
      sequence,
      entry: {
        id: `attachment:${file.id}`,
        at: new Date(at).toISOString(),
        kind: "attachment",
        actor: file.uploaded_by_name ?? declarant,
        field: null,
        oldValue: null,
        newValue: null,
        body: file.file_name,
        tlp: incident.tlp as Tlp,
        attachments: [toAttachmentView(file)],
      },
    });
  });
  messages.forEach((message, sequence) => {
    lines.push({
      rank: 2,
      sequence,
      entry: {
        id: `message:${message.id}`,
        at: iso(message.created_at),
        kind: "message",
        actor: message.author_name || (message.author_kind === "cert" ? CERT_PUBLIC_NAME : declarant),
        field: null,
        oldValue: null,
        // What the message was: the web app tells a question or an answer from a plain message.
        newValue: { messageKind: message.kind, authorKind: message.author_kind },
        body: message.body,
        tlp: message.tlp as Tlp,
        attachments: messageFiles.filter((a) => a.message_id === message.id).map((a) => toAttachmentView(a)),
      },
    });
  });
  sendings.forEach((sending, sequence) => {
    lines.push({
      rank: 3,
      sequence,
      entry: {
        id: `reflex_sheet:${sending.id}`,
        at: iso(sending.sent_at),
        kind: "reflex_sheet",
        actor: sending.sent_by_name ?? CERT_PUBLIC_NAME,
        field: null,
        oldValue: null,
        newValue: {
          sheetId: sending.sheet_id,
          slug: sending.slug,
          version: sending.version,
          messageId: sending.message_id,
        },
        body: `${sending.title} (${sending.slug}, version ${sending.version})`,
        tlp: sending.tlp as Tlp,
        attachments: [],
      },
    });
  });
  rows.forEach((row, sequence) => {
    // A kind this version does not know (written by a later one) is left out rather than mislabelled.
    if (known.has(row.kind)) lines.push({ rank: 5, sequence, entry: toJournalEntry(row) });
  });

  return lines
    .sort(
      (a, b) => Date.parse(a.entry.at) - Date.parse(b.entry.at) || a.rank - b.rank || a.sequence - b.sequence,
    )
    .map((line) => line.entry);
}

/** The CERT reads a case's journal (within its incident scope; out of scope: not found). */
export async function getCaseJournal(
  db: Executor,
  actor: Actor | null,
  incidentId: string,
  context: { now: Date; ip?: string | null },
): Promise<JournalEntryData[]> {
  assertPermission(actor, "declarations:handle");
  const incident = await findReadableDeclaration(db, actor, incidentId, context);
  return readCaseJournal(db, incident);
}
