import { mapLimit } from "../map-limit.ts";
import type { DetectedProduct, OpenService, ScanContext, ScanFinding } from "../types.ts";
import { checkAdminPanels } from "./admin-panels.ts";
import { fetchPath, type HttpOrigin, originOf, textOf, urlOf } from "./client.ts";
import { checkDirectoryListing } from "./directory-listing.ts";
import { httpFinding } from "./finding.ts";
import { httpsRedirectFinding, redirectsToHttps, securityHeaderFindings } from "./headers.ts";
import { learnNotFound } from "./not-found.ts";
import { checkSecurityTxt } from "./security-txt.ts";
import { checkSensitiveFiles } from "./sensitive-files.ts";
import { type BannerProduct, dedupeProducts, productsOfAnswer } from "./versions.ts";

export { ADMIN_PANELS } from "./admin-panels.ts";
export { LISTING_FOLDERS } from "./directory-listing.ts";
export { SENSITIVE_FILES } from "./sensitive-files.ts";

const isHttp = (s: OpenService) => s.service === "http" || s.service === "https";

/**
 * The HTTP phase of an audit (decision 0012): for each HTTP(S) service, the security headers and
 * the redirection to HTTPS, security.txt, exposed administration interfaces, sensitive files and
 * directory listings (recognised by content, after learning the server's not-found answer), and
 * the versions its banners disclose, as products for the watch.
 */
export async function checkHttp(
  ctx: ScanContext,
  services: OpenService[],
): Promise<{ findings: ScanFinding[]; products: DetectedProduct[] }> {
  const web = services.filter(isHttp);
  // nothing leaves the perimeter: every address is checked before the first request
  for (const service of web) ctx.guard.assertIp(service.ip);
  const secure = new Set(web.filter((s) => s.tls).map((s) => `${s.ip}|${s.host ?? ""}`));
  const results = await mapLimit(web, 2, (service) =>
    checkService(ctx, service, secure.has(`${service.ip}|${service.host ?? ""}`)),
  );
  return { findings: results.flatMap((r) => r.findings), products: results.flatMap((r) => r.products) };
}

async function checkService(
  ctx: ScanContext,
  service: OpenService,
  hasHttpsSibling: boolean,
): Promise<{ findings: ScanFinding[]; products: DetectedProduct[] }> {
  const origin = originOf({ ...service, tls: service.tls || service.service === "https" });
  const root = await fetchPath(ctx, origin, "/");
  if (!root) return { findings: [], products: [] };
  const findings: ScanFinding[] = [];

  const toHttps = !origin.tls && redirectsToHttps(root);
  if (!origin.tls && !toHttps) findings.push(httpsRedirectFinding(origin, root));
  // headers matter on the pages served; a redirection elsewhere is judged where it leads
  if (!toHttps && !root.location) findings.push(...securityHeaderFindings(origin, root.headers, root.path));

  const notFound = await learnNotFound(ctx, origin);
  if (origin.tls || !hasHttpsSibling) findings.push(...(await checkSecurityTxt(ctx, origin, notFound)));
  findings.push(...(await checkAdminPanels(ctx, origin, notFound)));
  findings.push(...(await checkSensitiveFiles(ctx, origin, notFound)));
  findings.push(...(await checkDirectoryListing(ctx, origin)));

  const seen = dedupeProducts(
    [root, ...notFound.raw].flatMap((answer) => productsOfAnswer(answer.headers, textOf(answer))),
  );
  const versioned = seen.filter((p) => p.version);
  if (versioned.length > 0) findings.push(versionFinding(origin, versioned));
  const host = service.host ?? service.ip;
  const products = seen.map(
    (p): DetectedProduct => ({
      ...(p.vendor ? { vendor: p.vendor } : {}),
      product: p.product,
      ...(p.version ? { version: p.version } : {}),
      ...(p.cpe ? { cpe: p.cpe } : {}),
      host,
      port: service.port,
      evidence: `${urlOf(origin, "/")} — ${p.evidence}`,
    }),
  );
  return { findings, products };
}

function versionFinding(origin: HttpOrigin, products: BannerProduct[]): ScanFinding {
  const evidence = [...new Set(products.map((p) => p.evidence))].join(" ; ");
  const names = products.map((p) => `${p.product} ${p.version}`).join(", ");
  return httpFinding(
    origin,
    "http.version_disclosure",
    "low",
    "Versions de logiciels divulguées par le serveur web",
    `${urlOf(origin, "/")} annonce ${names} — ${evidence}.`,
    "Masquer les versions dans les bannières (nginx : server_tokens off ; Apache : ServerTokens Prod et ServerSignature Off ; PHP : expose_php = Off ; IIS : retirer X-Powered-By et X-AspNet-Version) et surtout maintenir ces logiciels à jour.",
  );
}
