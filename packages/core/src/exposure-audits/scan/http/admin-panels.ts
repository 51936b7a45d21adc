import type { FindingSeverity } from "@vigie/contracts";
import { mapLimit } from "../map-limit.ts";
import type { ScanContext, ScanFinding } from "../types.ts";
import { fetchPath, type HttpAnswer, type HttpOrigin, headerValue, textOf, urlOf } from "./client.ts";
import { excerpt, httpFinding, withoutQuery } from "./finding.ts";
import { looksLikeNotFound, type NotFoundProfile } from "./not-found.ts";

/**
 * An administration interface, recognised by its content (never by a 200 alone). The signature
 * returns what identifies it, or null.
 */
export interface AdminPanel {
  check: string;
  name: string;
  paths: readonly string[];
  severity: FindingSeverity;
  signature: (answer: HttpAnswer, text: string) => string | null;
}

const ok = (a: HttpAnswer) => a.status === 200;
const passwordField = /<input\b[^>]*\btype\s*=\s*["']?password/i;

/**
 * The panels looked for (documented list): phpMyAdmin, Adminer, Tomcat manager, WordPress
 * login, Jenkins, Grafana, Kibana, Apache server-status, nginx stub_status, Joomla administrator,
 * and a generic `/admin` login form.
 */
export const ADMIN_PANELS: readonly AdminPanel[] = [
  {
    check: "http.admin.phpmyadmin",
    name: "phpMyAdmin",
    paths: ["/phpmyadmin/", "/phpMyAdmin/", "/pma/"],
    severity: "high",
    signature: (a, t) =>
      ok(a) &&
      /phpMyAdmin/i.test(t) &&
      /pma_username|pma_password|name=["']?login_form|PMA_commonParams|pma_navigation|phpmyadmin\.css/i.test(
        t,
      )
        ? "page de connexion phpMyAdmin"
        : null,
  },
  {
    check: "http.admin.adminer",
    name: "Adminer",
    paths: ["/adminer.php", "/adminer/"],
    severity: "high",
    signature: (a, t) =>
      ok(a) && /Adminer/.test(t) && /name=["']?auth\[(driver|username)\]/i.test(t)
        ? "formulaire de connexion Adminer"
        : null,
  },
  {
    check: "http.admin.tomcat_manager",
    name: "Tomcat Manager",
    paths: ["/manager/html"],
    severity: "high",
    signature: (a, t) => {
      const realm = headerValue(a.headers, "www-authenticate") ?? "";
      if (a.status === 401 && /Tomcat Manager Application/i.test(realm))
        return `authentification demandée (${realm})`;
      return ok(a) && /Tomcat Web Application Manager/i.test(t) ? "gestionnaire Tomcat accessible" : null;
    },
  },
  {
    check: "http.admin.wordpress",
    name: "WordPress (connexion)",
    paths: ["/wp-login.php", "/wp-admin/"],
    severity: "low",
    signature: (a, t) =>
      ok(a) &&
      /wp-login\.php/i.test(t) &&
      /name=["']?(log|user_login)["'\s>]|id=["']?loginform|wp-submit/i.test(t)
        ? "formulaire de connexion WordPress"
        : null,
  },
  {
    check: "http.admin.jenkins",
    name: "Jenkins",
    paths: ["/login", "/jenkins/login"],
    severity: "medium",
    signature: (a, t) =>
      (ok(a) || a.status === 403) &&
      (headerValue(a.headers, "x-jenkins") !== undefined ||
        /\[Jenkins\]|j_acegi_security_check|j_spring_security_check/i.test(t)) &&
      /Jenkins/i.test(t)
        ? `interface Jenkins${headerValue(a.headers, "x-jenkins") ? ` (X-Jenkins: ${headerValue(a.headers, "x-jenkins")})` : ""}`
        : null,
  },
  {
    check: "http.admin.grafana",
    name: "Grafana",
    paths: ["/login", "/grafana/login"],
    severity: "medium",
    signature: (a, t) =>
      ok(a) && /grafanaBootData|<title>Grafana<\/title>|grafana-app/i.test(t)
        ? "page de connexion Grafana"
        : null,
  },
  {
    check: "http.admin.kibana",
    name: "Kibana",
    paths: ["/app/kibana", "/login", "/app/home"],
    severity: "medium",
    signature: (a, t) =>
      ok(a) &&
      (headerValue(a.headers, "kbn-name") !== undefined ||
        /kbn-injected-metadata|<title>(Elastic|Kibana)<\/title>/i.test(t))
        ? "interface Kibana"
        : null,
  },
  {
    check: "http.admin.server_status",
    name: "Apache server-status",
    paths: ["/server-status"],
    severity: "medium",
    signature: (a, t) =>
      ok(a) && /Apache Server Status for/i.test(t)
        ? "page d'état Apache (requêtes en cours, clients, URL)"
        : null,
  },
  {
    check: "http.admin.nginx_status",
    name: "nginx stub_status",
    paths: ["/nginx_status", "/status"],
    severity: "low",
    signature: (a, t) =>
      ok(a) && /^Active connections:\s*\d+/m.test(t) && /server accepts handled requests/.test(t)
        ? "compteurs nginx stub_status"
        : null,
  },
  {
    check: "http.admin.joomla",
    name: "Joomla (administration)",
    paths: ["/administrator/"],
    severity: "medium",
    signature: (a, t) =>
      ok(a) && /Joomla/i.test(t) && passwordField.test(t) ? "connexion à l'administration Joomla" : null,
  },
  {
    check: "http.admin.generic",
    name: "interface d'administration",
    paths: ["/admin/", "/admin", "/admin/login", "/administration/"],
    severity: "medium",
    signature: (a, t) => {
      if (a.status === 401) {
        const realm = headerValue(a.headers, "www-authenticate");
        return realm ? `authentification HTTP demandée (${realm})` : null;
      }
      return ok(a) && passwordField.test(t) ? "formulaire de connexion (champ mot de passe)" : null;
    },
  },
];

/** Asks each panel's paths; the first path whose content matches makes the finding. */
export async function checkAdminPanels(
  ctx: ScanContext,
  origin: HttpOrigin,
  notFound: NotFoundProfile,
  panels: readonly AdminPanel[] = ADMIN_PANELS,
): Promise<ScanFinding[]> {
  const cache = new Map<string, Promise<HttpAnswer | null>>();
  const get = (path: string) => {
    let answer = cache.get(path);
    if (!answer) {
      answer = fetchPath(ctx, origin, path);
      cache.set(path, answer);
    }
    return answer;
  };
  const results = await mapLimit(panels, 4, async (panel) => {
    for (const path of panel.paths) {
      const answer = await get(path);
      if (!answer || (answer.status === 200 && looksLikeNotFound(notFound, answer, path))) continue;
      const seen = panel.signature(answer, textOf(answer));
      if (!seen) continue;
      return httpFinding(
        origin,
        panel.check,
        panel.severity,
        `Interface d'administration exposée : ${panel.name}`,
        `GET ${urlOf(origin, path)}${answer.path === path ? "" : ` (redirigé vers ${excerpt(withoutQuery(answer.path))})`} → ${answer.status} : ${seen}.`,
        `Ne pas publier ${panel.name} sur Internet : le restreindre au réseau d'administration ou à un VPN (liste d'adresses autorisées), imposer une authentification forte et le tenir à jour.`,
      );
    }
    return null;
  });
  return results.filter((f): f is ScanFinding => f !== null);
}
