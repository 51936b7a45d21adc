import type { FeedProblem } from "@vigie/contracts";
import { SaxesParser } from "saxes";
import {
  arrayElementLines,
  cveIdsIn,
  decodeUtf8,
  isoTimestamp,
  type ParsedFeed,
  parseJson,
  problem,
  shown,
  text,
} from "./common.ts";

export type AdvisoryKind = "alerte" | "avis" | "autre";

/** One CERT-FR alert or advisory, checked. */
export interface CertfrRecord {
  /** The CERT-FR reference, e.g. CERTFR-2024-ALE-001. */
  id: string;
  line: number | null;
  kind: AdvisoryKind;
  title: string;
  link: string | null;
  summary: string | null;
  publishedAt: Date | null;
  /** Last revision (JSON) or publication date (RSS). */
  updatedAt: Date | null;
  cves: string[];
  payload: Record<string, unknown>;
}

const REFERENCE = /CERTFR-\d{4}-[A-Z]{2,5}-\d{3,}/i;

/** alerte for ALE, avis for AVI, else autre (actualités, CTI, IOC…). */
export function advisoryKindOf(reference: string): AdvisoryKind {
  const code = reference.split("-")[2]?.toUpperCase();
  return code === "ALE" ? "alerte" : code === "AVI" ? "avis" : "autre";
}

function linkOf(reference: string, kind: AdvisoryKind): string | null {
  return kind === "autre" ? null : `https://www.cert.ssi.gouv.fr/${kind}/${reference}/`;
}

/** Text of an HTML fragment (an RSS description carries escaped HTML). */
function plain(html: string | null): string | null {
  if (html === null) return null;
  return text(
    html
      .replace(/<[^>]*>/g, " ")
      .replace(/&nbsp;/g, " ")
      .replace(/\s+/g, " "),
  );
}

/**
 * Parses CERT-FR alerts and advisories: the per-item JSON of the CERT-FR site (one item or a
 * list; `reference`, `title`, `summary`, `cves[{name}]`, `revisions[{revision_date}]`…) or its
 * RSS 2.0 feed (items with title, link, description, pubDate, guid; the reference is read from
 * the link or guid, the CVEs from the title and description). The format is read from the
 * content.
 */
export function parseCertfr(bytes: Uint8Array | string): ParsedFeed<CertfrRecord> {
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) return decoded;
  const first = decoded.text.trimStart()[0];
  if (first === "<") return parseCertfrRss(decoded.text);
  if (first === "{" || first === "[") return parseCertfrJson(decoded.text);
  if (first === undefined) return { ok: false, message: "Fichier vide : aucun enregistrement à lire." };
  return {
    ok: false,
    message: "Fichier illisible : ni JSON ni flux RSS (XML) du CERT-FR. Rien n'a été modifié.",
  };
}

function parseCertfrJson(source: string): ParsedFeed<CertfrRecord> {
  const parsed = parseJson(source);
  if (!parsed.ok) return parsed;
  const root = parsed.value;
  let items: { item: unknown; line: number | null }[];
  if (Array.isArray(root)) {
    const lines = arrayElementLines(source, null);
    items = root.map((item, i) => ({ item, line: lines[i] ?? null }));
  } else if (
    root !== null &&
    typeof root === "object" &&
    Array.isArray((root as { items?: unknown }).items)
  ) {
    const lines = arrayElementLines(source, "items");
    items = (root as { items: unknown[] }).items.map((item, i) => ({ item, line: lines[i] ?? null }));
  } else if (root !== null && typeof root === "object") {
    items = [{ item: root, line: 1 }];
  } else {
    return {
      ok: false,
      message: "Ce n'est pas un avis ou une liste d'avis du CERT-FR. Rien n'a été modifié.",
    };
  }
  const problems: FeedProblem[] = [];
  const records: CertfrRecord[] = [];
  const seen = new Set<string>();
  let rejected = 0;
  items.forEach(({ item, line }, index) => {
    const reject = (record: string | null, message: string) => {
      rejected++;
      problems.push(problem("error", record, line, message));
    };
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      reject(null, `Élément n° ${index + 1} ignoré : ce n'est pas un objet JSON.`);
      return;
    }
    const o = item as Record<string, unknown>;
    const reference = typeof o.reference === "string" ? o.reference.trim().toUpperCase() : null;
    if (!reference || !new RegExp(`^${REFERENCE.source}$`, "i").test(reference)) {
      reject(
        reference,
        reference
          ? `Élément ignoré : référence « ${shown(o.reference)} » invalide (CERTFR-AAAA-ALE-NNN attendu).`
          : `Élément n° ${index + 1} ignoré : le champ reference est absent.`,
      );
      return;
    }
    const title = text(o.title);
    if (!title) {
      reject(reference, "Élément ignoré : le champ title est absent.");
      return;
    }
    const revisions = Array.isArray(o.revisions) ? (o.revisions as { revision_date?: unknown }[]) : [];
    const dates: Date[] = [];
    for (const revision of revisions) {
      const date = isoTimestamp(revision?.revision_date);
      if (!date) {
        reject(
          reference,
          `Élément ignoré : revision_date « ${shown(revision?.revision_date)} » n'est pas une date.`,
        );
        return;
      }
      dates.push(date);
    }
    if (seen.has(reference)) {
      reject(reference, "Élément ignoré : cette référence figure déjà plus haut dans le fichier.");
      return;
    }
    seen.add(reference);
    const listed = Array.isArray(o.cves)
      ? (o.cves as { name?: unknown }[])
          .map((c) => (typeof c === "string" ? c : c?.name))
          .filter((n): n is string => typeof n === "string")
      : [];
    const summary = text(o.summary);
    const cves = cveIdsIn([...listed, title, summary ?? ""].join(" "));
    const kind = advisoryKindOf(reference);
    dates.sort((a, b) => a.getTime() - b.getTime());
    records.push({
      id: reference,
      line,
      kind,
      title,
      link: text(o.link) ?? linkOf(reference, kind),
      summary,
      publishedAt: dates[0] ?? null,
      updatedAt: dates.at(-1) ?? null,
      cves,
      payload: o,
    });
  });
  return { ok: true, records, problems, rejected };
}

