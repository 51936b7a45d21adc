import { Command, CommanderError } from "commander";
import { registerAudit } from "./commands/audit.ts";
import { registerDirectory } from "./commands/directory.ts";
import { registerIncidents } from "./commands/incidents.ts";
import { registerMigrate } from "./commands/migrate.ts";
import { registerObservatory } from "./commands/observatory.ts";
import { registerOpenData } from "./commands/open-data.ts";
import { registerReport } from "./commands/report.ts";
import { registerSeed } from "./commands/seed.ts";
import { registerStart } from "./commands/start.ts";
import { registerUser } from "./commands/user.ts";
import { frenchHelp } from "./french-help.ts";

const program = frenchHelp(new Command());
program
  .name("vigie")
  .description("Vigie — plateforme du CERT Santé : administration en ligne de commande")
  .version("0.1.0", "-v, --version", "Affiche la version")
  .addHelpCommand("help [commande]", "Affiche l'aide d'une commande")
  .showHelpAfterError("(lancez « vigie --help » pour l'aide)")
  .exitOverride();

registerAudit(program);
registerDirectory(program);
registerIncidents(program);
registerMigrate(program);
registerObservatory(program);
registerOpenData(program);
registerReport(program);
registerSeed(program);
registerStart(program);
registerUser(program);

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
