import { caseJournalRepo, type Executor, usersRepo } from "@vigie/db";
import type { Actor } from "../access/policy.ts";
import { certLabel } from "../declarations/present.ts";

/** Who wrote a journal entry: a user (their label as shown to the CERT), or the platform. */
export interface JournalAuthor {
  userId: string | null;
  label: string;
}

/** The journal's author for a CERT member: their name under the team's. */
export async function certAuthor(db: Executor, actor: Actor): Promise<JournalAuthor> {
  const user = await usersRepo.findUserById(db, actor.userId);
  return { userId: actor.userId, label: certLabel(user?.full_name ?? actor.email) };
}

/** The platform itself, author of reminders and expiries. */
export const PLATFORM_AUTHOR: JournalAuthor = { userId: null, label: "Vigie" };

/** One change of a field, old → new (values as JSON). */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** True when two values (scalars, arrays, dates as ISO strings) differ. */
export function changed(from: unknown, to: unknown): boolean {
  return JSON.stringify(from ?? null) !== JSON.stringify(to ?? null);
}

/**
 * Records the fields that changed (old → new, who, when) in a case's journal, in the caller's
 * transaction; unchanged fields are left out. `kind` is `field_change` or `qualification`.
 */
export async function recordFieldChanges(
  trx: Executor,
  incidentId: string,
  author: JournalAuthor,
  changes: readonly FieldChange[],
  at: Date,
  kind: "field_change" | "qualification" = "field_change",
): Promise<void> {
  await caseJournalRepo.insertJournalEntries(
    trx,
    changes
      .filter((c) => changed(c.from, c.to))
      .map((c) => ({
        incident_id: incidentId,
        at,
        actor_user_id: author.userId,
        actor_label: author.label,
        kind,
        field: c.field,
        old_value: json(c.from ?? null),
        new_value: json(c.to ?? null),
      })),
  );
}

/** Records one journal entry that is not a field change (note, reminder, support, event link…). */
export async function recordJournalEntry(
  trx: Executor,
  incidentId: string,
  author: JournalAuthor,
  entry: { kind: string; body?: string | null; tlp?: string | null; refId?: string | null; value?: unknown },
  at: Date,
): Promise<void> {
  await caseJournalRepo.insertJournalEntries(trx, [
    {
      incident_id: incidentId,
      at,
      actor_user_id: author.userId,
      actor_label: author.label,
      kind: entry.kind,
      body: entry.body ?? null,
      tlp: entry.tlp ?? null,
      ref_id: entry.refId ?? null,
      new_value: json(entry.value),
    },
  ]);
}
