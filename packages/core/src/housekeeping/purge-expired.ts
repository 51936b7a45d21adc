import { type Executor, housekeepingRepo } from "@vigie/db";

/** Drops expired sessions and spent e-mail links (they are useless and hold secrets' hashes). */
export function purgeExpired(db: Executor, now: Date) {
  return housekeepingRepo.purgeExpired(db, now);
}
