import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { AppError } from "@vigie/contracts";
import { exportOpenData } from "@vigie/core";
import type { Command } from "commander";
import { fail, withDatabase } from "../context.ts";
import { parseYearOption } from "./observatory.ts";

interface OpenDataOptions {
  year: string;
  out: string;
}

const fr = (n: number) => n.toLocaleString("fr-FR");

function cannotWrite(path: string, error: unknown): AppError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === "EACCES" || code === "EPERM" || code === "EROFS"
      ? "accès refusé"
      : code === "ENOTDIR" || code === "EEXIST"
        ? "ce n'est pas un dossier"
        : "écriture impossible";
  return new AppError("BAD_REQUEST", { message: `Impossible d'écrire « ${path} » (option --out) : ${why}.` });
}

/** Creates the output folder (before any computation, so a bad --out fails at once). */
async function prepareFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw cannotWrite(folder, error);
  }
}

async function writeInto(folder: string, fileName: string, content: string): Promise<string> {
  const path = join(folder, fileName);
  try {
    await writeFile(path, content, "utf8");
  } catch (error) {
    throw cannotWrite(path, error);
  }
  return path;
}

/**
 * `vigie opendata --year 2023 --out <dossier>`: the observatory's open data of a year
 * (decision 0010), `observatoire-2023.csv` and `observatoire-2023.schema.json`.
 */
export function registerOpenData(program: Command): void {
  program
    .command("opendata")
    .description(
      "Produit les données ouvertes de l'observatoire d'une année : un CSV d'effectifs (national, par région, " +
        "hors région ; secret statistique appliqué, aucun FINESS ni nom) et le schéma JSON de ses colonnes",
    )
    .requiredOption("--year <année>", "année des déclarations (ex. 2023)")
    .requiredOption(
      "--out <dossier>",
      "dossier où écrire observatoire-ANNÉE.csv et observatoire-ANNÉE.schema.json (créé s'il n'existe pas)",
    )
    .helpOption("-h, --help", "Affiche l'aide")
    .action(async (options: OpenDataOptions) => {
      let year: number;
      try {
        year = parseYearOption(options.year);
      } catch (error) {
        fail(error);
        return;
      }
      const folder = resolve(options.out);
      try {
        await prepareFolder(folder);
      } catch (error) {
        fail(error);
        return;
      }
      await withDatabase(async ({ database }) => {
        const files = await exportOpenData(database.db, year);
        const csv = await writeInto(folder, files.csv.fileName, files.csv.content);
        const schema = await writeInto(folder, files.schema.fileName, files.schema.content);
        const count = (statut: string) => files.rows.filter((row) => row.statut === statut).length;
        console.log(
          `Données ouvertes ${year} : ${fr(files.rows.length)} lignes (${fr(count("publie"))} publiées, ` +
            `${fr(count("secret"))} secrètes, ${fr(count("secret_secondaire"))} en secret secondaire).`,
        );
        console.log(`  ${csv}`);
        console.log(`  ${schema}`);
      });
    });
}
