import { publicationKindLabels } from "@vigie/contracts";
import { type Executor, publicationsRepo } from "@vigie/db";
import { Feed } from "feed";

/** How many items the feeds carry (the newest revisions). */
export const FEED_ITEM_COUNT = 50;

/** The feed formats served. */
export type PublicationFeedFormat = "rss" | "atom";

/** Content types of the feeds. */
export const publicationFeedContentTypes: Record<PublicationFeedFormat, string> = {
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
};

// XML 1.0 forbids most control characters even inside CDATA, and the library ends a CDATA section
// only once: both are neutralised in the CERT's text before it reaches the feed.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to remove them
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const xmlText = (text: string) => text.replace(INVALID_XML, "").replaceAll("]]>", "]] >");

/**
 * The RSS 2.0 or Atom feed of the public publications: published items whose latest revision is
 * TLP:CLEAR, newest first, with absolute links built on `publicUrl`. Nothing reserved ever
 * appears here, whoever asks.
 */
export async function buildPublicationFeed(
  db: Executor,
  format: PublicationFeedFormat,
  options: { publicUrl: string; now: Date },
): Promise<string> {
  const base = options.publicUrl.replace(/\/$/, "");
  const { rows } = await publicationsRepo.listPublished(db, {
    tlps: ["clear"],
    limit: FEED_ITEM_COUNT,
    offset: 0,
  });
  const newest = rows[0]?.last_published_at;
  const feed = new Feed({
    title: "Vigie — alertes et publications du CERT Santé",
    description:
      "Alertes de sécurité, bulletins, fiches réflexes et bonnes pratiques publiés par le CERT Santé (TLP:CLEAR).",
    id: `${base}/publications`,
    link: `${base}/publications`,
    language: "fr",
    updated: newest ? new Date(newest) : options.now,
    generator: "Vigie",
    copyright: "CERT Santé — TLP:CLEAR, diffusion libre",
    feedLinks: { rss: `${base}/api/publications/rss.xml`, atom: `${base}/api/publications/atom.xml` },
  });
  for (const row of rows) {
    const link = `${base}/publications/${row.slug}`;
    const title = `${row.reference} — ${row.title}`;
    feed.addItem({
      title: xmlText(title),
      id: link,
      link,
      description: xmlText(row.summary),
      date: new Date(row.last_published_at ?? options.now),
      published: new Date(row.first_published_at ?? options.now),
      category: [{ name: publicationKindLabels[row.kind] }],
    });
  }
  return format === "rss" ? feed.rss2() : feed.atom1();
}
