import { writeFile } from "node:fs/promises";
import { extname, resolve } from "node:path";
import { AppError, ObservatoryQuerySchema } from "@vigie/contracts";
import { buildReport, type ReportFormat, renderReport } from "@vigie/core";
import { regionsRepo } from "@vigie/db";
import type { Command } from "commander";
import { fail, withDatabase } from "../context.ts";

interface ReportOptions {
  year: string;
  region?: string;
  out: string;
}

function invalid(option: string, value: string, why: string): AppError {
  return new AppError("VALIDATION_FAILED", { message: `Option ${option} invalide (« ${value} ») : ${why}` });
}

function parseYear(value: string): number {
  if (!/^\d+$/.test(value.trim()))
    throw invalid("--year", value, "une année sur quatre chiffres est attendue (ex. 2023).");
  const parsed = ObservatoryQuerySchema.shape.year.safeParse(value.trim());
  if (!parsed.success) throw invalid("--year", value, parsed.error.issues[0]?.message ?? "année invalide.");
  return parsed.data;
}

function parseRegion(value: string | undefined): string | null {
  if (value === undefined) return null;
  const parsed = ObservatoryQuerySchema.shape.region.safeParse(value.trim());
  if (!parsed.success)
    throw invalid("--region", value, parsed.error.issues[0]?.message ?? "région invalide.");
  return parsed.data ?? null;
}

function parseOut(value: string): ReportFormat {
  const extension = extname(value).toLowerCase();
  if (extension === ".html" || extension === ".htm") return "html";
  if (extension === ".pdf") return "pdf";
  throw invalid(
    "--out",
    value,
    "le fichier doit se terminer par .html ou .pdf (le format du rapport en dépend).",
  );
}

async function write(path: string, content: Buffer): Promise<void> {
  try {
    await writeFile(resolve(path), content);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "le dossier n'existe pas"
        : code === "EACCES" || code === "EPERM"
          ? "accès refusé"
          : code === "EISDIR"
            ? "c'est un dossier"
            : "écriture impossible";
    throw new AppError("BAD_REQUEST", {
      message: `Impossible d'écrire « ${path} » (option --out) : ${why}.`,
    });
  }
}

/** `vigie report --year 2023 [--region 76] --out rapport.pdf`: the observatory's yearly report. */
export function registerReport(program: Command): void {
  program
    .command("report")
    .description(
      "Produit le rapport annuel de l'observatoire des signalements (chiffres clés, graphiques, commentaires " +
        "comparés à l'année précédente), national ou régional, en HTML ou en PDF selon l'extension de --out",
    )
    .requiredOption("--year <année>", "année du rapport (ex. 2023)")
    .option("--region <code>", "code INSEE de la région (ex. 76) ; sans cette option, le rapport national")
    .requiredOption(
      "--out <fichier>",
      "fichier à écrire, .html ou .pdf (le PDF demande Chromium : CHROMIUM_PATH)",
    )
    .helpOption("-h, --help", "Affiche l'aide")
    .action(async (options: ReportOptions) => {
      let query: { year: number; region: string | null; format: ReportFormat };
      try {
        query = {
          year: parseYear(options.year),
          region: parseRegion(options.region),
          format: parseOut(options.out),
        };
      } catch (error) {
        fail(error);
        return;
      }
      await withDatabase(async ({ config, database }) => {
        if (query.region !== null && !(await regionsRepo.findRegion(database.db, query.region))) {
          throw invalid("--region", query.region, "aucune région ne porte ce code INSEE.");
        }
        const report = await buildReport(database.db, { year: query.year, region: query.region });
        const rendered = await renderReport(report, query.format, { chromiumPath: config.CHROMIUM_PATH });
        await write(options.out, rendered.content);
        const scope = report.region ? `région ${report.region.name}` : "national";
        const size = Math.max(1, Math.round(rendered.content.byteLength / 1024)).toLocaleString("fr-FR");
        const declared = report.current.incidents.declared;
        console.log(
          `Rapport ${query.year} (${scope}, ${declared.toLocaleString("fr-FR")} ${declared > 1 ? "signalements" : "signalement"}) ` +
            `écrit dans ${options.out} (${query.format.toUpperCase()}, ${size} Ko).`,
        );
      });
    });
}
