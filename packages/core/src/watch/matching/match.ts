import {
  type SensitiveService,
  sensitiveServices,
  type TicketConfidence,
  type TicketUrgency,
} from "@vigie/contracts";
import type { Finding, TicketDetails } from "../tickets/record-findings.ts";
import { type Cpe, cpeName, normaliseProduct, parseCpe } from "./cpe.ts";
import { assetVersionOf, compareVersions, cpeVersion, isReleaseOf } from "./versions.ts";

/**
 * Pure matching of exposed assets against vulnerabilities (decision 0011, "Matching"): NVD
 * criteria with vendor-aware version ordering give "confirmed" findings; an asset without a
 * usable version, or a KEV entry without NVD criteria whose product names the asset's, give
 * "probable" ones. Exposed sensitive services give their own findings.
 */

/** An asset as matching reads it (product or service kind). */
export interface MatchAsset {
  id: string;
  structureId: string;
  kind: string;
  host: string | null;
  port: number | null;
  service: string | null;
  vendor: string | null;
  product: string | null;
  version: string | null;
  matchVendor: string | null;
  matchProduct: string | null;
  /** The asset's CPE when known: its software edition tells FIPS builds apart. */
  cpe?: string | null;
}

/** One vulnerable cpeMatch of an NVD configuration (a `vulnerability_criteria` row). */
export interface MatchCriterion {
  cveId: string;
  criteria: string;
  vendor: string;
  product: string;
  version: string;
  versionStartIncluding: string | null;
  versionStartExcluding: string | null;
  versionEndIncluding: string | null;
  versionEndExcluding: string | null;
}

/** What urgency and the message need of a vulnerability. */
export interface MatchVulnerability {
  cveId: string;
  description: string | null;
  inKev: boolean;
  kevRansomware: boolean;
  kevVendor: string | null;
  kevProduct: string | null;
  kevName: string | null;
  kevAction: string | null;
  advisoryIds: readonly string[];
}

/** How one criterion judges one asset. */
export type CriterionVerdict = "vulnerable" | "not_vulnerable" | "unknown";

const VERDICT_RANK: Record<CriterionVerdict, number> = { not_vulnerable: 0, unknown: 1, vulnerable: 2 };

/** Criteria strings parsed once: a full run judges each one against thousands of assets. */
const parsedCriteria = new Map<string, Cpe | null>();
function parsedCriterion(criteria: string): Cpe | null {
  let parsed = parsedCriteria.get(criteria);
  if (parsed === undefined) {
    if (parsedCriteria.size > 200_000) parsedCriteria.clear();
    parsed = parseCpe(criteria);
    parsedCriteria.set(criteria, parsed);
  }
  return parsed;
}

function bound(
  vendor: string,
  product: string,
  version: string,
  limit: string | null,
  accept: (order: -1 | 0 | 1) => boolean,
): boolean | null {
  if (limit === null || limit === "") return true;
  const order = compareVersions(vendor, product, version, limit);
  return order === null ? null : accept(order);
}

/**
 * Judges an asset's version against one NVD criterion: within the range (start/end,
 * including/excluding) or equal to the exact version (the CPE's version and update fields
 * together); `unknown` when the asset has no version or the versions cannot be ordered.
 */
export function judgeCriterion(
  criterion: MatchCriterion,
  assetVersion: string | null,
  assetCpe?: Cpe | null,
): CriterionVerdict {
  const verdict = judgeVersion(criterion, assetVersion);
  if (verdict !== "vulnerable") return verdict;
  // a criterion for one edition only (NetScaler "fips", "ndcpp"): the asset must say it is that one
  const edition = parsedCriterion(criterion.criteria)?.swEdition ?? "*";
  if (edition !== "*" && edition !== "-" && assetCpe?.swEdition !== edition) return "unknown";
  return verdict;
}

