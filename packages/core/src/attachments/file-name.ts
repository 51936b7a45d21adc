import { attachmentLimits } from "@vigie/contracts";

// Control characters (C0, DEL, C1), bidirectional overrides (U+202E makes "fichier<U+202E>fdp.exe"
// display as "fichierexe.pdf"), zero-width characters and the byte-order mark.
const invisible = /[\p{Cc}\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu;
// Characters Windows refuses in file names.
const reserved = /[<>:"/\\|?*]/g;

/**
 * A file name safe to store and to offer back: no path, no control or invisible characters,
 * NFC, no leading dots, at most `maxFileNameLength` characters with its extension kept.
 */
export function sanitizeFileName(
  raw: string,
  maxLength: number = attachmentLimits.maxFileNameLength,
): string {
  const base = raw.split(/[/\\]/).pop() ?? "";
  let name = base.normalize("NFC").replace(invisible, "").replace(reserved, "_").trim();
  name = name.replace(/[.\s]+$/, "");
  const dot = name.lastIndexOf(".");
  let stem = name;
  let extension = "";
  if (dot >= 0 && name.length - dot <= 16 && !/\s/.test(name.slice(dot))) {
    stem = name.slice(0, dot);
    extension = name.slice(dot);
  }
  // No hidden files, no "..": leading dots and spaces go.
  stem = stem.replace(/^[.\s]+/, "").trimEnd();
  if (stem === "") stem = "fichier";
  // Count code points, never cut a surrogate pair in half.
  const room = Math.max(1, maxLength - Array.from(extension).length);
  const stemChars = Array.from(stem);
  if (stemChars.length > room) stem = stemChars.slice(0, room).join("").trimEnd();
  return `${stem}${extension}`;
}
