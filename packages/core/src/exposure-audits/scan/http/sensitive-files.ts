import type { FindingSeverity } from "@vigie/contracts";
import { mapLimit } from "../map-limit.ts";
import type { ScanContext, ScanFinding } from "../types.ts";
import { fetchPath, type HttpAnswer, type HttpOrigin, headerValue, textOf, urlOf } from "./client.ts";
import { httpFinding } from "./finding.ts";
import { looksLikeNotFound, type NotFoundProfile } from "./not-found.ts";

/**
 * A file that should never be served, recognised by its content (never by a 200 alone): the
 * signature returns a short description of what was seen (never a secret's value), or null.
 */
export interface SensitiveFile {
  check: string;
  path: string;
  severity: FindingSeverity;
  title: string;
  remediation: string;
  signature: (body: Buffer, text: string) => string | null;
}

const isMarkup = (text: string) =>
  /^\s*(<!doctype|<html|<head|<body|<\?xml(?![\s\S]*<configuration))/i.test(text);

/** `ref: refs/heads/main` or a detached commit id, alone in the file. */
export function gitHeadSignature(text: string): string | null {
  const t = text.trim();
  if (/^ref: refs\/[\w./-]+$/.test(t)) return `contenu « ${t} »`;
  if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(t)) return "identifiant de commit seul";
  return null;
}

export function gitConfigSignature(text: string): string | null {
  if (isMarkup(text)) return null;
  if (/^\s*\[core\]/m.test(text) && /repositoryformatversion/.test(text)) {
    return "section [core] avec repositoryformatversion";
  }
  return null;
}

/** KEY=VALUE lines, most of the meaningful lines of the file: the variable names, never the values. */
export function envSignature(text: string): string | null {
  if (isMarkup(text) || text.includes("\u0000")) return null;
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const names: string[] = [];
  for (const line of lines) {
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line);
    if (m?.[1]) names.push(m[1]);
  }
  if (names.length < 2 || names.length < lines.length * 0.6) return null;
  const shown = names.slice(0, 8).join(", ");
  return `${names.length} variables (${shown}${names.length > 8 ? ", …" : ""}), valeurs non reproduites`;
}

export function svnEntriesSignature(text: string): string | null {
  const t = text.replace(/\r/g, "");
  if (/^\d{1,2}\s*$/.test(t)) return `format de copie de travail ${t.trim()}`;
  if (/^\d{1,2}\n\s*\ndir\n/.test(t)) return "entrées de copie de travail Subversion";
  return null;
}

const startsWith = (body: Buffer, bytes: number[]) =>
  body.length >= bytes.length && bytes.every((b, i) => body[i] === b);

export function dsStoreSignature(body: Buffer): string | null {
  return startsWith(body, [0x00, 0x00, 0x00, 0x01, 0x42, 0x75, 0x64, 0x31])
    ? "en-tête « Bud1 » de .DS_Store"
    : null;
}

export function zipSignature(body: Buffer): string | null {
  if (startsWith(body, [0x50, 0x4b, 0x03, 0x04]) || startsWith(body, [0x50, 0x4b, 0x05, 0x06])) {
    return "archive ZIP (en-tête PK)";
  }
  return null;
}

export function gzipSignature(body: Buffer): string | null {
  return startsWith(body, [0x1f, 0x8b]) ? "archive gzip (en-tête 1f 8b)" : null;
}

