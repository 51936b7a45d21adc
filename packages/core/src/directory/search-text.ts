import type { StructureTextQuery } from "@vigie/db";
import { normaliseFiness } from "./finess.ts";

/**
 * Lower-case, accent-free words separated by single spaces: what `structures.search_text`
 * holds and what queries are compared with, so « Hôpital St-Étienne » finds « HOPITAL ST ETIENNE ».
 */
export function normaliseSearchText(...parts: ReadonlyArray<string | null | undefined>): string {
  return parts
    .filter((p): p is string => typeof p === "string" && p.length > 0)
    .join(" ")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/œ/gi, "oe")
    .replace(/æ/gi, "ae")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** The search text of a structure: FINESS ET, name, long name and town. */
export function structureSearchText(fields: {
  finessEt: string;
  name: string;
  longName: string | null;
  town: string | null;
}): string {
  return normaliseSearchText(fields.finessEt, fields.name, fields.longName, fields.town);
}

// A FINESS number being typed: digits, or 2A/2B then digits, at most 9 characters.
const FINESS_PREFIX = /^(\d{1,9}|2[AB]\d{0,7})$/;

/** Turns what a user typed into the words and FINESS prefix the repositories search with. */
export function parseTextQuery(text: string): StructureTextQuery {
  const compact = normaliseFiness(text.trim());
  const finessPrefix = FINESS_PREFIX.test(compact) && compact.length >= 2 ? compact : null;
  const phrase = normaliseSearchText(text);
  const words = phrase === "" ? [] : phrase.split(" ");
  return { finessPrefix, words, phrase };
}
