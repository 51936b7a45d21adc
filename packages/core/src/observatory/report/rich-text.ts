import type { ObservatoryDocument } from "@vigie/contracts";
import { formatDecimal, formatHours, formatInteger, formatMean, formatPercent, NNBSP } from "./format.ts";

// The report's text is not plain strings: every figure stays attached to the path of the
// document it comes from, so the HTML can mark it (`data-indicator`) and a test can compare it
// with the JSON. Text derived from figures (an evolution, a share of a total) has no path.

/** A figure of the text. */
export interface Figure {
  kind: "figure";
  /** Path in `vigie.observatory/1` (`incidents.declared`, `regions.counts.76`, `incidents.by_month.2`),
   * null for a value derived from several figures. */
  path: string | null;
  /** The year of the document the value comes from. */
  year: number;
  /** The exact value of the document at `path` (or the derived value). */
  value: number | null;
  /** As shown, in French. */
  text: string;
}

export type Inline = string | Figure;

/** A block of a section's commentary. */
export type Block = { kind: "paragraph"; content: Inline[] } | { kind: "list"; items: Inline[][] };

export type Part = Inline | readonly Part[] | number | null | undefined | false;

/** Flattens parts into inlines, merging adjacent strings; numbers become French integers. */
export function inlines(...parts: Part[]): Inline[] {
  const out: Inline[] = [];
  const push = (part: Part): void => {
    if (part === null || part === undefined || part === false) return;
    if (Array.isArray(part)) {
      for (const p of part as readonly Part[]) push(p);
      return;
    }
    const item: Inline = typeof part === "number" ? formatInteger(part) : (part as Inline);
    const last = out[out.length - 1];
    if (typeof item === "string" && typeof last === "string") out[out.length - 1] = last + item;
    else if (item !== "") out.push(item);
  };
  for (const part of parts) push(part);
  return out;
}

/** Tagged template: `` t`${figure} signalements en ${year}` `` → inlines. */
export function t(strings: TemplateStringsArray, ...values: Part[]): Inline[] {
  const parts: Part[] = [];
  strings.forEach((s, i) => {
    parts.push(s);
    if (i < values.length) parts.push(values[i]);
  });
  return inlines(...parts);
}

export function paragraph(...parts: Part[]): Block {
  return { kind: "paragraph", content: inlines(...parts) };
}

export function list(items: Part[][]): Block {
  return { kind: "list", items: items.map((item) => inlines(...item)) };
}

/** The plain text of inlines (tests, titles). */
export function plainText(content: readonly Inline[]): string {
  return content.map((i) => (typeof i === "string" ? i : i.text)).join("");
}

/** The plain text of a block (a list's items on their own lines, prefixed "- "). */
export function blockText(block: Block): string {
  return block.kind === "paragraph"
    ? plainText(block.content)
    : block.items.map((item) => `- ${plainText(item)}`).join("\n");
}

/** The value of a document at a dotted path (`regions.counts.76`, `timing.heatmap.0.9`). */
export function valueAt(document: ObservatoryDocument, path: string): unknown {
  let node: unknown = document;
  for (const key of path.split(".")) {
    if (node === null || typeof node !== "object" || !(key in node)) {
      throw new Error(`Chemin absent du document d'observatoire : ${path}`);
    }
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A number of a document at a path (throws on a non-number, null allowed). */
export function numberAt(document: ObservatoryDocument, path: string): number | null {
  const value = valueAt(document, path);
  if (value !== null && typeof value !== "number") {
    throw new Error(`Le chemin ${path} du document d'observatoire n'est pas un nombre.`);
  }
  return value;
}

export type FigureFormat = "count" | "share" | "mean" | "hours" | "index";

/** How a value is written. */
export function formatValue(value: number | null, format: FigureFormat): string {
  if (value === null) return "non renseigné";
  switch (format) {
    case "count":
      return formatInteger(value);
    case "share":
      return formatPercent(value);
    case "mean":
      return formatMean(value);
    case "hours":
      return formatHours(value);
    case "index":
      return formatDecimal(value, 0);
  }
}

/** The figure of a document at a path. */
export function fig(document: ObservatoryDocument, path: string, format: FigureFormat = "count"): Figure {
  const value = numberAt(document, path);
  return { kind: "figure", path, year: document.year, value, text: formatValue(value, format) };
}

/** A figure derived from several values of a year (no path). */
export function derived(year: number, value: number, format: FigureFormat = "count"): Figure {
  return { kind: "figure", path: null, year, value, text: formatValue(value, format) };
}

/** A derived share written as a percentage of `whole` ("0 %" when the whole is 0). */
export function derivedShare(year: number, part: number, whole: number): Figure {
  return derived(year, whole > 0 ? part / whole : 0, "share");
}

/** A figure with another text (e.g. "un seul" for 1): same path and value. */
export function withText(figure: Figure, text: string): Figure {
  return { ...figure, text };
}

export { NNBSP };
