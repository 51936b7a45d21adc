import { AppError } from "@vigie/contracts";
import { type Executor, structuresRepo } from "@vigie/db";
import { type Actor, assertPermission, canSeeStructure } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { type StructureViewData, toStructureView } from "./present-structure.ts";

/**
 * One structure's record. Outside the actor's scope it answers NOT_FOUND, as if it did not
 * exist (no confirmation of what exists elsewhere), and records the denial in the audit log.
 */
export async function getStructure(
  db: Executor,
  actor: Actor | null,
  id: string,
  context: { now: Date; ip?: string | null },
): Promise<StructureViewData> {
  assertPermission(actor, "structures:read");
  const row = await structuresRepo.findStructureById(db, id);
  if (!row) throw new AppError("NOT_FOUND", { message: "Structure introuvable." });
  if (!canSeeStructure(actor, { id: row.id, regionCode: row.region_code })) {
    await recordAudit(
      db,
      {
        actor,
        action: "permission.denied",
        outcome: "denied",
        objectType: "structure",
        objectId: row.id,
        ip: context.ip ?? null,
        details: { permission: "structures:read", reason: "structure hors du périmètre" },
      },
      context.now,
    );
    throw new AppError("NOT_FOUND", { message: "Structure introuvable." });
  }
  return toStructureView(row);
}
