import { AppError, QualificationInput } from "@vigie/contracts";
import { type CaseUpdate, casesRepo, declarationsRepo, type Executor, type IncidentRow } from "@vigie/db";
import type { Actor } from "../access/policy.ts";
import { sendAutomaticAlerts } from "../alerting/send-alert.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { openRegulatoryClocks } from "../clocks/open-clocks.ts";
import { certAuthor, type FieldChange, recordFieldChanges } from "./journal.ts";
import { assertCaseAccess, type CaseContext, type CaseViewData, loadCase, presentCase } from "./read-case.ts";

/** The qualification fields as the contract names them, with their column on the case. */
const QUALIFICATION_COLUMNS = {
  outOfScope: "out_of_scope",
  outOfScopeReason: "out_of_scope_reason",
  origin: "origin",
  maliciousTypes: "malicious_types",
  nonMaliciousTypes: "non_malicious_types",
  siEffect: "si_effect",
  operationalImpact: "qualified_operational_impact",
  dataImpacts: "qualified_data_impacts",
  dataTypes: "qualified_data_types",
  patientEndangerment: "qualified_patient_endangerment",
  summary: "qualification_summary",
} as const satisfies Record<string, keyof IncidentRow>;

/**
 * The CERT qualifies a case (or changes its qualification): one complete, validated
 * qualification beside what was declared, which stays as declared. Each changed field is
 * journaled (kind `qualification`), with the audit entry, in one transaction. Allowed in any
 * status but `closed` (reopen first).
 */
export async function qualifyCase(
  db: Executor,
  actor: Actor | null,
  id: string,
  input: QualificationInput,
  context: CaseContext,
): Promise<CaseViewData> {
  const handler = await assertCaseAccess(db, actor, id, context);
  // Enforced here too, not only by the route: a qualification is complete or refused.
  const parsed = QualificationInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError("VALIDATION_FAILED", {
      fields: parsed.error.issues.map((issue) => ({ field: issue.path.join("."), message: issue.message })),
    });
  }
  const q = parsed.data;
  const { now } = context;
  await db.transaction().execute(async (trx) => {
    const current = await declarationsRepo.lockIncident(trx, id);
    if (!current) throw new AppError("NOT_FOUND", { message: "Déclaration introuvable." });
    if (current.status === "closed") {
      const message = "Le cas est clôturé : rouvrez-le avant de modifier sa qualification.";
      throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "status", message }] });
    }
    const values = {
      out_of_scope: q.outOfScope,
      out_of_scope_reason: q.outOfScopeReason ?? null,
      origin: q.origin ?? null,
      malicious_types: q.maliciousTypes,
      non_malicious_types: q.nonMaliciousTypes,
      si_effect: q.siEffect ?? null,
      qualified_operational_impact: q.operationalImpact ?? null,
      qualified_data_impacts: q.dataImpacts,
      qualified_data_types: q.dataTypes,
      qualified_patient_endangerment: q.patientEndangerment ?? null,
      qualification_summary: q.summary,
    } satisfies CaseUpdate;
    const changes: FieldChange[] = Object.entries(QUALIFICATION_COLUMNS).map(([field, column]) => ({
      field,
      from: current[column],
      to: values[column],
    }));
    await casesRepo.updateCase(
      trx,
      id,
      {
        ...values,
        qualified_at: now,
        qualified_by_user_id: handler.userId,
        first_qualified_at: current.first_qualified_at ?? now,
      },
      now,
    );
    const author = await certAuthor(trx, handler);
    await recordFieldChanges(trx, id, author, changes, now, "qualification");
    await recordAudit(
      trx,
      {
        actor: handler,
        action: "case.qualified",
        objectType: "incident",
        objectId: id,
        ip: context.ip ?? null,
        details: {
          reference: current.reference,
          first: current.qualified_at === null,
          outOfScope: q.outOfScope,
          origin: q.origin ?? null,
        },
      },
      now,
    );
    // Rules marked automatic alert their authorities once the case is qualified (decision 0009).
    await sendAutomaticAlerts(trx, id, author, now, {
      actor: handler,
      ip: context.ip ?? null,
    });
    // NIS 2 and CNIL clocks follow the qualification (decision 0009).
    await openRegulatoryClocks(trx, id, author, now);
  });
  return presentCase(db, await loadCase(db, id), now);
}
