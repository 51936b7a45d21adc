import { domainToASCII } from "node:url";
import { AppError, type LeakListFormat, type LeakProblem, leakListLimits } from "@vigie/contracts";
import { parse as parseCsv } from "csv-parse/sync";
import { z } from "zod";

/**
 * Parsing of leaked-credential lists. The rule of this file: only the normalised e-mail address
 * of a line ever leaves the function that reads the line. Passwords, hashes and every other
 * column are dropped with the line; no message, error or log quotes a line's content — problems
 * name the line number and, at most, the address column.
 */

/** The result of a parsed list: distinct addresses, counts and the rejected lines. */
export interface ParsedLeakList {
  format: LeakListFormat;
  /** Distinct normalised addresses (lower case), in order of first appearance. */
  addresses: string[];
  /** Entries read: data lines (header and blank lines excluded) or JSON elements. */
  lines: number;
  rejected: number;
  /** The first rejected lines (at most `leakListLimits.maxProblems`). */
  problems: LeakProblem[];
  problemsTruncated: boolean;
}

export interface LeakListOptions {
  maxLines?: number;
  maxProblems?: number;
}

/**
 * Names of the address column, after normalisation (lower case, no accents, letters and digits
 * only), best first: an e-mail column wins over a login column.
 */
const ADDRESS_COLUMNS = [
  "email",
  "mail",
  "courriel",
  "emailaddress",
  "mailaddress",
  "adressemail",
  "adressemel",
  "adresseelectronique",
  "adressecourriel",
  "adressemessagerie",
  "mel",
  "useremail",
  "login",
  "username",
  "user",
  "identifiant",
  "account",
  "compte",
];

function columnKey(name: string): string {
  return name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

function columnRank(name: string): number {
  return ADDRESS_COLUMNS.indexOf(columnKey(name));
}

const EMAIL = z.regexes.email;

/**
 * The normalised form of an address (trimmed, unquoted, international domain in punycode, lower
 * case — mailboxes of the structures are case-insensitive and the ticket key is lower case),
 * or null when it is not a valid address.
 */
export function normaliseLeakedAddress(raw: string): string | null {
  let value = raw.trim();
  if (value.length >= 2 && value.startsWith("<") && value.endsWith(">")) value = value.slice(1, -1).trim();
  if (value.toLowerCase().startsWith("mailto:")) value = value.slice(7);
  const at = value.lastIndexOf("@");
  if (at <= 0 || at === value.length - 1) return null;
  const local = value.slice(0, at);
  const domain = domainToASCII(value.slice(at + 1).replace(/\.$/, ""));
  if (!domain || local.length > 64 || domain.length > 253) return null;
  const address = `${local}@${domain}`.toLowerCase();
  if (address.length > 254 || !EMAIL.test(address)) return null;
  return address;
}

/** The domain of a normalised address. */
export function emailDomain(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1);
}

const MESSAGES = {
  invalid: "Adresse de messagerie invalide.",
  none: "Aucune adresse de messagerie en début de ligne.",
  empty: "Colonne de l'adresse vide.",
  unreadableCsv: "Ligne CSV illisible (guillemets mal fermés ?).",
  unreadableJson: "Élément JSON illisible.",
  notObject: "Chaque ligne doit être un objet JSON ({…}) ou une adresse entre guillemets.",
  noField: "Aucun champ d'adresse de messagerie (email, mail, courriel, login…) dans cet élément.",
  notList: "Le fichier JSON doit être une liste ([…]) d'adresses ou d'objets.",
  trailing: "Contenu inattendu après la fin de la liste JSON.",
  unclosed: "Liste JSON non terminée (« ] » manquant).",
} as const;

/** Separators between the address and what follows it on a line of a combolist. */
const LINE_SEPARATORS = /[:;,\t| ]/;
const CSV_DELIMITERS = [",", ";", "\t", "|"] as const;

/** The address key of a JSON object, by the column names above; undefined when none. */
function addressKeyOf(object: Record<string, unknown>): string | undefined {
  let best: string | undefined;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const key of Object.keys(object)) {
    const rank = columnRank(key);
    if (rank !== -1 && rank < bestRank && typeof object[key] === "string") {
      best = key;
      bestRank = rank;
    }
  }
  return best;
}

/**
 * A push parser: feed it the physical lines of a list (`line()`), then `finish()`. It keeps the
 * distinct addresses and the counts, nothing else from the lines — so it can read a file as a
 * stream, one line at a time.
 */
