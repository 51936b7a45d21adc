import { type Insertable, type Selectable, sql } from "kysely";
import type { Executor } from "../executor.ts";
import type { OncallPagesTable, OncallShiftsTable } from "../schema.ts";

export type OncallShiftRow = Selectable<OncallShiftsTable>;
export type OncallPageRow = Selectable<OncallPagesTable>;
/** A shift with the name and address of the person on call. */
export type OncallShiftWithUser = OncallShiftRow & { full_name: string; email: string };
/** A page with its declaration's reference and title, and who acknowledged it. */
export type OncallPageListRow = OncallPageRow & {
  reference: string;
  title: string;
  shift_user_name: string | null;
  acknowledged_by_name: string | null;
};

const shiftColumns = [
  "oncall_shifts.id",
  "oncall_shifts.user_id",
  "oncall_shifts.starts_at",
  "oncall_shifts.ends_at",
  "oncall_shifts.position",
  "oncall_shifts.created_by_user_id",
  "oncall_shifts.created_at",
  "users.full_name",
  "users.email",
] as const;

/**
 * Serialises changes of the rota until the caller's transaction ends, so two concurrent
 * creations cannot both pass the overlap check.
 */
export async function lockRota(trx: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('vigie.oncall_shifts'))`.execute(trx);
}

/** Shifts overlapping [startsAt, endsAt) at the same position or for the same person. */
export function findOverlappingShifts(
  db: Executor,
  shift: { startsAt: Date; endsAt: Date; position: number; userId: string },
): Promise<OncallShiftWithUser[]> {
  return db
    .selectFrom("oncall_shifts")
    .innerJoin("users", "users.id", "oncall_shifts.user_id")
    .select(shiftColumns)
    .where("oncall_shifts.starts_at", "<", shift.endsAt)
    .where("oncall_shifts.ends_at", ">", shift.startsAt)
    .where((eb) =>
      eb.or([
        eb("oncall_shifts.position", "=", shift.position),
        eb("oncall_shifts.user_id", "=", shift.userId),
      ]),
    )
    .orderBy("oncall_shifts.starts_at")
    .execute();
}

/** Inserts a shift. */
export function insertShift(trx: Executor, row: Insertable<OncallShiftsTable>): Promise<OncallShiftRow> {
  return trx.insertInto("oncall_shifts").values(row).returningAll().executeTakeFirstOrThrow();
}

/** One shift with its person. */
export function findShift(db: Executor, id: string): Promise<OncallShiftWithUser | undefined> {
  return db
    .selectFrom("oncall_shifts")
    .innerJoin("users", "users.id", "oncall_shifts.user_id")
    .select(shiftColumns)
    .where("oncall_shifts.id", "=", id)
    .executeTakeFirst();
}

/** Deletes a shift; returns whether it existed. */
export async function deleteShift(trx: Executor, id: string): Promise<boolean> {
  const result = await trx.deleteFrom("oncall_shifts").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Shifts that end after `from` and start before `to`, in order of start then position. */
export function listShifts(
  db: Executor,
  period: { from: Date; to: Date },
  limit: number,
): Promise<OncallShiftWithUser[]> {
  return db
    .selectFrom("oncall_shifts")
    .innerJoin("users", "users.id", "oncall_shifts.user_id")
    .select(shiftColumns)
    .where("oncall_shifts.ends_at", ">", period.from)
    .where("oncall_shifts.starts_at", "<", period.to)
    .orderBy("oncall_shifts.starts_at")
    .orderBy("oncall_shifts.position")
    .limit(limit)
    .execute();
}

/** Who is on call at `at` (enabled accounts only), position 1 first. */
export function listOnCallAt(db: Executor, at: Date): Promise<OncallShiftWithUser[]> {
  return db
    .selectFrom("oncall_shifts")
    .innerJoin("users", "users.id", "oncall_shifts.user_id")
    .select(shiftColumns)
    .where("oncall_shifts.starts_at", "<=", at)
    .where("oncall_shifts.ends_at", ">", at)
    .where("users.disabled_at", "is", null)
    .orderBy("oncall_shifts.position")
    .orderBy("oncall_shifts.starts_at")
    .execute();
}

/** Inserts a page unless this declaration was already paged at this level (then undefined). */
export function insertPageOnce(
  trx: Executor,
  row: Insertable<OncallPagesTable>,
): Promise<OncallPageRow | undefined> {
  return trx
    .insertInto("oncall_pages")
    .values(row)
    .onConflict((oc) => oc.columns(["incident_id", "level"]).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** One page. */
export function findPage(db: Executor, id: string): Promise<OncallPageRow | undefined> {
  return db.selectFrom("oncall_pages").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Acknowledges a page not acknowledged yet; undefined when it already was. */
export function acknowledgePage(
  trx: Executor,
  id: string,
  userId: string,
  at: Date,
): Promise<OncallPageRow | undefined> {
  return trx
    .updateTable("oncall_pages")
    .set({ acknowledged_at: at, acknowledged_by_user_id: userId })
    .where("id", "=", id)
    .where("acknowledged_at", "is", null)
    .returningAll()
    .executeTakeFirst();
}

/** Pages whose webhook is still to send (acknowledged ones need no more alerting), oldest first. */
export function listPendingWebhooks(db: Executor, limit: number): Promise<OncallPageRow[]> {
  return db
    .selectFrom("oncall_pages")
    .selectAll()
    .where("sent_webhook_at", "is", null)
    .where("acknowledged_at", "is", null)
    .orderBy("created_at")
    .limit(limit)
    .execute();
}

/** Records a delivered webhook. */
export async function markWebhookSent(db: Executor, id: string, at: Date): Promise<void> {
  await db
    .updateTable("oncall_pages")
    .set((eb) => ({
      sent_webhook_at: at,
      webhook_attempts: eb("webhook_attempts", "+", 1),
      webhook_last_error: null,
    }))
    .where("id", "=", id)
    .execute();
}

/** Records a failed webhook attempt; the page stays pending and is retried on the next run. */
export async function markWebhookFailed(db: Executor, id: string, error: string): Promise<void> {
  await db
    .updateTable("oncall_pages")
    .set((eb) => ({
      webhook_attempts: eb("webhook_attempts", "+", 1),
      webhook_last_error: error.slice(0, 500),
    }))
    .where("id", "=", id)
    .execute();
}

/**
 * Pages created at or before `createdBefore`, neither acknowledged nor escalated, of
 * declarations none of whose pages was acknowledged: the ones to escalate, oldest first.
 */
export function listPagesToEscalate(
  db: Executor,
  createdBefore: Date,
  limit: number,
): Promise<OncallPageRow[]> {
  return db
    .selectFrom("oncall_pages as p")
    .selectAll("p")
    .where("p.acknowledged_at", "is", null)
    .where("p.escalated_at", "is", null)
    .where("p.created_at", "<=", createdBefore)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("oncall_pages as a")
            .select(sql.lit(1).as("one"))
            .whereRef("a.incident_id", "=", "p.incident_id")
            .where("a.acknowledged_at", "is not", null),
        ),
      ),
    )
    .orderBy("p.created_at")
    .limit(limit)
    .execute();
}

/**
 * Claims a page for escalation (sets `escalated_at`) if still neither acknowledged nor escalated
 * and no page of its declaration was acknowledged; undefined when another run or an
 * acknowledgment came first.
 */
export function claimEscalation(trx: Executor, id: string, at: Date): Promise<OncallPageRow | undefined> {
  return trx
    .updateTable("oncall_pages as p")
    .set({ escalated_at: at })
    .where("p.id", "=", id)
    .where("p.escalated_at", "is", null)
    .where("p.acknowledged_at", "is", null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("oncall_pages as a")
            .select(sql.lit(1).as("one"))
            .whereRef("a.incident_id", "=", "p.incident_id")
            .where("a.acknowledged_at", "is not", null),
        ),
      ),
    )
    .returningAll()
    .executeTakeFirst();
}

/**
 * Pages, newest first; `pending`: not acknowledged, of declarations none of whose pages was
 * acknowledged (superseded levels included, so the team sees how far it escalated).
 */
export function listPages(
  db: Executor,
  filter: { pending: boolean; limit: number; id?: string },
): Promise<OncallPageListRow[]> {
  let query = db
    .selectFrom("oncall_pages as p")
    .innerJoin("incidents as i", "i.id", "p.incident_id")
    .leftJoin("users as s", "s.id", "p.shift_user_id")
    .leftJoin("users as k", "k.id", "p.acknowledged_by_user_id")
    .selectAll("p")
    .select([
      "i.reference",
      "i.title",
      "s.full_name as shift_user_name",
      "k.full_name as acknowledged_by_name",
    ]);
  if (filter.id) query = query.where("p.id", "=", filter.id);
  if (filter.pending) {
    query = query
      .where("p.acknowledged_at", "is", null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("oncall_pages as a")
              .select(sql.lit(1).as("one"))
              .whereRef("a.incident_id", "=", "p.incident_id")
              .where("a.acknowledged_at", "is not", null),
          ),
        ),
      );
  }
  return query.orderBy("p.created_at", "desc").orderBy("p.level", "desc").limit(filter.limit).execute();
}

/** Every page of a declaration, by level. */
export function listIncidentPages(db: Executor, incidentId: string): Promise<OncallPageRow[]> {
  return db
    .selectFrom("oncall_pages")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .orderBy("level")
    .execute();
}
