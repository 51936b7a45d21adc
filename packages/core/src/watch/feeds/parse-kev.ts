import type { FeedProblem } from "@vigie/contracts";
import {
  arrayElementLines,
  CVE_ID,
  decodeUtf8,
  isoDate,
  type ParsedFeed,
  parseJson,
  problem,
  shown,
  text,
} from "./common.ts";

/** One entry of the CISA KEV catalog, checked. */
export interface KevRecord {
  cveId: string;
  line: number | null;
  /** The entry as received (stored in vulnerability_sources). */
  payload: Record<string, unknown>;
  addedOn: string;
  dueOn: string | null;
  ransomware: boolean;
  vendor: string | null;
  product: string | null;
  name: string | null;
  action: string | null;
}

/** The catalog: its entries, and whether it is complete (its `count` matches what was read). */
export type ParsedKev = ParsedFeed<KevRecord> & { complete?: boolean };

/**
 * Parses the CISA KEV catalog (JSON, `known_exploited_vulnerabilities.json`): one record per
 * `cveID`. An entry without a valid CVE id or `dateAdded` is rejected with its line; a
 * `dueDate` before `dateAdded` (15 entries of the real catalog) is kept with a warning.
 */
export function parseKev(bytes: Uint8Array | string): ParsedKev {
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) return decoded;
  const parsed = parseJson(decoded.text);
  if (!parsed.ok) return parsed;
  const root = parsed.value as { vulnerabilities?: unknown; count?: unknown } | null;
  if (root === null || typeof root !== "object" || !Array.isArray(root.vulnerabilities)) {
    return {
      ok: false,
      message:
        "Ce n'est pas un catalogue CISA KEV : la liste « vulnerabilities » est absente. Rien n'a été modifié.",
    };
  }
  const entries = root.vulnerabilities as unknown[];
  const lines = arrayElementLines(decoded.text, "vulnerabilities");
  const problems: FeedProblem[] = [];
  const records: KevRecord[] = [];
  const seen = new Set<string>();
  let rejected = 0;
  entries.forEach((entry, index) => {
    const line = lines[index] ?? null;
    const reject = (record: string | null, message: string) => {
      rejected++;
      problems.push(problem("error", record, line, message));
    };
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      reject(null, `Entrée n° ${index + 1} ignorée : ce n'est pas un objet JSON.`);
      return;
    }
    const e = entry as Record<string, unknown>;
    const rawId = typeof e.cveID === "string" ? e.cveID.trim().toUpperCase() : null;
    if (!rawId) {
      reject(null, `Entrée n° ${index + 1} ignorée : le champ cveID est absent.`);
      return;
    }
    if (!CVE_ID.test(rawId)) {
      reject(
        rawId,
        `Entrée ignorée : cveID « ${shown(e.cveID)} » n'est pas un identifiant CVE (CVE-AAAA-NNNN).`,
      );
      return;
    }
    const addedOn = isoDate(e.dateAdded);
    if (!addedOn) {
      reject(rawId, `Entrée ignorée : dateAdded « ${shown(e.dateAdded)} » n'est pas une date (AAAA-MM-JJ).`);
      return;
    }
    let dueOn: string | null = null;
    if (e.dueDate !== undefined && e.dueDate !== null && e.dueDate !== "") {
      dueOn = isoDate(e.dueDate);
      if (!dueOn) {
        reject(rawId, `Entrée ignorée : dueDate « ${shown(e.dueDate)} » n'est pas une date (AAAA-MM-JJ).`);
        return;
      }
    }
    if (seen.has(rawId)) {
      reject(
        rawId,
        "Entrée ignorée : ce CVE figure déjà plus haut dans le fichier (la première est retenue).",
      );
      return;
    }
    seen.add(rawId);
    if (dueOn !== null && dueOn < addedOn) {
      problems.push(
        problem(
          "warning",
          rawId,
          line,
          `Date limite (dueDate ${dueOn}) antérieure à la date d'ajout (dateAdded ${addedOn}) : conservée telle que publiée.`,
        ),
      );
    }
    records.push({
      cveId: rawId,
      line,
      payload: e,
      addedOn,
      dueOn,
      ransomware: e.knownRansomwareCampaignUse === "Known",
      vendor: text(e.vendorProject),
      product: text(e.product),
      name: text(e.vulnerabilityName),
      action: text(e.requiredAction),
    });
  });
  // Complete: as many entries as announced, none rejected (a rejected one would look withdrawn).
  const complete = typeof root.count === "number" && root.count === entries.length && rejected === 0;
  if (typeof root.count === "number" && root.count !== entries.length) {
    problems.push(
      problem(
        "warning",
        null,
        null,
        `Le catalogue annonce ${root.count} entrées mais en contient ${entries.length} : il est traité comme incomplet.`,
      ),
    );
  }
  return { ok: true, records, problems, rejected, complete };
}
