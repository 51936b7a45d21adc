import type http from "node:http";
import type { ScanFinding } from "../types.ts";
import { type HttpAnswer, type HttpOrigin, headerValue, urlOf } from "./client.ts";
import { excerpt, httpFinding, withoutQuery } from "./finding.ts";

/** Shortest HSTS duration accepted: 180 days (the browsers' preload list asks for one year). */
export const HSTS_MIN_SECONDS = 15_552_000;

/** `max-age` of a Strict-Transport-Security value, null when absent or unreadable. */
export function hstsMaxAge(value: string): number | null {
  const m = /(?:^|;)\s*max-age\s*=\s*"?(\d+)"?/i.exec(value);
  return m?.[1] ? Number(m[1]) : null;
}

/** The `frame-ancestors` directive of a CSP, if any. */
export function frameAncestors(csp: string): string | null {
  for (const directive of csp.split(/[;,]/)) {
    const [name, ...rest] = directive.trim().split(/\s+/);
    if (name?.toLowerCase() === "frame-ancestors") return rest.join(" ");
  }
  return null;
}

/** The missing or weak security headers of an answer (`/` of the site), as findings. */
export function securityHeaderFindings(
  origin: HttpOrigin,
  headers: http.IncomingHttpHeaders,
  path: string,
): ScanFinding[] {
  const url = urlOf(origin, path);
  const out: ScanFinding[] = [];
  if (origin.tls) {
    const hsts = headerValue(headers, "strict-transport-security");
    const maxAge = hsts ? hstsMaxAge(hsts) : null;
    if (!hsts) {
      out.push(
        httpFinding(
          origin,
          "http.header.hsts",
          "medium",
          "En-tête HSTS absent",
          `La réponse de ${url} ne contient pas d'en-tête Strict-Transport-Security : un navigateur peut être ramené en HTTP non chiffré.`,
          "Ajouter « Strict-Transport-Security: max-age=31536000; includeSubDomains » à toutes les réponses HTTPS (avec nginx : add_header … always).",
        ),
      );
    } else if (maxAge === null || maxAge < HSTS_MIN_SECONDS) {
      out.push(
        httpFinding(
          origin,
          "http.header.hsts_short",
          "low",
          "Durée HSTS trop courte",
          `Strict-Transport-Security: ${hsts} (max-age ${maxAge ?? "illisible"}, minimum attendu ${HSTS_MIN_SECONDS} secondes soit 180 jours).`,
          "Porter max-age à au moins un an (31536000) une fois le site entièrement servi en HTTPS.",
        ),
      );
    }
  }
  const csp = headerValue(headers, "content-security-policy");
  if (!csp) {
    out.push(
      httpFinding(
        origin,
        "http.header.csp",
        "low",
        "Politique de sécurité du contenu (CSP) absente",
        `La réponse de ${url} ne contient pas d'en-tête Content-Security-Policy.`,
        "Définir une politique Content-Security-Policy restrictive (default-src 'self'; object-src 'none'; frame-ancestors 'none' …) adaptée au site, en la testant d'abord en mode Report-Only.",
      ),
    );
  }
  const xfo = headerValue(headers, "x-frame-options");
  const ancestors = csp ? frameAncestors(csp) : null;
  if (!(xfo && /^\s*(deny|sameorigin)\b/i.test(xfo)) && !ancestors) {
    out.push(
      httpFinding(
        origin,
        "http.header.frame_options",
        "low",
        "Protection contre l'intégration en cadre (clickjacking) absente",
        `Ni X-Frame-Options (DENY ou SAMEORIGIN) ni la directive CSP frame-ancestors dans la réponse de ${url}${xfo ? ` (X-Frame-Options: ${xfo})` : ""}.`,
        "Ajouter « X-Frame-Options: DENY » (ou SAMEORIGIN) et la directive CSP « frame-ancestors 'none' » ('self' si le site s'intègre lui-même).",
      ),
    );
  }
  const nosniff = headerValue(headers, "x-content-type-options");
  if (!nosniff || !/^\s*nosniff\s*$/i.test(nosniff)) {
    out.push(
      httpFinding(
        origin,
        "http.header.content_type_options",
        "low",
        "En-tête X-Content-Type-Options: nosniff absent",
        `La réponse de ${url} ${nosniff ? `contient « X-Content-Type-Options: ${nosniff} »` : "ne contient pas d'en-tête X-Content-Type-Options"}.`,
        "Ajouter « X-Content-Type-Options: nosniff » à toutes les réponses.",
      ),
    );
  }
  const referrer = headerValue(headers, "referrer-policy");
  if (!referrer || /unsafe-url/i.test(referrer)) {
    out.push(
      httpFinding(
        origin,
        "http.header.referrer_policy",
        "info",
        "Politique de référent (Referrer-Policy) absente ou permissive",
        referrer
          ? `Referrer-Policy: ${referrer} transmet l'adresse complète des pages aux autres sites.`
          : `La réponse de ${url} ne contient pas d'en-tête Referrer-Policy.`,
        "Ajouter « Referrer-Policy: strict-origin-when-cross-origin » (ou no-referrer).",
      ),
    );
  }
  return out;
}

/** True when a plain-HTTP answer sends the visitor to HTTPS. */
export function redirectsToHttps(answer: HttpAnswer): boolean {
  const location = answer.location ?? headerValue(answer.headers, "location");
  return answer.status >= 300 && answer.status < 400 && !!location && /^https:\/\//i.test(location);
}

export function httpsRedirectFinding(origin: HttpOrigin, answer: HttpAnswer): ScanFinding {
  const raw = answer.location ?? headerValue(answer.headers, "location");
  // server-controlled text: without its query string (tokens, session ids), shortened, printable
  const location = raw ? excerpt(withoutQuery(raw)) : "";
  return httpFinding(
    origin,
    "http.no_https_redirect",
    "medium",
    "Site accessible en HTTP sans redirection vers HTTPS",
    `GET ${urlOf(origin, "/")} → ${answer.status}${location ? ` (Location: ${location})` : ""} : les pages sont servies sans chiffrement.`,
    "Rediriger toutes les requêtes HTTP vers HTTPS (code 301) et activer HSTS sur le site HTTPS.",
  );
}