export class LeakListParser {
  private format: LeakListFormat | undefined;
  private readonly seen = new Set<string>();
  private readonly problems: LeakProblem[] = [];
  private readonly maxLines: number;
  private readonly maxProblems: number;
  private physical = 0;
  private entries = 0;
  private rejected = 0;
  private dropped = 0;
  // CSV: the delimiter, the address column and its name as written in the header.
  private delimiter = ",";
  private column = 0;
  private columnName = "";
  // A CSV record whose quoted field spans several lines, and where it started.
  private pending = "";
  private pendingLine = 0;
  // JSON list scanner.
  private depth = 0;
  private inString = false;
  private escaped = false;
  private element = "";
  private elementLine = 0;
  private closed = false;

  constructor(options: LeakListOptions = {}) {
    this.maxLines = options.maxLines ?? leakListLimits.maxLines;
    this.maxProblems = options.maxProblems ?? leakListLimits.maxProblems;
  }

  /** Reads one physical line (without its end-of-line characters). */
  line(text: string): void {
    this.physical++;
    if (this.physical > this.maxLines) {
      throw new AppError("LEAK_LIST_TOO_LARGE", {
        message: `Liste trop longue : ${this.maxLines.toLocaleString("fr-FR")} lignes au plus. Découpez le fichier.`,
      });
    }
    const line = this.physical === 1 ? text.replace(/^\uFEFF/, "") : text;
    if (this.format === undefined) {
      if (line.trim() === "") return;
      this.detect(line);
      if (this.format === "csv") return; // the header
    }
    switch (this.format) {
      case "json":
        this.scanJson(line);
        return;
      case "jsonl":
        this.readJsonLine(line);
        return;
      case "csv":
        this.readCsvLine(line);
        return;
      default:
        this.readPlainLine(line);
    }
  }

  /** Ends the input and returns the addresses and the report of the lines. */
  finish(): ParsedLeakList {
    if (this.pending !== "") {
      this.entries++;
      this.reject(this.pendingLine, MESSAGES.unreadableCsv, this.columnName);
      this.pending = "";
    }
    if (this.format === "json" && !this.closed) {
      const line = this.element.trim() !== "" ? this.elementLine : this.physical;
      this.flushElement();
      // Not an entry: the file as a whole is unfinished, what it held was read.
      this.note(line, MESSAGES.unclosed);
    }
    return {
      format: this.format ?? "lines",
      addresses: [...this.seen],
      lines: this.entries,
      rejected: this.rejected,
      problems: this.problems,
      problemsTruncated: this.dropped > 0,
    };
  }