function judgeVersion(criterion: MatchCriterion, assetVersion: string | null): CriterionVerdict {
  const { vendor, product } = criterion;
  const hasRange =
    !!criterion.versionStartIncluding ||
    !!criterion.versionStartExcluding ||
    !!criterion.versionEndIncluding ||
    !!criterion.versionEndExcluding;
  const exact = criterion.version !== "*" && criterion.version !== "-" && criterion.version !== "";
  // every version of the product is vulnerable: no version needed
  if (!exact && !hasRange) return "vulnerable";
  if (!assetVersion) return "unknown";
  if (exact && !hasRange) {
    const update = parsedCriterion(criterion.criteria)?.update ?? "*";
    const named = cpeVersion(vendor, product, criterion.version, update);
    const same = named.anyUpdate
      ? isReleaseOf(vendor, product, assetVersion, named.version)
      : (() => {
          const order = compareVersions(vendor, product, assetVersion, named.version);
          return order === null ? null : order === 0;
        })();
    return same === null ? "unknown" : same ? "vulnerable" : "not_vulnerable";
  }
  const checks = [
    bound(vendor, product, assetVersion, criterion.versionStartIncluding, (o) => o >= 0),
    bound(vendor, product, assetVersion, criterion.versionStartExcluding, (o) => o > 0),
    bound(vendor, product, assetVersion, criterion.versionEndIncluding, (o) => o <= 0),
    bound(vendor, product, assetVersion, criterion.versionEndExcluding, (o) => o < 0),
  ];
  // one bound proving the version outside the range settles it, even if another cannot be read
  if (checks.includes(false)) return "not_vulnerable";
  if (checks.includes(null)) return "unknown";
  return "vulnerable";
}

// ---------------------------------------------------------------------------------------------
// KEV entries without NVD criteria: names only

/** Words that say nothing about which product it is. */
const NAME_STOP_WORDS = new Set([
  "and",
  "or",
  "the",
  "of",
  "for",
  "multiple",
  "products",
  "product",
  "software",
  "devices",
  "device",
  "series",
  "versions",
  "various",
]);

function significantWords(name: string): string[] {
  return cpeName(name)
    .split("_")
    .filter((word) => word.length > 0 && !NAME_STOP_WORDS.has(word));
}

/** The words of an asset's product name and CPE product. */
function productWords(asset: MatchAsset): Set<string> {
  return new Set([...significantWords(asset.product ?? ""), ...(asset.matchProduct ?? "").split("_")]);
}

/** One product named by a KEV entry, as matching compares it. */
export interface KevTarget {
  cveId: string;
  matchVendor: string;
  matchProduct: string;
  words: readonly string[];
}

/**
 * The products a KEV entry names ("NetScaler ADC and NetScaler Gateway" is two), normalised
 * like assets (`normaliseProduct`) and as significant words for the fuzzy comparison.
 */
export function kevTargets(cveId: string, kevVendor: string | null, kevProduct: string | null): KevTarget[] {
  if (!kevVendor || !kevProduct) return [];
  const parts = kevProduct
    .split(/\s+and\s+|\s*[,;/]\s*|\s+&\s+/i)
    .map((part) => part.trim())
    .filter(Boolean);
  const targets: KevTarget[] = [];
  for (const part of parts) {
    const normalised = normaliseProduct(kevVendor, part);
    const words = significantWords(part);
    if (!normalised || words.length === 0) continue;
    targets.push({
      cveId,
      matchVendor: normalised.matchVendor,
      matchProduct: normalised.matchProduct,
      words,
    });
  }
  return targets;
}

/**
 * True when a KEV product names the asset's: same normalised vendor and product, or same vendor
 * and every significant word of the KEV product among the asset's product words
 * ("Connect Secure" in "Ivanti Connect Secure").
 */
export function kevNamesAsset(
  target: KevTarget,
  asset: MatchAsset,
  assetWords?: ReadonlySet<string>,
): boolean {
  if (!asset.matchProduct) return false;
  const vendor = asset.matchVendor ?? "";
  if (vendor !== "" && vendor !== target.matchVendor) return false;
  if (asset.matchProduct === target.matchProduct) return true;
  const words = assetWords ?? productWords(asset);
  if (vendor === "") {
    // no vendor on the asset: the product's words must carry the vendor's name too
    if (!words.has(target.matchVendor)) return false;
  }
  return target.words.every((word) => words.has(word));
}

// ---------------------------------------------------------------------------------------------
// In-memory index of what assets are matched against

