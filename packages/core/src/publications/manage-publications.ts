import {
  AppError,
  type CreatePublicationRequest,
  type FieldIssue,
  type PublicationKind,
  type PublicationProduct,
  type PublishPublicationRequest,
  publicationKindCodes,
  type UpdatePublicationRequest,
  type WithdrawPublicationRequest,
} from "@vigie/contracts";
import { type Executor, type PublicationRow, publicationsRepo } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { normaliseSearchText } from "../directory/search-text.ts";
import { parisLocalTime } from "../time/paris-time.ts";
import type { CertPublicationViewData } from "./present.ts";
import { loadCertPublicationView } from "./read-publications.ts";

/** Context of a change to a publication. */
export interface PublicationContext {
  now: Date;
  ip?: string | null;
  /** When the audit entry is written, if not `now` (demo items published at their real past dates). */
  auditAt?: Date;
}

type Content = z.output<typeof UpdatePublicationRequest>;

/** The first publication's note when the lead writes none. */
export const FIRST_PUBLICATION_NOTE = "Première publication.";

const notFound = () => new AppError("NOT_FOUND", { message: "Publication introuvable." });

function invalid(fields: FieldIssue[]): AppError {
  return new AppError("VALIDATION_FAILED", { message: fields[0]?.message, fields });
}

/** `VIGIE-ALE-2026-001`: kind code, year of the first publication, counter on 3 digits or more. */
export function publicationReference(kind: PublicationKind, year: number, number: number): string {
  return `VIGIE-${publicationKindCodes[kind]}-${year}-${String(number).padStart(3, "0")}`;
}

/** The URL slug: the reference (unique) then the title's first words, lower-case ASCII. */
export function publicationSlug(reference: string, title: string): string {
  let words = "";
  for (const word of normaliseSearchText(title).split(" ").filter(Boolean)) {
    const next = words ? `${words}-${word}` : word;
    if (next.length > 60) break;
    words = next;
  }
  const base = reference.toLowerCase();
  return words ? `${base}-${words}` : base;
}

/** Vendors and products as one searchable text. */
export function productText(products: readonly PublicationProduct[]): string {
  return products.map((p) => `${p.vendor} ${p.product}`).join(" ; ");
}

function contentColumns(content: Content) {
  return {
    title: content.title,
    summary: content.summary,
    risk: content.risk,
    products: JSON.stringify(content.products),
    cve_ids: content.cveIds,
    exploitation: content.exploitation,
    actions: content.actions,
    reference_urls: content.referenceUrls,
    body: content.body,
    tlp: content.tlp,
  };
}

/**
 * What publishing requires beyond a draft: a summary and a body for every kind; for an alert, the
 * risk, the recommended actions and at least one affected product instead of a body.
 */
export function publicationGaps(
  row: Pick<PublicationRow, "kind" | "summary" | "risk" | "actions" | "body" | "products">,
): FieldIssue[] {
  const gaps: FieldIssue[] = [];
  if (row.summary.trim().length < 20)
    gaps.push({
      field: "summary",
      message: "Le résumé est obligatoire pour publier (20 caractères au moins).",
    });
  if (row.kind === "alert") {
    if (row.risk.trim().length < 10)
      gaps.push({
        field: "risk",
        message: "Décrivez le risque pour publier une alerte (10 caractères au moins).",
      });
    if (row.products.length === 0)
      gaps.push({
        field: "products",
        message: "Indiquez au moins un produit concerné pour publier une alerte.",
      });
    if (row.actions.trim().length < 10)
      gaps.push({
        field: "actions",
        message: "Indiquez les actions recommandées pour publier une alerte (10 caractères au moins).",
      });
  } else if (row.body.trim().length < 20) {
    gaps.push({
      field: "body",
      message: "Le contenu est obligatoire pour publier (20 caractères au moins).",
    });
  }
  return gaps;
}

