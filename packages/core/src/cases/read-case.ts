import {
  AppError,
  type CaseView,
  type CertPerson,
  type ComplementRequestView,
  declarationTransitions,
  type QualificationView,
  type SupportActionView,
} from "@vigie/contracts";
import {
  type CaseRow,
  type ComplementRequestRow,
  casesRepo,
  type Executor,
  type SupportActionRow,
} from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { findReadableDeclaration, presentDeclaration } from "../declarations/read-declarations.ts";
import { isOverdue } from "./deadlines.ts";

export type CaseViewData = z.infer<typeof CaseView>;
export type CertPersonData = z.infer<typeof CertPerson>;
type QualificationViewData = z.infer<typeof QualificationView>;

/** Context of a use case on a case. */
export interface CaseContext {
  now: Date;
  ip?: string | null;
}

const iso = (value: Date | string | null): string | null => (value ? new Date(value).toISOString() : null);

/** Whole minutes from the declaration to a handling time (null until reached). */
function minutesFrom(declaredAt: Date | string, at: Date | string | null): number | null {
  if (!at) return null;
  return Math.max(0, Math.floor((new Date(at).getTime() - new Date(declaredAt).getTime()) / 60_000));
}

/** The CERT's recorded qualification of a case, or null before it is qualified. */
export function toQualificationView(row: CaseRow): QualificationViewData | null {
  if (!row.qualified_at) return null;
  return {
    outOfScope: row.out_of_scope,
    outOfScopeReason: row.out_of_scope_reason as QualificationViewData["outOfScopeReason"],
    origin: row.origin as QualificationViewData["origin"],
    maliciousTypes: row.malicious_types as QualificationViewData["maliciousTypes"],
    nonMaliciousTypes: row.non_malicious_types as QualificationViewData["nonMaliciousTypes"],
    siEffect: row.si_effect as QualificationViewData["siEffect"],
    operationalImpact: row.qualified_operational_impact as QualificationViewData["operationalImpact"],
    dataImpacts: row.qualified_data_impacts as QualificationViewData["dataImpacts"],
    dataTypes: row.qualified_data_types as QualificationViewData["dataTypes"],
    patientEndangerment: row.qualified_patient_endangerment as QualificationViewData["patientEndangerment"],
    summary: row.qualification_summary ?? "",
    qualifiedAt: new Date(row.qualified_at).toISOString(),
    qualifiedBy:
      row.qualified_by_user_id && row.qualified_by_name
        ? { id: row.qualified_by_user_id, fullName: row.qualified_by_name }
        : null,
  };
}

function toComplementRequestView(row: ComplementRequestRow): z.infer<typeof ComplementRequestView> {
  return {
    id: row.id,
    questionMessageId: row.question_message_id,
    requestedAt: new Date(row.requested_at).toISOString(),
    dueAt: new Date(row.due_at).toISOString(),
    status: row.status,
    remindersSent: row.reminders_sent,
    lastRemindedAt: iso(row.last_reminded_at),
    answeredAt: iso(row.answered_at),
  };
}

function toSupportActionView(row: SupportActionRow): z.infer<typeof SupportActionView> {
  return {
    id: row.id,
    performedAt: new Date(row.performed_at).toISOString(),
    performedBy: row.performed_by_label,
    kind: row.kind,
    description: row.description,
    durationMinutes: row.duration_minutes,
    authoritiesInvolved: row.authorities_involved as z.infer<typeof SupportActionView>["authoritiesInvolved"],
  };
}

/**
 * The statuses the case may move to now: the state machine's, `resolved` only once the case is
 * qualified (the server refuses it before, with QUALIFICATION_REQUIRED).
 */
export function allowedTransitionsOf(
  row: Pick<CaseRow, "status" | "qualified_at">,
): CaseViewData["allowedTransitions"] {
  return declarationTransitions[row.status].filter((to) => to !== "resolved" || row.qualified_at !== null);
}

/** The CERT's page of a case, from its row (the thread, history and handling records are read). */
export async function presentCase(db: Executor, row: CaseRow, now: Date): Promise<CaseViewData> {
  const declaration = await presentDeclaration(db, row, { audience: "cert" });
  const complements = await casesRepo.listComplementRequests(db, row.id);
  const support = await casesRepo.listSupportActions(db, row.id);
  return {
    declaration,
    qualification: toQualificationView(row),
    tlp: row.tlp as CaseViewData["tlp"],
    assignee:
      row.assignee_user_id && row.assignee_name
        ? { id: row.assignee_user_id, fullName: row.assignee_name }
        : null,
    firstResponseDueAt: iso(row.first_response_due_at),
    qualificationDueAt: iso(row.qualification_due_at),
    overdue: isOverdue(row, now),
    timings: {
      acknowledgedAt: iso(row.acknowledged_at),
      qualifiedAt: iso(row.first_qualified_at),
      resolvedAt: iso(row.resolved_at),
      closedAt: iso(row.closed_at),
      minutesToAcknowledge: minutesFrom(row.declared_at, row.acknowledged_at),
      minutesToQualify: minutesFrom(row.declared_at, row.first_qualified_at),
      minutesToClose: minutesFrom(row.declared_at, row.closed_at),
    },
    allowedTransitions: allowedTransitionsOf(row),
    event:
      row.event_id && row.event_reference
        ? { id: row.event_id, reference: row.event_reference, title: row.event_title ?? "" }
        : null,
    complementRequests: complements.map(toComplementRequestView),
    technicalSupportProvided: row.technical_support_provided,
    authoritiesInvolved: row.authorities_involved as CaseViewData["authoritiesInvolved"],
    supportActions: support.map(toSupportActionView),
    otherSectorsRisk: row.other_sectors_risk,
  };
}

/** A case's row with its names, or NOT_FOUND. */
export async function loadCase(db: Executor, id: string): Promise<CaseRow> {
  const row = await casesRepo.findCase(db, id);
  if (!row) throw new AppError("NOT_FOUND", { message: "Déclaration introuvable." });
  return row;
}

/**
 * Checks that the actor handles cases and may see this one (NOT_FOUND out of scope, the denial
 * audited), in the caller's connection.
 */
export async function assertCaseAccess(
  db: Executor,
  actor: Actor | null,
  id: string,
  context: CaseContext,
): Promise<Actor> {
  assertPermission(actor, "declarations:handle");
  await findReadableDeclaration(db, actor, id, context);
  return actor;
}

/** The CERT's page of a case within the actor's scope. */
export async function getCase(
  db: Executor,
  actor: Actor | null,
  id: string,
  context: CaseContext,
): Promise<CaseViewData> {
  await assertCaseAccess(db, actor, id, context);
  return presentCase(db, await loadCase(db, id), context.now);
}

/** The CERT's active people, who can be assigned a case. */
export async function listAnalysts(db: Executor, actor: Actor | null): Promise<CertPersonData[]> {
  assertPermission(actor, "declarations:handle");
  const rows = await casesRepo.listActiveCertUsers(db);
  return rows.map((r) => ({ id: r.id, fullName: r.full_name }));
}
