import type { ScanContext, ScanFinding } from "../types.ts";
import { fetchPath, type HttpOrigin, headerValue, textOf, urlOf } from "./client.ts";
import { httpFinding } from "./finding.ts";
import { looksLikeNotFound, type NotFoundProfile } from "./not-found.ts";

export const SECURITY_TXT_PATH = "/.well-known/security.txt";

export interface SecurityTxt {
  fields: { name: string; value: string }[];
  contacts: string[];
  expires: Date | null;
  /** What makes the file invalid under RFC 9116, in French. */
  problems: string[];
}

/** Reads a security.txt (RFC 9116), a PGP clear-signed one included. */
export function parseSecurityTxt(text: string, now: Date): SecurityTxt {
  let body = text.replace(/\r\n?/g, "\n");
  if (body.includes("-----BEGIN PGP SIGNED MESSAGE-----")) {
    body = body
      .replace(/-----BEGIN PGP SIGNED MESSAGE-----\n(?:Hash:[^\n]*\n)*\n?/, "")
      .replace(/-----BEGIN PGP SIGNATURE-----[\s\S]*$/, "")
      .replace(/^- /gm, "");
  }
  const fields: SecurityTxt["fields"] = [];
  for (const raw of body.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) fields.push({ name: m[1].toLowerCase(), value: m[2].trim() });
  }
  const problems: string[] = [];
  const contacts = fields.filter((f) => f.name === "contact").map((f) => f.value);
  if (contacts.length === 0) problems.push("aucun champ Contact");
  for (const contact of contacts) {
    if (!/^(mailto:|https:\/\/|tel:)/i.test(contact)) {
      problems.push(`Contact « ${contact} » n'est pas une URI mailto:, https:// ou tel:`);
    }
  }
  const expiresFields = fields.filter((f) => f.name === "expires");
  let expires: Date | null = null;
  if (expiresFields.length === 0) problems.push("aucun champ Expires");
  else if (expiresFields.length > 1) problems.push("plusieurs champs Expires");
  const first = expiresFields[0];
  if (first) {
    const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(first.value)
      ? Date.parse(first.value)
      : Number.NaN;
    if (Number.isNaN(time)) problems.push(`Expires « ${first.value} » n'est pas une date RFC 3339`);
    else {
      expires = new Date(time);
      if (time <= now.getTime()) problems.push(`Expires est passé (${first.value})`);
    }
  }
  return { fields, contacts, expires, problems };
}

/**
 * `/.well-known/security.txt`: missing (the server's not-found page or a non-text answer) or
 * present but invalid (RFC 9116: Contact and a future Expires required, served as text/plain).
 */
export async function checkSecurityTxt(
  ctx: ScanContext,
  origin: HttpOrigin,
  notFound: NotFoundProfile,
  now: Date = new Date(),
): Promise<ScanFinding[]> {
  const url = urlOf(origin, SECURITY_TXT_PATH);
  const answer = await fetchPath(ctx, origin, SECURITY_TXT_PATH);
  const type = answer ? (headerValue(answer.headers, "content-type") ?? "") : "";
  const text = answer ? textOf(answer) : "";
  const present =
    answer !== null &&
    answer.status === 200 &&
    answer.path === SECURITY_TXT_PATH &&
    !looksLikeNotFound(notFound, answer, SECURITY_TXT_PATH) &&
    !/^\s*</.test(text);
  if (!present) {
    return [
      httpFinding(
        origin,
        "http.security_txt.missing",
        "low",
        "Fichier security.txt absent",
        `GET ${url} → ${answer ? `${answer.status}${answer.status === 200 ? " (page générique, pas un security.txt)" : ""}` : "pas de réponse"}.`,
        "Publier /.well-known/security.txt (RFC 9116) avec au moins un champ Contact (adresse de signalement) et un champ Expires à moins d'un an, servi en text/plain sur HTTPS.",
      ),
    ];
  }
  const parsed = parseSecurityTxt(text, now);
  const problems = [...parsed.problems];
  if (!/^text\/plain\b/i.test(type.trim()))
    problems.push(`servi avec le type « ${type || "absent"} » au lieu de text/plain`);
  if (problems.length === 0) return [];
  return [
    httpFinding(
      origin,
      "http.security_txt.invalid",
      "low",
      "Fichier security.txt invalide",
      `${url} : ${problems.join(" ; ")}.`,
      "Corriger le fichier selon la RFC 9116 : un ou plusieurs champs Contact (mailto:, https://), un seul champ Expires dans le futur (moins d'un an), servi en text/plain ; le renouveler avant expiration.",
    ),
  ];
}
