import { fileURLToPath } from "node:url";
import { createLogger, listen } from "@vigie/api";
import type { Config } from "@vigie/config";
import { AttachmentCipher, resolveEncryptionKey } from "@vigie/core";
import type { DatabaseHandle } from "@vigie/db";
import { createMailTransport } from "@vigie/integrations";
import { createBoss } from "@vigie/jobs";
import { startWorker } from "@vigie/worker";
import type PgBoss from "pg-boss";
import { openConfiguredDatabase } from "./context.ts";

/** Which parts of the platform this process runs; `vigie start` runs all three by default. */
export interface PlatformParts {
  api: boolean;
  worker: boolean;
  scheduler: boolean;
}

/** The built web app served by the API. */
export const WEB_ROOT = fileURLToPath(new URL("../../web/dist", import.meta.url));

/** A running platform and the means to stop it gracefully. */
export interface RunningPlatform {
  url: string | null;
  database: DatabaseHandle;
  stop(): Promise<void>;
}

/**
 * Starts the configured parts on one database: migrates it, runs `beforeServe` (first-run
 * seeding), then the job worker and scheduler (pg-boss) and the HTTP API with the web app.
 */
export async function startPlatform(
  config: Config,
  parts: PlatformParts,
  beforeServe?: (database: DatabaseHandle) => Promise<void>,
): Promise<RunningPlatform> {
  const logger = createLogger(config);
  // Before the database: PostgreSQL without VIGIE_ENCRYPTION_KEY must refuse to start.
  const attachmentCipher = new AttachmentCipher([resolveEncryptionKey(config)]);
  const database = await openConfiguredDatabase(config);
  let shuttingDown = false;
  let boss: PgBoss | undefined;
  try {
    await beforeServe?.(database);
    const clock = () => new Date();
    const mailTransport = createMailTransport(config);
    boss = createBoss(database);
    boss.on("error", (error) => logger.error({ err: error }, "job queue error"));
    await boss.start();
    await startWorker(
      boss,
      { database, config, logger: logger.child({ part: "worker" }), clock, mailTransport },
      {
        work: parts.worker,
        schedule: parts.scheduler,
      },
    );
    const server = parts.api
      ? await listen({
          config,
          database,
          boss,
          clock,
          logger: logger.child({ part: "api" }),
          webRoot: WEB_ROOT,
          isShuttingDown: () => shuttingDown,
          attachmentCipher,
        })
      : null;
    const runningBoss = boss;
    return {
      url: server ? config.publicUrl : null,
      database,
      stop: async () => {
        shuttingDown = true;
        // Stop taking requests and let the ones in flight finish, then the jobs, then the database.
        await server?.app.close();
        await runningBoss.stop({ graceful: true, wait: true, timeout: 20_000 });
        mailTransport?.close();
        await database.close();
        logger.info("Vigie arrêtée proprement");
      },
    };
  } catch (error) {
    await boss?.stop({ graceful: false, wait: true }).catch(() => undefined);
    await database.close();
    throw error;
  }
}
