import type { IncidentRow, IncidentVisibility } from "@vigie/db";
import { type Actor, structureScope } from "../access/policy.ts";
import { snapshotOf } from "./snapshot.ts";

/**
 * Which declarations an actor may read: the CERT all, an ARS its region (the region the
 * structure had when it declared), a declarant those naming one of its structures plus those
 * it submitted itself (even before its link to the structure is validated), others none.
 */
export function declarationVisibility(actor: Actor): IncidentVisibility {
  const scope = structureScope(actor);
  switch (scope.kind) {
    case "all":
      return { kind: "all" };
    case "region":
      return { kind: "region", regionCode: scope.regionCode };
    case "structures":
      return { kind: "structures", structureIds: scope.structureIds, userId: actor.userId };
    case "none":
      return { kind: "none" };
  }
}

/** True when the actor may read this declaration (given the structures it names). */
export function canSeeDeclaration(
  actor: Actor,
  incident: Pick<IncidentRow, "declarant_user_id" | "structure_snapshot">,
  structureIds: readonly string[],
): boolean {
  const visibility = declarationVisibility(actor);
  switch (visibility.kind) {
    case "all":
      return true;
    case "region":
      return snapshotOf(incident).regionCode === visibility.regionCode;
    case "declarant":
      return incident.declarant_user_id === visibility.userId;
    case "structures":
      return (
        (visibility.userId !== null && incident.declarant_user_id === visibility.userId) ||
        structureIds.some((id) => visibility.structureIds.includes(id))
      );
    case "none":
      return false;
  }
}

/** True for the CERT's roles, which handle declarations rather than declare them. */
export function isCertActor(actor: Actor): boolean {
  return actor.role === "cert_analyst" || actor.role === "cert_lead";
}
