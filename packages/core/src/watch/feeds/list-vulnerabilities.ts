import { AppError, type VulnerabilityDetail, type VulnerabilitySummary } from "@vigie/contracts";
import {
  type AdvisoryRow,
  type Executor,
  vulnerabilityFeedsRepo as repo,
  type VulnerabilityRow,
} from "@vigie/db";
import { type Actor, assertPermission } from "../../access/policy.ts";

const iso = (d: Date | null) => d?.toISOString() ?? null;

function toSummary(row: VulnerabilityRow): VulnerabilitySummary {
  return {
    cveId: row.cve_id,
    description: row.description,
    cvssScore: row.cvss_score === null ? null : Number(row.cvss_score),
    cvssSeverity: row.cvss_severity,
    inKev: row.in_kev,
    kevAddedOn: row.kev_added_on,
    kevDueOn: row.kev_due_on,
    kevRansomware: row.kev_ransomware,
    kevVendor: row.kev_vendor,
    kevProduct: row.kev_product,
    kevName: row.kev_name,
    advisoryIds: row.advisory_ids,
    nvdLastModifiedAt: iso(row.nvd_last_modified_at),
    matchChangedAt: row.match_changed_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toAdvisory(row: AdvisoryRow): VulnerabilityDetail["advisories"][number] {
  return {
    id: row.id,
    kind: row.kind as "alerte" | "avis" | "autre",
    title: row.title,
    link: row.link,
    summary: row.summary,
    publishedAt: iso(row.published_at),
    sourceUpdatedAt: iso(row.source_updated_at),
    cves: row.cves,
  };
}

/** A page of vulnerabilities, searched by words, KEV membership and CVE id (`watch:handle`). */
export async function listVulnerabilities(
  db: Executor,
  actor: Actor | null,
  query: {
    q?: string | undefined;
    kev?: boolean | undefined;
    cve?: string | undefined;
    page: number;
    pageSize: number;
  },
): Promise<{ items: VulnerabilitySummary[]; total: number; page: number; pageSize: number }> {
  assertPermission(actor, "watch:handle");
  const { rows, total } = await repo.listVulnerabilities(
    db,
    { text: query.q || undefined, kev: query.kev, cvePrefix: query.cve || undefined },
    { limit: query.pageSize, offset: (query.page - 1) * query.pageSize },
  );
  return { items: rows.map(toSummary), total, page: query.page, pageSize: query.pageSize };
}

/** One vulnerability with its feed records and revisions, KEV data, criteria and advisories. */
export async function getVulnerability(
  db: Executor,
  actor: Actor | null,
  cveId: string,
): Promise<VulnerabilityDetail> {
  assertPermission(actor, "watch:handle");
  const row = await repo.findVulnerability(db, cveId);
  if (!row) throw new AppError("NOT_FOUND", { message: `Vulnérabilité ${cveId} inconnue de Vigie.` });
  const [advisories, criteria] = await Promise.all([
    repo.listAdvisoriesNaming(db, cveId),
    repo.listCriteria(db, [cveId]),
  ]);
  const sources = await repo.listSourcesOf(
    db,
    cveId,
    advisories.map((a) => a.id),
  );
  return {
    ...toSummary(row),
    nvdStatus: row.nvd_status,
    nvdPublishedAt: iso(row.nvd_published_at),
    kevAction: row.kev_action,
    sources: sources.map((s) => ({
      source: s.source as "kev" | "nvd" | "certfr",
      recordId: s.record_id,
      revision: s.revision,
      sourceModifiedAt: iso(s.source_modified_at),
      firstSeenAt: s.first_seen_at.toISOString(),
      lastChangedAt: s.last_changed_at.toISOString(),
      lastSeenAt: s.last_seen_at.toISOString(),
    })),
    criteria: criteria.map((c) => ({
      criteria: c.criteria,
      part: c.part,
      vendor: c.vendor,
      product: c.product,
      version: c.version,
      versionStartIncluding: c.version_start_including,
      versionStartExcluding: c.version_start_excluding,
      versionEndIncluding: c.version_end_including,
      versionEndExcluding: c.version_end_excluding,
    })),
    advisories: advisories.map(toAdvisory),
  };
}
