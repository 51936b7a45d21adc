import { type BatterySpec, b64, compose, multipart, note, part, raw } from "./compose.ts";
import {
  EICAR,
  encryptedZip,
  fake7z,
  fakeCab,
  fakeDiscImage,
  fakeExecutable,
  fakeOleDocument,
  fakeRar,
  fakeShortcut,
  gzip,
  inertScript,
  macroDocument,
  remoteTemplateDocument,
  tar,
  zip,
} from "./payloads.ts";

/** A message of `category` carrying one file. */
function fileSpec(
  category: BatterySpec["category"],
  code: string,
  title: string,
  filename: string,
  content: () => Buffer,
  contentType: string,
): BatterySpec {
  return {
    code,
    category,
    title,
    build: (c) => compose(c, { attachments: [{ filename, content: content(), contentType }] }),
  };
}

function attachmentSpec(
  code: string,
  title: string,
  filename: string,
  content: () => Buffer,
  contentType: string,
): BatterySpec {
  return fileSpec("attachment", code, title, filename, content, contentType);
}

/** Dangerous attachment types (inert content). */
export const attachmentSpecs: BatterySpec[] = [
  attachmentSpec(
    "attachment.exe",
    "Pièce jointe exécutable (.exe)",
    "facture.exe",
    fakeExecutable,
    "application/x-msdownload",
  ),
  attachmentSpec(
    "attachment.scr",
    "Économiseur d'écran (.scr)",
    "photos.scr",
    fakeExecutable,
    "application/octet-stream",
  ),
  attachmentSpec(
    "attachment.com",
    "Exécutable DOS (.com)",
    "outil.com",
    fakeExecutable,
    "application/octet-stream",
  ),
  attachmentSpec(
    "attachment.pif",
    "Raccourci de programme (.pif)",
    "document.pif",
    fakeExecutable,
    "application/octet-stream",
  ),
  attachmentSpec(
    "attachment.msi",
    "Paquet d'installation (.msi)",
    "mise-a-jour.msi",
    fakeOleDocument,
    "application/x-msi",
  ),
  attachmentSpec(
    "attachment.dll",
    "Bibliothèque (.dll)",
    "module.dll",
    fakeExecutable,
    "application/octet-stream",
  ),
  attachmentSpec(
    "attachment.js",
    "Script JavaScript (.js)",
    "facture.js",
    () => inertScript("js"),
    "application/javascript",
  ),
  attachmentSpec(
    "attachment.jse",
    "Script JScript encodé (.jse)",
    "facture.jse",
    () => inertScript("jse"),
    "application/octet-stream",
  ),
  attachmentSpec(
    "attachment.vbs",
    "Script VBScript (.vbs)",
    "commande.vbs",
    () => inertScript("vbs"),
    "text/vbscript",
  ),
  attachmentSpec(
    "attachment.wsf",
    "Script Windows (.wsf)",
    "commande.wsf",
    () => inertScript("wsf"),
    "application/octet-stream",
  ),
  attachmentSpec(
    "attachment.hta",
    "Application HTML (.hta)",
    "portail.hta",
    () => inertScript("hta"),
    "application/hta",
  ),
  attachmentSpec(
    "attachment.lnk",
    "Raccourci Windows (.lnk)",
    "document.pdf.lnk",
    fakeShortcut,
    "application/x-ms-shortcut",
  ),
  attachmentSpec(
    "attachment.iso",
    "Image disque (.iso)",
    "dossier-patient.iso",
    fakeDiscImage,
    "application/x-iso9660-image",
  ),
  attachmentSpec(
    "attachment.img",
    "Image disque (.img)",
    "dossier.img",
    fakeDiscImage,
    "application/octet-stream",
  ),
  attachmentSpec(
    "attachment.vhd",
    "Disque virtuel (.vhd)",
    "sauvegarde.vhd",
    fakeDiscImage,
    "application/octet-stream",
  ),
  attachmentSpec(
    "attachment.bat",
    "Script de commandes (.bat)",
    "installation.bat",
    () => inertScript("bat"),
    "application/x-bat",
  ),
  attachmentSpec(
    "attachment.cmd",
    "Script de commandes (.cmd)",
    "installation.cmd",
    () => inertScript("cmd"),
    "application/octet-stream",
  ),
  attachmentSpec(
    "attachment.ps1",
    "Script PowerShell (.ps1)",
    "maj.ps1",
    () => inertScript("ps1"),
    "text/plain",
  ),
  attachmentSpec(
    "attachment.jar",
    "Archive Java (.jar)",
    "visionneuse.jar",
    () => zip({ "META-INF/MANIFEST.MF": "Manifest-Version: 1.0\r\n", "LISEZMOI.txt": inertScript("txt") }),
    "application/java-archive",
  ),
  attachmentSpec(
    "attachment.html_form",
    "Page HTML jointe avec formulaire de connexion",
    "connexion.html",
    () =>
      Buffer.from(
        `<!DOCTYPE html><html><body><form action="http://192.0.2.10/vigie-test/" method="post"><input name="login"><input type="password" name="motdepasse"></form><!-- ${"Vigie"} --></body></html>`,
      ),
    "text/html",
  ),
  attachmentSpec(
    "attachment.svg_link",
    "Image SVG avec lien",
    "plan.svg",
    () =>
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="http://192.0.2.10/vigie-test/"><text x="10" y="20">Ouvrir</text></a></svg>',
      ),
    "image/svg+xml",
  ),
  attachmentSpec(
    "attachment.double_extension",
    "Double extension (.pdf.exe)",
    "facture.pdf.exe",
    fakeExecutable,
    "application/pdf",
  ),
  attachmentSpec(
    "attachment.spaces_extension",
    "Extension cachée par des espaces",
    `facture.pdf${" ".repeat(40)}.exe`,
    fakeExecutable,
    "application/pdf",
  ),
  attachmentSpec(
    "attachment.rtlo",
    "Nom inversé par le caractère RTLO",
    "facture\u202efdp.exe",
    fakeExecutable,
    "application/octet-stream",
  ),
  attachmentSpec(
    "attachment.type_mismatch",
    "Exécutable déclaré comme PDF",
    "compte-rendu.pdf",
    fakeExecutable,
    "application/pdf",
  ),
  attachmentSpec(
    "attachment.image_mismatch",
    "Script déclaré comme image",
    "photo.jpg",
    () => inertScript("js"),
    "image/jpeg",
  ),
  {
    code: "attachment.no_filename",
    category: "attachment",
    title: "Exécutable joint sans nom de fichier",
    build: (c) => {
      const boundary = `nf-${c.token}`;
      return raw(
        c,
        multipart(boundary, [
          part(["Content-Type: text/plain; charset=utf-8"], note(c)),
          part(
            [
              "Content-Type: application/x-msdownload",
              "Content-Transfer-Encoding: base64",
              "Content-Disposition: attachment",
            ],
            b64(fakeExecutable()),
          ),
        ]),
        { content: [`Content-Type: multipart/mixed; boundary="${boundary}"`] },
      );
    },
  },
  {
    code: "attachment.inline_exe",
    category: "attachment",
    title: "Exécutable en disposition inline",
    build: (c) =>
      compose(c, {
        attachments: [
          {
            filename: "affiche.exe",
            content: fakeExecutable(),
            contentType: "application/octet-stream",
            contentDisposition: "inline",
          },
        ],
      }),
  },
];