interface RssItem {
  line: number;
  fields: Record<string, string>;
}

function parseCertfrRss(source: string): ParsedFeed<CertfrRecord> {
  const parser = new SaxesParser({ position: true });
  const items: RssItem[] = [];
  const stack: string[] = [];
  let sawRss = false;
  let current: RssItem | null = null;
  let field: string | null = null;
  let buffer = "";
  let failure: string | null = null;
  parser.on("error", (error) => {
    failure ??= error.message;
  });
  parser.on("opentag", (tag) => {
    const name = tag.name.toLowerCase();
    if (stack.length === 0 && (name === "rss" || name === "rdf:rdf")) sawRss = true;
    stack.push(name);
    if (name === "item") current = { line: parser.line, fields: {} };
    else if (current && stack.length >= 2 && stack[stack.length - 2] === "item") {
      field = name;
      buffer = "";
    }
  });
  const onText = (t: string) => {
    if (field) buffer += t;
  };
  parser.on("text", onText);
  parser.on("cdata", onText);
  parser.on("closetag", (tag) => {
    const name = tag.name.toLowerCase();
    stack.pop();
    if (current && field === name && stack.at(-1) === "item") {
      current.fields[name] = buffer;
      field = null;
    } else if (name === "item" && current) {
      items.push(current);
      current = null;
    }
  });
  try {
    parser.write(source).close();
  } catch (error) {
    failure ??= error instanceof Error ? error.message : String(error);
  }
  if (failure) {
    return {
      ok: false,
      message: `Flux RSS illisible : XML invalide, il est peut-être tronqué (${failure}). Rien n'a été modifié.`,
    };
  }
  if (!sawRss) {
    return {
      ok: false,
      message: "Ce n'est pas un flux RSS : l'élément racine <rss> est absent. Rien n'a été modifié.",
    };
  }
  const problems: FeedProblem[] = [];
  const records: CertfrRecord[] = [];
  const seen = new Set<string>();
  let rejected = 0;
  for (const { line, fields } of items) {
    const reject = (record: string | null, message: string) => {
      rejected++;
      problems.push(problem("error", record, line, message));
    };
    const link = text(fields.link);
    const guid = text(fields.guid);
    const reference = (
      REFERENCE.exec(link ?? "")?.[0] ??
      REFERENCE.exec(guid ?? "")?.[0] ??
      null
    )?.toUpperCase();
    if (!reference) {
      reject(
        null,
        `Article ignoré : aucune référence CERT-FR dans le lien « ${shown(link ?? guid ?? "")} ».`,
      );
      continue;
    }
    const title = plain(fields.title ?? null);
    if (!title) {
      reject(reference, "Article ignoré : le titre est absent.");
      continue;
    }
    let publishedAt: Date | null = null;
    if (fields.pubdate !== undefined) {
      const ms = Date.parse(fields.pubdate.trim());
      if (Number.isNaN(ms)) {
        reject(reference, `Article ignoré : pubDate « ${shown(fields.pubdate)} » n'est pas une date.`);
        continue;
      }
      publishedAt = new Date(ms);
    }
    if (seen.has(reference)) {
      reject(reference, "Article ignoré : cette référence figure déjà plus haut dans le flux.");
      continue;
    }
    seen.add(reference);
    const summary = plain(fields.description ?? null);
    const path = `${link ?? ""} ${guid ?? ""}`;
    const kind: AdvisoryKind = /\/alerte\//.test(path)
      ? "alerte"
      : /\/avis\//.test(path)
        ? "avis"
        : advisoryKindOf(reference);
    records.push({
      id: reference,
      line,
      kind,
      title,
      link: link ?? guid ?? linkOf(reference, kind),
      summary,
      publishedAt,
      updatedAt: publishedAt,
      cves: cveIdsIn(`${title} ${summary ?? ""}`),
      payload: { ...fields, format: "rss" },
    });
  }
  return { ok: true, records, problems, rejected };
}
