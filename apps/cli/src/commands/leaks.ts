import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { AppError, type LeakImportReport, leakListLimits } from "@vigie/contracts";
import {
  importLeakedCredentials,
  LeakListParser,
  leakListTooLarge,
  listLeakImports,
  type ParsedLeakList,
} from "@vigie/core";
import type { Command } from "commander";
import { fail, withDatabase } from "../context.ts";

const count = (n: number) => n.toLocaleString("fr-FR");
const plural = (n: number, one: string, many: string) => `${count(n)} ${n > 1 ? many : one}`;

/** Reads the list line by line: only the parser's addresses and counts are kept. */
async function parseLeakFile(path: string): Promise<ParsedLeakList> {
  const file = resolve(path);
  let size: number;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new AppError("BAD_REQUEST", { message: `« ${path} » est un dossier.` });
    size = info.size;
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "fichier introuvable" : code === "EACCES" ? "accès refusé" : "lecture impossible";
    throw new AppError("BAD_REQUEST", { message: `Impossible de lire « ${path} » : ${why}.` });
  }
  if (size > leakListLimits.maxBytes) throw leakListTooLarge();
  const parser = new LeakListParser();
  const lines = createInterface({
    input: createReadStream(file, { encoding: "utf8" }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) parser.line(line);
  return parser.finish();
}

/** The report of an import, in French, for the terminal. */
export function leakReportLines(report: LeakImportReport): string[] {
  const out = [
    `Import « ${report.source} » terminé : ${plural(report.lines, "ligne lue", "lignes lues")}, ` +
      `${plural(report.addresses, "adresse distincte", "adresses distinctes")}.`,
    `  - rattachées à une structure : ${count(report.matched)} (${plural(report.structures, "structure", "structures")})`,
    `  - sans structure (comptées, non conservées) : ${count(report.unmatched)}`,
    `  - lignes refusées : ${count(report.rejected)}`,
    `  - tickets ouverts : ${count(report.tickets.opened)}, rouverts : ${count(report.tickets.reopened)}, ` +
      `déjà connus : ${count(report.tickets.alreadyKnown)}`,
    "Aucun mot de passe ni empreinte n'a été conservé.",
  ];
  for (const p of report.problems) {
    out.push(`  ligne ${p.line}${p.column ? `, colonne ${p.column}` : ""} : ${p.message}`);
  }
  if (report.problemsTruncated) out.push("  … d'autres lignes refusées n'ont pas été listées.");
  return out;
}

/** `vigie leaks import <file> --source <name>` and `vigie leaks list`: leaked credentials. */
export function registerLeaks(program: Command): void {
  const leaks = program
    .command("leaks")
    .description("Identifiants divulgués : import de listes (adresses seules) et historique")
    .helpOption("-h, --help", "Affiche l'aide");

  leaks
    .command("import")
    .description(
      "Importe une liste d'identifiants divulgués : seules les adresses de messagerie sont lues (mots de passe " +
        "et empreintes écartés à la lecture, jamais conservés). Les adresses d'un domaine de messagerie d'une " +
        "structure (ou d'un sous-domaine, ou d'un de ses domaines déclarés) ouvrent un ticket « compte compromis ». " +
        "Formats : une adresse par ligne (éventuellement « adresse:mot de passe », « ; », « , », tabulation, « | »), " +
        `CSV avec en-tête (email, mail, courriel, login…), JSON. ${leakListLimits.maxBytes / (1024 * 1024)} Mo au plus.`,
    )
    .argument("<fichier>", "chemin de la liste")
    .requiredOption("--source <nom>", "nom de la source, par exemple « Combolist Telegram 2026-11 »")
    .helpOption("-h, --help", "Affiche l'aide")
    .action(async (file: string, options: { source: string }) => {
      let parsed: ParsedLeakList;
      try {
        parsed = await parseLeakFile(file);
      } catch (error) {
        fail(error);
        return;
      }
      await withDatabase(async ({ database }) => {
        const report = await importLeakedCredentials(database.db, {
          source: options.source,
          content: parsed,
          actor: null,
          now: new Date(),
        });
        for (const line of leakReportLines(report)) console.log(line);
      });
    });

  leaks
    .command("list")
    .description("Historique des imports d'identifiants divulgués (les plus récents d'abord)")
    .option("--limit <n>", "nombre d'imports affichés", "50")
    .helpOption("-h, --help", "Affiche l'aide")
    .action(async (options: { limit: string }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
        fail(new AppError("BAD_REQUEST", { message: "--limit attend un nombre entier entre 1 et 500." }));
        return;
      }
      await withDatabase(async ({ database }) => {
        const items = await listLeakImports(database.db, null, { limit });
        if (items.length === 0) {
          console.log("Aucun import d'identifiants divulgués.");
          return;
        }
        for (const item of items) {
          console.log(
            `${item.importedAt}  « ${item.source} »  ${plural(item.lines, "ligne", "lignes")}, ` +
              `${plural(item.addresses, "adresse", "adresses")}, ${count(item.matched)} rattachées, ` +
              `${plural(item.rejected, "refusée", "refusées")} — ${item.importedBy ?? "ligne de commande"}`,
          );
        }
      });
    });
}
