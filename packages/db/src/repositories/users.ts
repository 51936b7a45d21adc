import { type Insertable, type Selectable, sql, type Updateable } from "kysely";
import type { Executor } from "../executor.ts";
import type { UsersTable } from "../schema.ts";

export type UserRow = Selectable<UsersTable>;

/** A user by id, or undefined. */
export function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

/** A user by e-mail (stored lower-case), or undefined. */
export function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom("users")
    .selectAll()
    .where("email", "=", email.trim().toLowerCase())
    .executeTakeFirst();
}

/** Inserts a user and returns it. */
export function insertUser(db: Executor, user: Insertable<UsersTable>): Promise<UserRow> {
  return db
    .insertInto("users")
    .values({ ...user, email: user.email.trim().toLowerCase() })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Updates a user and returns the new row. */
export function updateUser(
  db: Executor,
  id: string,
  changes: Updateable<UsersTable>,
): Promise<UserRow | undefined> {
  return db
    .updateTable("users")
    .set({ ...changes, updated_at: new Date() })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}

/** Ids of the structures the user is an active member of. */
export async function activeStructureIds(db: Executor, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("user_structures")
    .select("structure_id")
    .where("user_id", "=", userId)
    .where("status", "=", "active")
    .execute();
  return rows.map((r) => r.structure_id);
}

/** Adds structure memberships to a user, each active or pending (self-registration). */
export async function insertMemberships(
  db: Executor,
  userId: string,
  memberships: readonly { structureId: string; status: "active" | "pending" }[],
  now: Date,
): Promise<void> {
  if (memberships.length === 0) return;
  await db
    .insertInto("user_structures")
    .values(
      memberships.map((m) => ({
        user_id: userId,
        structure_id: m.structureId,
        status: m.status,
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(["user_id", "structure_id"]).doNothing())
    .execute();
}

/** True once any account exists (first-run detection). */
export async function hasAnyUser(db: Executor): Promise<boolean> {
  return (await db.selectFrom("users").select("id").limit(1).executeTakeFirst()) !== undefined;
}

/** A user with the ids of the structures they are an active member of, in one query (every request needs both). */
export async function findUserWithActiveStructures(
  db: Executor,
  id: string,
): Promise<(UserRow & { active_structure_ids: string[] }) | undefined> {
  return db
    .selectFrom("users")
    .selectAll("users")
    .select((eb) =>
      eb.fn
        .coalesce(
          eb
            .selectFrom("user_structures")
            .select(sql<string[]>`array_agg(structure_id)`.as("ids"))
            .whereRef("user_structures.user_id", "=", "users.id")
            .where("user_structures.status", "=", "active"),
          sql<string[]>`'{}'::uuid[]`,
        )
        .as("active_structure_ids"),
    )
    .where("users.id", "=", id)
    .executeTakeFirst();
}
