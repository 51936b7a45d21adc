import type { Config } from "@vigie/config";
import {
  declarationSettingsFrom,
  deliverOutbox,
  dispatchOncallPages,
  extractPendingIndicators,
  feedUrlsFrom,
  type MailTransport,
  notifyStructures,
  oncallSettingsFrom,
  purgeExpired,
  refreshVulnerabilityFeeds,
  remindClocks,
  remindComplements,
  runDueAudits,
  runMatching,
  runScheduledMatching,
  scheduleAudits,
  type WebhookPoster,
  watchNotifySettingsFrom,
} from "@vigie/core";
import type { DatabaseHandle } from "@vigie/db";
import { createFeedFetcher, createJsonPoster } from "@vigie/integrations";
import {
  auditsRunJob,
  auditsScheduleJob,
  clocksRemindJob,
  complementsRemindJob,
  extractIndicatorsJob,
  feedsFetchJob,
  type JobDefinition,
  mailDeliverJob,
  oncallDispatchJob,
  purgeExpiredJob,
  watchMatchJob,
  watchNotifyJob,
} from "@vigie/jobs";
import type PgBoss from "pg-boss";
import type { Logger } from "pino";

/** What a task handler may use. */
export interface WorkerContext {
  database: DatabaseHandle;
  config: Config;
  logger: Logger;
  clock: () => Date;
  /** SMTP delivery; null in embedded mode without SMTP, where the outbox is the mailbox. */
  mailTransport: MailTransport | null;
  /** Posts on-call pages to ONCALL_WEBHOOK_URL; defaults to HTTP with a 5 s timeout. */
  webhookPoster?: WebhookPoster;
}

/** A job definition and the code that runs it. */
export interface Task<P = unknown> {
  job: JobDefinition<P>;
  handle(payload: P, context: WorkerContext): Promise<void>;
}

/** Binds a handler to a job definition, keeping the payload type. */
export function task<P>(job: JobDefinition<P>, handle: Task<P>["handle"]): Task {
  return { job, handle } as Task;
}

const defaultPoster = createJsonPoster();
const defaultFeedFetcher = createFeedFetcher();

/** Every task the platform runs (mail delivery only when an SMTP server is configured). */
export function platformTasks(context: Pick<WorkerContext, "mailTransport">): Task[] {
  const transport = context.mailTransport;
  return [
    ...(transport
      ? [
          task(mailDeliverJob, async (_payload, ctx) => {
            const report = await deliverOutbox(ctx.database.db, transport, ctx.clock(), { batch: 50 });
            ctx.logger.info({ report }, "outbox delivery");
          }),
        ]
      : []),
    task(purgeExpiredJob, async (_payload, ctx) => {
      const removed = await purgeExpired(ctx.database.db, ctx.clock());
      ctx.logger.info({ removed }, "purged expired sessions and e-mail links");
    }),
    task(extractIndicatorsJob, async (_payload, ctx) => {
      const report = await extractPendingIndicators(ctx.database.db, ctx.clock(), { batch: 200 });
      if (report.incidents + report.messages > 0) ctx.logger.info({ report }, "indicators extracted");
    }),
    task(oncallDispatchJob, async (_payload, ctx) => {
      const post = ctx.webhookPoster ?? defaultPoster;
      const report = await dispatchOncallPages(
        ctx.database.db,
        oncallSettingsFrom(ctx.config),
        post,
        ctx.clock(),
      );
      if (Object.values(report).some((n) => n > 0)) ctx.logger.info({ report }, "on-call pages dispatched");
    }),
    task(complementsRemindJob, async (_payload, ctx) => {
      const settings = declarationSettingsFrom(ctx.config);
      const report = await remindComplements(ctx.database.db, settings, ctx.clock());
      if (Object.values(report).some((n) => n > 0))
        ctx.logger.info({ report }, "complement requests reminded");
    }),
    task(feedsFetchJob, async (_payload, ctx) => {
      const urls = feedUrlsFrom(ctx.config);
      if (Object.keys(urls).length === 0) return;
      const { runs, matching } = await refreshVulnerabilityFeeds(
        ctx.database.db,
        urls,
        defaultFeedFetcher,
        ctx.clock,
      );
      const summary = runs.map(({ source, status, added, updated, unchanged, rejected }) => ({
        source,
        status,
        added,
        updated,
        unchanged,
        rejected,
      }));
      ctx.logger.info({ runs: summary, matching }, "vulnerability feeds fetched");
    }),
    task(clocksRemindJob, async (_payload, ctx) => {
      const report = await remindClocks(ctx.database.db, declarationSettingsFrom(ctx.config), ctx.clock());
      if (Object.values(report).some((n) => n > 0)) ctx.logger.info({ report }, "regulatory clocks reminded");
    }),
    task(watchMatchJob, async (payload, ctx) => {
      const report = payload.mode
        ? await runMatching(ctx.database.db, { mode: payload.mode, now: ctx.clock() })
        : await runScheduledMatching(ctx.database.db, ctx.clock());
      if (report.assetsConsidered + report.vulnerabilitiesConsidered > 0)
        ctx.logger.info({ report }, "watch matching");
    }),
    task(auditsScheduleJob, async (_payload, ctx) => {
      const report = await scheduleAudits(ctx.database.db, ctx.clock());
      if (report.scheduled > 0) ctx.logger.info({ report }, "exposure audits scheduled");
    }),
    task(auditsRunJob, async (payload, ctx) => {
      const report = await runDueAudits(ctx.database.db, ctx.config, ctx.clock(), {
        ...(payload.structureId ? { structureId: payload.structureId } : {}),
      });
      for (const audit of report.audits) ctx.logger.info({ audit }, "exposure audit finished");
      if (report.stale > 0) ctx.logger.warn({ stale: report.stale }, "interrupted exposure audits failed");
    }),
    task(watchNotifyJob, async (_payload, ctx) => {
      const report = await notifyStructures(ctx.database.db, {
        ...watchNotifySettingsFrom(ctx.config),
        now: ctx.clock(),
      });
      if (Object.values(report).some((n) => n > 0)) ctx.logger.info({ report }, "watch notifications sent");
    }),
  ];
}

/** Creates the queues of the tasks; with `work`, consumes them; with `schedule`, registers their crons. */
export async function startWorker(
  boss: PgBoss,
  context: WorkerContext,
  options: { work: boolean; schedule: boolean; tasks?: Task[] },
): Promise<void> {
  for (const { job, handle } of options.tasks ?? platformTasks(context)) {
    await boss.createQueue(job.name, {
      name: job.name,
      retryLimit: job.retryLimit ?? 3,
      retryDelay: job.retryDelaySeconds ?? 30,
      retryBackoff: true,
    });
    if (options.work) {
      await boss.work(job.name, async (jobs) => {
        for (const received of jobs) {
          const payload = job.payload.parse(received.data ?? {});
          await handle(payload, context);
        }
      });
    }
    if (options.schedule && job.schedule) {
      await boss.schedule(job.name, job.schedule, {}, { tz: "Europe/Paris" });
    }
  }
}
