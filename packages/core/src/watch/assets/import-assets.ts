import {
  AppError,
  type AssetCsvColumn,
  type AssetImportProblem,
  type AssetImportReport,
  AssetInput,
  assetCsvColumns,
  assetCsvKinds,
} from "@vigie/contracts";
import { assetsRepo, type Executor, type NewAssetRow } from "@vigie/db";
import { CsvError, parse as parseCsv } from "csv-parse/sync";
import { type Actor, assertPermission } from "../../access/policy.ts";
import { recordAudit } from "../../audit/record-audit.ts";
import { resolveInventoryStructure } from "./access.ts";
import { type AssetChangeContext, assetColumns, ownershipProblem, rowAsAsset } from "./manage-assets.ts";
import { assetIdentity, type NormalisedAsset, validateAsset } from "./validate-asset.ts";

/** Most problems listed in a report (the count of rejected lines is always exact). */
export const ASSET_IMPORT_MAX_PROBLEMS = 100;
/** Most data lines in one file. */
export const ASSET_IMPORT_MAX_LINES = 20_000;

/** The CSV column of each field of the asset form. */
const COLUMN_OF_FIELD: Record<string, AssetCsvColumn> = {
  kind: "type",
  value: "valeur",
  vendor: "editeur",
  product: "produit",
  version: "version",
  cpe: "cpe",
  host: "hote",
  port: "port",
  transport: "protocole",
  service: "service",
  label: "libelle",
};

/** A header cell as a column name: lower case, accents and spaces dropped (« Éditeur » is editeur). */
function columnName(cell: string): string {
  return cell
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .trim()
    .toLowerCase()
    .replace(/\s+/g, "");
}

interface CsvRow {
  record: string[];
  info: { lines: number };
}

class Problems {
  readonly list: AssetImportProblem[] = [];
  readonly lines = new Set<number>();
  add(line: number, column: string | null, message: string): void {
    this.lines.add(line);
    this.list.push({ line, column, message });
  }
  report(lines: number): AssetImportReport {
    return {
      lines,
      added: 0,
      unchanged: 0,
      rejected: Math.max(this.lines.size, 1),
      problems: this.list.slice(0, ASSET_IMPORT_MAX_PROBLEMS),
      truncated: this.list.length > ASSET_IMPORT_MAX_PROBLEMS,
    };
  }
}

/** The text of the file: UTF-8 (a byte-order mark is allowed), else null. */
function decode(content: string | Uint8Array): string | null {
  if (typeof content === "string") return content.replace(/^\uFEFF/, "");
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    return null;
  }
}

interface ParsedLine {
  line: number;
  asset: NormalisedAsset;
}

/**
 * Reads and checks every line of the file (header `type;valeur;editeur;produit;version;cpe;hote;
 * port;protocole;service;libelle`, `;` or `,` separated); each problem with its physical line and
 * column.
 */