/** Creates a draft (CERT writers); nothing is visible to readers until a lead publishes it. */
export async function createPublication(
  db: Executor,
  actor: Actor | null,
  request: z.output<typeof CreatePublicationRequest>,
  context: PublicationContext,
): Promise<CertPublicationViewData> {
  assertPermission(actor, "publications:write");
  const { now } = context;
  return db.transaction().execute(async (trx) => {
    const row = await publicationsRepo.insertPublication(trx, {
      kind: request.kind,
      ...contentColumns(request),
      created_by_user_id: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await recordAudit(
      trx,
      {
        actor,
        action: "publication.created",
        objectType: "publication",
        objectId: row.id,
        ip: context.ip ?? null,
        details: { kind: row.kind, title: row.title, tlp: row.tlp },
      },
      now,
    );
    return loadCertPublicationView(trx, row.id);
  });
}

/** Saves the working copy; readers keep seeing the latest published revision until the next publication. */
export async function updatePublication(
  db: Executor,
  actor: Actor | null,
  id: string,
  request: Content,
  context: PublicationContext,
): Promise<CertPublicationViewData> {
  assertPermission(actor, "publications:write");
  const { now } = context;
  return db.transaction().execute(async (trx) => {
    const row = await publicationsRepo.lockPublication(trx, id);
    if (!row) throw notFound();
    if (row.status === "withdrawn") {
      throw invalid([
        { field: "id", message: "Cette publication est retirée : elle ne peut plus être modifiée." },
      ]);
    }
    if (
      request.baseUpdatedAt &&
      new Date(request.baseUpdatedAt).getTime() !== new Date(row.updated_at).getTime()
    ) {
      const message = "La publication a été modifiée entre-temps. Rechargez-la avant d'enregistrer.";
      throw new AppError("CONFLICT", { message, fields: [{ field: "baseUpdatedAt", message }] });
    }
    await publicationsRepo.updatePublication(trx, row.id, {
      ...contentColumns(request),
      pending_changes: true,
      updated_at: now,
    });
    await recordAudit(
      trx,
      {
        actor,
        action: "publication.updated",
        objectType: "publication",
        objectId: row.id,
        ip: context.ip ?? null,
        details: { reference: row.reference, title: request.title, tlp: request.tlp },
      },
      now,
    );
    return loadCertPublicationView(trx, row.id);
  });
}

/**
 * Publishes the working copy as the next immutable revision (CERT lead). The first publication
 * takes the reference from the kind's yearly counter and the slug; later ones need a change note.
 */
export async function publishPublication(
  db: Executor,
  actor: Actor | null,
  id: string,
  request: z.output<typeof PublishPublicationRequest>,
  context: PublicationContext,
): Promise<CertPublicationViewData> {
  assertPermission(actor, "publications:publish");
  return db.transaction().execute(async (trx) => {
    const row = await publicationsRepo.lockPublication(trx, id);
    if (!row) throw notFound();
    const view = await publishLocked(trx, row, request.changeNote, context, actor);
    return view;
  });
}

async function publishLocked(
  trx: Executor,
  row: PublicationRow,
  changeNote: string | undefined,
  context: PublicationContext,
  actor: Actor | null,
): Promise<CertPublicationViewData> {
  const { now } = context;
  if (row.status === "withdrawn") {
    throw invalid([
      { field: "id", message: "Cette publication est retirée : elle ne peut plus être publiée." },
    ]);
  }
  const first = row.status === "draft";
  if (!first && !row.pending_changes) {
    throw invalid([
      { field: "changeNote", message: "Aucune modification à publier depuis la dernière révision." },
    ]);
  }
  const gaps = publicationGaps(row);
  if (!first && !changeNote) {
    gaps.push({ field: "changeNote", message: "Expliquez la modification publiée (note de modification)." });
  }
  if (gaps.length > 0) throw invalid(gaps);

  let { reference, slug, year } = row;
  if (first) {
    year = parisLocalTime(now).year;
    reference = publicationReference(
      row.kind,
      year,
      await publicationsRepo.nextReferenceNumber(trx, row.kind, year),
    );
    slug = publicationSlug(reference, row.title);
  }
  const revision = row.current_revision + 1;
  const note = changeNote || FIRST_PUBLICATION_NOTE;
  await publicationsRepo.insertRevision(trx, {
    publication_id: row.id,
    revision,
    title: row.title,
    summary: row.summary,
    risk: row.risk,
    products: JSON.stringify(row.products),
    product_text: productText(row.products),
    cve_ids: row.cve_ids,
    exploitation: row.exploitation,
    actions: row.actions,
    reference_urls: row.reference_urls,
    body: row.body,
    tlp: row.tlp,
    change_note: note,
    published_by_user_id: actor?.userId ?? null,
    published_at: now,
  });
  await publicationsRepo.updatePublication(trx, row.id, {
    status: "published",
    reference,
    slug,
    year,
    current_revision: revision,
    pending_changes: false,
    first_published_at: row.first_published_at ?? now,
    last_published_at: now,
    updated_at: now,
  });
  await recordAudit(
    trx,
    {
      actor,
      ...(actor ? {} : { actorLabel: "système (publications de démonstration)" }),
      action: first ? "publication.published" : "publication.revised",
      objectType: "publication",
      objectId: row.id,
      ip: context.ip ?? null,
      details: { reference, revision, tlp: row.tlp, changeNote: note },
    },
    context.auditAt ?? now,
  );
  return loadCertPublicationView(trx, row.id);
}

/** Withdraws a published item (CERT lead): gone for readers and feeds, kept with its history for the CERT. */
export async function withdrawPublication(
  db: Executor,
  actor: Actor | null,
  id: string,
  request: z.output<typeof WithdrawPublicationRequest>,
  context: PublicationContext,
): Promise<CertPublicationViewData> {
  assertPermission(actor, "publications:publish");
  const { now } = context;
  return db.transaction().execute(async (trx) => {
    const row = await publicationsRepo.lockPublication(trx, id);
    if (!row) throw notFound();
    if (row.status !== "published") {
      const message =
        row.status === "draft"
          ? "Un brouillon n'est pas publié : il n'y a rien à retirer."
          : "Cette publication est déjà retirée.";
      throw invalid([{ field: "id", message }]);
    }
    await publicationsRepo.updatePublication(trx, row.id, {
      status: "withdrawn",
      withdrawn_at: now,
      withdrawn_by_user_id: actor.userId,
      withdrawal_note: request.note,
      updated_at: now,
    });
    await recordAudit(
      trx,
      {
        actor,
        action: "publication.withdrawn",
        objectType: "publication",
        objectId: row.id,
        ip: context.ip ?? null,
        details: { reference: row.reference, revision: row.current_revision, note: request.note },
      },
      now,
    );
    return loadCertPublicationView(trx, row.id);
  });
}

/**
 * Creates and publishes a publication in one transaction on behalf of the system (demo seeding);
 * the same rules as a lead's publication apply.
 */
export async function publishAsSystem(
  db: Executor,
  request: z.output<typeof CreatePublicationRequest>,
  context: PublicationContext,
): Promise<CertPublicationViewData> {
  return db.transaction().execute(async (trx) => {
    const row = await publicationsRepo.insertPublication(trx, {
      kind: request.kind,
      ...contentColumns(request),
      created_by_user_id: null,
      created_at: context.now,
      updated_at: context.now,
    });
    await recordAudit(
      trx,
      {
        actorLabel: "système (publications de démonstration)",
        action: "publication.created",
        objectType: "publication",
        objectId: row.id,
        details: { kind: row.kind, title: row.title, tlp: row.tlp },
      },
      context.auditAt ?? context.now,
    );
    return publishLocked(trx, row, undefined, context, null);
  });
}
