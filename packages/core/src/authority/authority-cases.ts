import {
  AppError,
  type AuthorityCaseListQuery,
  type AuthorityCasePage,
  type AuthorityCaseSummary,
  type AuthorityCaseView,
  certStatusLabels,
} from "@vigie/contracts";
import { type AuthorityCaseRow, authorityViewsRepo, type Executor } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";

export type AuthorityCaseSummaryData = z.infer<typeof AuthorityCaseSummary>;
export type AuthorityCaseViewData = z.infer<typeof AuthorityCaseView>;
export type AuthorityCasePageData = z.infer<typeof AuthorityCasePage>;

/** Lines per page of an authority's list of cases. */
export const AUTHORITY_CASES_PAGE_SIZE = 20;

const iso = (value: Date | string): string => new Date(value).toISOString();

/**
 * What an authority knows of a case: the coded facts every message carries (reference,
 * structure type, region), when it was told, and the case's current status in the CERT's words.
 * Nothing else of the declaration.
 */
function toSummary(row: AuthorityCaseRow): AuthorityCaseSummaryData {
  return {
    incidentId: row.incident_id,
    reference: row.reference,
    structureType: row.structure_type ?? "other",
    regionCode: row.region_code,
    firstSentAt: iso(row.first_sent_at),
    lastSentAt: iso(row.last_sent_at),
    notifications: Number(row.notifications),
    status: certStatusLabels[row.status],
  };
}

/**
 * The cases the actor's body was sent a notification about (decision 0009), the most recently
 * told first. An authority account without a body sees none.
 */
export async function listAuthorityCases(
  db: Executor,
  actor: Actor | null,
  query: z.output<typeof AuthorityCaseListQuery>,
): Promise<AuthorityCasePageData> {
  assertPermission(actor, "alerts:read");
  const page = query.page ?? 1;
  const empty = { items: [], total: 0, page, pageSize: AUTHORITY_CASES_PAGE_SIZE };
  if (actor.role !== "authority" || !actor.authority) return empty;
  const { rows, total } = await authorityViewsRepo.listCasesSentTo(db, actor.authority, {
    limit: AUTHORITY_CASES_PAGE_SIZE,
    offset: (page - 1) * AUTHORITY_CASES_PAGE_SIZE,
  });
  return { ...empty, items: rows.map(toSummary), total };
}

/**
 * One case as the actor's body knows it: every message sent to it about the case (oldest
 * first, as stored when sent) and the case's current status. NOT_FOUND for a case nothing was
 * sent about to this body — whether it exists or not — the attempt written to the audit log.
 */
export async function getAuthorityCase(
  db: Executor,
  actor: Actor | null,
  incidentId: string,
  context: { now: Date; ip?: string | null },
): Promise<AuthorityCaseViewData> {
  assertPermission(actor, "alerts:read");
  const body = actor.role === "authority" ? actor.authority : null;
  const row = body ? await authorityViewsRepo.findCaseSentTo(db, body, incidentId) : undefined;
  if (!body || !row) {
    await recordAudit(
      db,
      {
        actor,
        action: "permission.denied",
        outcome: "denied",
        objectType: "incident",
        objectId: incidentId,
        ip: context.ip ?? null,
        details: { permission: "alerts:read", reason: "aucune alerte envoyée à cette autorité" },
      },
      context.now,
    );
    throw new AppError("NOT_FOUND", { message: "Cas introuvable." });
  }
  const sent = await authorityViewsRepo.listSentTo(db, body, incidentId);
  return {
    ...toSummary(row),
    sent: sent.map((n) => ({
      id: n.id,
      subject: n.subject,
      body: n.body,
      sentAt: iso(n.decided_at),
      tlp: n.tlp,
    })),
  };
}
