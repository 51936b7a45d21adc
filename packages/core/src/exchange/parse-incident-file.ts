import { type IncidentRecord, IncidentRecordSchema } from "@vigie/contracts";
import { CsvError, parse as parseCsv } from "csv-parse/sync";
import type { z } from "zod";
import type { ProblemList } from "./problems.ts";

/** The two file variants of `vigie.incident/1`: JSON Lines (import and export) and CSV (import). */
export const incidentFileFormats = ["jsonl", "csv"] as const;
export type IncidentFileFormat = (typeof incidentFileFormats)[number];

/** The records of a file that have the format's shape, with their physical line (1-based). */
export interface ParsedIncidentFile {
  format: IncidentFileFormat;
  records: IncidentRecord[];
  lines: number[];
  /** Data lines read (blank lines excluded), valid or not. */
  read: number;
}

/** The format a file name suggests: `.csv` is CSV, anything else JSON Lines. */
export function incidentFormatFromName(name: string): IncidentFileFormat {
  return /\.csv$/i.test(name) ? "csv" : "jsonl";
}

// ---------------------------------------------------------------------------------------------
// Field paths and French messages for the shape problems reported by zod.

/** `structure.finess_et`, `malicious_types[1]`: the path of a value within a record. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

function valueAt(raw: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = raw;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function shown(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

const EXPECTED: Record<string, string> = {
  string: "un texte",
  boolean: "un booléen (true ou false)",
  number: "un nombre",
  int: "un nombre entier",
  array: "une liste",
  object: "un objet",
};

/** The problems of one zod issue, with field paths and French messages. */
function issueProblems(issue: z.core.$ZodIssue, raw: unknown): Array<{ path: string; message: string }> {
  const path = fieldPath(issue.path);
  const value = valueAt(raw, issue.path);
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => ({
        path: fieldPath([...issue.path, key]),
        message: `Champ inconnu « ${key} » : seuls les champs du format vigie.incident/1 sont acceptés (faute de frappe ?).`,
      }));
    case "invalid_type": {
      if (value === undefined) return [{ path, message: "Champ obligatoire absent." }];
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (issue.expected === "int") {
        return [{ path, message: `Nombre entier attendu, reçu ${shown(value)}.` }];
      }
      return [
        {
          path,
          message: `Valeur ${value === null ? "null" : `« ${shown(value)} »`} refusée : ${expected} attendu.`,
        },
      ];
    }
    case "invalid_value":
      return [
        {
          path,
          message: `Valeur « ${shown(value)} » inconnue : valeurs possibles ${issue.values.map(String).join(", ")}.`,
        },
      ];
    case "invalid_format":
      if (issue.format === "datetime") {
        return [
          {
            path,
            message: `Date-heure « ${shown(value)} » invalide : format RFC 3339 avec décalage attendu (ex. 2023-03-14T09:30:00+01:00).`,
          },
        ];
      }
      return [{ path, message: issue.message }];
    case "too_small":
      if (issue.origin === "string") return [{ path, message: "Ne doit pas être vide." }];
      if (issue.origin === "number")
        return [{ path, message: `Doit être supérieur ou égal à ${issue.minimum}.` }];
      return [{ path, message: issue.message }];
    default:
      return [{ path, message: issue.message }];
  }
}

/** Checks the shape of one parsed line; adds its problems, returns the record when valid. */
function shapeCheck(raw: unknown, line: number, problems: ProblemList): IncidentRecord | undefined {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    problems.add({ line, path: "", message: "Chaque ligne doit être un objet JSON ({…})." });
    return undefined;
  }
  const result = IncidentRecordSchema.safeParse(raw);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    for (const p of issueProblems(issue, raw)) problems.add({ line, ...p });
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Decoding.

const decoder = new TextDecoder("utf-8", { fatal: true });

