import { AppError } from "@vigie/contracts";
import type { ImportedStructure } from "@vigie/db";
import { parse } from "csv-parse/sync";
import { finessProblem, normaliseFiness } from "./finess.ts";
import { structureSearchText } from "./search-text.ts";
import { classifyStructure } from "./structure-type.ts";

/** The file formats the directory import reads. */
export const directoryFormats = ["csv", "extrait-finess"] as const;
export type DirectoryFormat = (typeof directoryFormats)[number];

/** A line the import refuses, with its 1-based line number and a French reason. */
export interface RejectedLine {
  line: number;
  finess: string | null;
  reason: string;
}

/** One establishment as read from a file, before validation. */
export interface DirectoryLine {
  line: number;
  finessEt: string;
  finessEj: string;
  name: string;
  longName: string;
  phone: string;
  departmentCode: string;
  /** « 01440 VIRIAT »: postal code then town (`ville_cp`, `ligneacheminement`). */
  postalLine: string;
  categoryCode: string | null;
  category: string;
  categoryGroupCode: string | null;
  categoryGroup: string;
  legalStatus: string;
  pricingMode: string | null;
  siret: string;
}

/** A decoded, parsed file: its establishments and the records that could not be read at all. */
export interface ParsedDirectoryFile {
  format: DirectoryFormat;
  encoding: "utf-8" | "latin1";
  lines: DirectoryLine[];
  rejected: RejectedLine[];
}

/**
 * Decodes a file: UTF-8 when the bytes are valid UTF-8, else Latin-1 (read as Windows-1252,
 * its superset), the encoding of many FINESS extracts. A byte-order mark is dropped.
 */
export function decodeDirectoryFile(input: string | Uint8Array): {
  text: string;
  encoding: "utf-8" | "latin1";
} {
  if (typeof input === "string") return { text: input.replace(/^\uFEFF/, ""), encoding: "utf-8" };
  try {
    return {
      text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(input),
      encoding: "utf-8",
    };
  } catch {
    return { text: new TextDecoder("windows-1252").decode(input), encoding: "latin1" };
  }
}

function firstLines(text: string, count: number): string[] {
  const lines: string[] = [];
  let start = 0;
  while (lines.length < count && start < text.length) {
    const end = text.indexOf("\n", start);
    const line = (end === -1 ? text.slice(start) : text.slice(start, end)).replace(/\r$/, "");
    if (line.trim() !== "") lines.push(line);
    start = end === -1 ? text.length : end + 1;
  }
  return lines;
}

/** Recognises the reference CSV (header with `nofinesset`) or the official FINESS extract. */
export function detectDirectoryFormat(text: string): DirectoryFormat | null {
  const head = firstLines(text, 5);
  const first = head[0]?.toLowerCase() ?? "";
  if (first.startsWith("finess;") || head.some((l) => l.toLowerCase().startsWith("structureet;"))) {
    return "extrait-finess";
  }
  if (/(^|[,;"])nofinesset([,;"]|$)/.test(first)) return "csv";
  return null;
}

const CSV_OPTIONS = {
  relax_quotes: true,
  relax_column_count: true,
  skip_empty_lines: true,
  info: true,
  skip_records_with_error: true,
} as const;

type ParsedRecord = { record: string[]; info: { lines: number } };

const CSV_PROBLEMS: Readonly<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: "guillemets ouverts jamais refermés",
  CSV_INVALID_CLOSING_QUOTE: "guillemet fermant suivi d'autres caractères",
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: "nombre de colonnes incohérent",
};

function readRecords(text: string, delimiter: string, rejected: RejectedLine[]): ParsedRecord[] {
  return parse(text, {
    ...CSV_OPTIONS,
    delimiter,
    on_skip: (error) => {
      const problem = (error && CSV_PROBLEMS[error.code]) ?? "format CSV invalide";
      rejected.push({
        line: typeof error?.lines === "number" ? error.lines : 0,
        finess: null,
        reason: `Ligne illisible : ${problem}.`,
      });
    },
  }) as unknown as ParsedRecord[];
}

const CSV_REQUIRED = ["nofinesset", "rs_courte", "departement_code"] as const;

