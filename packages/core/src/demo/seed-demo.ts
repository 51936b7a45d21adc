import { type Database, structuresRepo, usersRepo } from "@vigie/db";
import type { Kysely } from "kysely";
import { createAccount } from "../accounts/create-account.ts";
import { type ImportProgress, loadReferenceDirectory } from "../directory/import-directory.ts";
import { DEMO_ACCOUNTS } from "./demo-accounts.ts";

/** What the demo seeding did. */
export interface DemoSeedReport {
  structuresImported: number;
  accountsCreated: string[];
}

/**
 * Loads the reference FINESS directory when the directory is empty, then the demo accounts that
 * do not exist yet — through the same use cases as an administrator, so everything is audited.
 * Safe to run again.
 */
export async function seedDemo(
  db: Kysely<Database>,
  now: Date,
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
  return { structuresImported, accountsCreated };
}

/** True on a first run: no account exists yet. */
export async function isFirstRun(db: Kysely<Database>): Promise<boolean> {
  return !(await usersRepo.hasAnyUser(db));
}
