import { createRequire } from "node:module";
import ipaddr from "ipaddr.js";

/** The kinds of indicator of compromise the CERT records. */
export type IndicatorKind = "ip" | "domain" | "url" | "email" | "hash";

/** One indicator found in a text, normalised (refanged, lower-case where case does not matter). */
export interface ExtractedIndicator {
  kind: IndicatorKind;
  value: string;
}

/** What can be said about an indicator's value without looking it up anywhere. */
export interface IndicatorTraits {
  /** A private, loopback, link-local… address, or a host under an internal suffix (`.local`). */
  internal: boolean;
  /** For hashes: which algorithm its length points to. */
  hashType: "md5" | "sha1" | "sha256" | null;
}

// The IANA root zone list, kept up to date by the `tlds` package (a JSON array, loaded once).
const rootZone: readonly string[] = createRequire(import.meta.url)("tlds");
const TLDS = new Set(rootZone);

/** Suffixes of internal networks (not in the root zone) that hospitals' own hosts use. */
const INTERNAL_SUFFIXES = new Set([
  "local",
  "lan",
  "internal",
  "intra",
  "intranet",
  "corp",
  "localdomain",
  "home",
  "ad",
]);

/**
 * Real top-level domains that are also common file extensions (`readme.md`, `install.sh`,
 * `archive.zip`): in running text a two-label name ending so is taken for a file, unless it was
 * written defanged (`evil[.]zip`), which only an indicator ever is.
 */
const FILE_LIKE_TLDS = new Set(
  ["zip", "mov", "py", "sh", "pl", "md", "rs", "ps", "so", "one", "cab", "cc", "bz", "java", "run"].filter(
    (t) => TLDS.has(t),
  ),
);

/** Address ranges (ipaddr.js names) of networks that are not on the Internet. */
const INTERNAL_RANGES = new Set([
  "private",
  "loopback",
  "linkLocal",
  "uniqueLocal",
  "carrierGradeNat",
  "unspecified",
  "broadcast",
]);

// Defanged spellings, refanged before extraction. Order matters: longest forms first.
const DEFANG =
  /\bh(?:xx|XX|\*\*|\[tt\]|tt)p(s?)(?:\[:\]|\(:\)|:)(?:\/\/|\[\/\/\]|\\\\)|\[:\/\/\]|\s*(?:\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|\[point\])\s*|\s*(?:\[@\]|\(@\)|\{@\}|\[at\]|\(at\)|\{at\}|\[arobase\])\s*|\[:\]/gi;

/** A text with its defanged spellings undone, and which of its characters came from one. */
interface RefangedText {
  text: string;
  defanged: boolean[];
}

/** Undoes defanging (`hxxp://`, `[.]`, `(.)`, `[dot]`, `[@]`, `[at]`, `[:]`), remembering where. */
export function refang(input: string): RefangedText {
  let text = "";
  const defanged: boolean[] = [];
  let last = 0;
  const push = (part: string, flag: boolean) => {
    text += part;
    for (let i = 0; i < part.length; i++) defanged.push(flag);
  };
  for (const match of input.matchAll(DEFANG)) {
    push(input.slice(last, match.index), false);
    const token = match[0].trim().toLowerCase();
    let replacement: string;
    if (token.startsWith("h")) replacement = `http${match[1]?.toLowerCase() ?? ""}://`;
    else if (token === "[://]") replacement = "://";
    else if (token === "[:]") replacement = ":";
    else if (/@|at|arobase/.test(token)) replacement = "@";
    else replacement = ".";
    // "hxxp" was not really defanged when written "http": do not flag it.
    push(replacement, token.startsWith("http") === false);
    last = match.index + match[0].length;
  }
  push(input.slice(last), false);
  return { text, defanged };
}

const TRAILING_PUNCTUATION = /[.,;:!?»«"'’“”…]+$/u;

/** Strips sentence punctuation and unbalanced closing brackets from the end of a URL. */
function trimUrl(url: string): string {
  let value = url;
  for (;;) {
    const before = value;
    value = value.replace(TRAILING_PUNCTUATION, "");
    for (const [open, close] of [
      ["(", ")"],
      ["[", "]"],
      ["{", "}"],
      ["<", ">"],
    ] as const) {
      if (value.endsWith(close) && value.split(open).length < value.split(close).length) {
        value = value.slice(0, -1);
      }
    }
    if (value === before) return value;
  }
}

/** Parses an IPv4 (strict dotted decimal, no leading zeros) or IPv6 address; null if it is none. */
export function parseIp(value: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(value)) return ipaddr.IPv4.parse(value);
  if (value.includes(":") && ipaddr.IPv6.isValid(value)) return ipaddr.IPv6.parse(value);
  return null;
}

/** The canonical text of an address: dotted decimal, or RFC 5952 for IPv6 (mapped IPv4 unwrapped). */
export function normaliseIp(address: ipaddr.IPv4 | ipaddr.IPv6): string {
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (address as ipaddr.IPv6).toIPv4Address().toString();
  }
  return address.kind() === "ipv6" ? (address as ipaddr.IPv6).toRFC5952String() : address.toString();
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * True when a lower-case name is a plausible domain: at least two labels, valid labels, and a
 * top-level domain of the root zone (or an internal suffix such as `.local`).
 */
