import { AppError } from "@vigie/contracts";
import { type Executor, type StructureRow, structuresRepo } from "@vigie/db";
import { type Actor, hasPermission, structureScope } from "../../access/policy.ts";

/** The structures whose inventory an actor may read and change: undefined means every one. */
export function inventoryScope(actor: Actor | null): readonly string[] | undefined {
  if (!actor) return undefined;
  const scope = structureScope(actor);
  switch (scope.kind) {
    case "all":
      return undefined;
    case "structures":
      return scope.structureIds;
    default:
      return [];
  }
}

/** True when the actor may see who owns another structure's asset (the CERT, the command line). */
export function seesOwners(actor: Actor | null): boolean {
  return actor === null || hasPermission(actor, "watch:handle");
}

/** True when a structure's inventory is within the actor's reach. */
export function canReachStructure(actor: Actor | null, structureId: string): boolean {
  const scope = inventoryScope(actor);
  return scope === undefined || scope.includes(structureId);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The structure named by id or FINESS ET, when within the actor's reach; NOT_FOUND otherwise, the
 * same answer whether it does not exist or belongs to someone else.
 */
export async function resolveInventoryStructure(
  db: Executor,
  actor: Actor | null,
  ref: string,
  field = "structure",
): Promise<StructureRow> {
  const value = ref.trim();
  const structure = UUID.test(value)
    ? await structuresRepo.findStructureById(db, value.toLowerCase())
    : /^[0-9]{2}[0-9AB][0-9]{6}$/i.test(value)
      ? await structuresRepo.findStructureByFiness(db, value.toUpperCase())
      : undefined;
  if (!structure || !canReachStructure(actor, structure.id)) {
    const message = "Structure introuvable ou hors de votre périmètre.";
    throw new AppError("NOT_FOUND", { message, fields: [{ field, message }] });
  }
  return structure;
}
