import type http from "node:http";
import { headerValue } from "./client.ts";

/** A product read from a banner, before it is tied to a host. */
export interface BannerProduct {
  vendor?: string;
  product: string;
  version?: string;
  cpe?: string;
  evidence: string;
}

interface KnownProduct {
  vendor: string;
  product: string;
  /** The token's version is not the product's (Apache-Coyote/1.1): keep the product only. */
  ignoreVersion?: boolean;
}

/** Server/X-Powered-By tokens (lowercase) → the CPE vendor and product NVD uses. */
const SERVER_PRODUCTS: Record<string, KnownProduct> = {
  nginx: { vendor: "f5", product: "nginx" },
  apache: { vendor: "apache", product: "http_server" },
  "apache httpd": { vendor: "apache", product: "http_server" },
  "microsoft-iis": { vendor: "microsoft", product: "internet_information_services" },
  php: { vendor: "php", product: "php" },
  openssl: { vendor: "openssl", product: "openssl" },
  openresty: { vendor: "openresty", product: "openresty" },
  lighttpd: { vendor: "lighttpd", product: "lighttpd" },
  jetty: { vendor: "eclipse", product: "jetty" },
  "apache tomcat": { vendor: "apache", product: "tomcat" },
  tomcat: { vendor: "apache", product: "tomcat" },
  "apache-coyote": { vendor: "apache", product: "tomcat", ignoreVersion: true },
  gunicorn: { vendor: "gunicorn", product: "gunicorn" },
  werkzeug: { vendor: "palletsprojects", product: "werkzeug" },
  python: { vendor: "python", product: "python" },
  caddy: { vendor: "caddyserver", product: "caddy" },
  litespeed: { vendor: "litespeedtech", product: "litespeed_web_server" },
  perl: { vendor: "perl", product: "perl" },
  mod_perl: { vendor: "apache", product: "mod_perl" },
  "asp.net": { vendor: "microsoft", product: "asp.net" },
  express: { vendor: "expressjs", product: "express" },
  "jboss-eap": { vendor: "redhat", product: "jboss_enterprise_application_platform" },
  wildfly: { vendor: "redhat", product: "wildfly" },
  squid: { vendor: "squid-cache", product: "squid" },
  varnish: { vendor: "varnish-cache", product: "varnish_cache" },
};

/** Tokens that are specifications or protocol names, never products. */
const NOT_PRODUCTS = new Set([
  "servlet",
  "jsp",
  "http",
  "https",
  "ubuntu",
  "debian",
  "centos",
  "red hat",
  "win32",
  "win64",
  "unix",
]);

/** `<meta name="generator">` / `X-Generator` names (lowercase) → CPE vendor and product. */
const GENERATOR_PRODUCTS: Record<string, KnownProduct> = {
  wordpress: { vendor: "wordpress", product: "wordpress" },
  drupal: { vendor: "drupal", product: "drupal" },
  "joomla!": { vendor: "joomla", product: "joomla!" },
  joomla: { vendor: "joomla", product: "joomla!" },
  typo3: { vendor: "typo3", product: "typo3" },
  "typo3 cms": { vendor: "typo3", product: "typo3" },
  mediawiki: { vendor: "mediawiki", product: "mediawiki" },
  spip: { vendor: "spip", product: "spip" },
  prestashop: { vendor: "prestashop", product: "prestashop" },
  hugo: { vendor: "gohugo", product: "hugo" },
  ghost: { vendor: "ghost", product: "ghost" },
  "microsoft sharepoint": { vendor: "microsoft", product: "sharepoint_server" },
  dotclear: { vendor: "dotclear", product: "dotclear" },
  plone: { vendor: "plone", product: "plone" },
};

/** The leading numeric part of a version (`8.1.2-1ubuntu2` → `8.1.2`, `1.1.1k` stays). */
export function cleanVersion(raw: string): string | undefined {
  const m = /^v?(\d+(?:\.\d+)*(?:[a-z]\d*)?)(?![\w])|^v?(\d+(?:\.\d+)*)/i.exec(raw.trim());
  return m ? (m[1] ?? m[2]) : undefined;
}

const cpeEscape = (value: string) => value.replace(/[^A-Za-z0-9._-]/g, (c) => `\\${c}`);

/** `cpe:2.3:a:vendor:product:version:*:…` (version `*` when unknown). */
export function cpeOf(vendor: string, product: string, version?: string): string {
  return `cpe:2.3:a:${cpeEscape(vendor)}:${cpeEscape(product)}:${version ? cpeEscape(version) : "*"}:*:*:*:*:*:*:*`;
}

function productOf(
  known: KnownProduct | undefined,
  name: string,
  rawVersion: string | undefined,
  evidence: string,
): BannerProduct | null {
  const lower = name.toLowerCase();
  if (NOT_PRODUCTS.has(lower)) return null;
  const version = known?.ignoreVersion || !rawVersion ? undefined : cleanVersion(rawVersion);
  if (known) {
    return {
      vendor: known.vendor,
      product: known.product,
      ...(version ? { version } : {}),
      cpe: cpeOf(known.vendor, known.product, version),
      evidence,
    };
  }
  // unknown product: kept for the inventory when it carries a version
  if (!version) return null;
  return { product: lower, version, evidence };
}

/**
 * Products of a `Server`-like banner: `name/version` tokens, comments in parentheses skipped
 * (`Apache/2.4.57 (Debian) OpenSSL/3.0.11`), `Jetty(9.4.z)` form, a bare known name (`nginx`).
 */
