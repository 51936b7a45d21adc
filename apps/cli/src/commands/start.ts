import { existsSync } from "node:fs";
import { loadConfig } from "@vigie/config";
import type { Command } from "commander";
import { fail } from "../context.ts";
import { startPlatform, WEB_ROOT } from "../platform.ts";
import { printDemoLogins, seedDemoIfEmpty } from "./seed.ts";

/** `vigie start`: API, worker and scheduler in one process (or the parts named). */
export function registerStart(program: Command): void {
  program
    .command("start")
    .description(
      "Démarre la plateforme (API et application web, traitements de fond, planificateur) sur la base configurée",
    )
    .option("--api", "uniquement l'API et l'application web")
    .option("--worker", "uniquement les traitements de fond")
    .option("--scheduler", "uniquement le planificateur")
    .action(async (options: { api?: boolean; worker?: boolean; scheduler?: boolean }) => {
      try {
        const config = loadConfig();
        const all = !options.api && !options.worker && !options.scheduler;
        const parts = {
          api: all || !!options.api,
          worker: all || !!options.worker,
          scheduler: all || !!options.scheduler,
        };
        if (parts.api && !existsSync(WEB_ROOT)) {
          console.warn(
            "Attention : application web non construite (lancez « npm run build:web ») ; seule l'API répond.",
          );
        }
        let seeded = false;
        const platform = await startPlatform(config, parts, async (database) => {
          if (!config.VIGIE_NO_DEMO) seeded = await seedDemoIfEmpty(database, config);
        });
        const where = config.DATABASE_URL ? "PostgreSQL" : `base embarquée (${config.VIGIE_DATA_DIR})`;
        if (platform.url) console.log(`\nVigie est démarrée sur ${platform.url} — ${where}`);
        if (platform.url && !config.VIGIE_NO_DEMO) printDemoLogins(seeded);
        let stopping = false;
        const stop = async (signal: string) => {
          if (stopping) return;
          stopping = true;
          console.log(`\nSignal ${signal} reçu : arrêt en cours…`);
          try {
            await platform.stop();
            process.exit(0);
          } catch (error) {
            fail(error);
            process.exit(1);
          }
        };
        process.once("SIGINT", () => void stop("SIGINT"));
        process.once("SIGTERM", () => void stop("SIGTERM"));
      } catch (error) {
        fail(error);
      }
    });
}