/** The vulnerabilities and their criteria, grouped by CPE vendor and product. */
export interface MatchIndex {
  vulnerabilities: Map<string, MatchVulnerability>;
  /** `vendor:product` → criteria. */
  criteriaByProduct: Map<string, MatchCriterion[]>;
  /** product → criteria of every vendor (assets without a vendor). */
  criteriaByProductName: Map<string, MatchCriterion[]>;
  /** normalised KEV vendor → products named by KEV entries that have no NVD criteria. */
  kevOnlyByVendor: Map<string, KevTarget[]>;
}

function productKey(vendor: string, product: string): string {
  return `${vendor}:${product}`;
}

/** Builds the index from vulnerability rows and all their criteria. */
export function buildMatchIndex(
  vulnerabilities: Iterable<MatchVulnerability>,
  criteria: Iterable<MatchCriterion>,
): MatchIndex {
  const index: MatchIndex = {
    vulnerabilities: new Map(),
    criteriaByProduct: new Map(),
    criteriaByProductName: new Map(),
    kevOnlyByVendor: new Map(),
  };
  for (const vulnerability of vulnerabilities) index.vulnerabilities.set(vulnerability.cveId, vulnerability);
  const withCriteria = new Set<string>();
  for (const criterion of criteria) {
    withCriteria.add(criterion.cveId);
    const key = productKey(criterion.vendor, criterion.product);
    const list = index.criteriaByProduct.get(key);
    if (list) list.push(criterion);
    else index.criteriaByProduct.set(key, [criterion]);
    const byName = index.criteriaByProductName.get(criterion.product);
    if (byName) byName.push(criterion);
    else index.criteriaByProductName.set(criterion.product, [criterion]);
  }
  for (const vulnerability of index.vulnerabilities.values()) {
    if (!vulnerability.inKev || withCriteria.has(vulnerability.cveId)) continue;
    for (const target of kevTargets(vulnerability.cveId, vulnerability.kevVendor, vulnerability.kevProduct)) {
      const list = index.kevOnlyByVendor.get(target.matchVendor);
      if (list) list.push(target);
      else index.kevOnlyByVendor.set(target.matchVendor, [target]);
    }
  }
  return index;
}

// ---------------------------------------------------------------------------------------------
// Findings and their French wording

/** Usual names of notorious CVEs, shown beside the identifier. */
const CVE_NICKNAMES: Record<string, string> = {
  "CVE-2023-4966": "Citrix Bleed",
  "CVE-2019-19781": "Shitrix",
  "CVE-2021-26855": "ProxyLogon",
  "CVE-2021-27065": "ProxyLogon",
  "CVE-2021-34473": "ProxyShell",
  "CVE-2021-34523": "ProxyShell",
  "CVE-2021-31207": "ProxyShell",
  "CVE-2022-41040": "ProxyNotShell",
  "CVE-2022-41082": "ProxyNotShell",
  "CVE-2023-27997": "XORtigate",
  "CVE-2021-44228": "Log4Shell",
  "CVE-2014-0160": "Heartbleed",
  "CVE-2017-0144": "EternalBlue",
  "CVE-2019-0708": "BlueKeep",
  "CVE-2020-1472": "Zerologon",
  "CVE-2021-34527": "PrintNightmare",
};

/** Urgency of a vulnerability: critical when used by ransomware, high when in KEV, normal otherwise. */
export function vulnerabilityUrgency(
  vulnerability: Pick<MatchVulnerability, "inKev" | "kevRansomware">,
): TicketUrgency {
  if (vulnerability.inKev && vulnerability.kevRansomware) return "critical";
  if (vulnerability.inKev) return "high";
  return "normal";
}

const GENERIC_PATCH_ACTION = "Appliquer le correctif de l'éditeur (mettre à jour vers une version corrigée)";

/**
 * The action asked of the structure, in French: KEV's required action turned into a generic
 * French instruction, followed by the KEV text as reference.
 */
