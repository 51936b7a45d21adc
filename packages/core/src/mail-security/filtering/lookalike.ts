import { domainToASCII } from "node:url";

/**
 * Look-alike variants of a domain, as phishing kits register them: homoglyphs (Cyrillic letters,
 * IDN in punycode), visual pairs (rn/m, l/1, o/0), a missing or doubled letter, an added hyphen,
 * another TLD. Deterministic, always different from the domain.
 */

const CYRILLIC: Record<string, string> = { a: "а", c: "с", e: "е", o: "о", p: "р", x: "х", y: "у", i: "і" };

function split(domain: string): { label: string; rest: string } {
  const dot = domain.indexOf(".");
  return dot === -1 ? { label: domain, rest: "" } : { label: domain.slice(0, dot), rest: domain.slice(dot) };
}

/** The Unicode homoglyph (first replaceable letter in Cyrillic) and its punycode form. */
export function homoglyph(domain: string): { unicode: string; ascii: string } {
  const { label, rest } = split(domain);
  const index = [...label].findIndex((ch) => CYRILLIC[ch] !== undefined);
  const chars = [...label];
  if (index >= 0) chars[index] = CYRILLIC[chars[index] as string] as string;
  else chars.push("а");
  const unicode = `${chars.join("")}${rest}`;
  return { unicode, ascii: domainToASCII(unicode) || unicode };
}

/** rn for m, 1 for l, 0 for o, vv for w (first one that applies), else a doubled last letter. */
export function visualSwap(domain: string): string {
  const { label, rest } = split(domain);
  const swaps: [string, string][] = [
    ["m", "rn"],
    ["l", "1"],
    ["o", "0"],
    ["w", "vv"],
    ["i", "l"],
  ];
  for (const [from, to] of swaps) if (label.includes(from)) return `${label.replace(from, to)}${rest}`;
  return `${label}${label.slice(-1)}${rest}`;
}

export function missingLetter(domain: string): string {
  const { label, rest } = split(domain);
  if (label.length < 3) return `${label}x${rest}`;
  const i = Math.floor(label.length / 2);
  return `${label.slice(0, i)}${label.slice(i + 1)}${rest}`;
}

export function doubledLetter(domain: string): string {
  const { label, rest } = split(domain);
  const i = Math.floor(label.length / 2);
  return `${label.slice(0, i)}${label[i] ?? "x"}${label.slice(i)}${rest}`;
}

export function hyphenated(domain: string): string {
  const { label, rest } = split(domain);
  return label.includes("-") ? `${label.replace("-", "")}${rest}` : `${label}-securite${rest}`;
}

export function otherTld(domain: string): string {
  const { label, rest } = split(domain);
  if (!rest) return `${label}.com`;
  return rest.endsWith(".com")
    ? `${label}${rest.slice(0, -4)}.net`
    : `${label}${rest.replace(/\.[^.]+$/, ".com")}`;
}
