import { operationalImpact, patientEndangerment } from "@vigie/contracts";
import { declarationsRepo, type Executor, oncallRepo } from "@vigie/db";
import { recordAudit } from "../audit/record-audit.ts";
import { whoIsOnCall } from "./manage-shifts.ts";
import { type PageFacts, type PageTarget, pageFacts, recordPage } from "./page-oncall.ts";
import type { OncallSettings, WebhookPoster } from "./settings.ts";

/** What one dispatch run did. */
export interface DispatchReport {
  webhooksSent: number;
  webhooksFailed: number;
  escalated: number;
  /** Pages past the delay with nobody left to page (every person on call and the fallback were). */
  exhausted: number;
}

/** Pages older than this are not pushed to the webhook any more (a late alarm only confuses). */
const WEBHOOK_MAX_AGE_MS = 24 * 3_600_000;

/** The JSON body posted to ONCALL_WEBHOOK_URL. */
export function webhookBody(facts: PageFacts, level: number) {
  return {
    reference: facts.reference,
    structure: { name: facts.structureName, finess: facts.finessEt },
    phone: facts.callbackPhone,
    impacts: {
      operational: facts.operationalImpact,
      operationalLabel: operationalImpact.labels[facts.operationalImpact],
      patientEndangerment: facts.patientEndangerment,
      patientEndangermentLabel: facts.patientEndangerment
        ? patientEndangerment.labels[facts.patientEndangerment]
        : null,
      supportRequested: facts.supportRequested,
    },
    link: facts.link,
    level,
  };
}

/**
 * Posts the pages not pushed yet (nor acknowledged) to the webhook, outside any transaction,
 * and marks each one sent on a 2xx answer; a failure is recorded and retried on the next run.
 */
export async function sendPendingWebhooks(
  db: Executor,
  settings: OncallSettings,
  post: WebhookPoster,
  now: Date,
  options: { batch: number } = { batch: 50 },
): Promise<{ sent: number; failed: number }> {
  const result = { sent: 0, failed: 0 };
  if (!settings.webhookUrl) return result;
  const pages = await oncallRepo.listPendingWebhooks(db, options.batch);
  for (const page of pages) {
    if (now.getTime() - new Date(page.created_at).getTime() > WEBHOOK_MAX_AGE_MS) continue;
    const incident = await declarationsRepo.findIncidentById(db, page.incident_id);
    if (!incident) continue;
    try {
      await post(settings.webhookUrl, webhookBody(pageFacts(incident, settings), page.level));
      await oncallRepo.markWebhookSent(db, page.id, now);
      result.sent += 1;
    } catch (error) {
      await oncallRepo.markWebhookFailed(db, page.id, error instanceof Error ? error.message : String(error));
      result.failed += 1;
    }
  }
  return result;
}

/**
 * Escalates the pages nobody acknowledged within `escalationMinutes`: the next person on call
 * now who was not paged yet for this declaration (position order), else the fallback address,
 * gets a page one level up, once per level (claimed by `escalated_at`, unique per level). One
 * transaction per page.
 */
export async function escalatePages(
  db: Executor,
  settings: OncallSettings,
  now: Date,
  options: { batch: number } = { batch: 50 },
): Promise<{ escalated: number; exhausted: number }> {
  const result = { escalated: 0, exhausted: 0 };
  const cutoff = new Date(now.getTime() - settings.escalationMinutes * 60_000);
  const pages = await oncallRepo.listPagesToEscalate(db, cutoff, options.batch);
  for (const candidate of pages) {
    await db.transaction().execute(async (trx) => {
      const page = await oncallRepo.claimEscalation(trx, candidate.id, now);
      if (!page) return;
      const incident = await declarationsRepo.findIncidentById(trx, page.incident_id);
      if (!incident) return;
      const paged = await oncallRepo.listIncidentPages(trx, page.incident_id);
      const pagedEmails = new Set(paged.map((p) => p.target_email.toLowerCase()));
      const next = (await whoIsOnCall(trx, now)).find((s) => !pagedEmails.has(s.email.toLowerCase()));
      const target: PageTarget | null = next
        ? { userId: next.user_id, email: next.email }
        : pagedEmails.has(settings.oncallEmail.toLowerCase())
          ? null
          : { userId: null, email: settings.oncallEmail };
      const created = target
        ? await recordPage(trx, incident, target, page.level + 1, now, settings)
        : undefined;
      if (created) result.escalated += 1;
      else result.exhausted += 1;
      await recordAudit(
        trx,
        {
          actorLabel: "système",
          action: created ? "oncall.page_escalated" : "oncall.escalation_exhausted",
          objectType: "incident",
          objectId: incident.id,
          details: {
            reference: incident.reference,
            fromPageId: page.id,
            fromLevel: page.level,
            toPageId: created?.id ?? null,
            toUserId: created?.shift_user_id ?? null,
            toEmail: created?.target_email ?? null,
          },
        },
        now,
      );
    });
  }
  return result;
}

/** The `oncall.dispatch` job: escalations first (their pages then go to the webhook in the same run). */
export async function dispatchOncallPages(
  db: Executor,
  settings: OncallSettings,
  post: WebhookPoster,
  now: Date,
): Promise<DispatchReport> {
  const escalation = await escalatePages(db, settings, now);
  const webhooks = await sendPendingWebhooks(db, settings, post, now);
  return {
    webhooksSent: webhooks.sent,
    webhooksFailed: webhooks.failed,
    escalated: escalation.escalated,
    exhausted: escalation.exhausted,
  };
}
