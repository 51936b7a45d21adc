import { AppError, type ComplementRequestView } from "@vigie/contracts";
import { complementsRepo, type Executor, type IncidentRow } from "@vigie/db";
import type { z } from "zod";
import { complementReminderMail } from "../declarations/mails.ts";
import { type DeclarationSettings, followUrl } from "../declarations/settings.ts";
import { declarantContactOf } from "../declarations/status.ts";
import { queueMail } from "../mail/queue-mail.ts";
import { type JournalAuthor, PLATFORM_AUTHOR, recordJournalEntry } from "./journal.ts";

export type ComplementRequestViewData = z.infer<typeof ComplementRequestView>;
type ComplementRequestRow = complementsRepo.ComplementRequestRow;

const DAY_MS = 24 * 60 * 60_000;
const addDays = (at: Date | string, days: number): Date => new Date(new Date(at).getTime() + days * DAY_MS);

/**
 * When a question's answer is expected: the date the analyst chose, which must be in the
 * future, or `COMPLEMENT_DUE_DAYS` from now. Throws VALIDATION_FAILED naming `dueAt`.
 */
export function complementDueAt(
  dueAt: string | undefined,
  now: Date,
  settings: Pick<DeclarationSettings, "complementDueDays">,
): Date {
  if (dueAt === undefined) return addDays(now, settings.complementDueDays);
  const at = new Date(dueAt);
  if (at.getTime() <= now.getTime()) {
    const message = "L'échéance de la réponse doit être dans le futur.";
    throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "dueAt", message }] });
  }
  return at;
}

/**
 * The CERT's question becomes a request for complements (in the caller's transaction, the case
 * locked): the request with its due date, the case's first request time, its "answered" time
 * cleared (a question is open again), and the journal line.
 */
export async function openComplementRequest(
  trx: Executor,
  incidentId: string,
  question: { messageId: string; dueAt: Date },
  author: JournalAuthor,
  now: Date,
): Promise<ComplementRequestRow> {
  const request = await complementsRepo.insertComplementRequest(trx, {
    incident_id: incidentId,
    question_message_id: question.messageId,
    requested_by_user_id: author.userId,
    requested_at: now,
    due_at: question.dueAt,
  });
  await complementsRepo.markComplementRequested(trx, incidentId, now);
  await recordJournalEntry(
    trx,
    incidentId,
    author,
    { kind: "complement_requested", refId: request.id, value: { dueAt: question.dueAt.toISOString() } },
    now,
  );
  return request;
}

/**
 * A post of the declarant answers every request still waiting (open, or already recorded as
 * never answered), in the caller's transaction with the case locked; once none is left
 * waiting, the case's `complement_answered_at` is set. Returns the requests answered.
 */
export async function answerComplementRequests(
  trx: Executor,
  incidentId: string,
  answer: { messageId: string },
  author: JournalAuthor,
  now: Date,
): Promise<ComplementRequestRow[]> {
  const answered = await complementsRepo.answerPending(trx, incidentId, {
    messageId: answer.messageId,
    at: now,
  });
  for (const request of answered) {
    await recordJournalEntry(
      trx,
      incidentId,
      author,
      {
        kind: "complement_answered",
        refId: request.id,
        value: { messageId: answer.messageId, requestedAt: new Date(request.requested_at).toISOString() },
      },
      now,
    );
  }
  if (answered.length > 0 && (await complementsRepo.countPending(trx, incidentId)) === 0) {
    await complementsRepo.markComplementAnswered(trx, incidentId, now);
  }
  return answered;
}

/** A request for complements as the CERT's case page shows it. */
export function toComplementRequestView(row: ComplementRequestRow): ComplementRequestViewData {
  const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);
  return {
    id: row.id,
    questionMessageId: row.question_message_id,
    requestedAt: new Date(row.requested_at).toISOString(),
    dueAt: new Date(row.due_at).toISOString(),
    status: row.status,
    remindersSent: row.reminders_sent,
    lastRemindedAt: iso(row.last_reminded_at),
    answeredAt: iso(row.answered_at),
  };
}