export function parseServerBanner(value: string, header: string): BannerProduct[] {
  const evidence = `${header}: ${value}`;
  const out: BannerProduct[] = [];
  const text = value.replace(/\b(Jetty)\((\d[^)]*)\)/gi, "$1/$2");
  // names with a space known as such ("Apache Tomcat/9.0.1") are joined first
  const joined = text.replace(/\bApache Tomcat\//gi, "Apache~Tomcat/").replace(/\([^)]*\)/g, " ");
  for (const token of joined.split(/[\s,;]+/).filter(Boolean)) {
    const m = /^([A-Za-z][\w.!+~-]*?)\/(\S+)$/.exec(token);
    const name = (m?.[1] ?? token).replace(/~/g, " ");
    const known = SERVER_PRODUCTS[name.toLowerCase()];
    if (!m && !known) continue;
    const product = productOf(known, name, m?.[2], evidence);
    if (product) out.push(product);
  }
  return out;
}

/** Products of a generator string (`WordPress 6.4.2`, `Drupal 10 (https://www.drupal.org)`). */
export function parseGenerator(value: string, where: string): BannerProduct[] {
  const evidence = `${where}: ${value}`;
  const trimmed = value.trim();
  const m = /^(.+?)\s+v?(\d+(?:\.\d+)*)/.exec(trimmed);
  const name = (m ? m[1] : trimmed.split(/\s+-\s+|\s*\(/)[0])?.trim() ?? "";
  if (!name) return [];
  const known =
    GENERATOR_PRODUCTS[name.toLowerCase()] ?? GENERATOR_PRODUCTS[name.toLowerCase().split(/\s+/)[0] ?? ""];
  const product = productOf(known, name, m?.[2], evidence);
  return product ? [product] : [];
}

/** `<meta name="generator" content="…">` values of an HTML page (either attribute order). */
export function metaGenerators(html: string): string[] {
  const out: string[] = [];
  for (const tag of html.match(/<meta\b[^>]*>/gi) ?? []) {
    if (!/\bname\s*=\s*["']?generator["'\s>/]/i.test(tag)) continue;
    const content = /\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag);
    const value = content?.[1] ?? content?.[2];
    if (value?.trim()) out.push(value.trim());
  }
  return out;
}

/** The server signature of default error pages (`<center>nginx/1.22.1</center>`, Apache's `<address>`). */
export function errorPageBanners(html: string): string[] {
  const out: string[] = [];
  const nginx = /<hr>\s*<center>([^<]+)<\/center>/i.exec(html)?.[1];
  if (nginx) out.push(nginx.trim());
  const apache = /<address>(.+?) Server at [^<]*<\/address>/i.exec(html)?.[1];
  if (apache) out.push(apache.trim());
  return out;
}

/** Every product an answer discloses, from its headers and, for HTML, its generator and error page. */
export function productsOfAnswer(headers: http.IncomingHttpHeaders, body: string): BannerProduct[] {
  const out: BannerProduct[] = [];
  for (const header of ["Server", "X-Powered-By", "X-Powered-By-Plesk", "X-Server"]) {
    const value = headerValue(headers, header);
    if (value) out.push(...parseServerBanner(value, header));
  }
  const aspNet = headerValue(headers, "X-AspNet-Version");
  if (aspNet) {
    const version = cleanVersion(aspNet);
    out.push({
      vendor: "microsoft",
      product: ".net_framework",
      ...(version ? { version } : {}),
      cpe: cpeOf("microsoft", ".net_framework", version),
      evidence: `X-AspNet-Version: ${aspNet}`,
    });
  }
  const mvc = headerValue(headers, "X-AspNetMvc-Version");
  if (mvc) {
    const version = cleanVersion(mvc);
    out.push({
      vendor: "microsoft",
      product: "asp.net_model_view_controller",
      ...(version ? { version } : {}),
      cpe: cpeOf("microsoft", "asp.net_model_view_controller", version),
      evidence: `X-AspNetMvc-Version: ${mvc}`,
    });
  }
  const jenkins = headerValue(headers, "X-Jenkins");
  if (jenkins) {
    const version = cleanVersion(jenkins);
    out.push({
      vendor: "jenkins",
      product: "jenkins",
      ...(version ? { version } : {}),
      cpe: cpeOf("jenkins", "jenkins", version),
      evidence: `X-Jenkins: ${jenkins}`,
    });
  }
  const generator = headerValue(headers, "X-Generator");
  if (generator) out.push(...parseGenerator(generator, "X-Generator"));
  const type = headerValue(headers, "content-type") ?? "";
  if (!type || /html/i.test(type)) {
    for (const value of metaGenerators(body)) out.push(...parseGenerator(value, '<meta name="generator">'));
    for (const value of errorPageBanners(body)) out.push(...parseServerBanner(value, "page d'erreur"));
  }
  return out;
}

/** One entry per vendor/product/version, the versioned ones kept over the bare names. */
export function dedupeProducts(products: BannerProduct[]): BannerProduct[] {
  const byKey = new Map<string, BannerProduct>();
  for (const p of products) {
    const key = `${p.vendor ?? ""}|${p.product}|${p.version ?? ""}`;
    if (!byKey.has(key)) byKey.set(key, p);
  }
  const all = [...byKey.values()];
  return all.filter(
    (p) =>
      p.version || !all.some((o) => o !== p && o.version && o.vendor === p.vendor && o.product === p.product),
  );
}
