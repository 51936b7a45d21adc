import type { Selectable, Updateable } from "kysely";
import type { Executor } from "../executor.ts";
import type { ComplementRequestsTable, IncidentsTable, SupportActionsTable } from "../schema.ts";
import type { IncidentRow } from "./declarations.ts";

/** The roles of the CERT, who handle cases and may be assigned one. */
export const CERT_ROLES = ["cert_analyst", "cert_lead"] as const;

/** A case (the incident row) with the names its page shows. */
export type CaseRow = IncidentRow & {
  assignee_name: string | null;
  qualified_by_name: string | null;
  event_reference: string | null;
  event_title: string | null;
};

export type ComplementRequestRow = Selectable<ComplementRequestsTable>;
export type SupportActionRow = Selectable<SupportActionsTable>;

/** The CERT's handling columns a use case may change (assignment, deadlines, TLP, qualification). */
export type CaseUpdate = Pick<
  Updateable<IncidentsTable>,
  | "assignee_user_id"
  | "first_response_due_at"
  | "qualification_due_at"
  | "tlp"
  | "other_sectors_risk"
  | "out_of_scope"
  | "out_of_scope_reason"
  | "origin"
  | "malicious_types"
  | "non_malicious_types"
  | "si_effect"
  | "qualified_operational_impact"
  | "qualified_data_impacts"
  | "qualified_data_types"
  | "qualified_patient_endangerment"
  | "qualification_summary"
  | "qualified_at"
  | "qualified_by_user_id"
  | "first_qualified_at"
>;

/** One case with its assignee's and qualifier's names and its event, or undefined. */
export function findCase(db: Executor, id: string): Promise<CaseRow | undefined> {
  return db
    .selectFrom("incidents as i")
    .leftJoin("users as assignee", "assignee.id", "i.assignee_user_id")
    .leftJoin("users as qualifier", "qualifier.id", "i.qualified_by_user_id")
    .leftJoin("events as e", "e.id", "i.event_id")
    .selectAll("i")
    .select([
      "assignee.full_name as assignee_name",
      "qualifier.full_name as qualified_by_name",
      "e.reference as event_reference",
      "e.title as event_title",
    ])
    .where("i.id", "=", id)
    .executeTakeFirst();
}

/** Changes a case's handling columns (in the caller's transaction). */
export async function updateCase(trx: Executor, id: string, update: CaseUpdate, at: Date): Promise<void> {
  await trx
    .updateTable("incidents")
    .set({ ...update, updated_at: at })
    .where("id", "=", id)
    .execute();
}

/** A case's requests for complements, oldest first. */
export function listComplementRequests(db: Executor, incidentId: string): Promise<ComplementRequestRow[]> {
  return db
    .selectFrom("complement_requests")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .orderBy("requested_at")
    .orderBy("id")
    .execute();
}

/** A case's technical support records, oldest first. */
export function listSupportActions(db: Executor, incidentId: string): Promise<SupportActionRow[]> {
  return db
    .selectFrom("support_actions")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .orderBy("performed_at")
    .orderBy("id")
    .execute();
}

/** The CERT's active people (analysts and leads), by name: who can be assigned a case. */
export function listActiveCertUsers(db: Executor): Promise<{ id: string; full_name: string }[]> {
  return db
    .selectFrom("users")
    .select(["id", "full_name"])
    .where("role", "in", CERT_ROLES)
    .where("disabled_at", "is", null)
    .orderBy("full_name")
    .orderBy("id")
    .execute();
}

/** One active person of the CERT by id, or undefined (unknown, disabled or of another role). */
export function findActiveCertUser(
  db: Executor,
  id: string,
): Promise<{ id: string; full_name: string } | undefined> {
  return db
    .selectFrom("users")
    .select(["id", "full_name"])
    .where("id", "=", id)
    .where("role", "in", CERT_ROLES)
    .where("disabled_at", "is", null)
    .executeTakeFirst();
}
