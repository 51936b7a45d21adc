import { readFileSync } from "node:fs";
import { parseCpe } from "./cpe.ts";
import type { MatchCriterion, MatchVulnerability } from "./match.ts";

/** The real NVD records shipped in `reference/vulnerabilities/` (reference/README.md). */
export const NVD_FIXTURE_DIR = new URL("../../../../../reference/vulnerabilities/", import.meta.url);

interface NvdCpeMatch {
  vulnerable: boolean;
  criteria: string;
  versionStartIncluding?: string;
  versionStartExcluding?: string;
  versionEndIncluding?: string;
  versionEndExcluding?: string;
}

interface NvdRecord {
  id: string;
  descriptions?: { lang: string; value: string }[];
  configurations?: { nodes: { cpeMatch?: NvdCpeMatch[] }[] }[];
}

/**
 * Flattens the vulnerable cpeMatch entries of a real NVD record as `vulnerability_criteria`
 * holds them (tests only; the feeds ingestion does this for stored records).
 */
export function readNvdFixture(cveId: string): { record: NvdRecord; criteria: MatchCriterion[] } {
  const record = JSON.parse(readFileSync(new URL(`${cveId}.json`, NVD_FIXTURE_DIR), "utf8")) as NvdRecord;
  const criteria: MatchCriterion[] = [];
  for (const configuration of record.configurations ?? []) {
    for (const node of configuration.nodes) {
      for (const match of node.cpeMatch ?? []) {
        if (!match.vulnerable) continue;
        const cpe = parseCpe(match.criteria);
        if (!cpe) continue;
        criteria.push({
          cveId: record.id,
          criteria: match.criteria,
          vendor: cpe.vendor,
          product: cpe.product,
          version: cpe.version,
          versionStartIncluding: match.versionStartIncluding ?? null,
          versionStartExcluding: match.versionStartExcluding ?? null,
          versionEndIncluding: match.versionEndIncluding ?? null,
          versionEndExcluding: match.versionEndExcluding ?? null,
        });
      }
    }
  }
  return { record, criteria };
}

/** A vulnerability as matching reads it, with KEV fields when given. */
export function fixtureVulnerability(cveId: string, kev?: Partial<MatchVulnerability>): MatchVulnerability {
  return {
    cveId,
    description: null,
    inKev: false,
    kevRansomware: false,
    kevVendor: null,
    kevProduct: null,
    kevName: null,
    kevAction: null,
    advisoryIds: [],
    ...kev,
  };
}
