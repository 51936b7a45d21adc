import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { AppError, structureTypeLabels } from "@vigie/contracts";
import { type DirectoryFormat, directoryFormats, importDirectory, searchStructures } from "@vigie/core";
import { Presets, SingleBar } from "cli-progress";
import type { Command } from "commander";
import { fail, withDatabase } from "../context.ts";

/** Rejected lines printed in full; the rest are only counted. */
const SHOWN_REJECTIONS = 20;

async function readDirectoryFile(path: string): Promise<Buffer> {
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

function parseFormat(value: string): DirectoryFormat | "auto" {
  const formats: ReadonlyArray<string> = ["auto", ...directoryFormats];
  if (!formats.includes(value)) {
    throw new AppError("BAD_REQUEST", {
      message: `Format « ${value} » inconnu : choisissez auto, csv ou extrait-finess.`,
    });
  }
  return value as DirectoryFormat | "auto";
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) {
    throw new AppError("BAD_REQUEST", { message: "--limite attend un nombre entier entre 1 et 50." });
  }
  return limit;
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("fr-FR")} ${n > 1 ? many : one}`;

/** `vigie directory import|search`: loads a FINESS file into the directory, searches it. */
export function registerDirectory(program: Command): void {
  const directory = program
    .command("directory")
    .description("Annuaire des structures (FINESS) : import et recherche")
    .helpOption("-h, --help", "Affiche l'aide");

  directory
    .command("import")
    .description(
      "Importe un fichier de l'annuaire : le CSV de référence (reference/etabs_hopitaux_france.csv) ou " +
        "l'extraction officielle du FINESS (data.gouv.fr), en UTF-8 ou Latin-1. Réimporter ne duplique rien " +
        "et conserve les informations saisies par le CERT.",
    )
    .argument("<fichier>", "chemin du fichier à importer")
    .option("--format <format>", "format du fichier : auto (détecté, par défaut), csv ou extrait-finess")
    .helpOption("-h, --help", "Affiche l'aide")
    .action(async (file: string, options: { format?: string }) => {
      // Bad options and unreadable files fail before the database is even opened.
      let format: DirectoryFormat | "auto";
      let bytes: Buffer;
      try {
        format = parseFormat(options.format ?? "auto");
        bytes = await readDirectoryFile(file);
      } catch (error) {
        fail(error);
        return;
      }
      await withDatabase(async ({ database }) => {
        const bar = new SingleBar(
          { format: "Import |{bar}| {value}/{total} établissements", hideCursor: true },
          Presets.shades_classic,
        );
        let started = false;
        const report = await (async () => {
          try {
            return await importDirectory(database.db, bytes, {
              format,
              actorLabel: "ligne de commande",
              onProgress: (done, total) => {
                if (!started && total > 0) {
                  bar.start(total, 0);
                  started = true;
                }
                if (started) bar.update(done);
              },
            });
          } finally {
            if (started) bar.stop();
          }
        })();

        console.log(`Lignes lues : ${report.read.toLocaleString("fr-FR")}`);
        console.log(`  ajoutées : ${report.inserted.toLocaleString("fr-FR")}`);
        console.log(`  mises à jour : ${report.updated.toLocaleString("fr-FR")}`);
        console.log(`  inchangées : ${report.unchanged.toLocaleString("fr-FR")}`);
        console.log(`  rejetées : ${report.rejected.length.toLocaleString("fr-FR")}`);
        if (report.rejected.length > 0) {
          console.log("\nLignes rejetées :");
          for (const r of report.rejected.slice(0, SHOWN_REJECTIONS)) {
            console.log(`  ligne ${r.line}${r.finess ? ` (FINESS ${r.finess})` : ""} : ${r.reason}`);
          }
          const more = report.rejected.length - SHOWN_REJECTIONS;
          if (more > 0)
            console.log(`  … et ${plural(more, "autre ligne rejetée", "autres lignes rejetées")}.`);
        }
        if (report.inserted + report.updated + report.unchanged === 0) {
          throw new AppError("BAD_REQUEST", {
            message: "Aucune ligne valide dans le fichier : rien n'a été importé.",
          });
        }
      });
    });

  directory
    .command("search")
    .description("Recherche une structure par numéro FINESS, nom ou ville")
    .argument("<texte>", "texte recherché (au moins 2 caractères)")
    .option("-l, --limite <nombre>", "nombre maximal de résultats, de 1 à 50 (10 par défaut)")
    .helpOption("-h, --help", "Affiche l'aide")
    .action(async (text: string, options: { limite?: string }) => {
      let limit: number;
      try {
        limit = parseLimit(options.limite ?? "10");
        if (text.trim().length < 2) {
          throw new AppError("BAD_REQUEST", { message: "Saisissez au moins 2 caractères." });
        }
      } catch (error) {
        fail(error);
        return;
      }
      await withDatabase(async ({ database }) => {
        const hits = await searchStructures(database.db, { q: text, limit });
        if (hits.length === 0) {
          console.log(`Aucune structure ne correspond à « ${text} ».`);
          return;
        }
        for (const hit of hits) {
          const place = [hit.town, hit.departmentCode ? `(${hit.departmentCode})` : null]
            .filter(Boolean)
            .join(" ");
          console.log(`${hit.finessEt}  ${hit.name}${place ? ` — ${place}` : ""}`);
          console.log(`           ${structureTypeLabels[hit.structureType]}`);
        }
        console.log(`\n${plural(hits.length, "résultat", "résultats")}.`);
      });
    });
}
