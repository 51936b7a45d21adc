import { notifyStructures, watchNotifySettingsFrom } from "@vigie/core";
import type { Command } from "commander";
import { withDatabase } from "../context.ts";

/**
 * `vigie watch notify`: sends now what the hourly `watch.notify` job would send (each
 * structure's grouped message of the day). Adds `notify` to the `watch` command when another
 * module registered it, so both can live under `vigie watch`.
 */
export function registerWatchNotify(program: Command): void {
  const watch =
    program.commands.find((command) => command.name() === "watch") ??
    program.command("watch").description("Veille des systèmes exposés des structures");
  watch
    .command("notify")
    .description(
      "Envoie aux structures leur message groupé du jour (tickets nouveaux, urgences relevées, rappels) ; un seul par structure et par jour",
    )
    .action(() =>
      withDatabase(async ({ database, config }) => {
        const report = await notifyStructures(database.db, {
          ...watchNotifySettingsFrom(config),
          now: new Date(),
        });
        console.log(
          `Structures alertées : ${report.notified} (tickets nouveaux : ${report.newTickets}, urgences relevées : ${report.raisedTickets}, rappels : ${report.reminders}).`,
        );
        if (report.alreadyNotified > 0) {
          console.log(`Déjà alertées aujourd'hui (rien de renvoyé) : ${report.alreadyNotified}.`);
        }
        if (report.noRecipient > 0) {
          console.log(
            `Sans destinataire (aucune adresse de contact ni membre actif ; tickets laissés nouveaux) : ${report.noRecipient}.`,
          );
        }
        console.log("Les messages partent par la file d'envoi (outbox).");
      }),
    );
}
