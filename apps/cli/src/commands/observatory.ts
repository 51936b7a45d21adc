import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { AppError, type ObservatoryDocument, regionCodes } from "@vigie/contracts";
import { computeObservatory, listActivityReferences, loadActivityReference } from "@vigie/core";
import { type Executor, regionsRepo } from "@vigie/db";
import type { Command } from "commander";
import { parse } from "csv-parse/sync";
import { fail, withDatabase } from "../context.ts";

function invalidOption(option: string, value: string, expected: string): never {
  throw new AppError("VALIDATION_FAILED", {
    message: `Option ${option} invalide (« ${value} ») : ${expected}.`,
  });
}

/** `--year`: a calendar year between 2000 and 2100. */
export function parseYearOption(value: string, option = "--year"): number {
  const year = Number(value);
  if (!/^\d{4}$/.test(value.trim()) || year < 2000 || year > 2100) {
    invalidOption(option, value, "une année entre 2000 et 2100 est attendue (par exemple 2023)");
  }
  return year;
}

/** `--region`: the INSEE code of one of the 18 regions. */
export function parseRegionOption(value: string): string {
  const code = value.trim();
  if (!(regionCodes as readonly string[]).includes(code)) {
    invalidOption(
      "--region",
      value,
      `le code INSEE d'une des 18 régions est attendu (${regionCodes.join(", ")} ; par exemple 76)`,
    );
  }
  return code;
}

const fr = (n: number, digits = 0) => n.toLocaleString("fr-FR", { maximumFractionDigits: digits });
const pct = (share: number) => `${fr(share * 100, 1)} %`;

/** A short French summary of the document, for a person at a terminal. */
async function summary(db: Executor, doc: ObservatoryDocument): Promise<string> {
  const names = new Map((await regionsRepo.listRegions(db)).map((r) => [r.code, r.name]));
  const scope = doc.region === null ? "national" : `${names.get(doc.region) ?? doc.region} (${doc.region})`;
  const { incidents, declarants, timing, support, origin, malicious, operational_impact: impact } = doc;
  const topRegions = Object.entries(doc.regions.counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([code, n]) => `${names.get(code) ?? code} ${fr(n)}`);
  const lines = [
    `Observatoire ${doc.year} — ${scope}`,
    `Déclarations : ${fr(incidents.declared)} (hors périmètre : ${fr(incidents.out_of_scope)}, dont ${fr(incidents.exercises)} exercice${incidents.exercises > 1 ? "s" : ""} ; dans le périmètre : ${fr(incidents.in_scope)})`,
    `Moyenne mensuelle : ${fr(incidents.monthly_mean, 1)}`,
    `Structures déclarantes : ${fr(declarants.distinct)} (ES : ${fr(declarants.es)}, ESMS : ${fr(declarants.esms)}, OSE : ${fr(declarants.ose)}) ; avec plusieurs déclarations : ${fr(declarants.several)}`,
    `Déclarées en heures et jours ouvrés : ${fr(timing.business_hours)} (${pct(timing.business_hours_share)})`,
    `Demandes d'accompagnement : ${fr(support.requested)} (${pct(support.requested_share)}) ; structures ayant reçu un appui technique : ${fr(support.technical_structures)}`,
    `Origine malveillante : ${pct(origin.malicious_share)} des incidents du périmètre ; incidents malveillants majeurs : ${fr(malicious.major)}`,
    `Prise en charge des patients affectée : ${fr(impact.patient_care_affected)}`,
  ];
  if (topRegions.length > 0) lines.push(`Régions les plus déclarantes : ${topRegions.join(", ")}`);
  lines.push(
    doc.regions.activity_index === null
      ? "Indice d'activité régional : aucune référence d'activité chargée (vigie observatory activity load)."
      : "Indice d'activité régional : calculé (détail avec --json).",
  );
  return lines.join("\n");
}

