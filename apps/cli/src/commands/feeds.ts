import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import {
  AppError,
  type FeedRunView,
  type FeedSource,
  feedRunStatusLabels,
  feedSourceLabels,
  feedSources,
} from "@vigie/contracts";
import { ingestFeed, recentFeedRuns } from "@vigie/core";
import type { Command } from "commander";
import { fail, withDatabase } from "../context.ts";

const count = (n: number) => n.toLocaleString("fr-FR");
const plural = (n: number, one: string, many: string) => `${count(n)} ${n > 1 ? many : one}`;

async function readFeedFile(path: string): Promise<Buffer> {
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

function parseSource(value: string): FeedSource {
  if (!(feedSources as readonly string[]).includes(value)) {
    throw new AppError("BAD_REQUEST", {
      message: `Source « ${value} » inconnue : choisissez kev (CISA KEV), nvd (NVD) ou certfr (CERT-FR).`,
    });
  }
  return value as FeedSource;
}

/** The French report of a run, one problem per line. */
export function feedRunReport(run: FeedRunView): string[] {
  const lines = [
    `${feedSourceLabels[run.source]} — ${run.origin} : ${feedRunStatusLabels[run.status]}`,
    `  ${plural(run.added, "ajouté", "ajoutés")}, ${plural(run.updated, "mis à jour", "mis à jour")}, ` +
      `${plural(run.unchanged, "inchangé", "inchangés")}, ${plural(run.rejected, "rejeté", "rejetés")}.`,
  ];
  for (const p of run.problems) {
    const where = [p.record, p.line !== null ? `ligne ${p.line}` : null].filter(Boolean).join(", ");
    lines.push(
      `  ${p.level === "error" ? "Erreur" : "Avertissement"}${where ? ` (${where})` : ""} : ${p.message}`,
    );
  }
  return lines;
}

/** `vigie feeds load kev|nvd|certfr <file>` and `vigie feeds runs`: vulnerability feeds offline. */
export function registerFeeds(program: Command): void {
  const feeds = program
    .command("feeds")
    .description("Flux de vulnérabilités (CISA KEV, NVD, CERT-FR) : chargement de fichiers, historique")
    .helpOption("-h, --help", "Affiche l'aide");

  feeds
    .command("load")
    .description(
      "Charge un fichier de flux : kev (catalogue CISA KEV en JSON), nvd (API CVE 2.0 du NVD : un " +
        "enregistrement CVE ou une réponse de l'API) ou certfr (JSON ou RSS du CERT-FR). Rejouer le même " +
        "fichier ne change rien ; un fichier illisible ne change rien ; les enregistrements invalides sont " +
        "rejetés et les autres enregistrés (code de sortie 0 avec avertissements).",
    )
    .argument("<source>", "kev, nvd ou certfr")
    .argument("<fichier>", "chemin du fichier à charger")
    .helpOption("-h, --help", "Affiche l'aide")
    .action(async (sourceArg: string, file: string) => {
      let source: FeedSource;
      let bytes: Buffer;
      try {
        source = parseSource(sourceArg);
        bytes = await readFeedFile(file);
      } catch (error) {
        fail(error);
        return;
      }
      await withDatabase(async ({ database }) => {
        const run = await ingestFeed(database.db, {
          source,
          content: bytes,
          origin: `file:${basename(file)}`,
          now: new Date(),
        });
        const [head, ...rest] = feedRunReport(run);
        if (run.status === "failed") {
          for (const line of [head, ...rest]) console.error(line);
          process.exitCode = 1;
          return;
        }
        console.log(head);
        console.log(rest[0]);
        for (const line of rest.slice(1)) console.error(line);
      });
    });

  feeds
    .command("runs")
    .description("Liste les derniers chargements de flux, avec leurs problèmes")
    .option("--source <source>", "kev, nvd ou certfr (toutes par défaut)")
    .option("--limit <n>", "nombre de chargements (20 par défaut)", "20")
    .helpOption("-h, --help", "Affiche l'aide")
    .action(async (options: { source?: string; limit: string }) => {
      let source: FeedSource | undefined;
      const limit = Number(options.limit);
      try {
        source = options.source === undefined ? undefined : parseSource(options.source);
        if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
          throw new AppError("BAD_REQUEST", { message: "--limit attend un nombre entre 1 et 200." });
        }
      } catch (error) {
        fail(error);
        return;
      }
      await withDatabase(async ({ database }) => {
        const runs = await recentFeedRuns(database.db, { source, limit });
        if (runs.length === 0) {
          console.log("Aucun chargement de flux pour l'instant.");
          return;
        }
        for (const run of runs) {
          console.log(
            `${new Date(run.startedAt).toLocaleString("fr-FR", { timeZone: "Europe/Paris" })} · ${feedRunReport(run).join("\n")}`,
          );
        }
      });
    });
}
