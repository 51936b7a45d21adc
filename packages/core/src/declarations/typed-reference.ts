import { referenceFormat } from "./submit-declaration.ts";

/** A declaration reference as people type it: CS-2026-000123, cs 2026 123… */
const TYPED_REFERENCE = /\bcs[\s-]?(\d{4})[\s-]?(\d{1,6})\b/i;

/**
 * The first declaration reference typed in a text: its stored form (`CS-2026-000123`) and the
 * characters it was typed as.
 */
export function findTypedReference(text: string): { reference: string; typed: string } | undefined {
  const match = text.match(TYPED_REFERENCE);
  if (!match) return undefined;
  const { prefix, width } = referenceFormat(Number(match[1]));
  return { reference: prefix + (match[2] ?? "").padStart(width, "0"), typed: match[0] };
}
