import type { FeedRunView, FeedSource, VulnerabilityDetail, VulnerabilitySummary } from "@vigie/contracts";

export type { FeedRunView, FeedSource, VulnerabilityDetail, VulnerabilitySummary };

/** Where the feeds page lives in the web app. */
export const FEEDS_PATH = "/cert/veille/flux";
/** A vulnerability's page. */
export const vulnerabilityPath = (cve: string) => `/cert/veille/vulnerabilites/${cve}`;

/** Query keys: runs under ["feed-runs"], vulnerability lists and pages under ["vulnerabilities"]. */
export const feedKeys = {
  runs: ["feed-runs"] as const,
  vulnerabilities: ["vulnerabilities"] as const,
  list: (filters: Record<string, string>) => ["vulnerabilities", "list", filters] as const,
  detail: (cve: string) => ["vulnerabilities", "detail", cve] as const,
};

export interface VulnerabilityPage {
  items: VulnerabilitySummary[];
  total: number;
  page: number;
  pageSize: number;
}

/** What each source expects, shown beside its upload field. */
export const sourceHints: Record<FeedSource, string> = {
  kev: "Fichier JSON du catalogue (known_exploited_vulnerabilities.json).",
  nvd: "Un enregistrement CVE de l'API CVE 2.0 du NVD, ou une réponse de l'API (JSON).",
  certfr: "Flux RSS du CERT-FR, ou alerte ou avis au format JSON (un élément ou une liste).",
};