function parseReferenceCsv(text: string, rejected: RejectedLine[]): DirectoryLine[] {
  const header = firstLines(text, 1)[0] ?? "";
  const delimiter = (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ";" : ",";
  const records = readRecords(text, delimiter, rejected);
  const columns = (records[0]?.record ?? []).map((c) => c.trim().toLowerCase());
  const missing = CSV_REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    throw new AppError("BAD_REQUEST", {
      message: `Colonnes manquantes dans l'en-tête du fichier CSV : ${missing.join(", ")}.`,
    });
  }
  const at = (record: string[], column: string): string => {
    const index = columns.indexOf(column);
    return index === -1 ? "" : (record[index] ?? "").trim();
  };
  return records.slice(1).map(({ record, info }) => ({
    line: info.lines,
    finessEt: at(record, "nofinesset"),
    finessEj: at(record, "nofinessej"),
    name: at(record, "rs_courte"),
    longName: at(record, "rs_longue"),
    phone: at(record, "telephone"),
    departmentCode: at(record, "departement_code"),
    postalLine: at(record, "ville_cp"),
    categoryCode: at(record, "categorie_code") || null,
    category: at(record, "categorie_libelle"),
    categoryGroupCode: at(record, "categorie_groupe_code") || null,
    categoryGroup: at(record, "categorie_groupe_libelle"),
    legalStatus: at(record, "statut_juridique_lib"),
    pricingMode: null,
    siret: at(record, "siret"),
  }));
}

// Positions in a `structureet` line of the FINESS extract (data.gouv.fr, « etalab »).
const ET = {
  finessEt: 1,
  finessEj: 2,
  name: 3,
  longName: 4,
  department: 13,
  postalLine: 15,
  phone: 16,
  categoryCode: 18,
  category: 19,
  groupCode: 20,
  group: 21,
  siret: 22,
  pricingMode: 25,
  legalStatus: 27,
} as const;
const ET_MIN_COLUMNS = ET.legalStatus + 1;

function parseFinessExtract(text: string, rejected: RejectedLine[]): DirectoryLine[] {
  const lines: DirectoryLine[] = [];
  for (const { record, info } of readRecords(text, ";", rejected)) {
    // Only establishments: the header, `geolocalisation` and other record types are skipped.
    if (record[0]?.trim().toLowerCase() !== "structureet") continue;
    if (record.length < ET_MIN_COLUMNS) {
      rejected.push({
        line: info.lines,
        finess: record[ET.finessEt]?.trim() || null,
        reason: `Ligne incomplète : ${record.length} colonnes au lieu d'au moins ${ET_MIN_COLUMNS}.`,
      });
      continue;
    }
    const at = (index: number): string => (record[index] ?? "").trim();
    lines.push({
      line: info.lines,
      finessEt: at(ET.finessEt),
      finessEj: at(ET.finessEj),
      name: at(ET.name),
      longName: at(ET.longName),
      phone: at(ET.phone),
      departmentCode: at(ET.department),
      postalLine: at(ET.postalLine),
      categoryCode: at(ET.categoryCode) || null,
      category: at(ET.category),
      categoryGroupCode: at(ET.groupCode) || null,
      categoryGroup: at(ET.group),
      legalStatus: at(ET.legalStatus),
      pricingMode: at(ET.pricingMode) || null,
      siret: at(ET.siret),
    });
  }
  return lines;
}

/**
 * Decodes and parses a directory file, detecting its format unless one is forced. Throws
 * BAD_REQUEST (in French) when the file is empty or in no known format.
 */
export function parseDirectoryFile(
  input: string | Uint8Array,
  format: DirectoryFormat | "auto" = "auto",
): ParsedDirectoryFile {
  const { text, encoding } = decodeDirectoryFile(input);
  if (text.trim() === "") throw new AppError("BAD_REQUEST", { message: "Le fichier est vide." });
  const detected = detectDirectoryFormat(text);
  const chosen = format === "auto" ? detected : format;
  if (!chosen) {
    throw new AppError("BAD_REQUEST", {
      message:
        "Format de fichier non reconnu : ni le CSV de référence (en-tête « nofinesset,nofinessej,… ») " +
        "ni l'extraction officielle du FINESS (lignes « structureet;… »).",
    });
  }
  if (detected && detected !== chosen) {
    throw new AppError("BAD_REQUEST", {
      message: `Le fichier ressemble au format « ${detected} », pas au format « ${chosen} » demandé.`,
    });
  }
  const rejected: RejectedLine[] = [];
  const lines = chosen === "csv" ? parseReferenceCsv(text, rejected) : parseFinessExtract(text, rejected);
  return { format: chosen, encoding, lines, rejected };
}

/** FINESS codes of overseas departments → INSEE codes, which the directory stores. */
export const FINESS_OVERSEAS_DEPARTMENTS: Readonly<Record<string, string>> = {
  "9A": "971",
  "9B": "972",
  "9C": "973",
  "9D": "974",
  "9E": "975",
  "9F": "976",
  "9J": "986",
};

