import type { Config } from "@vigie/config";
import { roleLabels } from "@vigie/contracts";
import { DEMO_ACCOUNTS, declarationSettingsFrom, isFirstRun, seedDemo } from "@vigie/core";
import type { DatabaseHandle } from "@vigie/db";
import { Presets, SingleBar } from "cli-progress";
import type { Command } from "commander";
import { withDatabase } from "../context.ts";

/** Seeds the directory and demo accounts with a progress bar; returns whether accounts were created. */
async function runSeed(database: DatabaseHandle, config: Config): Promise<boolean> {
  const bar = new SingleBar(
    { format: "Annuaire FINESS |{bar}| {value}/{total} structures", hideCursor: true },
    Presets.shades_classic,
  );
  let started = false;
  const report = await seedDemo(database.db, new Date(), declarationSettingsFrom(config), (done, total) => {
    if (!started) {
      bar.start(total, 0);
      started = true;
    }
    bar.update(done);
  });
  if (started) bar.stop();
  if (report.structuresImported > 0)
    console.log(`${report.structuresImported} structures chargées dans l'annuaire.`);
  if (report.accountsCreated.length > 0)
    console.log(`${report.accountsCreated.length} comptes de démonstration créés.`);
  if (report.declarationsCreated > 0)
    console.log(`${report.declarationsCreated} déclarations d'exemple enregistrées.`);
  if (report.observatoryRecordsImported > 0)
    console.log(
      `${report.observatoryRecordsImported} déclarations de démonstration 2021–2023 importées pour l'observatoire` +
        `${report.activityReferenceLoaded ? ", avec une référence d'activité hospitalière régionale de démonstration" : ""}.`,
    );
  const { watch, audits } = report;
  const assetsCreated = watch.assetsCreated + audits.assetsDeclared;
  if (assetsCreated > 0)
    console.log(`${assetsCreated} actifs exposés de démonstration ajoutés à l'inventaire de veille.`);
  if (audits.auditsRun > 0)
    console.log(
      `${audits.auditsRun} audits d'exposition de démonstration enregistrés (résultats enregistrés, aucune analyse réseau), avec un test de messagerie et une campagne de filtrage.`,
    );
  if (watch.feedFilesLoaded > 0)
    console.log(
      `Catalogue CISA KEV et fiches NVD de référence chargés ; ${watch.ticketsOpened} tickets de veille ouverts par le rapprochement.`,
    );
  return report.accountsCreated.length > 0;
}

/** First run: seeds the demo data when the platform has no account yet. */
export async function seedDemoIfEmpty(database: DatabaseHandle, config: Config): Promise<boolean> {
  if (!(await isFirstRun(database.db))) return false;
  console.log("Premier lancement : chargement de l'annuaire et des comptes de démonstration…");
  return runSeed(database, config);
}

/** Prints the demo logins (passwords only matter until their owners change them). */
export function printDemoLogins(justCreated: boolean): void {
  console.log(`\nComptes de démonstration${justCreated ? " (créés à l'instant)" : ""} :`);
  for (const account of DEMO_ACCOUNTS) {
    console.log(`  ${roleLabels[account.role].padEnd(27)} ${account.email.padEnd(28)} ${account.password}`);
  }
  console.log(
    "Les comptes autres que « Déclarant » activent la double authentification (TOTP) à la première connexion.\n",
  );
}

/** `vigie seed demo`: loads the reference directory (if empty), the demo accounts and the observatory's demo history. */
export function registerSeed(program: Command): void {
  const seed = program.command("seed").description("Charge des données");
  seed
    .command("demo")
    .description(
      "Charge l'annuaire de référence (s'il est vide), les comptes de démonstration manquants et, s'il n'y est pas, " +
        "l'historique de démonstration de l'observatoire (déclarations 2021–2023)",
    )
    .action(() =>
      withDatabase(async ({ config, database }) => {
        const created = await runSeed(database, config);
        if (!created) console.log("Les comptes de démonstration existent déjà.");
        printDemoLogins(created);
      }),
    );
}
