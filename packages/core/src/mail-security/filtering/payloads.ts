import { crc32 } from "node:zlib";
import { gzipSync, strToU8, zipSync } from "fflate";

/**
 * Inert payloads of the filtering battery: files that LOOK dangerous to a filter (names, types,
 * magic bytes, archive structure, macro-enabled containers) but hold nothing executable — a
 * French note saying so. The only « malware » is EICAR, the antivirus industry's harmless test
 * string.
 */

/** The EICAR antivirus test file (68 bytes): harmless by design, detected by every antivirus. */
export const EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

export const INERT_NOTE = "Fichier de test Vigie (CERT Santé) : inoffensif, ne contient aucun code actif.";

/** An « executable » that is only a DOS stub header followed by a text note: not runnable. */
export function fakeExecutable(): Buffer {
  const header = Buffer.alloc(64);
  header.write("MZ", 0, "latin1");
  return Buffer.concat([header, Buffer.from(`\r\n${INERT_NOTE}\r\n`, "utf8")]);
}

/** A script file made only of comments, in the syntax of its type. */
export function inertScript(extension: string): Buffer {
  const note = INERT_NOTE;
  switch (extension) {
    case "js":
    case "jse":
      return Buffer.from(`// ${note}\n`);
    case "vbs":
    case "vbe":
      return Buffer.from(`' ${note}\r\n`);
    case "bat":
    case "cmd":
      return Buffer.from(`REM ${note}\r\n`);
    case "ps1":
      return Buffer.from(`# ${note}\r\n`);
    case "hta":
    case "html":
      return Buffer.from(
        `<!DOCTYPE html><html><head><title>Vigie</title></head><body><!-- ${note} --></body></html>\n`,
      );
    case "wsf":
      return Buffer.from(`<?xml version="1.0"?><!-- ${note} --><job></job>\n`);
    default:
      return Buffer.from(`${note}\n`);
  }
}

/** A Windows shortcut header (magic and CLSID) followed by the note: not a working shortcut. */
export function fakeShortcut(): Buffer {
  const header = Buffer.from("4c0000000114020000000000c000000000000046", "hex");
  return Buffer.concat([header, Buffer.alloc(56), Buffer.from(INERT_NOTE)]);
}

/** A disc image with the ISO 9660 signature (`CD001` at 0x8001) and nothing in it. */
export function fakeDiscImage(): Buffer {
  const image = Buffer.alloc(0x8800);
  image.writeUInt8(1, 0x8000);
  image.write("CD001", 0x8001, "latin1");
  image.write(INERT_NOTE, 0x8100, "utf8");
  return image;
}

/** A 7-Zip signature header followed by the note (not a valid archive). */
export function fake7z(): Buffer {
  return Buffer.concat([Buffer.from("377abcaf271c0004", "hex"), Buffer.alloc(24), Buffer.from(INERT_NOTE)]);
}

/** A RAR 5 signature followed by the note (not a valid archive). */
export function fakeRar(): Buffer {
  return Buffer.concat([Buffer.from("526172211a070100", "hex"), Buffer.from(INERT_NOTE)]);
}

/** A Microsoft Cabinet signature followed by the note. */
export function fakeCab(): Buffer {
  return Buffer.concat([Buffer.from("MSCF", "latin1"), Buffer.alloc(32), Buffer.from(INERT_NOTE)]);
}

/** A ZIP archive (fflate) of the given files. */
export function zip(files: Record<string, Buffer | string>): Buffer {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, content] of Object.entries(files)) {
    entries[name] = typeof content === "string" ? strToU8(content) : new Uint8Array(content);
  }
  return Buffer.from(zipSync(entries, { level: 6, mtime: new Date("2026-01-01T00:00:00Z") }));
}

export function gzip(content: Buffer): Buffer {
  return Buffer.from(gzipSync(new Uint8Array(content), { mtime: new Date("2026-01-01T00:00:00Z") }));
}

/** PKWARE « traditional » encryption (ZipCrypto) of one stored entry — what « password-protected zip » means to filters. */
class ZipCrypto {
  #k0 = 0x12345678;
  #k1 = 0x23456789;
  #k2 = 0x34567890;

  constructor(password: string) {
    for (const byte of Buffer.from(password, "utf8")) this.#update(byte);
  }

  static #crcByte(crc: number, byte: number): number {
    let c = (crc ^ byte) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return (c ^ (crc >>> 8)) >>> 0;
  }

  #update(byte: number): void {
    this.#k0 = ZipCrypto.#crcByte(this.#k0, byte);
    this.#k1 = (Math.imul((this.#k1 + (this.#k0 & 0xff)) >>> 0, 134775813) + 1) >>> 0;
    this.#k2 = ZipCrypto.#crcByte(this.#k2, this.#k1 >>> 24);
  }

  encrypt(data: Buffer): Buffer {
    const out = Buffer.alloc(data.length);
    for (let i = 0; i < data.length; i++) {
      const temp = (this.#k2 | 2) & 0xffff;
      const key = (Math.imul(temp, temp ^ 1) >>> 8) & 0xff;
      const plain = data[i] as number;
      out[i] = plain ^ key;
      this.#update(plain);
    }
    return out;
  }
}

