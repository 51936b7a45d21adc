import { type Database, structuresRepo, usersRepo } from "@vigie/db";
import type { Kysely } from "kysely";
import { createAccount } from "../accounts/create-account.ts";
import type { DeclarationSettings } from "../declarations/settings.ts";
import { type ImportProgress, loadReferenceDirectory } from "../directory/import-directory.ts";
import { seedReflexSheets } from "../reflex-sheets/seed-reflex-sheets.ts";
import { DEMO_ACCOUNTS } from "./demo-accounts.ts";
import { seedDemoDeclarations } from "./demo-declarations.ts";
import { seedDemoPublications } from "./demo-publications.ts";
import { type AuditsDemoReport, seedAuditsDemo } from "./seed-audits-demo.ts";
import { seedObservatoryDemo } from "./seed-observatory-demo.ts";
import { seedWatchDemo, type WatchDemoReport } from "./seed-watch-demo.ts";

/** What the demo seeding did. */
export interface DemoSeedReport {
  structuresImported: number;
  accountsCreated: string[];
  declarationsCreated: number;
  reflexSheetsCreated: number;
  /** Demo alerts and bulletins published (0 when already there). */
  publicationsCreated: number;
  /** Demo declarations of 2021–2023 imported for the observatory (0 when already there). */
  observatoryRecordsImported: number;
  /** The demo reference of regional hospital activity was loaded. */
  activityReferenceLoaded: boolean;
  /** The watch: demo assets, the reference vulnerability feeds, the first matching. */
  watch: WatchDemoReport;
  /** The audits of Internet exposure and the mail security test, recorded (no network). */
  audits: AuditsDemoReport;
}

/**
 * Loads the reference FINESS directory when the directory is empty, then the demo accounts that
 * do not exist yet and, with them, a few sample declarations — through the same use cases as
 * the application, so everything is audited — the starter reflex sheets and demo publications missing from the
 * library, and the observatory's demo history (2021–2023 declarations reproducing the published
 * figures, and a demo activity reference; `seed-observatory-demo.ts`). Safe to run again.
 */
export async function seedDemo(
  db: Kysely<Database>,
  now: Date,
  settings: DeclarationSettings,
  onDirectoryProgress?: ImportProgress,
): Promise<DemoSeedReport> {
  let structuresImported = 0;
  if ((await structuresRepo.countStructures(db)) === 0) {
    const report = await loadReferenceDirectory(db, onDirectoryProgress);
    structuresImported = report.inserted;
  }
  const accountsCreated: string[] = [];
  for (const account of DEMO_ACCOUNTS) {
    if (await usersRepo.findUserByEmail(db, account.email)) continue;
    await createAccount(
      db,
      {
        email: account.email,
        fullName: account.fullName,
        jobTitle: account.jobTitle,
        role: account.role,
        regionCode: account.regionCode,
        authority: account.authority,
        password: account.password,
        finess: account.finess ?? [],
      },
      { actor: null, actorLabel: "système (données de démonstration)" },
      now,
    );
    accountsCreated.push(account.email);
  }
  const reflexSheetsCreated = await seedReflexSheets(db, now);
  const publicationsCreated = await seedDemoPublications(db, now);
  // Sample declarations only alongside freshly created demo accounts, never twice.
  const declarationsCreated = accountsCreated.length > 0 ? await seedDemoDeclarations(db, now, settings) : 0;
  const observatory = await seedObservatoryDemo(db, now);
  // before the watch: it declares the demo assets, dated before the audits it runs
  const audits = await seedAuditsDemo(db, now);
  const watch = await seedWatchDemo(db, now);
  return {
    structuresImported,
    accountsCreated,
    declarationsCreated,
    reflexSheetsCreated,
    publicationsCreated,
    observatoryRecordsImported: observatory.recordsImported,
    activityReferenceLoaded: observatory.activityReferenceLoaded,
    watch,
    audits,
  };
}

/** True on a first run: no account exists yet. */
export async function isFirstRun(db: Kysely<Database>): Promise<boolean> {
  return !(await usersRepo.hasAnyUser(db));
}
