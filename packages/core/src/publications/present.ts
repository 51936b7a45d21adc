import type {
  CertPublicationView,
  PublicationRevisionView,
  PublicationSummary,
  PublicationView,
} from "@vigie/contracts";
import type { PublicationRevisionWithAuthor, PublicationRow, PublishedPublicationRow } from "@vigie/db";
import type { z } from "zod";

export type PublicationSummaryData = z.infer<typeof PublicationSummary>;
export type PublicationViewData = z.infer<typeof PublicationView>;
export type CertPublicationViewData = z.infer<typeof CertPublicationView>;
type RevisionData = z.infer<typeof PublicationRevisionView>;

const iso = (value: Date | string | null): string | null => (value ? new Date(value).toISOString() : null);

/** A publication as listed: for readers its latest revision, for the CERT its working copy (head row). */
export function toPublicationSummary(row: PublishedPublicationRow | PublicationRow): PublicationSummaryData {
  return {
    id: row.id,
    reference: row.reference,
    slug: row.slug,
    kind: row.kind,
    status: row.status,
    title: row.title,
    summary: row.summary,
    tlp: row.tlp,
    cveIds: row.cve_ids,
    products: row.products,
    exploitation: row.exploitation,
    revision: row.current_revision,
    firstPublishedAt: iso(row.first_published_at),
    lastPublishedAt: iso(row.last_published_at),
    withdrawnAt: iso(row.withdrawn_at),
  };
}

/** A revision of the history; the publisher's name only for the CERT. */
export function toRevisionView(row: PublicationRevisionWithAuthor, withAuthor: boolean): RevisionData {
  return {
    revision: row.revision,
    changeNote: row.change_note,
    publishedAt: new Date(row.published_at).toISOString(),
    publishedBy: withAuthor ? (row.published_by_name ?? "système") : null,
    tlp: row.tlp,
  };
}

/** A published item as read, with its history (newest revision first). */
export function toPublishedView(
  row: PublishedPublicationRow,
  revisions: readonly PublicationRevisionWithAuthor[],
  withAuthor: boolean,
): PublicationViewData {
  return {
    ...toPublicationSummary(row),
    risk: row.risk,
    actions: row.actions,
    referenceUrls: row.reference_urls,
    body: row.body,
    revisions: revisions.map((r) => toRevisionView(r, withAuthor)),
    withdrawalNote: row.withdrawal_note,
  };
}

/** The CERT's view: working copy, history with names, and whether something awaits publication. */
export function toCertView(
  row: PublicationRow,
  revisions: readonly PublicationRevisionWithAuthor[],
  createdBy: string | null,
): CertPublicationViewData {
  return {
    ...toPublicationSummary(row),
    risk: row.risk,
    actions: row.actions,
    referenceUrls: row.reference_urls,
    body: row.body,
    revisions: revisions.map((r) => toRevisionView(r, true)),
    withdrawalNote: row.withdrawal_note,
    hasUnpublishedChanges: row.status !== "withdrawn" && row.pending_changes,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    createdBy,
  };
}