/** A one-file ZIP encrypted with ZipCrypto (stored, no compression). */
export function encryptedZip(name: string, content: Buffer, password: string): Buffer {
  const crc = crc32(content) >>> 0;
  const header = Buffer.alloc(12, 0x5a);
  header[11] = (crc >>> 24) & 0xff;
  const encrypted = new ZipCrypto(password).encrypt(Buffer.concat([header, content]));
  const fileName = Buffer.from(name, "utf8");
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0x0001 | 0x0800, 6); // encrypted, UTF-8 name
  local.writeUInt16LE(0, 8); // stored
  local.writeUInt32LE(0, 10); // time, date
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(encrypted.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  local.writeUInt16LE(0, 28);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x0001 | 0x0800, 8);
  central.writeUInt16LE(0, 10);
  central.writeUInt32LE(0, 12);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(encrypted.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt32LE(0, 30); // extra, comment lengths
  central.writeUInt32LE(0, 34); // disk, internal attributes
  central.writeUInt32LE(0, 38); // external attributes
  central.writeUInt32LE(0, 42); // local header offset
  const localPart = Buffer.concat([local, fileName, encrypted]);
  const centralPart = Buffer.concat([central, fileName]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralPart.length, 12);
  end.writeUInt32LE(localPart.length, 16);
  return Buffer.concat([localPart, centralPart, end]);
}

/** A one-file ustar archive (for .tar.gz). */
export function tar(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, "utf8");
  header.write("0000644\0", 100, "latin1");
  header.write("0000000\0", 108, "latin1");
  header.write("0000000\0", 116, "latin1");
  header.write(`${content.length.toString(8).padStart(11, "0")}\0`, 124, "latin1");
  header.write(
    `${Math.floor(Date.UTC(2026, 0, 1) / 1000)
      .toString(8)
      .padStart(11, "0")}\0`,
    136,
    "latin1",
  );
  header.write("        ", 148, "latin1");
  header.write("0", 156, "latin1");
  header.write("ustar\0", 257, "latin1");
  header.write("00", 263, "latin1");
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)]);
}

/** The inert « VBA project »: an OLE signature followed by the note, no module, no code. */
function inertVbaProject(): Buffer {
  return Buffer.concat([Buffer.from("d0cf11e0a1b11ae1", "hex"), Buffer.alloc(24), Buffer.from(INERT_NOTE)]);
}

/** A legacy Office (OLE) « document »: signature and note only. */
export function fakeOleDocument(): Buffer {
  return inertVbaProject();
}

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/**
 * A minimal macro-enabled Office document (docm, xlsm, pptm): the OOXML package with a
 * `vbaProject.bin` part and its relationship — the structure filters look for — and no macro.
 */
export function macroDocument(kind: "docm" | "xlsm" | "pptm"): Buffer {
  const dir = kind === "docm" ? "word" : kind === "xlsm" ? "xl" : "ppt";
  const main = kind === "docm" ? "document.xml" : kind === "xlsm" ? "workbook.xml" : "presentation.xml";
  const mainType =
    kind === "docm"
      ? "application/vnd.ms-word.document.macroEnabled.main+xml"
      : kind === "xlsm"
        ? "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
        : "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml";
  const body =
    kind === "docm"
      ? `${XML}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${INERT_NOTE}</w:t></w:r></w:p></w:body></w:document>`
      : kind === "xlsm"
        ? `${XML}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>`
        : `${XML}<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>`;
  return zip({
    "[Content_Types].xml": `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Override PartName="/${dir}/${main}" ContentType="${mainType}"/></Types>`,
    "_rels/.rels": `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${dir}/${main}"/></Relationships>`,
    [`${dir}/${main}`]: body,
    [`${dir}/_rels/${main}.rels`]: `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>`,
    [`${dir}/vbaProject.bin`]: inertVbaProject(),
  });
}

/** A .docx whose settings point to a remote template (template injection pattern), at a documentation address. */
export function remoteTemplateDocument(): Buffer {
  return zip({
    "[Content_Types].xml": `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/></Types>`,
    "_rels/.rels": `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
    "word/document.xml": `${XML}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>${INERT_NOTE}</w:t></w:r></w:p></w:body></w:document>`,
    "word/_rels/document.xml.rels": `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/></Relationships>`,
    "word/settings.xml": `${XML}<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:attachedTemplate r:id="rId1"/></w:settings>`,
    "word/_rels/settings.xml.rels": `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="http://192.0.2.10/vigie-test/modele.dotm" TargetMode="External"/></Relationships>`,
  });
}
