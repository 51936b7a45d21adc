import { type Database, exchangeRepo } from "@vigie/db";
import type { Kysely } from "kysely";
import { importIncidentRecords } from "../exchange/import-incidents.ts";
import { listActivityReferences, loadActivityReference } from "../observatory/activity-references.ts";
import { DEMO_ACTIVITY_REFERENCE } from "./demo-activity-reference.ts";
import { generateObservatoryDemo } from "./observatory-demo.ts";

/** What loading the demo observatory did. */
export interface ObservatoryDemoSeedReport {
  /** Declarations of 2021–2023 imported (0 when they were already there). */
  recordsImported: number;
  /** The demo reference of regional hospital activity was loaded (none was). */
  activityReferenceLoaded: boolean;
}

/** The first demo reference: its presence means the demo observatory is loaded. */
const DEMO_MARKER_REFERENCE = "CS-2021-000001";

/**
 * Loads the demo observatory — the declarations of 2021–2023 that reproduce the CERT Santé's
 * published figures (`observatory-demo.ts`) — through the bulk import of `vigie.incident/1`, and
 * the demo reference of regional hospital activity when no reference is loaded, in one
 * transaction. Nothing is added when the demo declarations are already there (an incident
 * `CS-2021-000001` exists: the demo's, or a real history the demo must not mix with), so running
 * it again changes nothing.
 */
export async function seedObservatoryDemo(
  db: Kysely<Database>,
  now: Date,
): Promise<ObservatoryDemoSeedReport> {
  const present = await exchangeRepo.findExchangeRowsByReferences(db, [DEMO_MARKER_REFERENCE]);
  if (present.length > 0) return { recordsImported: 0, activityReferenceLoaded: false };
  const records = generateObservatoryDemo();
  return db.transaction().execute(async (trx) => {
    const report = await importIncidentRecords(trx, records, {
      now,
      actorLabel: "système (données de démonstration)",
    });
    if (report.problems.length > 0) {
      const first = report.problems[0];
      throw new Error(
        `Données de démonstration de l'observatoire refusées (${report.problems.length} problème(s)) : ` +
          `ligne ${first?.line}, ${first?.path} : ${first?.message}`,
      );
    }
    // The demo reference of hospital activity, unless the CERT already loaded one.
    let activityReferenceLoaded = false;
    if ((await listActivityReferences(trx, "command-line")).length === 0) {
      await loadActivityReference(trx, "command-line", DEMO_ACTIVITY_REFERENCE, { now });
      activityReferenceLoaded = true;
    }
    return { recordsImported: report.created, activityReferenceLoaded };
  });
}