export function parseAssetCsv(content: string | Uint8Array): {
  lines: ParsedLine[];
  read: number;
  problems: Problems;
} {
  const problems = new Problems();
  const text = decode(content);
  if (text === null) {
    problems.add(1, null, "Le fichier n'est pas encodé en UTF-8 : enregistrez-le en « CSV UTF-8 ».");
    return { lines: [], read: 0, problems };
  }
  const normalised = text.replace(/\r\n?/g, "\n");
  const firstLine = normalised.split("\n").find((l) => l.trim() !== "") ?? "";
  const count = (c: string) => firstLine.split(c).length - 1;
  let rows: CsvRow[];
  try {
    rows = parseCsv(normalised, {
      delimiter: count(";") >= count(",") ? ";" : ",",
      record_delimiter: "\n",
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as CsvRow[];
  } catch (error) {
    const line = error instanceof CsvError ? Number((error as CsvError & { lines?: number }).lines ?? 1) : 1;
    const why =
      error instanceof CsvError && error.code === "CSV_QUOTE_NOT_CLOSED"
        ? "guillemet ouvert jamais fermé"
        : error instanceof CsvError && error.code === "CSV_INVALID_CLOSING_QUOTE"
          ? "guillemet fermant suivi d'autre chose qu'un séparateur"
          : "lecture impossible";
    problems.add(line, null, `CSV mal formé : ${why}.`);
    return { lines: [], read: 0, problems };
  }
  const startLine = (row: CsvRow) =>
    row.info.lines - row.record.reduce((n, cell) => n + (cell.split("\n").length - 1), 0);
  const nonBlank = rows.filter((row) => row.record.some((cell) => cell.trim() !== ""));
  const [header, ...data] = nonBlank;
  if (!header) {
    problems.add(1, null, "Le fichier est vide : la première ligne est l'en-tête des colonnes.");
    return { lines: [], read: 0, problems };
  }
  const headerLine = startLine(header);
  const columns = header.record.map(columnName);
  columns.forEach((name, index) => {
    if (!(assetCsvColumns as readonly string[]).includes(name)) {
      problems.add(
        headerLine,
        header.record[index] ?? null,
        `Colonne « ${header.record[index]} » inconnue : les colonnes sont ${assetCsvColumns.join(", ")}.`,
      );
    } else if (columns.indexOf(name) !== index) {
      problems.add(headerLine, name, `La colonne « ${name} » apparaît deux fois.`);
    }
  });
  if (!columns.includes("type")) problems.add(headerLine, "type", "La colonne « type » est obligatoire.");
  if (problems.list.length > 0) return { lines: [], read: data.length, problems };
  if (data.length > ASSET_IMPORT_MAX_LINES) {
    problems.add(headerLine, null, `Le fichier dépasse ${ASSET_IMPORT_MAX_LINES} lignes : découpez-le.`);
    return { lines: [], read: data.length, problems };
  }

  const lines: ParsedLine[] = [];
  for (const row of data) {
    const line = startLine(row);
    if (row.record.length > columns.length && row.record.slice(columns.length).some((c) => c.trim() !== "")) {
      problems.add(
        line,
        null,
        `La ligne compte ${row.record.length} valeurs pour ${columns.length} colonnes.`,
      );
      continue;
    }
    const cell = (name: AssetCsvColumn) => {
      const index = columns.indexOf(name);
      return index === -1 ? "" : (row.record[index] ?? "").trim();
    };
    const typed = cell("type");
    const kind = assetCsvKinds[columnName(typed)];
    if (!kind) {
      problems.add(
        line,
        "type",
        typed
          ? `Type « ${typed} » inconnu : domaine, ip, plage, produit ou service.`
          : "Le type est obligatoire : domaine, ip, plage, produit ou service.",
      );
      continue;
    }
    const shaped = AssetInput.safeParse({
      kind,
      value: cell("valeur"),
      vendor: cell("editeur"),
      product: cell("produit"),
      version: cell("version"),
      cpe: cell("cpe"),
      host: cell("hote"),
      port: cell("port"),
      transport: cell("protocole").toLowerCase(),
      service: cell("service"),
      label: cell("libelle"),
    });
    if (!shaped.success) {
      for (const issue of shaped.error.issues) {
        problems.add(line, COLUMN_OF_FIELD[String(issue.path[0])] ?? null, issue.message);
      }
      continue;
    }
    const checked = validateAsset(shaped.data);
    if (!checked.ok) {
      for (const issue of checked.issues)
        problems.add(line, COLUMN_OF_FIELD[issue.field] ?? null, issue.message);
      continue;
    }
    lines.push({ line, asset: checked.asset });
  }
  return { lines, read: data.length, problems };
}

class Rejected extends Error {
  constructor(readonly problems: Problems) {
    super("import rejected");
  }
}

/**
 * Imports a CSV file into one structure's inventory, all or nothing: every line is checked
 * (shape, then ownership under the inventory lock) before anything is written; a line whose
 * asset is already there (same identity) is left unchanged, so importing a file again changes
 * nothing. The report lists each problem with its line and column.
 */
export async function importAssetCsv(
  db: Executor,
  actor: Actor | null,
  structureRef: string,
  content: string | Uint8Array,
  context: AssetChangeContext,
): Promise<AssetImportReport> {
  if (actor) assertPermission(actor, "watch:manage");
  const structure = await resolveInventoryStructure(db, actor, structureRef);
  const parsed = parseAssetCsv(content);
  if (parsed.problems.list.length > 0) return parsed.problems.report(parsed.read);
  try {
    return await db.transaction().execute(async (trx) => {
      await assetsRepo.lockOwnership(trx);
      const known = new Set(
        (await assetsRepo.listStructureAssets(trx, structure.id)).map((row) =>
          assetIdentity(rowAsAsset(row)),
        ),
      );
      const problems = new Problems();
      const rows: NewAssetRow[] = [];
      let unchanged = 0;
      for (const { line, asset } of parsed.lines) {
        const identity = assetIdentity(asset);
        if (known.has(identity)) {
          unchanged++;
          continue;
        }
        const problem = await ownershipProblem(trx, actor, structure.id, asset);
        if (problem) {
          problems.add(
            line,
            asset.kind === "product" ? "produit" : asset.kind === "service" ? "port" : "valeur",
            problem,
          );
          continue;
        }
        known.add(identity);
        rows.push({
          ...assetColumns(asset),
          structure_id: structure.id,
          source: "csv",
          created_by_user_id: actor?.userId ?? null,
          created_at: context.now,
          updated_at: context.now,
        });
      }
      if (problems.list.length > 0) throw new Rejected(problems);
      for (let i = 0; i < rows.length; i += 500) await assetsRepo.insertAssets(trx, rows.slice(i, i + 500));
      const report: AssetImportReport = {
        lines: parsed.read,
        added: rows.length,
        unchanged,
        rejected: 0,
        problems: [],
        truncated: false,
      };
      await recordAudit(
        trx,
        {
          actor,
          actorLabel: context.actorLabel,
          action: "assets.imported",
          objectType: "structure",
          objectId: structure.id,
          ip: context.ip ?? null,
          details: { lines: report.lines, added: report.added, unchanged: report.unchanged },
        },
        context.now,
      );
      return report;
    });
  } catch (error) {
    if (error instanceof Rejected) return error.problems.report(parsed.read);
    throw error;
  }
}

/** The import's refusal as an API error (422 IMPORT_REJECTED, each problem as a field). */
export function assetImportRejected(report: AssetImportReport): AppError {
  return new AppError("IMPORT_REJECTED", {
    message: `Fichier refusé : ${report.rejected} ${report.rejected > 1 ? "lignes rejetées" : "ligne rejetée"}, rien n'a été importé.`,
    fields: report.problems.map((p) => ({
      field: p.column ? `ligne ${p.line}, colonne ${p.column}` : `ligne ${p.line}`,
      message: p.message,
    })),
    details: { report },
  });
}
