import type { MatchRunReport } from "@vigie/contracts";
import { runMatching } from "@vigie/core";
import type { Command } from "commander";
import { withDatabase } from "../context.ts";

const count = (n: number) => n.toLocaleString("fr-FR");

/** The report of a matching run, in French, one fact per line. */
export function formatMatchReport(report: MatchRunReport, elapsedMs: number): string[] {
  const mode = report.mode === "full" ? "complet" : "incrémental";
  return [
    `Rapprochement ${mode} terminé en ${(elapsedMs / 1000).toLocaleString("fr-FR", { maximumFractionDigits: 1 })} s.`,
    `Actifs examinés : ${count(report.assetsConsidered)} ; vulnérabilités examinées : ${count(report.vulnerabilitiesConsidered)}.`,
    `Constats : ${count(report.findings)}.`,
    `Tickets ouverts : ${count(report.opened)}, rouverts : ${count(report.reopened)}, urgence relevée : ${count(report.raised)}, inchangés : ${count(report.seen)}, corrigés : ${count(report.fixed)}.`,
  ];
}

/**
 * `vigie watch match [--full]`: matches the exposed assets against the stored vulnerabilities
 * now, as the 15-minute `watch.match` job does (incremental unless `--full`). Adds `match` to
 * the `watch` command when another module registered it.
 */
export function registerWatch(program: Command): void {
  const watch =
    program.commands.find((command) => command.name() === "watch") ??
    program.command("watch").description("Veille des systèmes exposés des structures");
  watch
    .command("match")
    .description(
      "Rapproche les actifs exposés des vulnérabilités connues et ouvre, relève ou corrige les tickets (incrémental : seulement ce qui a changé depuis le dernier rapprochement)",
    )
    .option("--full", "Rapprochement complet : tous les actifs contre toutes les vulnérabilités")
    .action((options: { full?: boolean }) =>
      withDatabase(async ({ database }) => {
        const started = performance.now();
        const report = await runMatching(database.db, { mode: options.full ? "full" : "incremental" });
        for (const line of formatMatchReport(report, performance.now() - started)) console.log(line);
      }),
    );
}
