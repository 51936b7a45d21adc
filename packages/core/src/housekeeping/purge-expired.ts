import { type Executor, housekeepingRepo } from "@vigie/db";
import { purgeStalePendingAttachments } from "../attachments/upload.ts";

/**
 * Drops what has outlived its use: expired sessions, spent e-mail links and OIDC attempts (they
 * hold secrets' hashes), and attachments uploaded for a declaration that was never sent.
 */
export async function purgeExpired(db: Executor, now: Date) {
  const removed = await housekeepingRepo.purgeExpired(db, now);
  return { ...removed, pendingAttachments: await purgeStalePendingAttachments(db, now) };
}
