import type { FeedProblem } from "@vigie/contracts";
import { parseCpe } from "../matching/cpe.ts";
import {
  arrayElementLines,
  CVE_ID,
  decodeUtf8,
  isoTimestamp,
  type ParsedFeed,
  parseJson,
  problem,
  shown,
  text,
} from "./common.ts";

/** One vulnerable cpeMatch of a CVE's configurations, ready for `vulnerability_criteria`. */
export interface NvdCriterion {
  criteria: string;
  part: string;
  vendor: string;
  product: string;
  version: string;
  versionStartIncluding: string | null;
  versionStartExcluding: string | null;
  versionEndIncluding: string | null;
  versionEndExcluding: string | null;
}

/** One NVD CVE record, checked and reduced to what Vigie keeps. */
export interface NvdRecord {
  cveId: string;
  line: number | null;
  /** The `cve` object as received. */
  payload: Record<string, unknown>;
  status: string | null;
  publishedAt: Date | null;
  lastModifiedAt: Date | null;
  description: string | null;
  cvssScore: number | null;
  cvssSeverity: string | null;
  criteria: NvdCriterion[];
}

interface CvssMetric {
  type?: unknown;
  cvssData?: { baseScore?: unknown; baseSeverity?: unknown };
}

/** CVSS v3.1 then v3.0, the NVD's own (Primary) score first, else the first one given. */
function cvssOf(metrics: unknown): { score: number | null; severity: string | null } {
  const m = (metrics ?? {}) as Record<string, unknown>;
  const lists = [m.cvssMetricV31, m.cvssMetricV30].filter(Array.isArray) as CvssMetric[][];
  const all = lists.flat();
  const chosen = all.find((x) => x?.type === "Primary") ?? all[0];
  const score = chosen?.cvssData?.baseScore;
  if (typeof score !== "number" || score < 0 || score > 10) return { score: null, severity: null };
  return { score, severity: text(chosen?.cvssData?.baseSeverity) };
}

/** English description, else the first one. */
function descriptionOf(descriptions: unknown): string | null {
  if (!Array.isArray(descriptions)) return null;
  const list = descriptions as { lang?: unknown; value?: unknown }[];
  return text((list.find((d) => d?.lang === "en") ?? list[0])?.value);
}

const criterionKey = (c: NvdCriterion) =>
  [
    c.criteria,
    c.versionStartIncluding,
    c.versionStartExcluding,
    c.versionEndIncluding,
    c.versionEndExcluding,
  ].join("\u0000");

/** The vulnerable matches of every node of every configuration, once each. */
function criteriaOf(configurations: unknown, onInvalid: (criteria: string) => void): NvdCriterion[] {
  const out = new Map<string, NvdCriterion>();
  if (!Array.isArray(configurations)) return [];
  for (const configuration of configurations as { nodes?: unknown }[]) {
    const nodes = Array.isArray(configuration?.nodes)
      ? (configuration.nodes as { cpeMatch?: unknown }[])
      : [];
    for (const node of nodes) {
      const matches = Array.isArray(node?.cpeMatch) ? (node.cpeMatch as Record<string, unknown>[]) : [];
      for (const match of matches) {
        // Non-vulnerable matches are the platform a vulnerable product runs on, not a target.
        if (match?.vulnerable !== true) continue;
        const criteria = typeof match.criteria === "string" ? match.criteria : "";
        const cpe = parseCpe(criteria);
        if (!cpe) {
          onInvalid(criteria);
          continue;
        }
        const row: NvdCriterion = {
          criteria,
          part: cpe.part,
          vendor: cpe.vendor,
          product: cpe.product,
          version: cpe.version,
          versionStartIncluding: text(match.versionStartIncluding),
          versionStartExcluding: text(match.versionStartExcluding),
          versionEndIncluding: text(match.versionEndIncluding),
          versionEndExcluding: text(match.versionEndExcluding),
        };
        out.set(criterionKey(row), row);
      }
    }
  }
  return [...out.values()];
}

/** A stable order of criteria, to compare the stored set with a new one. */
export function criteriaSignature(criteria: readonly NvdCriterion[]): string {
  return criteria.map(criterionKey).sort().join("\u0001");
}