/** The INSEE code of a department written as in FINESS files (`1` → `01`, `9A` → `971`). */
export function inseeDepartmentCode(code: string): string {
  const upper = code.trim().toUpperCase();
  if (/^\d$/.test(upper)) return `0${upper}`;
  return FINESS_OVERSEAS_DEPARTMENTS[upper] ?? upper;
}

/** Department code (INSEE or FINESS) → region code, null for departments of no region. */
export type DepartmentIndex = ReadonlyMap<string, string | null>;

function splitPostalLine(value: string): { postalCode: string | null; town: string | null } {
  const match = /^(\d{5})\s+(.+)$/.exec(value.trim());
  const town = (match?.[2] ?? value).replace(/\s+CEDEX(\s+\d+)?$/i, "").trim();
  return { postalCode: match?.[1] ?? null, town: town === "" ? null : town };
}

function cleanPhone(value: string): string | null {
  const digits = value.replace(/\D/g, "");
  if (digits === "") return null;
  // Spreadsheets drop the leading zero of French numbers.
  return digits.length === 9 ? `0${digits}` : digits;
}

/** A validated line, ready to upsert. */
export interface DirectoryRecord {
  line: number;
  structure: ImportedStructure;
}

/**
 * Validates parsed lines — FINESS ET and EJ (Luhn), a name, a known department — and maps
 * each to the directory's columns. Refused lines come back with a French reason.
 */
export function validateDirectoryLines(
  lines: readonly DirectoryLine[],
  departments: DepartmentIndex,
): { records: DirectoryRecord[]; rejected: RejectedLine[] } {
  const records: DirectoryRecord[] = [];
  const rejected: RejectedLine[] = [];
  const seen = new Map<string, number>();
  for (const line of lines) {
    const finessEt = normaliseFiness(line.finessEt);
    const reject = (reason: string) => rejected.push({ line: line.line, finess: finessEt || null, reason });
    if (finessEt === "") {
      reject("Numéro FINESS de l'établissement (ET) manquant.");
      continue;
    }
    const etProblem = finessProblem(finessEt);
    if (etProblem) {
      reject(`FINESS ET « ${line.finessEt} » : ${etProblem}`);
      continue;
    }
    const finessEj = normaliseFiness(line.finessEj);
    const ejProblem = finessEj === "" ? null : finessProblem(finessEj);
    if (ejProblem) {
      reject(`FINESS EJ « ${line.finessEj} » : ${ejProblem}`);
      continue;
    }
    const name = line.name || line.longName;
    if (name === "") {
      reject("Raison sociale manquante.");
      continue;
    }
    const rawDepartment = line.departmentCode.trim().toUpperCase();
    if (rawDepartment === "") {
      reject("Code département manquant.");
      continue;
    }
    const departmentCode = inseeDepartmentCode(rawDepartment);
    if (!departments.has(departmentCode) && !departments.has(rawDepartment)) {
      reject(`Département inconnu : « ${line.departmentCode} ».`);
      continue;
    }
    const previous = seen.get(finessEt);
    if (previous !== undefined) {
      reject(`Établissement déjà présent ligne ${previous} du fichier.`);
      continue;
    }
    seen.set(finessEt, line.line);
    const regionCode = departments.get(departmentCode) ?? departments.get(rawDepartment) ?? null;
    const { postalCode, town } = splitPostalLine(line.postalLine);
    const longName = line.longName && line.longName !== name ? line.longName : null;
    const siret = line.siret.replace(/\s/g, "");
    records.push({
      line: line.line,
      structure: {
        finess_et: finessEt,
        finess_ej: finessEj || null,
        name,
        long_name: longName,
        structure_type: classifyStructure({
          categoryCode: line.categoryCode,
          category: line.category,
          categoryGroupCode: line.categoryGroupCode,
          categoryGroup: line.categoryGroup,
          legalStatus: line.legalStatus,
          pricingMode: line.pricingMode,
          siret,
          name,
          longName,
        }),
        legal_status: line.legalStatus || null,
        category: line.category || null,
        region_code: regionCode,
        department_code: departmentCode,
        town,
        postal_code: postalCode,
        phone: cleanPhone(line.phone),
        siret: /^\d{14}$/.test(siret) ? siret : null,
        search_text: structureSearchText({ finessEt, name, longName, town }),
        source: "finess",
      },
    });
  }
  return { records, rejected };
}
