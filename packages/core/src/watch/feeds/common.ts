import { createHash } from "node:crypto";
import type { FeedProblem } from "@vigie/contracts";

/** What a parser returns: the valid records and the problems, or why nothing could be read. */
export type ParsedFeed<R> =
  | { ok: true; records: R[]; problems: FeedProblem[]; rejected: number }
  | { ok: false; message: string };

export const CVE_ID = /^CVE-\d{4}-\d{4,}$/;

/** A problem naming a record and its line. */
export function problem(
  level: FeedProblem["level"],
  record: string | null,
  line: number | null,
  message: string,
): FeedProblem {
  return { level, record, line, message };
}

/** Decodes UTF-8 strictly (a byte that is not UTF-8 means the file is not what it claims). */
export function decodeUtf8(
  bytes: Uint8Array | string,
): { ok: true; text: string } | { ok: false; message: string } {
  if (typeof bytes === "string") return { ok: true, text: bytes.replace(/^\uFEFF/, "") };
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return { ok: true, text: text.replace(/^\uFEFF/, "") };
  } catch {
    return { ok: false, message: "Fichier illisible : il n'est pas encodé en UTF-8." };
  }
}

/** Parses JSON with a French message on failure (a truncated download is the usual cause). */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (text.trim() === "") return { ok: false, message: "Fichier vide : aucun enregistrement à lire." };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      message: `Fichier illisible : ce n'est pas du JSON valide, il est peut-être tronqué (${detail}). Rien n'a été modifié.`,
    };
  }
}

/**
 * Lines (1-based) where each element of an array starts: the array at `key` of the root object,
 * or the root array when `key` is null. The text must be valid JSON (already parsed), so a
 * simple scan of strings and nesting is enough; records are then reported with their line.
 */
export function arrayElementLines(text: string, key: string | null): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let targetDepth = key === null ? 1 : -1;
  let awaiting = false;
  let lastString: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      continue;
    }
    if (c === 34) {
      // A string: skip to its closing quote, keeping it when it may be a key of the root.
      const start = i + 1;
      i++;
      while (i < text.length && text.charCodeAt(i) !== 34) {
        if (text.charCodeAt(i) === 92) i++;
        i++;
      }
      if (awaiting && depth === targetDepth) {
        lines.push(line);
        awaiting = false;
      }
      lastString = depth === 1 ? text.slice(start, i) : null;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 58) continue;
    if (c === 44) {
      if (depth === targetDepth) awaiting = true;
      continue;
    }
    if (c === 91 || c === 123) {
      if (awaiting && depth === targetDepth) {
        lines.push(line);
        awaiting = false;
      }
      depth++;
      if (
        c === 91 &&
        ((key === null && depth === 1) || (key !== null && depth === 2 && lastString === key))
      ) {
        targetDepth = depth;
        awaiting = true;
      }
      continue;
    }
    if (c === 93 || c === 125) {
      if (depth === targetDepth) {
        awaiting = false;
        if (key !== null) targetDepth = -2; // only the first array under that key
      }
      depth--;
      continue;
    }
    // A number, true, false or null starting an element.
    if (awaiting && depth === targetDepth) {
      lines.push(line);
      awaiting = false;
    }
  }
  return lines;
}

/** JSON with object keys sorted: the same content always gives the same text (and hash). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** SHA-256 of the canonical JSON of a record: unchanged content, unchanged hash. */
export function contentHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

/** A calendar date 'YYYY-MM-DD' that exists, or null. */
export function isoDate(value: unknown): string | null {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? null : value;
}

/**
 * An ISO timestamp; without a zone it is read as UTC (NVD writes `2023-10-10T14:15:10.977`,
 * CERT-FR `2024-01-11T00:00:00.000000`). Null when absent or invalid.
 */
export function isoTimestamp(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
    value.trim(),
  );
  if (!m) return null;
  const [, day, time = "00:00:00", fraction = "", zone = "Z"] = m;
  if (isoDate(day) === null) return null;
  const millis = fraction ? fraction.slice(0, 4).padEnd(4, "0") : "";
  const date = new Date(`${day}T${time.length === 5 ? `${time}:00` : time}${millis}${zone}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Every CVE id named in a text, upper case, without duplicates, in order of appearance. */
export function cveIdsIn(text: string): string[] {
  const found = text.match(/CVE-\d{4}-\d{4,}/gi) ?? [];
  return [...new Set(found.map((c) => c.toUpperCase()))];
}

/** A non-empty trimmed string, or null. */
export function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

/** Cuts a long value shown in a message. */
export function shown(value: unknown): string {
  const s = typeof value === "string" ? value : JSON.stringify(value);
  return s === undefined ? "(absent)" : s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
