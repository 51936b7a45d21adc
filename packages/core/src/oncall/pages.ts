import { AppError, type PageView } from "@vigie/contracts";
import { type Executor, type OncallPageListRow, type OncallPageRow, oncallRepo, usersRepo } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { OncallContext } from "./manage-shifts.ts";

export type PageViewData = z.infer<typeof PageView>;

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function pageView(row: OncallPageListRow): PageViewData {
  return {
    id: row.id,
    incidentId: row.incident_id,
    reference: row.reference,
    title: row.title,
    level: row.level,
    targetEmail: row.target_email,
    shiftUserId: row.shift_user_id,
    shiftUserName: row.shift_user_name,
    createdAt: new Date(row.created_at).toISOString(),
    webhookSentAt: iso(row.sent_webhook_at),
    acknowledgedAt: iso(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by_name,
    escalatedAt: iso(row.escalated_at),
  };
}

/** The latest pages (`pending`: of declarations nobody acknowledged yet). CERT staff. */
export async function listPages(
  db: Executor,
  actor: Actor | null,
  filter: { pending: boolean },
): Promise<PageViewData[]> {
  assertPermission(actor, "declarations:handle");
  return (await oncallRepo.listPages(db, { pending: filter.pending, limit: 200 })).map(pageView);
}

/**
 * The paged analyst, or any CERT staff member, acknowledges a page: the declaration is being
 * handled and no further level is paged. Idempotent: acknowledging again changes nothing (and
 * is not audited twice). NOT_FOUND when the page does not exist.
 */
export async function acknowledgePage(
  db: Executor,
  actor: Actor | null,
  pageId: string,
  context: OncallContext,
): Promise<PageViewData> {
  assertPermission(actor, "declarations:handle");
  await db.transaction().execute(async (trx) => {
    const page: OncallPageRow | undefined = await oncallRepo.findPage(trx, pageId);
    if (!page) throw new AppError("NOT_FOUND", { message: "Appel d'astreinte introuvable." });
    const acknowledged = await oncallRepo.acknowledgePage(trx, page.id, actor.userId, context.now);
    if (!acknowledged) return;
    const user = await usersRepo.findUserById(trx, actor.userId);
    await recordAudit(
      trx,
      {
        actor,
        action: "oncall.page_acknowledged",
        objectType: "incident",
        objectId: page.incident_id,
        ip: context.ip ?? null,
        details: {
          pageId: page.id,
          level: page.level,
          pagedUserId: page.shift_user_id,
          byPagedPerson: page.shift_user_id === actor.userId,
          by: user?.full_name ?? null,
        },
      },
      context.now,
    );
  });
  const [row] = await oncallRepo.listPages(db, { pending: false, limit: 1, id: pageId });
  if (!row) throw new AppError("NOT_FOUND", { message: "Appel d'astreinte introuvable." });
  return pageView(row);
}