export function frenchAction(kevAction: string | null): string {
  if (!kevAction) return `${GENERIC_PATCH_ACTION}.`;
  const text = kevAction.toLowerCase();
  const steps: string[] = [];
  if (/mitigation/.test(text)) {
    steps.push("Appliquer le correctif ou les mesures d'atténuation de l'éditeur");
  } else {
    steps.push(GENERIC_PATCH_ACTION);
  }
  if (/kill all active and persistent sessions|terminate .*sessions/.test(text)) {
    steps.push("puis fermer toutes les sessions actives et persistantes");
  }
  if (/reset|rotate|credential/.test(text)) steps.push("renouveler les secrets et mots de passe exposés");
  if (/hunt|compromise|indicators/.test(text)) steps.push("rechercher des traces de compromission");
  if (/discontinue/.test(text)) steps.push("à défaut, cesser d'exposer le produit ou le retirer du service");
  return `${steps.join(", ")}. Référence (CISA KEV) : « ${kevAction.trim()} »`;
}

function productLabel(asset: MatchAsset): string {
  const product = asset.product?.trim() || asset.matchProduct || "Produit";
  const vendor = asset.vendor?.trim();
  if (!vendor || product.toLowerCase().startsWith(vendor.toLowerCase())) return product;
  return `${vendor} ${product}`;
}

function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (host.includes(":") && /^[0-9a-f:.]+$/i.test(host));
}

function where(asset: MatchAsset): Pick<TicketDetails, "host" | "ip" | "domain" | "port"> & { text: string } {
  const host = asset.host?.trim() || null;
  const located: Pick<TicketDetails, "host" | "ip" | "domain" | "port"> = {};
  if (host) {
    located.host = host;
    if (isIpAddress(host)) located.ip = host;
    else located.domain = host.toLowerCase();
  }
  if (asset.port) located.port = asset.port;
  const hostText = host
    ? asset.port
      ? `${host.includes(":") ? `[${host}]` : host}:${asset.port}`
      : host
    : null;
  return { ...located, text: hostText ?? "Internet" };
}

function vulnerabilityFinding(
  asset: MatchAsset,
  vulnerability: MatchVulnerability,
  confidence: TicketConfidence,
  version: string | null,
): Finding {
  const urgency = vulnerabilityUrgency(vulnerability);
  const nickname = CVE_NICKNAMES[vulnerability.cveId];
  const exploitation = vulnerability.inKev
    ? vulnerability.kevRansomware
      ? "exploitée activement, y compris par des rançongiciels"
      : "exploitée activement"
    : "vulnérabilité connue";
  const located = where(asset);
  const label = `${productLabel(asset)}${version ? ` ${version}` : ""}`;
  const verification = confidence === "probable" ? " (version à vérifier)" : "";
  const title = `${label} exposé sur ${located.text} : ${vulnerability.cveId}${nickname ? ` (${nickname})` : ""}, ${exploitation}${verification}`;
  const { text: _text, ...place } = located;
  const details: TicketDetails = {
    title,
    action: frenchAction(vulnerability.kevAction),
    ...place,
    ...(asset.service ? { service: asset.service } : {}),
    ...(asset.vendor ? { vendor: asset.vendor } : {}),
    product: asset.product ?? asset.matchProduct ?? "",
    ...(version ? { version } : {}),
    source: vulnerability.inKev ? "CISA KEV" : "NVD",
    references: [`https://nvd.nist.gov/vuln/detail/${vulnerability.cveId}`, ...vulnerability.advisoryIds],
  };
  return {
    structureId: asset.structureId,
    assetId: asset.id,
    kind: "vulnerability",
    findingKey: `vuln:${asset.id}:${vulnerability.cveId}`,
    cveId: vulnerability.cveId,
    confidence,
    urgency,
    details,
  };
}

/**
 * Exposed services that give an attacker a direct way in (remote desktop and control, Windows
 * file sharing, clear-text Telnet, medical imaging, databases): high urgency. The others (FTP,
 * LDAP, SNMP, WinRM) are normal: serious, but usually a step removed from the data.
 */
export const HIGH_URGENCY_SERVICES: ReadonlySet<SensitiveService> = new Set<SensitiveService>([
  "rdp",
  "smb",
  "netbios",
  "telnet",
  "vnc",
  "dicom",
  "mssql",
  "mysql",
  "postgresql",
  "oracle",
  "mongodb",
  "redis",
  "elasticsearch",
]);

/** True when `service` is one of the contract's sensitive services. */
export function isSensitiveService(service: string | null | undefined): service is SensitiveService {
  return !!service && Object.hasOwn(sensitiveServices, service);
}