/** What the `complements.remind` job did in one run. */
export interface ComplementReminderReport {
  reminded: number;
  neverAnswered: number;
  cancelled: number;
  /** Left for the next run: held by another transaction (an answer being written, another worker). */
  skipped: number;
}

/** What the reminder job reads from the configuration. */
export type ComplementReminderSettings = Pick<
  DeclarationSettings,
  "publicUrl" | "complementReminderDays" | "complementExpiryDays"
>;

/**
 * The `complements.remind` job (every 15 minutes), at `now`: for each open request, reminds the
 * declarant by e-mail once per reminder day passed (`COMPLEMENT_REMINDER_DAYS`; several missed
 * days send one e-mail), records it as never answered past `COMPLEMENT_EXPIRY_DAYS`, and
 * cancels it when its case is closed. Each request is handled in its own transaction, case then
 * request locked and skipped when busy, with conditional updates: two workers, or a run
 * repeated, never send a reminder twice.
 */
export async function remindComplements(
  db: Executor,
  settings: ComplementReminderSettings,
  now: Date,
  options: { batch?: number } = {},
): Promise<ComplementReminderReport> {
  const report: ComplementReminderReport = { reminded: 0, neverAnswered: 0, cancelled: 0, skipped: 0 };
  const firstStep = Math.min(settings.complementExpiryDays, ...settings.complementReminderDays);
  const candidates = await complementsRepo.listOpenForReminders(db, {
    requestedBefore: addDays(now, -firstStep),
    limit: options.batch ?? 500,
  });
  for (const candidate of candidates) {
    const outcome = await db.transaction().execute(async (trx) => {
      const incident = await complementsRepo.lockIncidentUnlessBusy(trx, candidate.incident_id);
      if (!incident) return "skipped" as const;
      const request = await complementsRepo.lockOpenRequest(trx, candidate.id);
      if (!request) return "skipped" as const;
      return handleOpenRequest(trx, incident, request, settings, now);
    });
    if (outcome === "reminded") report.reminded += 1;
    else if (outcome === "never_answered") report.neverAnswered += 1;
    else if (outcome === "cancelled") report.cancelled += 1;
    else if (outcome === "skipped") report.skipped += 1;
  }
  return report;
}

async function handleOpenRequest(
  trx: Executor,
  incident: IncidentRow,
  request: ComplementRequestRow,
  settings: ComplementReminderSettings,
  now: Date,
): Promise<"reminded" | "never_answered" | "cancelled" | "nothing"> {
  if (incident.status === "closed") {
    // A closed case asks nothing more of its declarant (nothing for the journal: the closing is there).
    return (await complementsRepo.closeOpenRequest(trx, request.id, "cancelled", now))
      ? "cancelled"
      : "nothing";
  }
  if (now.getTime() >= addDays(request.requested_at, settings.complementExpiryDays).getTime()) {
    if (!(await complementsRepo.closeOpenRequest(trx, request.id, "never_answered", now))) return "nothing";
    await recordJournalEntry(
      trx,
      incident.id,
      PLATFORM_AUTHOR,
      {
        kind: "complement_never_answered",
        refId: request.id,
        value: { dueAt: new Date(request.due_at).toISOString(), remindersSent: request.reminders_sent },
      },
      now,
    );
    return "never_answered";
  }
  const due = settings.complementReminderDays.filter(
    (days) => now.getTime() >= addDays(request.requested_at, days).getTime(),
  ).length;
  if (due <= request.reminders_sent) return "nothing";
  const recorded = await complementsRepo.recordReminder(trx, request.id, {
    previousCount: request.reminders_sent,
    remindersSent: due,
    at: now,
  });
  if (!recorded) return "nothing";
  const contact = declarantContactOf(incident);
  const mail = complementReminderMail({
    fullName: contact.fullName,
    reference: incident.reference,
    dueAt: new Date(request.due_at),
    now,
    link: followUrl(incident, settings),
  });
  await queueMail(trx, { to: contact.email, ...mail }, now);
  await recordJournalEntry(
    trx,
    incident.id,
    PLATFORM_AUTHOR,
    { kind: "complement_reminder", refId: request.id, value: { reminder: due } },
    now,
  );
  return "reminded";
}
