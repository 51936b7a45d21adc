import type { IncidentRow } from "@vigie/db";
import { type Actor, incidentScope } from "../access/policy.ts";
import { snapshotOf } from "./snapshot.ts";

/** True when the actor may read this declaration (given the structures it names). */
export function canSeeDeclaration(
  actor: Actor,
  incident: Pick<IncidentRow, "declarant_user_id" | "structure_snapshot" | "tlp">,
  structureIds: readonly string[],
): boolean {
  const visibility = incidentScope(actor);
  switch (visibility.kind) {
    case "all":
      return true;
    case "region":
      return (
        snapshotOf(incident).regionCode === visibility.regionCode &&
        !(visibility.hiddenTlps ?? []).includes(incident.tlp)
      );
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