/** The finding of a `service` asset exposing a sensitive service, or null. */
export function sensitiveServiceFinding(asset: MatchAsset): Finding | null {
  if (asset.kind !== "service") return null;
  const service = asset.service?.toLowerCase() ?? null;
  if (!isSensitiveService(service)) return null;
  const located = where(asset);
  const { text: _text, ...place } = located;
  const label = sensitiveServices[service].label;
  return {
    structureId: asset.structureId,
    assetId: asset.id,
    kind: "sensitive_service",
    findingKey: `service:${asset.id}`,
    cveId: null,
    confidence: "confirmed",
    urgency: HIGH_URGENCY_SERVICES.has(service) ? "high" : "normal",
    details: {
      title: `${label} exposé sur Internet : ${located.text}`,
      action:
        "Ne plus exposer ce service sur Internet : le filtrer au pare-feu ou le rendre accessible uniquement par un VPN avec authentification forte, puis vérifier l'absence de connexion suspecte.",
      ...place,
      service,
      ...(asset.vendor ? { vendor: asset.vendor } : {}),
      ...(asset.product ? { product: asset.product } : {}),
      ...(asset.version ? { version: asset.version } : {}),
    },
  };
}

/**
 * Every finding of one asset against the index: for each CVE with criteria on the asset's CPE
 * vendor and product, confirmed when one criterion says vulnerable, probable when none does but
 * one cannot tell; KEV entries without criteria naming the product, probable; `onlyCves`
 * restricts to those CVEs (incremental re-match of changed vulnerabilities). The sensitive
 * service finding is added unless `onlyCves` is given.
 */
export function matchAsset(asset: MatchAsset, index: MatchIndex, onlyCves?: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  if (!onlyCves) {
    const service = sensitiveServiceFinding(asset);
    if (service) findings.push(service);
  }
  if (!asset.matchProduct) return findings;
  const vendor = asset.matchVendor ?? "";
  const assetCpe = asset.cpe ? parseCpe(asset.cpe) : null;
  const cpeStated =
    assetCpe && !["*", "-"].includes(assetCpe.version)
      ? cpeVersion(
          vendor,
          asset.matchProduct,
          assetCpe.version,
          assetCpe.update === "*" ? "-" : assetCpe.update,
        ).version
      : null;
  const version = assetVersionOf(vendor, asset.matchProduct, asset.product, asset.version) ?? cpeStated;
  const criteria =
    vendor === ""
      ? (index.criteriaByProductName.get(asset.matchProduct) ?? [])
      : (index.criteriaByProduct.get(productKey(vendor, asset.matchProduct)) ?? []);

  const verdicts = new Map<string, CriterionVerdict>();
  for (const criterion of criteria) {
    if (onlyCves && !onlyCves.has(criterion.cveId)) continue;
    const previous = verdicts.get(criterion.cveId);
    if (previous === "vulnerable") continue;
    const verdict = judgeCriterion(criterion, version, assetCpe);
    // one criterion saying vulnerable wins; one that cannot tell beats those that say not
    if (previous === undefined || VERDICT_RANK[verdict] > VERDICT_RANK[previous])
      verdicts.set(criterion.cveId, verdict);
  }
  for (const [cveId, verdict] of verdicts) {
    if (verdict === "not_vulnerable") continue;
    const vulnerability = index.vulnerabilities.get(cveId);
    if (!vulnerability) continue;
    findings.push(
      vulnerabilityFinding(
        asset,
        vulnerability,
        verdict === "vulnerable" ? "confirmed" : "probable",
        version,
      ),
    );
  }

  const kevVendors = vendor === "" ? [...index.kevOnlyByVendor.keys()] : [vendor];
  const seen = new Set<string>();
  let words: Set<string> | undefined;
  for (const kevVendor of kevVendors) {
    for (const target of index.kevOnlyByVendor.get(kevVendor) ?? []) {
      if (seen.has(target.cveId) || (onlyCves && !onlyCves.has(target.cveId))) continue;
      words ??= productWords(asset);
      if (!kevNamesAsset(target, asset, words)) continue;
      const vulnerability = index.vulnerabilities.get(target.cveId);
      if (!vulnerability) continue;
      seen.add(target.cveId);
      findings.push(vulnerabilityFinding(asset, vulnerability, "probable", version));
    }
  }
  return findings;
}