function archiveSpec(
  code: string,
  title: string,
  filename: string,
  content: () => Buffer,
  contentType = "application/zip",
): BatterySpec {
  return fileSpec("archive", code, title, filename, content, contentType);
}

/** Archives holding dangerous files. */
export const archiveSpecs: BatterySpec[] = [
  archiveSpec("archive.zip_exe", "ZIP contenant un .exe", "facture.zip", () =>
    zip({ "facture.exe": fakeExecutable() }),
  ),
  archiveSpec("archive.zip_js", "ZIP contenant un .js", "document.zip", () =>
    zip({ "document.js": inertScript("js") }),
  ),
  archiveSpec("archive.zip_vbs", "ZIP contenant un .vbs", "commande.zip", () =>
    zip({ "commande.vbs": inertScript("vbs") }),
  ),
  archiveSpec("archive.zip_lnk", "ZIP contenant un raccourci .lnk", "scan.zip", () =>
    zip({ "scan.pdf.lnk": fakeShortcut() }),
  ),
  archiveSpec("archive.zip_iso", "ZIP contenant une image .iso", "dossier.zip", () =>
    zip({ "dossier.iso": fakeDiscImage() }),
  ),
  archiveSpec("archive.zip_double_extension", "ZIP contenant une double extension", "releve.zip", () =>
    zip({ "releve.pdf.exe": fakeExecutable() }),
  ),
  archiveSpec("archive.nested_zip", "ZIP imbriqué contenant un .exe", "archive.zip", () =>
    zip({ "interieur.zip": zip({ "outil.exe": fakeExecutable() }) }),
  ),
  archiveSpec("archive.nested_zip_3", "ZIP imbriqué sur trois niveaux", "niveaux.zip", () =>
    zip({ "n2.zip": zip({ "n3.zip": zip({ "script.js": inertScript("js") }) }) }),
  ),
  archiveSpec(
    "archive.encrypted_zip",
    "ZIP protégé par mot de passe contenant un .exe",
    "facture-protegee.zip",
    () => encryptedZip("facture.exe", fakeExecutable(), "Vigie2026"),
  ),
  archiveSpec(
    "archive.encrypted_zip_js",
    "ZIP protégé par mot de passe contenant un .js",
    "document-protege.zip",
    () => encryptedZip("document.js", inertScript("js"), "Vigie2026"),
  ),
  archiveSpec("archive.7z", "Archive 7z", "documents.7z", fake7z, "application/x-7z-compressed"),
  archiveSpec("archive.rar", "Archive RAR", "documents.rar", fakeRar, "application/vnd.rar"),
  archiveSpec("archive.cab", "Archive CAB", "pilote.cab", fakeCab, "application/vnd.ms-cab-compressed"),
  archiveSpec(
    "archive.tar_gz_exe",
    "tar.gz contenant un .exe",
    "sauvegarde.tar.gz",
    () => gzip(tar("outil.exe", fakeExecutable())),
    "application/gzip",
  ),
  archiveSpec(
    "archive.gz_exe",
    "gzip d'un .exe",
    "outil.exe.gz",
    () => gzip(fakeExecutable()),
    "application/gzip",
  ),
  archiveSpec(
    "archive.zip_as_pdf",
    "ZIP déclaré comme PDF",
    "facture.pdf",
    () => zip({ "facture.exe": fakeExecutable() }),
    "application/pdf",
  ),
];

