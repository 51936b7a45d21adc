import { sampleFiles } from "@vigie/test-kit/files";
import { describe, expect, it } from "vitest";
import { checkFileContent, looksLikeRfc822 } from "./file-checks.ts";
import { sanitizeFileName } from "./file-name.ts";

describe("checkFileContent", () => {
  it.each([
    ["rapport.pdf", sampleFiles.pdf(), "application/pdf"],
    ["capture.PNG", sampleFiles.png(), "image/png"],
    ["photo.jpeg", sampleFiles.jpeg(), "image/jpeg"],
    ["photo.jpg", sampleFiles.jpeg(), "image/jpeg"],
    ["preuves.zip", sampleFiles.zip(), "application/zip"],
    ["preuves.7z", sampleFiles.sevenZip(), "application/x-7z-compressed"],
    ["journal.log", sampleFiles.text(), "text/plain; charset=utf-8"],
    ["journal.txt", sampleFiles.latin1(), "text/plain; charset=windows-1252"],
    ["export.csv", Buffer.from("ip;date\n203.0.113.9;2026-01-12\n"), "text/csv; charset=utf-8"],
    ["courriel.eml", sampleFiles.eml(), "message/rfc822"],
    ["courriel.msg", sampleFiles.msg(), "application/vnd.ms-outlook"],
    ["iocs.json", sampleFiles.json(), "application/json; charset=utf-8"],
    ["journal.xml", sampleFiles.xml(), "application/xml; charset=utf-8"],
  ])("accepts %s", async (name, data, contentType) => {
    expect(await checkFileContent(name, data)).toEqual({ ok: true, contentType });
  });

  it.each([
    [
      "facture.pdf",
      sampleFiles.zip(),
      /« facture\.pdf » : le contenu \(ZIP\) ne correspond pas à l'extension \.pdf/,
    ],
    ["facture.pdf", sampleFiles.exe(), /« facture\.pdf » : les programmes exécutables sont refusés/],
    ["journal.txt", sampleFiles.elf(), /programmes exécutables/],
    ["outil.exe", sampleFiles.exe(), /programmes exécutables/],
    ["script.js", Buffer.from("alert(1)"), /le type \.js n'est pas accepté/],
    ["sans-extension", sampleFiles.text(), /extension absente/],
    ["journal.txt", Buffer.from("abc\u0000def"), /binaire, pas du texte/],
    ["photo.png", sampleFiles.jpeg(), /\(JPG\) ne correspond pas à l'extension \.png/],
    ["courriel.eml", Buffer.from("Bonjour,\nvoici le message\n"), /en-têtes RFC 822 absents/],
    [
      "document.msg",
      Buffer.concat([Buffer.from("d0cf11e0a1b11ae1", "hex"), Buffer.alloc(600)]),
      /pas un message Outlook/,
    ],
    ["iocs.json", Buffer.from("pas du json"), /pas du JSON/],
    ["archive.zip", Buffer.from("PK pas vraiment"), /non reconnu/],
  ])("refuses %s with a reason naming it", async (name, data, reason) => {
    const result = await checkFileContent(name, data);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it("recognises RFC 822 header blocks, folded lines and mbox separators included", () => {
    expect(looksLikeRfc822("From x@y Mon Jan 12\nReceived: from a\n\tby b\nSubject: test\n\ncorps")).toBe(
      true,
    );
    expect(looksLikeRfc822("Subject: seul\n\ncorps")).toBe(false);
    expect(looksLikeRfc822(" X-Début: plié\nSubject: a\n")).toBe(false);
  });
});

describe("sanitizeFileName", () => {
  it("strips paths, control and bidi characters, and leading dots", () => {
    expect(sanitizeFileName("../../etc/passwd")).toBe("passwd");
    expect(sanitizeFileName("C:\\Users\\moi\\Bureau\\rançon.txt")).toBe("rançon.txt");
    expect(sanitizeFileName("journal\u0000\u0007\u001b.log")).toBe("journal.log");
    expect(sanitizeFileName("facture\u202Efdp.exe")).toBe("facturefdp.exe");
    expect(sanitizeFileName("...cache.txt")).toBe("cache.txt");
    expect(sanitizeFileName('a<b>:"c"|?*.txt')).toBe("a_b___c____.txt");
  });

  it("normalises to NFC and falls back to a name when nothing is left", () => {
    const decomposed = "proce\u0300s-verbal.pdf";
    expect(sanitizeFileName(decomposed)).toBe("procès-verbal.pdf");
    expect(sanitizeFileName("../..")).toBe("fichier");
    expect(sanitizeFileName("\u0001.pdf")).toBe("fichier.pdf");
  });

  it("limits the length but keeps the extension, without splitting characters", () => {
    const long = `${"é".repeat(300)}😀.pdf`;
    const clean = sanitizeFileName(long);
    expect(Array.from(clean)).toHaveLength(120);
    expect(clean.endsWith(".pdf")).toBe(true);
    expect(sanitizeFileName(`${"a".repeat(10)}😀😀.pdf`, 15)).toBe("aaaaaaaaaa😀.pdf");
  });
});