/** UTF-8 text of the file, without its byte-order mark; a problem when it is not UTF-8. */
function decode(input: string | Uint8Array, problems: ProblemList): string | undefined {
  let text: string;
  if (typeof input === "string") text = input;
  else {
    try {
      text = decoder.decode(input);
    } catch {
      // Find the first line that is not UTF-8, to name it.
      let line = 1;
      let start = 0;
      for (let i = 0; i <= input.length; i++) {
        if (i === input.length || input[i] === 0x0a) {
          try {
            decoder.decode(input.subarray(start, i));
          } catch {
            break;
          }
          line++;
          start = i + 1;
        }
      }
      problems.add({ line, path: "", message: "Le fichier doit être encodé en UTF-8." });
      return undefined;
    }
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

// ---------------------------------------------------------------------------------------------
// JSON Lines.

function parseJsonLines(text: string, problems: ProblemList): ParsedIncidentFile {
  const parsed: ParsedIncidentFile = { format: "jsonl", records: [], lines: [], read: 0 };
  const lines = text.split("\n");
  lines.forEach((content, index) => {
    const line = index + 1;
    const body = content.endsWith("\r") ? content.slice(0, -1) : content;
    if (body.trim() === "") return;
    parsed.read++;
    let raw: unknown;
    try {
      raw = JSON.parse(body);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      problems.add({ line, path: "", message: `JSON invalide (${why}).` });
      return;
    }
    const record = shapeCheck(raw, line, problems);
    if (record) {
      parsed.records.push(record);
      parsed.lines.push(line);
    }
  });
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// CSV variant (import only), as decided for `vigie.incident/1`:
// - first line: the header, one column per field of the record, named as in JSON Lines; the
//   structure's fields are the columns `structure.finess_et`, `structure.name`,
//   `structure.type`, `structure.region`, `structure.department`, `structure.ose`,
//   `structure.oiv`, `structure.ght_support`, `structure.ght`; columns may come in any order
//   and may be left out (then absent); an unknown or repeated column rejects the file;
// - separator `,` (or `;` when the header line has more `;` than `,`, as French spreadsheets
//   write), fields quoted with `"` (RFC 4180), a quoted value may span lines (its CRLF read as
//   LF); UTF-8, byte-order mark allowed; blank lines ignored;
// - lists joined with `|` (`ransomware|data_leak`), booleans `true`/`false` (any case),
//   numbers with `.` or `,` as decimal separator; an empty cell is an absent value, so the
//   format's default applies (false, [], `portal`, `unknown`, `amber`) or null;
// - line numbers are physical lines (a record's first line), as an editor shows them.

type CellKind = "text" | "boolean" | "number" | "list";

const STRUCTURE_COLUMNS: Record<string, CellKind> = {
  finess_et: "text",
  name: "text",
  type: "text",
  region: "text",
  department: "text",
  ose: "boolean",
  oiv: "boolean",
  ght_support: "boolean",
  ght: "text",
};

const RECORD_COLUMNS: Record<string, CellKind> = {
  reference: "text",
  declared_at: "text",
  detected_at: "text",
  channel: "text",
  out_of_scope: "boolean",
  out_of_scope_reason: "text",
  state_at_declaration: "text",
  support_requested: "boolean",
  origin: "text",
  malicious_types: "list",
  non_malicious_types: "list",
  si_effect: "text",
  data_impacts: "list",
  data_types: "list",
  operational_impact: "text",
  degraded_mode_hours: "number",
  patient_endangerment: "text",
  affected_systems: "list",
  persons_affected: "number",
  filings: "list",
  technical_support_provided: "boolean",
  authorities_involved: "list",
  complement_requested_at: "text",
  complement_answered_at: "text",
  event_ref: "text",
  tlp: "text",
  title: "text",
  description: "text",
};

/** Every column name the CSV variant accepts. */
export const INCIDENT_CSV_COLUMNS: readonly string[] = [
  ...Object.keys(RECORD_COLUMNS).slice(0, 4),
  ...Object.keys(STRUCTURE_COLUMNS).map((c) => `structure.${c}`),
  ...Object.keys(RECORD_COLUMNS).slice(4),
];

const NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/;

function cellValue(kind: CellKind, cell: string): unknown {
  switch (kind) {
    case "text":
      return cell;
    case "boolean": {
      const lower = cell.trim().toLowerCase();
      return lower === "true" ? true : lower === "false" ? false : cell;
    }
    case "number": {
      const trimmed = cell.trim();
      return NUMBER.test(trimmed) ? Number(trimmed.replace(",", ".")) : cell;
    }
    case "list":
      return cell.split("|").map((v) => v.trim());
  }
}

interface Column {
  name: string;
  kind: CellKind;
  structure: boolean;
  key: string;
}

function csvColumns(header: readonly string[], line: number, problems: ProblemList): Column[] | undefined {
  const columns: Column[] = [];
  const seen = new Set<string>();
  let ok = true;
  for (const rawName of header) {
    const name = rawName.trim();
    if (seen.has(name)) {
      problems.add({ line, path: name, message: `Colonne « ${name} » en double dans l'en-tête.` });
      ok = false;
      continue;
    }
    seen.add(name);
    const structureKey = name.startsWith("structure.") ? name.slice("structure.".length) : null;
    const kind = structureKey !== null ? STRUCTURE_COLUMNS[structureKey] : RECORD_COLUMNS[name];
    if (!kind) {
      problems.add({
        line,
        path: name,
        message: `Colonne inconnue « ${name} » : seuls les champs du format vigie.incident/1 sont acceptés (structure.finess_et, structure.type… pour la structure).`,
      });
      ok = false;
      continue;
    }
    columns.push({ name, kind, structure: structureKey !== null, key: structureKey ?? name });
  }
  return ok ? columns : undefined;
}

/** `;` when the header line uses it (spreadsheets set to French), else `,`. */
function csvDelimiter(text: string): string {
  const firstLine = text.slice(0, text.indexOf("\n") === -1 ? text.length : text.indexOf("\n"));
  const count = (c: string) => firstLine.split(c).length - 1;
  return count(";") > count(",") ? ";" : ",";
}

interface CsvRow {
  record: string[];
  info: { lines: number };
}

function parseCsvRecords(text: string, problems: ProblemList): ParsedIncidentFile {
  const parsed: ParsedIncidentFile = { format: "csv", records: [], lines: [], read: 0 };
  // One record delimiter, so csv-parse counts physical lines right (a CRLF inside a quoted value
  // becomes LF).
  const normalised = text.replace(/\r\n/g, "\n");
  let rows: CsvRow[];
  try {
    rows = parseCsv(normalised, {
      delimiter: csvDelimiter(normalised),
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
          : error instanceof Error
            ? error.message
            : String(error);
    problems.add({ line, path: "", message: `CSV mal formé : ${why}.` });
    return parsed;
  }
  // A record's first physical line: its last one, minus the line breaks inside its values.
  const startLine = (row: CsvRow) =>
    row.info.lines - row.record.reduce((n, cell) => n + (cell.split("\n").length - 1), 0);
  const blank = (row: CsvRow) => row.record.every((cell) => cell.trim() === "");

  const content = rows.filter((row) => !blank(row));
  const [headerRow, ...dataRows] = content;
  if (!headerRow) return parsed;
  const columns = csvColumns(headerRow.record, startLine(headerRow), problems);
  for (const row of dataRows) {
    const line = startLine(row);
    parsed.read++;
    if (!columns) continue;
    if (row.record.length !== headerRow.record.length) {
      problems.add({
        line,
        path: "",
        message: `${row.record.length} colonnes au lieu des ${headerRow.record.length} de l'en-tête.`,
      });
      continue;
    }
    const raw: Record<string, unknown> = {};
    const structure: Record<string, unknown> = {};
    let hasStructure = false;
    columns.forEach((column, i) => {
      const cell = row.record[i] ?? "";
      if (cell === "") return;
      const value = cellValue(column.kind, cell);
      if (column.structure) {
        structure[column.key] = value;
        hasStructure = true;
      } else raw[column.key] = value;
    });
    if (hasStructure) raw.structure = structure;
    const record = shapeCheck(raw, line, problems);
    if (record) {
      parsed.records.push(record);
      parsed.lines.push(line);
    }
  }
  return parsed;
}

/**
 * Reads a `vigie.incident/1` file (UTF-8, with or without byte-order mark): JSON Lines (`\n` or
 * `\r\n`, blank lines ignored) or CSV. Every line is parsed and its shape checked by
 * `IncidentRecordSchema` (unknown fields refused); problems are added with the physical line
 * and the field path. The rules between fields are checked by the import.
 */
export function parseIncidentFile(
  input: string | Uint8Array,
  format: IncidentFileFormat,
  problems: ProblemList,
): ParsedIncidentFile {
  const text = decode(input, problems);
  if (text === undefined) return { format, records: [], lines: [], read: 0 };
  return format === "csv" ? parseCsvRecords(text, problems) : parseJsonLines(text, problems);
}
