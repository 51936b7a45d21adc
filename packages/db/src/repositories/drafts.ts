import type { Selectable } from "kysely";
import type { Executor } from "../executor.ts";
import type { DeclarationDraftsTable } from "../schema.ts";

export type DraftRow = Selectable<DeclarationDraftsTable>;

/** A user's drafts, most recently saved first. */
export function listDrafts(db: Executor, userId: string): Promise<DraftRow[]> {
  return db
    .selectFrom("declaration_drafts")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("updated_at", "desc")
    .execute();
}

/** Creates or replaces a user's draft. */
export function upsertDraft(
  db: Executor,
  userId: string,
  key: string,
  data: Record<string, unknown>,
  at: Date,
): Promise<DraftRow> {
  const json = JSON.stringify(data);
  return db
    .insertInto("declaration_drafts")
    .values({ user_id: userId, draft_key: key, data: json, updated_at: at })
    .onConflict((oc) => oc.columns(["user_id", "draft_key"]).doUpdateSet({ data: json, updated_at: at }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes a draft by key (of this user, or of anyone when userId is null); true when one was removed. */
export async function deleteDraft(db: Executor, userId: string | null, key: string): Promise<boolean> {
  let query = db.deleteFrom("declaration_drafts").where("draft_key", "=", key);
  if (userId) query = query.where("user_id", "=", userId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
