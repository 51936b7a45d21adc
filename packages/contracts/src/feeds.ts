import { z } from "zod";
import { FeedSourceSchema, feedRunStatuses } from "./watch.ts";

/**
 * Vulnerability feeds (decision 0011, « Feeds »): the report of each ingestion, the merged
 * vulnerabilities and their detail. The vocabulary (sources, run statuses) is in `watch.ts`.
 */

/** One problem of a run: a rejected record (`error`) or something worth knowing (`warning`). */
export const FeedProblem = z.object({
  /** CVE id or CERT-FR reference when known. */
  record: z.string().nullable(),
  /** Line of the file where the record starts, when known. */
  line: z.number().int().nullable(),
  message: z.string(),
  level: z.enum(["error", "warning"]),
});
export type FeedProblem = z.infer<typeof FeedProblem>;

/** The report of one ingestion, as stored in `feed_runs`. */
export const FeedRunView = z.object({
  id: z.string(),
  source: FeedSourceSchema,
  origin: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  status: z.enum(feedRunStatuses),
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  problems: z.array(FeedProblem),
  triggeredByUserId: z.string().nullable(),
});
export type FeedRunView = z.infer<typeof FeedRunView>;

export const FeedSourceParams = z.object({
  source: z.enum(["kev", "nvd", "certfr"], {
    error: "Source inconnue : « kev », « nvd » ou « certfr ».",
  }),
});

export const FeedRunListQuery = z.object({
  source: z
    .enum(["kev", "nvd", "certfr"], { error: "Source inconnue : « kev », « nvd » ou « certfr »." })
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(30),
});
export const FeedRunList = z.object({ items: z.array(FeedRunView) });

const cveIdPattern = /^CVE-\d{4}-\d{4,}$/;

const booleanQuery = z
  .enum(["true", "false", "1", "0"], { error: "Valeur attendue : true ou false." })
  .transform((v) => v === "true" || v === "1");

export const VulnerabilityListQuery = z.object({
  /** Words searched in the CVE id, description, KEV vendor, product and name. */
  q: z.string().trim().max(200, { error: "Recherche trop longue (200 caractères au plus)." }).optional(),
  /** true: only CVEs in the KEV catalog; false: only those not in it. */
  kev: booleanQuery.optional(),
  /** A CVE id, or its beginning (CVE-2023-49). */
  cve: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^CVE(-\d{0,4}(-\d*)?)?$/, { error: "Identifiant CVE invalide (ex. CVE-2023-4966)." })
    .optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

/** A vulnerability as listed. */
export const VulnerabilitySummary = z.object({
  cveId: z.string(),
  description: z.string().nullable(),
  cvssScore: z.number().nullable(),
  cvssSeverity: z.string().nullable(),
  inKev: z.boolean(),
  kevAddedOn: z.string().nullable(),
  kevDueOn: z.string().nullable(),
  kevRansomware: z.boolean(),
  kevVendor: z.string().nullable(),
  kevProduct: z.string().nullable(),
  kevName: z.string().nullable(),
  advisoryIds: z.array(z.string()),
  nvdLastModifiedAt: z.string().nullable(),
  matchChangedAt: z.string(),
  updatedAt: z.string(),
});
export type VulnerabilitySummary = z.infer<typeof VulnerabilitySummary>;

export const VulnerabilityList = z.object({
  items: z.array(VulnerabilitySummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const VulnerabilityParams = z.object({
  cve: z
    .string()
    .trim()
    .toUpperCase()
    .regex(cveIdPattern, { error: "Identifiant CVE invalide (ex. CVE-2023-4966)." }),
});

/** One record of a feed naming this CVE, with its revision. */
export const VulnerabilitySourceView = z.object({
  source: FeedSourceSchema,
  recordId: z.string(),
  revision: z.number().int(),
  sourceModifiedAt: z.string().nullable(),
  firstSeenAt: z.string(),
  lastChangedAt: z.string(),
  lastSeenAt: z.string(),
});

/** One vulnerable CPE match of the NVD configurations. */
export const VulnerabilityCriterionView = z.object({
  criteria: z.string(),
  part: z.string(),
  vendor: z.string(),
  product: z.string(),
  version: z.string(),
  versionStartIncluding: z.string().nullable(),
  versionStartExcluding: z.string().nullable(),
  versionEndIncluding: z.string().nullable(),
  versionEndExcluding: z.string().nullable(),
});

/** A CERT-FR alert or advisory. */
export const AdvisoryView = z.object({
  id: z.string(),
  kind: z.enum(["alerte", "avis", "autre"]),
  title: z.string(),
  link: z.string().nullable(),
  summary: z.string().nullable(),
  publishedAt: z.string().nullable(),
  sourceUpdatedAt: z.string().nullable(),
  cves: z.array(z.string()),
});

/** A vulnerability with its sources, KEV data, criteria and advisories. */
export const VulnerabilityDetail = VulnerabilitySummary.extend({
  nvdStatus: z.string().nullable(),
  nvdPublishedAt: z.string().nullable(),
  kevAction: z.string().nullable(),
  sources: z.array(VulnerabilitySourceView),
  criteria: z.array(VulnerabilityCriterionView),
  advisories: z.array(AdvisoryView),
});
export type VulnerabilityDetail = z.infer<typeof VulnerabilityDetail>;