export function isPlausibleDomain(name: string): boolean {
  if (name.length > 253) return false;
  const labels = name.split(".");
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return false;
  const tld = labels[labels.length - 1] as string;
  if (/^\d+$/.test(tld)) return false;
  return TLDS.has(tld) || INTERNAL_SUFFIXES.has(tld) || tld.startsWith("xn--");
}

/** The traits of a normalised indicator (internal address or host, hash algorithm). */
export function indicatorTraits(kind: IndicatorKind, value: string): IndicatorTraits {
  let internal = false;
  let hashType: IndicatorTraits["hashType"] = null;
  if (kind === "ip") {
    const address = parseIp(value);
    internal = address !== null && INTERNAL_RANGES.has(address.range());
  } else if (kind === "domain" || kind === "email" || kind === "url") {
    const host = kind === "domain" ? value : kind === "email" ? value.split("@")[1] : urlHost(value);
    if (host) {
      const address = parseIp(host.replace(/^\[|\]$/g, ""));
      internal = address
        ? INTERNAL_RANGES.has(address.range())
        : INTERNAL_SUFFIXES.has(host.split(".").pop() ?? "") || !host.includes(".");
    }
  } else if (kind === "hash") {
    hashType = value.length === 32 ? "md5" : value.length === 40 ? "sha1" : "sha256";
  }
  return { internal, hashType };
}

function urlHost(url: string): string | null {
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
}