/** Reads a `region,share` CSV (comma or semicolon; 0.051, 0,051 or 5,1 %) into shares. */
export function parseActivityCsv(text: string): Record<string, number> {
  const firstLine = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  const delimiter = firstLine.includes(";") ? ";" : ",";
  let rows: Record<string, string>[];
  try {
    rows = parse(text, {
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      delimiter,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (error) {
    throw new AppError("VALIDATION_FAILED", {
      message: `Fichier CSV illisible : ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  if (!firstLine.toLowerCase().includes("region") || !firstLine.toLowerCase().includes("share")) {
    throw new AppError("VALIDATION_FAILED", {
      message:
        "Le fichier doit commencer par l'en-tête « region,share » (code INSEE de la région, part d'activité).",
    });
  }
  const shares: Record<string, number> = {};
  const fields: { field: string; message: string }[] = [];
  rows.forEach((row, index) => {
    const line = index + 2;
    const region = (row.region ?? "").trim();
    const raw = (row.share ?? "").trim();
    const percent = raw.endsWith("%");
    const value = Number(raw.replace(/%$/, "").trim().replace(",", "."));
    if (!/^\d{2}$/.test(region)) {
      fields.push({
        field: `ligne ${line}, region`,
        message: `code de région « ${region} » invalide (deux chiffres, par exemple 52).`,
      });
    } else if (region in shares) {
      fields.push({ field: `ligne ${line}, region`, message: `la région ${region} figure déjà plus haut.` });
    }
    if (raw === "" || !Number.isFinite(value)) {
      fields.push({
        field: `ligne ${line}, share`,
        message: `part « ${raw} » invalide (par exemple 0.051 ou 5,1 %).`,
      });
    } else {
      shares[region] = percent ? value / 100 : value;
    }
  });
  if (fields.length > 0) {
    throw new AppError("VALIDATION_FAILED", { message: "Fichier de parts d'activité invalide.", fields });
  }
  return shares;
}

/**
 * `vigie observatory --year Y [--region R] [--json]`: the observatory document (JSON only on
 * stdout with --json, a French summary otherwise); `vigie observatory activity load|list`: the
 * regional activity reference of the index.
 */
export function registerObservatory(program: Command): void {
  const observatory = program
    .command("observatory")
    .description(
      "Observatoire des incidents : indicateurs d'une année (vigie.observatory/1), nationaux ou d'une région",
    )
    // Not requiredOption: commander would then demand it of the `activity` subcommands too.
    .option(
      "--year <année>",
      "année civile des déclarations (heure de Paris), par exemple 2023 (obligatoire)",
    )
    .option("--region <code>", "code INSEE de la région (par exemple 76) ; national sans cette option")
    .option("--json", "écrit le document JSON seul sur la sortie standard")
    .action(async (options: { year?: string; region?: string; json?: boolean }) => {
      // Arguments are checked before the database is opened (a typo costs no migration).
      let year: number;
      let region: string | null;
      try {
        if (options.year === undefined) {
          throw new AppError("VALIDATION_FAILED", {
            message: "L'option --year est obligatoire (par exemple --year 2023).",
          });
        }
        year = parseYearOption(options.year);
        region = options.region === undefined ? null : parseRegionOption(options.region);
      } catch (error) {
        fail(error);
        return;
      }
      await withDatabase(async ({ database }) => {
        const doc = await computeObservatory(database.db, { year, region });
        if (options.json) process.stdout.write(`${JSON.stringify(doc)}\n`);
        else console.log(await summary(database.db, doc));
      });
    });

  const activity = observatory
    .command("activity")
    .description("Référence d'activité hospitalière régionale (parts de l'activité nationale) de l'indice");

  activity
    .command("load")
    .description(
      "Charge la référence d'une année depuis un CSV « region,share » (5,1 % s'écrit 0.051) ; remplace celle de cette année",
    )
    .option(
      "--year <année>",
      "année décrite par les parts (par exemple 2022 pour le PMSI 2022) (obligatoire)",
    )
    .requiredOption("--source <texte>", "source des parts, par exemple « PMSI MCO 2022, ATIH »")
    .argument("<fichier>", "fichier CSV avec l'en-tête region,share")
    .action(async (file: string, options: { year?: string; source: string }) => {
      let referenceYear: number;
      let shares: Record<string, number>;
      try {
        // Commander hands `--year` to `vigie observatory`, which declares it too.
        const year = options.year ?? observatory.opts<{ year?: string }>().year;
        if (year === undefined) {
          throw new AppError("VALIDATION_FAILED", {
            message:
              "L'option --year est obligatoire : l'année que décrivent les parts (par exemple --year 2022).",
          });
        }
        referenceYear = parseYearOption(year);
        let text: string;
        try {
          text = await readFile(resolve(file), "utf8");
        } catch {
          throw new AppError("BAD_REQUEST", { message: `Impossible de lire « ${file} ».` });
        }
        shares = parseActivityCsv(text);
      } catch (error) {
        fail(error);
        return;
      }
      await withDatabase(async ({ database }) => {
        const loaded = await loadActivityReference(database.db, "command-line", {
          referenceYear,
          source: options.source,
          shares,
        });
        const total = Object.values(loaded.shares).reduce((sum, s) => sum + s, 0);
        console.log(
          `Référence d'activité ${loaded.referenceYear} chargée : ${Object.keys(loaded.shares).length} région(s), ` +
            `somme des parts ${pct(total)} (source : ${loaded.source}).`,
        );
      });
    });

  activity
    .command("list")
    .description("Liste les références d'activité chargées")
    .action(() =>
      withDatabase(async ({ database }) => {
        const references = await listActivityReferences(database.db, "command-line");
        if (references.length === 0) {
          console.log("Aucune référence d'activité chargée.");
          return;
        }
        for (const r of references) {
          console.log(
            `${r.referenceYear}  ${Object.keys(r.shares).length} région(s)  ${r.source}  (chargée le ${r.loadedAt}${r.loadedBy ? ` par ${r.loadedBy}` : ""})`,
          );
        }
      }),
    );
}
