import type { z } from "zod";

/** A typed job: its queue name, payload schema, retry policy and optional schedule. */
export interface JobDefinition<P> {
  name: string;
  payload: z.ZodType<P>;
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** Cron expression (Europe/Paris) when the job runs on a schedule. */
  schedule?: string;
}

/** Declares a job definition (identity function that keeps the payload type). */
export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition;
}