/** The EICAR test file in several wrappings. */
export const malwareSpecs: BatterySpec[] = [
  {
    code: "malware.eicar_com",
    category: "malware",
    title: "Fichier EICAR joint (eicar.com)",
    build: (c) =>
      compose(c, {
        attachments: [
          { filename: "eicar.com", content: Buffer.from(EICAR), contentType: "application/octet-stream" },
        ],
      }),
  },
  {
    code: "malware.eicar_txt",
    category: "malware",
    title: "Fichier EICAR joint en texte (eicar.txt)",
    build: (c) =>
      compose(c, {
        attachments: [{ filename: "eicar.txt", content: Buffer.from(EICAR), contentType: "text/plain" }],
      }),
  },
  {
    code: "malware.eicar_body",
    category: "malware",
    title: "Chaîne EICAR dans le corps du message",
    build: (c) => raw(c, `${EICAR}\r\n\r\n${note(c)}`),
  },
  {
    code: "malware.eicar_zip",
    category: "malware",
    title: "EICAR dans un ZIP",
    build: (c) =>
      compose(c, {
        attachments: [
          { filename: "eicar.zip", content: zip({ "eicar.com": EICAR }), contentType: "application/zip" },
        ],
      }),
  },
  {
    code: "malware.eicar_nested_zip",
    category: "malware",
    title: "EICAR dans un ZIP imbriqué",
    build: (c) =>
      compose(c, {
        attachments: [
          {
            filename: "eicar-imbrique.zip",
            content: zip({ "eicar.zip": zip({ "eicar.com": EICAR }) }),
            contentType: "application/zip",
          },
        ],
      }),
  },
  {
    code: "malware.eicar_renamed",
    category: "malware",
    title: "EICAR renommé en PDF",
    build: (c) =>
      compose(c, {
        attachments: [
          { filename: "compte-rendu.pdf", content: Buffer.from(EICAR), contentType: "application/pdf" },
        ],
      }),
  },
  {
    code: "malware.eicar_rfc822",
    category: "malware",
    title: "EICAR dans un message joint",
    build: async (c) => {
      const inner = await compose(c, {
        attachments: [
          { filename: "eicar.com", content: Buffer.from(EICAR), contentType: "application/octet-stream" },
        ],
      });
      return compose(c, {
        attachments: [{ filename: "transfert.eml", content: inner, contentType: "message/rfc822" }],
      });
    },
  },
];

function macroSpec(
  code: string,
  title: string,
  filename: string,
  content: () => Buffer,
  contentType: string,
): BatterySpec {
  return fileSpec("macro", code, title, filename, content, contentType);
}

/** Office documents with (inert) macro projects. */
export const macroSpecs: BatterySpec[] = [
  macroSpec(
    "macro.docm",
    "Document Word à macros (.docm)",
    "compte-rendu.docm",
    () => macroDocument("docm"),
    "application/vnd.ms-word.document.macroEnabled.12",
  ),
  macroSpec(
    "macro.xlsm",
    "Classeur Excel à macros (.xlsm)",
    "planning.xlsm",
    () => macroDocument("xlsm"),
    "application/vnd.ms-excel.sheet.macroEnabled.12",
  ),
  macroSpec(
    "macro.pptm",
    "Présentation PowerPoint à macros (.pptm)",
    "presentation.pptm",
    () => macroDocument("pptm"),
    "application/vnd.ms-powerpoint.presentation.macroEnabled.12",
  ),
  macroSpec(
    "macro.docm_as_docx",
    "Document à macros renommé en .docx",
    "facture.docx",
    () => macroDocument("docm"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  ),
  macroSpec(
    "macro.xlsm_in_zip",
    "Classeur à macros dans un ZIP",
    "tableaux.zip",
    () => zip({ "planning.xlsm": macroDocument("xlsm") }),
    "application/zip",
  ),
  macroSpec(
    "macro.legacy_doc",
    "Document Word ancien format (.doc, OLE)",
    "courrier.doc",
    fakeOleDocument,
    "application/msword",
  ),
  macroSpec(
    "macro.remote_template",
    "Document à modèle distant (injection de modèle)",
    "convocation.docx",
    remoteTemplateDocument,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  ),
];
