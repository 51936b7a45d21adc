import { AppError, type AuditEntryView } from "@vigie/contracts";
import { searchAuditLog, verifyAuditChain } from "@vigie/core";
import { auditRepo } from "@vigie/db";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { withDatabase } from "../context.ts";

function entries(n: number): string {
  return n <= 1 ? `${n} entrée vérifiée` : `${n} entrées vérifiées`;
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!/^\d+$/.test(value) || limit < 1 || limit > 1000) {
    throw new AppError("VALIDATION_FAILED", {
      message: `Option --limit invalide (« ${value} ») : un nombre entier entre 1 et 1000 est attendu.`,
    });
  }
  return limit;
}

function formatEntry(entry: AuditEntryView): string {
  const object = entry.objectType ? ` ${entry.objectType}${entry.objectId ? `:${entry.objectId}` : ""}` : "";
  const outcome = entry.outcome === "success" ? "" : ` [${entry.outcome === "denied" ? "refusé" : "échec"}]`;
  return `#${entry.id}  ${entry.occurredAt}  ${entry.actorLabel}  ${entry.action}${outcome}${object}`;
}

/** `vigie audit verify` and `vigie audit list`: check and read the tamper-evident audit log. */
export function registerAudit(program: Command): void {
  const audit = program
    .command("audit")
    .description("Journal d'audit infalsifiable : vérification et lecture");

  audit
    .command("verify")
    .description("Vérifie la chaîne d'empreintes du journal d'audit (code de sortie 1 si elle est altérée)")
    .action(() =>
      withDatabase(async ({ database }) => {
        const total = await auditRepo.countAudit(database.db);
        // cli-progress draws only on a terminal (stderr), so scripted runs keep a clean output.
        const bar = new cliProgress.SingleBar(
          { format: "Vérification [{bar}] {value}/{total} entrées", hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0);
        const result = await verifyAuditChain(database.db, (checked) => bar.update(Math.min(checked, total)));
        bar.stop();
        if (result.ok) {
          console.log(`Journal d'audit intègre : ${entries(result.checked)}.`);
          return;
        }
        console.error(
          `Journal d'audit ALTÉRÉ : ${result.problems.length} problème${result.problems.length > 1 ? "s" : ""} ` +
            `détecté${result.problems.length > 1 ? "s" : ""} (${entries(result.checked)}).`,
        );
        for (const problem of result.problems) console.error(`  - ${problem.message}`);
        process.exitCode = 1;
      }),
    );

  audit
    .command("list")
    .description("Affiche les dernières entrées du journal d'audit, de la plus récente à la plus ancienne")
    .option("-n, --limit <nombre>", "nombre d'entrées (1 à 1000)", "20")
    .option("--action <action>", "seulement cette action (ex. token.created)")
    .option("--actor <acteur>", "seulement cet acteur (identifiant ou adresse électronique)")
    .action((options: { limit: string; action?: string; actor?: string }) =>
      withDatabase(async ({ database }) => {
        const limit = parseLimit(options.limit);
        const page = await searchAuditLog(database.db, {
          limit,
          action: options.action,
          actor: options.actor,
        });
        if (page.entries.length === 0) {
          console.log("Aucune entrée dans le journal d'audit.");
          return;
        }
        for (const entry of page.entries) console.log(formatEntry(entry));
      }),
    );
}
