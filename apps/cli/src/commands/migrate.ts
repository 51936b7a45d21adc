import { loadConfig } from "@vigie/config";
import { migrateToLatest } from "@vigie/db";
import type { Command } from "commander";
import { fail, openConfigured } from "../context.ts";

/** `vigie migrate`: applies pending migrations. */
export function registerMigrate(program: Command): void {
  program
    .command("migrate")
    .description("Applique les migrations de la base de données en attente")
    .action(async () => {
      try {
        const database = await openConfigured(loadConfig());
        try {
          const applied = await migrateToLatest(database.db);
          console.log(applied.length ? `Migrations appliquées : ${applied.join(", ")}` : "Base déjà à jour.");
        } finally {
          await database.close();
        }
      } catch (error) {
        fail(error);
      }
    });
}
