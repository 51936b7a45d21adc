import { crc32 } from "node:zlib";

/** Small but genuine files of each accepted kind (and a few refused ones), for attachment tests. */
export const sampleFiles = {
  pdf: (marker = "") => Buffer.from(`%PDF-1.4\n% ${marker}\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n`),
  png: () =>
    Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
      "base64",
    ),
  jpeg: () =>
    Buffer.concat([
      Buffer.from("ffd8ffe000104a46494600010100000100010000", "hex"),
      Buffer.alloc(20),
      Buffer.from("ffd9", "hex"),
    ]),
  text: (marker = "") => Buffer.from(`2026-01-12T10:00:00Z connexion refusée ${marker}\n`, "utf8"),
  latin1: () => Buffer.from("Journal d'événements : accès refusé\r\n", "latin1"),
  eml: () =>
    Buffer.from(
      "Return-Path: <x@exemple.fr>\r\nFrom: Facturation <x@exemple.fr>\r\nTo: compta@chu.fr\r\n" +
        "Subject: Facture en retard\r\nDate: Mon, 12 Jan 2026 10:00:00 +0100\r\n\r\nCliquez ici.\r\n",
    ),
  json: () => Buffer.from('{"événement":"connexion","ip":"203.0.113.9"}\n'),
  xml: () => Buffer.from('<?xml version="1.0" encoding="UTF-8"?><journal><ligne>accès</ligne></journal>'),
  msg: () =>
    Buffer.concat([
      Buffer.from("d0cf11e0a1b11ae1", "hex"),
      Buffer.alloc(600),
      Buffer.from("__substg1.0_0037001F", "utf16le"),
    ]),
  sevenZip: () => Buffer.concat([Buffer.from("377abcaf271c0004", "hex"), Buffer.alloc(30)]),
  exe: () => Buffer.concat([Buffer.from("MZ"), Buffer.from([0x90, 0, 3, 0, 0, 0, 4, 0]), Buffer.alloc(120)]),
  elf: () => Buffer.concat([Buffer.from("7f454c46020101", "hex"), Buffer.alloc(60)]),
  zip: (entryName = "lisez-moi.txt", content = "contenu") => storedZip(entryName, Buffer.from(content)),
};

/** A one-entry ZIP archive without compression (method "stored"). */
export function storedZip(entryName: string, content: Buffer): Buffer {
  const name = Buffer.from(entryName);
  const crc = crc32(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(content.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(content.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(name.length, 28);
  const localSize = local.length + name.length + content.length;
  const centralSize = central.length + name.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(localSize, 16);
  return Buffer.concat([local, name, content, central, name, end]);
}

/** A multipart/form-data body of files, for `app.inject`. */
export function multipartBody(
  files: readonly { fileName: string; data: Buffer; contentType?: string }[],
  fieldName = "files",
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----vigie${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const file of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${fieldName}"; filename="${file.fileName.replace(/"/g, "%22")}"\r\n` +
          `Content-Type: ${file.contentType ?? "application/octet-stream"}\r\n\r\n`,
      ),
      file.data,
      Buffer.from("\r\n"),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}
