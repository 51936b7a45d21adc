import { careAffected } from "@vigie/contracts";
import type { IncidentRow } from "@vigie/db";
import type { DeclarationSettings } from "../declarations/settings.ts";

const MINUTE = 60_000;

/** What makes a declaration urgent for the CERT: care affected, patients endangered, help asked. */
export function isUrgentDeclaration(input: {
  operationalImpact: string;
  patientEndangerment?: string | null | undefined;
  supportRequested: boolean;
}): boolean {
  return (
    careAffected(input.operationalImpact as Parameters<typeof careAffected>[0]) ||
    input.patientEndangerment === "potential" ||
    input.patientEndangerment === "actual" ||
    input.supportRequested
  );
}

/** The deadlines of a case, computed at submission from the configuration (decision 0008). */
export function caseDeadlines(
  input: Parameters<typeof isUrgentDeclaration>[0],
  declaredAt: Date,
  settings: Pick<
    DeclarationSettings,
    "firstResponseUrgentMinutes" | "firstResponseHours" | "qualificationDays"
  >,
): { firstResponseDueAt: Date; qualificationDueAt: Date } {
  const responseMinutes = isUrgentDeclaration(input)
    ? settings.firstResponseUrgentMinutes
    : settings.firstResponseHours * 60;
  return {
    firstResponseDueAt: new Date(declaredAt.getTime() + responseMinutes * MINUTE),
    qualificationDueAt: new Date(declaredAt.getTime() + settings.qualificationDays * 24 * 60 * MINUTE),
  };
}

const time = (value: Date | string | null): number | null => (value ? new Date(value).getTime() : null);

/**
 * Past a deadline (decision 0008): still `new` past its first-response deadline, or not
 * qualified and not resolved or closed past its qualification deadline. The queue's SQL
 * (`declarationsRepo.listIncidents`) says the same.
 */
export function isOverdue(
  row: Pick<IncidentRow, "status" | "first_response_due_at" | "qualification_due_at" | "qualified_at">,
  now: Date,
): boolean {
  const responseDue = time(row.first_response_due_at);
  if (row.status === "new" && responseDue !== null && responseDue < now.getTime()) return true;
  const qualificationDue = time(row.qualification_due_at);
  return (
    row.qualified_at === null &&
    row.status !== "resolved" &&
    row.status !== "closed" &&
    qualificationDue !== null &&
    qualificationDue < now.getTime()
  );
}