/**
 * Parses NVD CVE API 2.0 JSON: either one CVE record (`{id, descriptions, configurations…}`,
 * as saved from the API's `cve` object) or an API answer `{vulnerabilities: [{cve: {…}}]}`.
 * A record without a valid id or with an unreadable date is rejected with its line.
 */
export function parseNvd(bytes: Uint8Array | string): ParsedFeed<NvdRecord> {
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) return decoded;
  const parsed = parseJson(decoded.text);
  if (!parsed.ok) return parsed;
  const root = parsed.value as Record<string, unknown> | null;
  let items: { cve: unknown; line: number | null }[];
  if (root !== null && typeof root === "object" && Array.isArray(root.vulnerabilities)) {
    const lines = arrayElementLines(decoded.text, "vulnerabilities");
    items = (root.vulnerabilities as unknown[]).map((v, i) => ({
      cve: v !== null && typeof v === "object" && "cve" in v ? (v as { cve: unknown }).cve : v,
      line: lines[i] ?? null,
    }));
  } else if (
    root !== null &&
    typeof root === "object" &&
    !Array.isArray(root) &&
    typeof root.id === "string"
  ) {
    items = [{ cve: root, line: 1 }];
  } else if (
    root !== null &&
    typeof root === "object" &&
    !Array.isArray(root) &&
    typeof root.cve === "object"
  ) {
    items = [{ cve: root.cve, line: 1 }];
  } else {
    return {
      ok: false,
      message:
        "Ce n'est pas une réponse de l'API CVE 2.0 du NVD : ni liste « vulnerabilities », ni enregistrement CVE (champ « id »). Rien n'a été modifié.",
    };
  }
  const problems: FeedProblem[] = [];
  const records: NvdRecord[] = [];
  const seen = new Set<string>();
  let rejected = 0;
  items.forEach(({ cve, line }, index) => {
    const reject = (record: string | null, message: string) => {
      rejected++;
      problems.push(problem("error", record, line, message));
    };
    if (cve === null || typeof cve !== "object" || Array.isArray(cve)) {
      reject(null, `Enregistrement n° ${index + 1} ignoré : ce n'est pas un objet CVE.`);
      return;
    }
    const c = cve as Record<string, unknown>;
    const id = typeof c.id === "string" ? c.id.trim().toUpperCase() : null;
    if (!id) {
      reject(null, `Enregistrement n° ${index + 1} ignoré : le champ id est absent.`);
      return;
    }
    if (!CVE_ID.test(id)) {
      reject(
        id,
        `Enregistrement ignoré : id « ${shown(c.id)} » n'est pas un identifiant CVE (CVE-AAAA-NNNN).`,
      );
      return;
    }
    const lastModifiedAt = isoTimestamp(c.lastModified);
    if (c.lastModified !== undefined && !lastModifiedAt) {
      reject(id, `Enregistrement ignoré : lastModified « ${shown(c.lastModified)} » n'est pas une date.`);
      return;
    }
    const publishedAt = isoTimestamp(c.published);
    if (c.published !== undefined && !publishedAt) {
      reject(id, `Enregistrement ignoré : published « ${shown(c.published)} » n'est pas une date.`);
      return;
    }
    if (seen.has(id)) {
      reject(
        id,
        "Enregistrement ignoré : ce CVE figure déjà plus haut dans le fichier (le premier est retenu).",
      );
      return;
    }
    seen.add(id);
    const criteria = criteriaOf(c.configurations, (criteria) =>
      problems.push(
        problem(
          "warning",
          id,
          line,
          `Critère CPE « ${shown(criteria)} » illisible (CPE 2.3 attendu) : ignoré.`,
        ),
      ),
    );
    const cvss = cvssOf(c.metrics);
    records.push({
      cveId: id,
      line,
      payload: c,
      status: text(c.vulnStatus),
      publishedAt,
      lastModifiedAt,
      description: descriptionOf(c.descriptions),
      cvssScore: cvss.score,
      cvssSeverity: cvss.severity,
      criteria,
    });
  });
  return { ok: true, records, problems, rejected };
}