  private detect(first: string): void {
    const start = first.trimStart();
    if (start.startsWith("[")) {
      this.format = "json";
      return;
    }
    if (start.startsWith("{")) {
      this.format = "jsonl";
      return;
    }
    if (!first.includes("@")) {
      // A header names the address column; the best-ranked name over the delimiters found.
      let best = Number.POSITIVE_INFINITY;
      for (const delimiter of CSV_DELIMITERS) {
        if (!first.includes(delimiter)) continue;
        const cells = this.csvCells(first, delimiter);
        if (!cells) continue;
        cells.forEach((cell, index) => {
          const rank = columnRank(cell);
          if (rank !== -1 && rank < best) {
            best = rank;
            this.delimiter = delimiter;
            this.column = index;
            this.columnName = cell.trim();
          }
        });
      }
      // A lone header cell (« email ») names a one-column list.
      if (best === Number.POSITIVE_INFINITY && columnRank(first.replace(/"/g, "")) !== -1) {
        best = 0;
        this.delimiter = ",";
        this.column = 0;
        this.columnName = first.replace(/"/g, "").trim();
      }
      if (best !== Number.POSITIVE_INFINITY) {
        this.format = "csv";
        return;
      }
    }
    this.format = "lines";
  }

  private reject(line: number, message: string, column?: string): void {
    this.rejected++;
    this.note(line, message, column);
  }

  private note(line: number, message: string, column?: string): void {
    if (this.problems.length < this.maxProblems) {
      this.problems.push(column ? { line, column, message } : { line, message });
    } else {
      this.dropped++;
    }
  }

  private accept(raw: string, line: number, column?: string): void {
    const address = normaliseLeakedAddress(raw);
    if (address === null) this.reject(line, MESSAGES.invalid, column);
    else this.seen.add(address);
  }

  private readPlainLine(line: string): void {
    if (line.trim() === "") return;
    this.entries++;
    const text = line.trim();
    const end = text.search(LINE_SEPARATORS);
    const field = (end === -1 ? text : text.slice(0, end)).replace(/^["']|["']$/g, "");
    if (!field.includes("@")) this.reject(this.physical, MESSAGES.none);
    else this.accept(field, this.physical);
  }

  /** The cells of one CSV record, or null when it cannot be read. */
  private csvCells(record: string, delimiter: string): string[] | null {
    if (!record.includes('"')) return record.split(delimiter);
    try {
      const rows = parseCsv(record, {
        delimiter,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
      }) as string[][];
      return rows[0] ?? [];
    } catch {
      // csv-parse's messages quote the record: never passed on.
      return null;
    }
  }

  private readCsvLine(line: string): void {
    if (this.pending === "" && line.trim() === "") return;
    let record = line;
    let start = this.physical;
    if (this.pending !== "") {
      record = `${this.pending}\n${line}`;
      start = this.pendingLine;
    }
    // An odd number of quotes: a quoted field goes on over the next line.
    if ((record.match(/"/g)?.length ?? 0) % 2 === 1) {
      this.pending = record;
      this.pendingLine = start;
      return;
    }
    this.pending = "";
    this.entries++;
    const cells = this.csvCells(record, this.delimiter);
    if (cells === null) {
      this.reject(start, MESSAGES.unreadableCsv, this.columnName);
      return;
    }
    const cell = cells[this.column]?.trim() ?? "";
    if (cell === "") this.reject(start, MESSAGES.empty, this.columnName);
    else this.accept(cell, start, this.columnName);
  }

  /** Takes the address out of one parsed JSON value (a string or an object). */
  private readJsonValue(value: unknown, line: number): void {
    if (typeof value === "string") {
      this.accept(value, line);
      return;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      this.reject(line, MESSAGES.notObject);
      return;
    }
    const key = addressKeyOf(value as Record<string, unknown>);
    if (key === undefined) {
      this.reject(line, MESSAGES.noField);
      return;
    }
    this.accept((value as Record<string, string>)[key] ?? "", line, key);
  }

  private readJsonText(text: string, line: number): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // JSON.parse's messages quote the text: never passed on.
      this.reject(line, MESSAGES.unreadableJson);
      return;
    }
    this.readJsonValue(value, line);
  }

  private readJsonLine(line: string): void {
    const text = line.trim();
    if (text === "") return;
    this.entries++;
    this.readJsonText(text.replace(/,$/, ""), this.physical);
  }

  /** Ends the element being collected (at `,` or `]` of the list). */
  private flushElement(): void {
    const text = this.element.trim();
    this.element = "";
    if (text === "") return;
    this.entries++;
    this.readJsonText(text, this.elementLine);
  }

  /**
   * Walks a line of a JSON list character by character (strings, nesting) and parses each
   * element alone when it ends: the whole list is never held parsed in memory.
   */
  private scanJson(line: string): void {
    let from = -1; // where the element's text starts on this line
    for (let i = 0; i < line.length; i++) {
      const c = line[i] as string;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === "\\") this.escaped = true;
        else if (c === '"') this.inString = false;
        continue;
      }
      if (this.depth === 0) {
        if (c.trim() === "") continue;
        if (c === "[" && !this.closed && this.entries === 0 && this.rejected === 0) {
          this.depth = 1;
          continue;
        }
        this.entries++;
        this.reject(this.physical, this.closed ? MESSAGES.trailing : MESSAGES.notList);
        this.closed = true;
        return;
      }
      if (this.depth === 1 && (c === "," || c === "]")) {
        if (from !== -1) this.element += line.slice(from, i);
        from = -1;
        this.flushElement();
        if (c === "]") {
          this.depth = 0;
          this.closed = true;
        }
        continue;
      }
      if (from === -1) {
        if (c.trim() === "") continue;
        from = i;
        if (this.element === "") this.elementLine = this.physical;
      }
      if (c === '"') this.inString = true;
      else if (c === "{" || c === "[") this.depth++;
      else if (c === "}" || c === "]") this.depth--;
    }
    if (from !== -1) this.element += `${line.slice(from)}\n`;
    else if (this.element !== "") this.element += "\n";
  }
}

const decoder = new TextDecoder("utf-8");

/**
 * Parses a whole list (text or bytes, UTF-8; other bytes only spoil the lines they are on).
 * Throws LEAK_LIST_TOO_LARGE past the size or line limits.
 */
export function parseLeakList(content: string | Uint8Array, options: LeakListOptions = {}): ParsedLeakList {
  const size = typeof content === "string" ? Buffer.byteLength(content) : content.byteLength;
  if (size > leakListLimits.maxBytes) throw leakListTooLarge();
  const text = typeof content === "string" ? content : decoder.decode(content);
  const parser = new LeakListParser(options);
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    parser.line(line.endsWith("\r") ? line.slice(0, -1) : line);
    start = end + 1;
  }
  return parser.finish();
}

/** The error of a file past the size limit. */
export function leakListTooLarge(): AppError {
  return new AppError("LEAK_LIST_TOO_LARGE", {
    message: `Liste trop volumineuse : ${leakListLimits.maxBytes / (1024 * 1024)} Mo au plus. Découpez le fichier.`,
  });
}
