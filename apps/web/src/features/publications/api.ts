import type {
  CertPublicationView,
  PublicationPage,
  PublicationSummary,
  PublicationView,
} from "@vigie/contracts";
import type { z } from "zod";

export type PublicationItem = z.infer<typeof PublicationSummary>;
export type PublicationData = z.infer<typeof PublicationView>;
export type CertPublicationData = z.infer<typeof CertPublicationView>;
export type PublicationPageData = z.infer<typeof PublicationPage>;

/** Where the public pages and the CERT's pages live in the web app. */
export const PUBLIC_PATH = "/publications";
export const CERT_PATH = "/cert/publications";

/** The feeds of the public (TLP:CLEAR) publications. */
export const FEED_LINKS = { rss: "/api/publications/rss.xml", atom: "/api/publications/atom.xml" } as const;

/** Query keys: readers' lists and items under ["publications"], the CERT's under ["cert-publications"]. */
export const publicationKeys = {
  all: ["publications"] as const,
  list: (filters: Record<string, string>) => ["publications", "list", filters] as const,
  item: (slug: string) => ["publications", "item", slug] as const,
  certAll: ["cert-publications"] as const,
  certList: (filters: Record<string, string>) => ["cert-publications", "list", filters] as const,
  certItem: (id: string) => ["cert-publications", "item", id] as const,
};
