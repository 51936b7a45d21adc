import { Command, CommanderError } from "commander";
import { registerAssets } from "./commands/assets.ts";
import { registerAudit } from "./commands/audit.ts";
import { registerAudits } from "./commands/audits.ts";
import { registerDirectory } from "./commands/directory.ts";
import { registerFeeds } from "./commands/feeds.ts";
import { registerIncidents } from "./commands/incidents.ts";
import { registerLeaks } from "./commands/leaks.ts";
import { registerMigrate } from "./commands/migrate.ts";
import { registerObservatory } from "./commands/observatory.ts";
import { registerOpenData } from "./commands/open-data.ts";
import { registerReport } from "./commands/report.ts";
import { registerSeed } from "./commands/seed.ts";
import { registerStart } from "./commands/start.ts";
import { registerUser } from "./commands/user.ts";
import { registerWatch } from "./commands/watch.ts";
import { registerWatchNotify } from "./commands/watch-notify.ts";
import { frenchHelp } from "./french-help.ts";

const program = frenchHelp(new Command());
program
  .name("vigie")
  .description("Vigie — plateforme du CERT Santé : administration en ligne de commande")
  .version("0.1.0", "-v, --version", "Affiche la version")
  .addHelpCommand("help [commande]", "Affiche l'aide d'une commande")
  .showHelpAfterError("(lancez « vigie --help » pour l'aide)")
  .exitOverride();

registerAssets(program);
registerAudit(program);
registerAudits(program);
registerDirectory(program);
registerFeeds(program);
registerIncidents(program);
registerLeaks(program);
registerMigrate(program);
registerObservatory(program);
registerOpenData(program);
registerReport(program);
registerSeed(program);
registerStart(program);
registerUser(program);
registerWatch(program);
// After any other `watch` command: adds `notify` to it.
registerWatchNotify(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    console.error(`Erreur : ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
