import { attachmentLimits } from "@vigie/contracts";
import { fileTypeFromBuffer } from "file-type";

/** The outcome of checking a file's content against its name. */
export type FileCheck = { ok: true; contentType: string } | { ok: false; reason: string };

type TextKind = "text" | "eml" | "json" | "xml";

/** What each accepted extension must contain: a binary signature (file-type's ext) or a text format. */
const expectedByExtension: Record<
  string,
  { binary: string; mime: string } | { text: TextKind; mime: string }
> = {
  pdf: { binary: "pdf", mime: "application/pdf" },
  png: { binary: "png", mime: "image/png" },
  jpg: { binary: "jpg", mime: "image/jpeg" },
  jpeg: { binary: "jpg", mime: "image/jpeg" },
  gif: { binary: "gif", mime: "image/gif" },
  webp: { binary: "webp", mime: "image/webp" },
  zip: { binary: "zip", mime: "application/zip" },
  "7z": { binary: "7z", mime: "application/x-7z-compressed" },
  msg: { binary: "cfb", mime: "application/vnd.ms-outlook" },
  txt: { text: "text", mime: "text/plain" },
  log: { text: "text", mime: "text/plain" },
  csv: { text: "text", mime: "text/csv" },
  eml: { text: "eml", mime: "message/rfc822" },
  json: { text: "json", mime: "application/json" },
  xml: { text: "xml", mime: "application/xml" },
};

/** Kinds refused whatever their name: programs, installers, scripts' containers. */
const executableKinds = new Set([
  "exe",
  "elf",
  "macho",
  "dmg",
  "msi",
  "class",
  "wasm",
  "dex",
  "apk",
  "jar",
  "deb",
  "rpm",
  "lnk",
  "xpi",
  "crx",
  "cab",
  "chm",
  "swf",
  "reg",
  "asar",
]);

/** Readable names of detected kinds, for the French reasons. */
function describeKind(ext: string): string {
  if (executableKinds.has(ext)) return "programme exécutable";
  return ext.toUpperCase();
}

/** The lowercased extension of a file name, without the dot ("" when there is none). */
export function fileExtension(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : "";
}

/**
 * Checks that a file is of an accepted kind by looking at its CONTENT: the extension must be on
 * the allow-list and the bytes must be what it announces. The client's content type is never
 * read. Returns the content type to serve it with, or a French reason naming the file.
 */
export async function checkFileContent(fileName: string, data: Uint8Array): Promise<FileCheck> {
  const ext = fileExtension(fileName);
  const refuse = (why: string): FileCheck => ({ ok: false, reason: `« ${fileName} » : ${why}` });
  const detected = await fileTypeFromBuffer(data);
  if (detected && executableKinds.has(detected.ext)) {
    return refuse("les programmes exécutables sont refusés.");
  }
  const expected = expectedByExtension[ext];
  if (!expected) {
    const accepted = attachmentLimits.acceptedExtensions.join(", ");
    return refuse(
      ext
        ? `le type .${ext} n'est pas accepté (types acceptés : ${accepted}).`
        : `extension absente (types acceptés : ${accepted}).`,
    );
  }
  const mismatch = (found: string) =>
    refuse(`le contenu (${found}) ne correspond pas à l'extension .${ext}.`);

  if ("binary" in expected) {
    if (detected?.ext !== expected.binary)
      return mismatch(detected ? describeKind(detected.ext) : "non reconnu");
    // A Word or Excel 97 file is also an OLE compound file: an Outlook message has named property streams.
    if (expected.binary === "cfb" && !containsUtf16(data, "__substg1.0_"))
      return mismatch("pas un message Outlook");
    return { ok: true, contentType: expected.mime };
  }

  // Text formats: file-type recognises XML only; anything else it names is a binary in disguise.
  if (detected && !(detected.ext === "xml" && (expected.text === "xml" || expected.text === "text"))) {
    return mismatch(describeKind(detected.ext));
  }
  const text = decodeText(data);
  if (!text) return mismatch("binaire, pas du texte UTF-8 ou Latin-1");
  const body = text.value.replace(/^\uFEFF/, "");
  switch (expected.text) {
    case "eml":
      if (!looksLikeRfc822(body)) return mismatch("pas un courriel : en-têtes RFC 822 absents");
      return { ok: true, contentType: expected.mime };
    case "json":
      if (!/^\s*[[{]/.test(body)) return mismatch("pas du JSON");
      return { ok: true, contentType: `${expected.mime}; charset=${text.charset}` };
    case "xml":
      if (!/^\s*</.test(body)) return mismatch("pas du XML");
      return { ok: true, contentType: `${expected.mime}; charset=${text.charset}` };
    case "text":
      return { ok: true, contentType: `${expected.mime}; charset=${text.charset}` };
  }
}

/**
 * Decodes text that is valid UTF-8, or else Latin-1 (Windows-1252) — without NUL bytes nor
 * other control characters than tab, line breaks, form feed and escape (coloured logs).
 */
export function decodeText(data: Uint8Array): { value: string; charset: "utf-8" | "windows-1252" } | null {
  for (const byte of data) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x1b) {
      return null;
    }
    if (byte === 0x7f) return null;
  }
  try {
    return { value: new TextDecoder("utf-8", { fatal: true }).decode(data), charset: "utf-8" };
  } catch {
    // windows-1252 decodes every byte; the control-character check above is what makes it text.
    return { value: new TextDecoder("windows-1252").decode(data), charset: "windows-1252" };
  }
}

const headerLine = /^[!-9;-~]+:/;
const knownHeaders =
  /^(from|to|cc|subject|date|message-id|received|return-path|mime-version|reply-to|delivered-to|x-[a-z0-9-]+):/i;

/** True when the text starts with an RFC 822 header block naming at least one usual header. */
export function looksLikeRfc822(text: string): boolean {
  const lines = text.split(/\r?\n/);
  let index = 0;
  // An mbox export may start with its "From " separator line.
  if (lines[0]?.startsWith("From ")) index = 1;
  let headers = 0;
  let known = 0;
  for (; index < lines.length; index++) {
    const line = lines[index] as string;
    if (line === "") break;
    if (/^[ \t]/.test(line)) {
      if (headers === 0) return false;
      continue;
    }
    if (!headerLine.test(line)) return false;
    headers++;
    if (knownHeaders.test(line)) known++;
  }
  return headers >= 2 && known >= 1;
}

function containsUtf16(data: Uint8Array, marker: string): boolean {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).includes(Buffer.from(marker, "utf16le"));
}
