import { sql } from "kysely";
import type { Executor } from "../executor.ts";

/** Which incidents an actor may see, as the core's policy decided it. */
export type IncidentVisibility =
  | { kind: "all" }
  /** A region's declarations (as the structure was when it declared), minus the TLPs hidden. */
  | { kind: "region"; regionCode: string; hiddenTlps?: readonly string[] }
  | { kind: "structures"; structureIds: readonly string[]; userId: string | null }
  | { kind: "none" };

/**
 * The ids of the incidents a visibility allows (for `where id in (…)`), or null when it allows
 * them all. The one translation of the policy's incident scope into SQL.
 */
export function visibleIncidentIds(db: Executor, visibility: Exclude<IncidentVisibility, { kind: "none" }>) {
  const incidents = db.selectFrom("incidents as v").select("v.id");
  switch (visibility.kind) {
    case "all":
      return null;
    case "region": {
      // The region the structure had when it declared (the snapshot), not today's; minus the
      // TLPs the region's reader may not see (the case's current TLP).
      const inRegion = incidents.where(
        sql<string>`v.structure_snapshot->>'regionCode'`,
        "=",
        visibility.regionCode,
      );
      const hidden = visibility.hiddenTlps ?? [];
      return hidden.length > 0 ? inRegion.where("v.tlp", "not in", [...hidden]) : inRegion;
    }
    case "structures": {
      const { structureIds, userId } = visibility;
      return incidents.where((eb) =>
        eb.or([
          ...(userId ? [eb("v.declarant_user_id", "=", userId)] : []),
          ...(structureIds.length > 0
            ? [
                eb.exists(
                  eb
                    .selectFrom("incident_structures as s")
                    .select("s.incident_id")
                    .whereRef("s.incident_id", "=", "v.id")
                    .where("s.structure_id", "in", structureIds),
                ),
              ]
            : []),
          // An empty or() is false: no structure and no user sees nothing.
        ]),
      );
    }
  }
}
