import type { PublishableTlp } from "@vigie/contracts";
import { type Actor, hasPermission } from "../access/policy.ts";

/**
 * The TLPs a reader may see: TLP:CLEAR for everyone (anonymous visitors included), TLP:GREEN and
 * TLP:AMBER for signed-in accounts holding `publications:read`.
 */
export function readableTlps(actor: Actor | null): PublishableTlp[] {
  return actor && hasPermission(actor, "publications:read") ? ["clear", "green", "amber"] : ["clear"];
}

/** Whether the actor writes publications: drafts and withdrawn items stay reachable for them. */
export function canWritePublications(actor: Actor | null): actor is Actor {
  return actor !== null && hasPermission(actor, "publications:write");
}
