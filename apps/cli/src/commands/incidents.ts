import { createWriteStream } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { resolve } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { AppError, type ImportProblem, regionCodes } from "@vigie/contracts";
import {
  exportIncidents,
  type IncidentFileFormat,
  importIncidentFile,
  incidentFileFormats,
  incidentFormatFromName,
} from "@vigie/core";
import type { Command } from "commander";
import { fail, withDatabase } from "../context.ts";

const count = (n: number) => n.toLocaleString("fr-FR");

async function readIncidentFile(path: string): Promise<Buffer> {
  try {
    return await readFile(resolve(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "fichier introuvable"
        : code === "EACCES"
          ? "accès refusé"
          : code === "EISDIR"
            ? "c'est un dossier"
            : "lecture impossible";
    throw new AppError("BAD_REQUEST", { message: `Impossible de lire « ${path} » : ${why}.` });
  }
}

function parseFormat(value: string | undefined, file: string): IncidentFileFormat {
  if (value === undefined) return incidentFormatFromName(file);
  if (!(incidentFileFormats as readonly string[]).includes(value)) {
    throw new AppError("BAD_REQUEST", { message: `Format « ${value} » inconnu : choisissez jsonl ou csv.` });
  }
  return value as IncidentFileFormat;
}

function parseYear(value: string): number {
  const year = Number(value);
  if (!/^\d{4}$/.test(value) || !Number.isInteger(year)) {
    throw new AppError("BAD_REQUEST", {
      message: "--year attend une année sur 4 chiffres (par exemple 2023).",
    });
  }
  return year;
}

function parseRegion(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!(regionCodes as readonly string[]).includes(value)) {
    throw new AppError("BAD_REQUEST", {
      message: `Région « ${value} » inconnue : indiquez un code région INSEE (${regionCodes.join(", ")}).`,
    });
  }
  return value;
}

/** `ligne 12, champ structure.finess_et : message` (a problem of the whole line has no field). */
export function problemLine(problem: ImportProblem): string {
  return problem.path
    ? `ligne ${problem.line}, champ ${problem.path} : ${problem.message}`
    : `ligne ${problem.line} : ${problem.message}`;
}

/** The command (`import` or `export`) under which a kind of data is registered, created once. */
function group(program: Command, name: "import" | "export"): Command {
  const existing = program.commands.find((c) => c.name() === name);
  if (existing) return existing;
  return program
    .command(name)
    .description(
      name === "import"
        ? "Import de données en masse (incidents au format vigie.incident/1)"
        : "Export de données en masse (incidents au format vigie.incident/1)",
    )
    .helpOption("-h, --help", "Affiche l'aide");
}

/** Writes to stdout, waiting when its buffer is full (a pipe to a slow reader). */
async function writeStdout(chunk: string): Promise<void> {
  if (!process.stdout.write(chunk)) {
    await new Promise<void>((done) => process.stdout.once("drain", done));
  }
}

/** `vigie import incidents <file>` and `vigie export incidents --year Y`: the `vigie.incident/1` format. */
export function registerIncidents(program: Command): void {
  group(program, "import")
    .command("incidents")
    .description(
      "Importe des incidents au format vigie.incident/1 (JSON Lines ou CSV, UTF-8) : chaque ligne est " +
        "vérifiée avant toute écriture ; une seule ligne invalide et rien n'est importé. Réimporter le même " +
        "fichier ne change rien (la référence est la clé). En CSV : en-tête aux noms des champs, " +
        "structure.finess_et, structure.type… pour la structure, listes séparées par « | », booléens " +
        "true/false, cellule vide = valeur absente.",
    )
    .argument("<fichier>", "chemin du fichier à importer (.jsonl ou .csv)")
    .option("--format <format>", "jsonl ou csv (par défaut : d'après l'extension du fichier)")
    .option("--update", "remplace les incidents déjà présents dont le contenu diffère")
    .helpOption("-h, --help", "Affiche l'aide")
    .action(async (file: string, options: { format?: string; update?: boolean }) => {
      let format: IncidentFileFormat;
      let bytes: Buffer;
      try {
        format = parseFormat(options.format, file);
        bytes = await readIncidentFile(file);
      } catch (error) {
        fail(error);
        return;
      }
      await withDatabase(async ({ database }) => {
        const report = await importIncidentFile(database.db, bytes, {
          format,
          update: options.update === true,
          actorLabel: "ligne de commande",
        });
        if (report.problems.length > 0) {
          for (const problem of report.problems) console.error(problemLine(problem));
          if (report.truncated) console.error("… d'autres problèmes n'ont pas été listés.");
          throw new AppError("VALIDATION_FAILED", {
            message: `Fichier refusé (${count(report.records)} ${report.records > 1 ? "lignes lues" : "ligne lue"}) : rien n'a été importé.`,
          });
        }
        console.log(
          `Import terminé : ${count(report.records)} ${report.records > 1 ? "incidents lus" : "incident lu"}` +
            ` — ${count(report.created)} ${report.created > 1 ? "créés" : "créé"},` +
            ` ${count(report.updated)} mis à jour,` +
            ` ${count(report.unchanged)} ${report.unchanged > 1 ? "inchangés" : "inchangé"}.`,
        );
      });
    });

  group(program, "export")
    .command("incidents")
    .description(
      "Exporte les incidents d'une année (heure de Paris de la déclaration) au format vigie.incident/1 " +
        "(JSON Lines), triés par date de déclaration puis référence : les valeurs retenues par le CERT.",
    )
    .requiredOption("--year <année>", "année de déclaration, par exemple 2023")
    .option("--region <code>", "code région INSEE de la structure (toutes les régions par défaut)")
    .option("--out <fichier>", "fichier à écrire (sortie standard par défaut)")
    .helpOption("-h, --help", "Affiche l'aide")
    .action(async (options: { year: string; region?: string; out?: string }) => {
      let year: number;
      let region: string | undefined;
      try {
        year = parseYear(options.year);
        region = parseRegion(options.region);
      } catch (error) {
        fail(error);
        return;
      }
      await withDatabase(async ({ database }) => {
        // Reading only: an export from the command line writes nothing to the database.
        let lines = 0;
        const chunks = (async function* () {
          for await (const chunk of exportIncidents(database.db, { year, region })) {
            for (let i = chunk.indexOf("\n"); i !== -1; i = chunk.indexOf("\n", i + 1)) lines++;
            yield chunk;
          }
        })();
        if (!options.out) {
          for await (const chunk of chunks) await writeStdout(chunk);
          return;
        }
        const out = resolve(options.out);
        try {
          await pipeline(Readable.from(chunks), createWriteStream(out));
        } catch (error) {
          await rm(out, { force: true });
          throw error;
        }
        console.log(
          `Export terminé : ${count(lines)} ${lines > 1 ? "incidents écrits" : "incident écrit"} dans ${out}.`,
        );
      });
    });
}
