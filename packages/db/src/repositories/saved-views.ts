import type { Selectable } from "kysely";
import type { Executor } from "../executor.ts";
import type { SavedViewsTable } from "../schema.ts";

export type SavedViewRow = Selectable<SavedViewsTable>;

/** A user's saved views of the CERT's queue, by name. */
export function listSavedViews(db: Executor, userId: string): Promise<SavedViewRow[]> {
  return db
    .selectFrom("saved_views")
    .selectAll()
    .where("user_id", "=", userId)
    .orderBy("name")
    .orderBy("id")
    .execute();
}

/**
 * Locks the owner's account row for the rest of the transaction, so that two saves by the same
 * user are checked (name taken, how many views) one after the other.
 */
export async function lockOwner(trx: Executor, userId: string): Promise<boolean> {
  const row = await trx
    .selectFrom("users")
    .select("id")
    .where("id", "=", userId)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/** How many views a user has saved. */
export async function countSavedViews(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom("saved_views")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** A user's view of that name (names are compared exactly, as the unique index does). */
export function findSavedViewByName(
  db: Executor,
  userId: string,
  name: string,
): Promise<SavedViewRow | undefined> {
  return db
    .selectFrom("saved_views")
    .selectAll()
    .where("user_id", "=", userId)
    .where("name", "=", name)
    .executeTakeFirst();
}

/** Stores a new view. */
export function insertSavedView(
  db: Executor,
  view: { userId: string; name: string; query: string; createdAt: Date },
): Promise<SavedViewRow> {
  return db
    .insertInto("saved_views")
    .values({ user_id: view.userId, name: view.name, query: view.query, created_at: view.createdAt })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes one of the user's views; false when the user has no view with that id. */
export async function deleteSavedView(db: Executor, userId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom("saved_views")
    .where("id", "=", id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
