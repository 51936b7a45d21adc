import { clocksRepo, declarationsRepo, type Executor, usersRepo } from "@vigie/db";
import { PLATFORM_AUTHOR } from "../cases/journal.ts";
import { type DeclarationSettings, followUrl } from "../declarations/settings.ts";
import { declarantContactOf } from "../declarations/status.ts";
import { type MailToQueue, queueMails } from "../mail/queue-mail.ts";
import { dueSoonUntil } from "./deadlines.ts";
import { recordClockEvent } from "./journal.ts";
import { type ClockReminder, clockReminderAnalystMail, clockReminderDeclarantMail } from "./mails.ts";

/** What the `clocks.remind` job did in one run. */
export interface ClockReminderReport {
  dueSoon: number;
  overdue: number;
  /** Left for the next run: held by another transaction (a filing, another worker). */
  skipped: number;
}

/** Where the CERT's page of a case is, for the analyst's e-mail. */
export const CERT_CASE_PATH = (id: string) => `/cert/declarations/${id}`;

/**
 * The `clocks.remind` job (every 15 minutes), at `now`: each open clock (neither filed nor
 * cancelled) is reminded once when it falls due within 12 hours and once when it is past due
 * (a clock first seen past due gets the second reminder only): an e-mail to the declarant (its
 * follow link) and to the analyst assigned to the case, if any and active, and a journal line.
 * Each clock in its own transaction, locked and skipped when busy, the reminder recorded by a
 * conditional update: two workers, or a run repeated, never send a reminder twice.
 */
export async function remindClocks(
  db: Executor,
  settings: Pick<DeclarationSettings, "publicUrl">,
  now: Date,
  options: { batch?: number } = {},
): Promise<ClockReminderReport> {
  const report: ClockReminderReport = { dueSoon: 0, overdue: 0, skipped: 0 };
  const soon = dueSoonUntil(now);
  const candidates = await clocksRepo.listReminderCandidates(db, {
    now,
    dueSoonUntil: soon,
    limit: options.batch ?? 500,
  });
  for (const candidate of candidates) {
    const outcome = await db.transaction().execute(async (trx) => {
      const clock = await clocksRepo.lockOpenClockUnlessBusy(trx, candidate.id);
      if (!clock) return "skipped" as const;
      const due = new Date(clock.due_at).getTime();
      let reminder: ClockReminder | null = null;
      if (due <= now.getTime()) reminder = clock.reminded_overdue_at ? null : "overdue";
      else if (due <= soon.getTime()) reminder = clock.reminded_due_soon_at ? null : "due_soon";
      if (!reminder) return "nothing" as const;
      if (!(await clocksRepo.markReminded(trx, clock.id, reminder, now))) return "nothing" as const;
      const incident = await declarationsRepo.findIncidentById(trx, clock.incident_id);
      if (!incident) return "nothing" as const;
      const dueAt = new Date(clock.due_at);
      const mails: MailToQueue[] = [];
      const contact = declarantContactOf(incident);
      if (contact.email) {
        mails.push({
          to: contact.email,
          ...clockReminderDeclarantMail({
            fullName: contact.fullName,
            reference: incident.reference,
            kind: clock.kind,
            dueAt,
            reminder,
            link: followUrl(incident, settings),
          }),
        });
      }
      const assignee = incident.assignee_user_id
        ? await usersRepo.findUserById(trx, incident.assignee_user_id)
        : undefined;
      const analyst = assignee && !assignee.disabled_at ? assignee : undefined;
      if (analyst) {
        mails.push({
          to: analyst.email,
          ...clockReminderAnalystMail({
            fullName: analyst.full_name,
            reference: incident.reference,
            kind: clock.kind,
            dueAt,
            reminder,
            link: `${settings.publicUrl}${CERT_CASE_PATH(incident.id)}`,
          }),
        });
      }
      if (mails.length > 0) await queueMails(trx, mails, now);
      await recordClockEvent(
        trx,
        clock,
        PLATFORM_AUTHOR,
        { what: "reminded", reminder, declarant: contact.email !== "", analyst: analyst !== undefined },
        now,
      );
      return reminder;
    });
    if (outcome === "due_soon") report.dueSoon += 1;
    else if (outcome === "overdue") report.overdue += 1;
    else if (outcome === "skipped") report.skipped += 1;
  }
  return report;
}