const URL_PATTERN = /\b(?:https?|ftp):\/\/[^\s<>"'`«»]+/giu;
const EMAIL_PATTERN =
  /(?<![\p{L}\p{N}._%+-])[a-z0-9](?:[a-z0-9._%+-]{0,63})@((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63})/giu;
const IPV4_PATTERN = /(?<![\p{L}\p{N}_.-])(?:\d{1,3}\.){3}\d{1,3}(?![\p{L}\p{N}_-]|\.\d)/gu;
// Candidates only: ipaddr.js decides. At least two colons, hex groups, an optional IPv4 tail.
const IPV6_PATTERN =
  /(?<![\p{L}\p{N}_:.-])(?:[0-9a-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9a-f]{1,4})?(?![\p{L}\p{N}_:-]|\.\d)/giu;
const DOMAIN_PATTERN =
  /(?<![\p{L}\p{N}_@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}(?![\p{L}\p{N}_-]|\.[\p{L}\p{N}])/giu;
const HASH_PATTERN = /(?<![\p{L}\p{N}_])(?:[0-9a-f]{64}|[0-9a-f]{40}|[0-9a-f]{32})(?![\p{L}\p{N}_])/giu;
// A version or build number that happens to have four parts (« version 7.2.4.1 »).
const VERSION_BEFORE =
  /(?:\bv|\bversion|\bbuild|\brelease|\bfirmware|\bpatch|\bcorrectif|\bmise à jour)[\s:.]*$/iu;

/** Blanks out a span so later patterns do not find what was already taken. */
function mask(text: string, start: number, end: number): string {
  return text.slice(0, start) + " ".repeat(end - start) + text.slice(end);
}

/**
 * Extracts the indicators of compromise of a French free text: IPv4/IPv6 addresses, domains,
 * URLs, e-mail addresses and MD5/SHA-1/SHA-256 hashes, understanding defanged spellings,
 * normalised and without duplicates, in order of appearance. A URL's host is also given as a
 * domain (or address); an e-mail's domain is not (mail providers would correlate everything).
 * Version numbers, dates and file names (`rapport.pdf`, `install.sh`) are not taken for
 * addresses or domains.
 */
export function extractIndicators(input: string): ExtractedIndicator[] {
  const { text: original, defanged } = refang(input);
  let text = original;
  const found: { at: number; indicator: ExtractedIndicator }[] = [];
  const seen = new Set<string>();
  const add = (at: number, kind: IndicatorKind, value: string) => {
    const key = `${kind}:${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ at, indicator: { kind, value } });
  };
  const wasDefanged = (start: number, end: number) => defanged.slice(start, end).some(Boolean);

  for (const match of original.matchAll(URL_PATTERN)) {
    const raw = trimUrl(match[0]);
    const url = normaliseUrl(raw);
    text = mask(text, match.index, match.index + match[0].length);
    if (!url) continue;
    add(match.index, "url", url.value);
    if (url.ip) add(match.index, "ip", url.ip);
    else if (url.domain) add(match.index, "domain", url.domain);
  }

  for (const match of text.matchAll(EMAIL_PATTERN)) {
    const value = match[0].toLowerCase().replace(/\.+$/, "");
    const domain = value.split("@")[1] ?? "";
    text = mask(text, match.index, match.index + match[0].length);
    if (isPlausibleDomain(domain)) add(match.index, "email", value);
  }

  for (const match of text.matchAll(HASH_PATTERN)) {
    const value = match[0].toLowerCase();
    text = mask(text, match.index, match.index + match[0].length);
    // A long run of digits only is a number (an identifier, a phone log), not a digest.
    if (/^\d+$/.test(value) || /^(.)\1+$/.test(value)) continue;
    add(match.index, "hash", value);
  }

  // IPv6 first, so the IPv4 tail of `::ffff:192.0.2.1` is not taken alone.
  for (const match of text.matchAll(IPV6_PATTERN)) {
    const candidate = match[0];
    if (candidate === "::" || !/[0-9a-f]/i.test(candidate)) continue;
    const address = parseIp(candidate);
    if (!address) continue;
    text = mask(text, match.index, match.index + candidate.length);
    add(match.index, "ip", normaliseIp(address));
  }

  for (const match of text.matchAll(IPV4_PATTERN)) {
    const address = parseIp(match[0]);
    if (!address) continue;
    if (!wasDefanged(match.index, match.index + match[0].length)) {
      if (VERSION_BEFORE.test(text.slice(Math.max(0, match.index - 20), match.index))) continue;
    }
    text = mask(text, match.index, match.index + match[0].length);
    add(match.index, "ip", normaliseIp(address));
  }

  for (const match of text.matchAll(DOMAIN_PATTERN)) {
    const written = match[0];
    const value = written.toLowerCase();
    if (!isPlausibleDomain(value)) continue;
    const labels = value.split(".");
    const tld = labels[labels.length - 1] as string;
    const writtenTld = written.slice(written.lastIndexOf(".") + 1);
    const isDefanged = wasDefanged(match.index, match.index + written.length);
    if (!isDefanged) {
      // « readme.md », « install.sh »: a file name, not a host.
      if (labels.length === 2 && FILE_LIKE_TLDS.has(tld)) continue;
      // « serveurs.Il faut… »: a missing space after a full stop, not a domain.
      if (/^\p{Lu}\p{Ll}+$/u.test(writtenTld)) continue;
    }
    add(match.index, "domain", value);
  }

  return found.sort((a, b) => a.at - b.at).map((f) => f.indicator);
}

/** Normalises a URL (lower-case scheme and host); null when it does not parse or has no host. */
function normaliseUrl(raw: string): { value: string; domain: string | null; ip: string | null } | null {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return null;
  }
  const host = parsed.hostname.toLowerCase();
  if (!host) return null;
  const bare = host.replace(/^\[|\]$/g, "");
  const address = parseIp(bare);
  if (!address && !isPlausibleDomain(bare) && bare.includes(".")) return null;
  // Keep the path as written (its case matters); only scheme and host are case-insensitive.
  const schemeEnd = raw.indexOf("://") + 3;
  const rest = raw.slice(schemeEnd);
  const hostEnd = rest.search(/[/?#]/);
  const authority = hostEnd === -1 ? rest : rest.slice(0, hostEnd);
  const tail = hostEnd === -1 ? "" : rest.slice(hostEnd);
  const value = `${raw.slice(0, schemeEnd).toLowerCase()}${authority.toLowerCase()}${tail}`;
  return {
    value,
    domain: address ? null : bare.includes(".") ? bare : null,
    ip: address ? normaliseIp(address) : null,
  };
}

/**
 * Validates and normalises a value an analyst typed for a given kind (defanged spellings are
 * accepted); returns the normalised value, or a French message saying what is wrong.
 */
export function normaliseIndicator(
  kind: IndicatorKind,
  input: string,
): { ok: true; value: string } | { ok: false; message: string } {
  const raw = refang(input.trim()).text.trim();
  switch (kind) {
    case "ip": {
      const address = parseIp(raw);
      return address
        ? { ok: true, value: normaliseIp(address) }
        : {
            ok: false,
            message: "Adresse IP invalide : une adresse IPv4 (203.0.113.7) ou IPv6 est attendue.",
          };
    }
    case "domain": {
      const value = raw.toLowerCase().replace(/\.$/, "");
      return isPlausibleDomain(value)
        ? { ok: true, value }
        : { ok: false, message: "Nom de domaine invalide : un nom tel que exemple.fr est attendu." };
    }
    case "url": {
      const url = /^(?:https?|ftp):\/\//i.test(raw) ? normaliseUrl(raw) : null;
      return url
        ? { ok: true, value: url.value }
        : {
            ok: false,
            message:
              "Adresse web invalide : une URL commençant par http://, https:// ou ftp:// est attendue.",
          };
    }
    case "email": {
      const value = raw.toLowerCase();
      const match = /^[a-z0-9][a-z0-9._%+-]{0,63}@([a-z0-9.-]+)$/.exec(value);
      return match && isPlausibleDomain(match[1] as string)
        ? { ok: true, value }
        : {
            ok: false,
            message: "Adresse électronique invalide : une adresse telle que nom@exemple.fr est attendue.",
          };
    }
    case "hash": {
      const value = raw.toLowerCase();
      return /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/.test(value)
        ? { ok: true, value }
        : {
            ok: false,
            message: "Empreinte invalide : une empreinte MD5, SHA-1 ou SHA-256 en hexadécimal est attendue.",
          };
    }
  }
}