/** Markers of mysqldump, pg_dump, phpMyAdmin exports, or plain DDL/DML outside any HTML page. */
export function sqlDumpSignature(text: string): string | null {
  if (isMarkup(text)) return null;
  const marker =
    /^-- (MySQL|MariaDB) dump[^\n]*/im.exec(text)?.[0] ??
    /^-- PostgreSQL database dump[^\n]*/im.exec(text)?.[0] ??
    /^-- phpMyAdmin SQL Dump[^\n]*/im.exec(text)?.[0];
  if (marker) return `marqueur « ${marker.trim().slice(0, 60)} »`;
  const statements = text.match(/^\s*(CREATE TABLE|INSERT INTO|DROP TABLE|COPY [\w.]+ \()/gim) ?? [];
  return statements.length >= 2 ? `${statements.length} instructions SQL (CREATE TABLE, INSERT INTO…)` : null;
}

export function phpSourceSignature(text: string): string | null {
  return /<\?php/i.test(text) ? "code source PHP (« <?php ») servi en clair" : null;
}

export function webConfigSignature(text: string): string | null {
  return /<configuration[\s>]/i.test(text) &&
    /<\/configuration>|<system\.web|<appSettings|<connectionStrings/i.test(text)
    ? "fichier de configuration IIS/ASP.NET (« <configuration> »)"
    : null;
}

/** `user:hash` lines in the formats Apache accepts (MD5 apr1, bcrypt, SHA, crypt). */
export function htpasswdSignature(text: string): string | null {
  if (isMarkup(text)) return null;
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const entry = /^[^:\s]+:(\$apr1\$|\$2[aby]\$|\{SHA\}|\$[156]\$|[./0-9A-Za-z]{13}$)/;
  if (lines.length === 0 || !lines.every((l) => entry.test(l))) return null;
  return `${lines.length} compte(s) avec empreinte de mot de passe (valeurs non reproduites)`;
}

const sourceRemediation =
  "Retirer le dossier de gestion de versions de la racine web (déployer un export, pas une copie de travail) et interdire l'accès aux fichiers et dossiers commençant par un point dans la configuration du serveur.";
const backupRemediation =
  "Supprimer ce fichier de la racine web, le conserver hors de l'arborescence publiée et changer les secrets qu'il contient ; interdire le service des extensions de sauvegarde (.sql, .zip, .bak…).";

const sqlDump = (path: string, check: string): SensitiveFile => ({
  check,
  path,
  severity: "high",
  title: `Sauvegarde de base de données accessible (${path})`,
  remediation: backupRemediation,
  signature: (_b, t) => sqlDumpSignature(t),
});

/** The files asked for on each HTTP service. */
export const SENSITIVE_FILES: readonly SensitiveFile[] = [
  {
    check: "http.file.git_head",
    path: "/.git/HEAD",
    severity: "high",
    title: "Dépôt Git exposé (/.git/HEAD)",
    remediation: sourceRemediation,
    signature: (_b, t) => gitHeadSignature(t),
  },
  {
    check: "http.file.git_config",
    path: "/.git/config",
    severity: "high",
    title: "Configuration de dépôt Git exposée (/.git/config)",
    remediation: sourceRemediation,
    signature: (_b, t) => gitConfigSignature(t),
  },
  {
    check: "http.file.env",
    path: "/.env",
    severity: "high",
    title: "Fichier d'environnement exposé (/.env)",
    remediation:
      "Retirer le fichier .env de la racine web, interdire les fichiers commençant par un point et changer sans délai les mots de passe, clés et jetons qu'il contient.",
    signature: (_b, t) => envSignature(t),
  },
  {
    check: "http.file.svn",
    path: "/.svn/entries",
    severity: "high",
    title: "Copie de travail Subversion exposée (/.svn/entries)",
    remediation: sourceRemediation,
    signature: (_b, t) => svnEntriesSignature(t),
  },
  {
    check: "http.file.svn_db",
    path: "/.svn/wc.db",
    severity: "high",
    title: "Base Subversion exposée (/.svn/wc.db)",
    remediation: sourceRemediation,
    signature: (b) =>
      b.subarray(0, 16).toString("latin1") === "SQLite format 3\u0000" ? "base SQLite" : null,
  },
  {
    check: "http.file.ds_store",
    path: "/.DS_Store",
    severity: "low",
    title: "Fichier .DS_Store exposé (liste des fichiers du dossier)",
    remediation:
      "Supprimer les fichiers .DS_Store publiés et interdire les fichiers commençant par un point.",
    signature: (b) => dsStoreSignature(b),
  },
  {
    check: "http.file.backup_zip",
    path: "/backup.zip",
    severity: "high",
    title: "Archive de sauvegarde accessible (/backup.zip)",
    remediation: backupRemediation,
    signature: (b) => zipSignature(b),
  },
  {
    check: "http.file.backup_tgz",
    path: "/backup.tar.gz",
    severity: "high",
    title: "Archive de sauvegarde accessible (/backup.tar.gz)",
    remediation: backupRemediation,
    signature: (b) => gzipSignature(b),
  },
  sqlDump("/backup.sql", "http.file.backup_sql"),
  sqlDump("/dump.sql", "http.file.dump_sql"),
  sqlDump("/database.sql", "http.file.database_sql"),
  sqlDump("/db.sql", "http.file.db_sql"),
  {
    check: "http.file.config_php_bak",
    path: "/config.php.bak",
    severity: "high",
    title: "Copie de configuration PHP lisible (/config.php.bak)",
    remediation: backupRemediation,
    signature: (_b, t) => phpSourceSignature(t),
  },
  {
    check: "http.file.wp_config_bak",
    path: "/wp-config.php.bak",
    severity: "high",
    title: "Copie de configuration WordPress lisible (/wp-config.php.bak)",
    remediation: backupRemediation,
    signature: (_b, t) => phpSourceSignature(t),
  },
  {
    check: "http.file.web_config_bak",
    path: "/web.config.bak",
    severity: "high",
    title: "Copie de configuration IIS lisible (/web.config.bak)",
    remediation: backupRemediation,
    signature: (_b, t) => webConfigSignature(t),
  },
  {
    check: "http.file.htpasswd",
    path: "/.htpasswd",
    severity: "high",
    title: "Fichier de mots de passe exposé (/.htpasswd)",
    remediation:
      "Placer le fichier .htpasswd hors de la racine web, interdire les fichiers commençant par un point et changer les mots de passe des comptes listés.",
    signature: (_b, t) => htpasswdSignature(t),
  },
];

const found = (answer: HttpAnswer) => answer.status === 200 || answer.status === 206;

/** Asks each sensitive path; a finding when the content matches and is not the soft-404 page. */
export async function checkSensitiveFiles(
  ctx: ScanContext,
  origin: HttpOrigin,
  notFound: NotFoundProfile,
  files: readonly SensitiveFile[] = SENSITIVE_FILES,
): Promise<ScanFinding[]> {
  const results = await mapLimit(files, 4, async (file) => {
    const answer = await fetchPath(ctx, origin, file.path);
    if (!answer || !found(answer) || answer.path !== file.path) return null;
    if (looksLikeNotFound(notFound, answer, file.path)) return null;
    const seen = file.signature(answer.body, textOf(answer));
    if (!seen) return null;
    const type = headerValue(answer.headers, "content-type") ?? "type non précisé";
    return httpFinding(
      origin,
      file.check,
      file.severity,
      file.title,
      `GET ${urlOf(origin, file.path)} → ${answer.status} (${type}, ${answer.body.length} octets lus) : ${seen}.`,
      file.remediation,
    );
  });
  return results.filter((f): f is ScanFinding => f !== null);
}
