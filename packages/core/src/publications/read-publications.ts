import { AppError, type CertPublicationListQuery, type PublicationListQuery } from "@vigie/contracts";
import { type Executor, type PublicationFilter, publicationsRepo } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { normaliseSearchText } from "../directory/search-text.ts";
import {
  type CertPublicationViewData,
  type PublicationSummaryData,
  type PublicationViewData,
  toCertView,
  toPublicationSummary,
  toPublishedView,
} from "./present.ts";
import { canWritePublications, readableTlps } from "./visibility.ts";

/** A page of publications. */
export interface PublicationPageData {
  items: PublicationSummaryData[];
  total: number;
  page: number;
  pageSize: number;
}

type ListQuery = z.output<typeof PublicationListQuery>;

function filterOf(query: ListQuery): PublicationFilter {
  const words = query.q ? normaliseSearchText(query.q).split(" ").filter(Boolean) : [];
  const product = query.product ? normaliseSearchText(query.product) : "";
  return {
    words,
    kind: query.kind,
    product: product || undefined,
    cve: query.cve,
    year: query.year,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  };
}

const notFound = () => new AppError("NOT_FOUND", { message: "Publication introuvable." });

/**
 * Published items the actor may read (anyone: TLP:CLEAR; `publications:read`: TLP:GREEN and
 * TLP:AMBER too), searched and filtered, newest revision first.
 */
export async function listPublications(
  db: Executor,
  actor: Actor | null,
  query: ListQuery,
): Promise<PublicationPageData> {
  const { rows, total } = await publicationsRepo.listPublished(db, {
    ...filterOf(query),
    tlps: readableTlps(actor),
  });
  return { items: rows.map(toPublicationSummary), total, page: query.page, pageSize: query.pageSize };
}

/**
 * One publication by slug, as published (latest revision and history). Anything the actor may
 * not read is NOT_FOUND, so its existence is never revealed; withdrawn items stay readable by
 * the CERT's writers.
 */
export async function getPublication(
  db: Executor,
  actor: Actor | null,
  slug: string,
): Promise<PublicationViewData> {
  const row = await publicationsRepo.findPublishedBySlug(db, slug);
  if (!row) throw notFound();
  const writer = canWritePublications(actor);
  if (row.status === "withdrawn" && !writer) throw notFound();
  if (!readableTlps(actor).includes(row.tlp)) throw notFound();
  return toPublishedView(row, await publicationsRepo.listRevisions(db, row.id), writer);
}

/** Every publication for the CERT's writers: drafts and withdrawn ones too, on the working copy. */
export async function listCertPublications(
  db: Executor,
  actor: Actor | null,
  query: z.output<typeof CertPublicationListQuery>,
): Promise<PublicationPageData> {
  assertPermission(actor, "publications:write");
  const { rows, total } = await publicationsRepo.listForCert(db, {
    ...filterOf(query),
    status: query.status,
  });
  return { items: rows.map(toPublicationSummary), total, page: query.page, pageSize: query.pageSize };
}

/** A publication's working copy and history, or NOT_FOUND. Used inside the write use cases too. */
export async function loadCertPublicationView(db: Executor, id: string): Promise<CertPublicationViewData> {
  const row = await publicationsRepo.findPublicationById(db, id);
  if (!row) throw notFound();
  const revisions = await publicationsRepo.listRevisions(db, row.id);
  const createdBy = row.created_by_user_id
    ? await publicationsRepo.findUserName(db, row.created_by_user_id)
    : null;
  return toCertView(row, revisions, createdBy);
}

/** One publication for the CERT's writers (any status). */
export async function getCertPublication(
  db: Executor,
  actor: Actor | null,
  id: string,
): Promise<CertPublicationViewData> {
  assertPermission(actor, "publications:write");
  return loadCertPublicationView(db, id);
}
