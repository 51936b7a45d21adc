import { type Insertable, type Selectable, sql } from "kysely";
import type { Executor } from "../executor.ts";
import type { SupportActionsTable } from "../schema.ts";

export type SupportActionRow = Selectable<SupportActionsTable>;

/** Records a technical support action, in the caller's transaction. */
export function insertSupportAction(
  trx: Executor,
  row: Insertable<SupportActionsTable>,
): Promise<SupportActionRow> {
  return trx.insertInto("support_actions").values(row).returningAll().executeTakeFirstOrThrow();
}

/** A case's support actions, in the order they were performed. */
export function listForIncident(db: Executor, incidentId: string): Promise<SupportActionRow[]> {
  return db
    .selectFrom("support_actions")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .orderBy("performed_at")
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

/**
 * Keeps a case's support columns in step with its records: support provided, and the union of
 * the authorities involved in every record (distinct, sorted). Returns that union.
 */
export async function refreshIncidentSupport(trx: Executor, incidentId: string, at: Date): Promise<string[]> {
  const row = await trx
    .updateTable("incidents")
    .set({
      technical_support_provided: true,
      authorities_involved: sql<string[]>`array(
        select distinct a from support_actions s, unnest(s.authorities_involved) as a
        where s.incident_id = ${incidentId} order by a
      )`,
      updated_at: at,
    })
    .where("id", "=", incidentId)
    .returning("authorities_involved")
    .executeTakeFirstOrThrow();
  return row.authorities_involved;
}
