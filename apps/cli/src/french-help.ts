import type { Command } from "commander";

// Commander writes its headings and common errors in English; the CLI speaks French.
const HEADINGS: Record<string, string> = {
  "Usage:": "Utilisation :",
  "Options:": "Options :",
  "Global Options:": "Options générales :",
  "Commands:": "Commandes :",
  "Arguments:": "Arguments :",
};

const ERRORS: [RegExp, string][] = [
  [/unknown command '(.+)'/, "commande inconnue « $1 »"],
  [/unknown option '(.+)'/, "option inconnue « $1 »"],
  [/missing required argument '(.+)'/, "argument obligatoire manquant « $1 »"],
  [/option '(.+)' argument missing/, "valeur manquante pour l'option « $1 »"],
  [/required option '(.+)' not specified/, "option obligatoire manquante « $1 »"],
  [
    /too many arguments(?: for '(.+)')?\. Expected (\d+) arguments? but got (\d+)\./,
    "trop d'arguments ($3 au lieu de $2)",
  ],
  [/\(Did you mean (.+)\?\)/, "(vouliez-vous dire $1 ?)"],
];

/** Translates one of commander's error messages. */
export function frenchError(text: string): string {
  let out = text.replace(/^error: /, "");
  for (const [pattern, replacement] of ERRORS) out = out.replace(pattern, replacement);
  return `Erreur : ${out}`;
}

/** Makes `--help` and error output French for the program and every subcommand added after. */
export function frenchHelp(program: Command): Command {
  return program
    .helpOption("-h, --help", "Affiche l'aide")
    .configureHelp({
      styleTitle: (title) => HEADINGS[title] ?? title,
    })
    .configureOutput({ outputError: (text, write) => write(frenchError(text)) });
}
