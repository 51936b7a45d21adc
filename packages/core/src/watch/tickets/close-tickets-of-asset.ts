import { openTicketStatuses, ticketKinds } from "@vigie/contracts";
import { type Executor, watchTicketsRepo } from "@vigie/db";

/**
 * Closes (status fixed, via system, with `note` in the history) the open tickets of an asset
 * that is being deleted; returns how many. Call it before deleting the asset, in the same
 * transaction: the deletion sets the tickets' asset_id to null.
 */
export async function closeTicketsOfAsset(
  db: Executor,
  assetId: string,
  now: Date,
  note: string,
): Promise<number> {
  const open = await watchTicketsRepo.listOpenTicketsInScope(db, {
    kinds: ticketKinds,
    openStatuses: openTicketStatuses,
    assetIds: [assetId],
  });
  return fixTicketsAsSystem(
    db,
    open.map((row) => row.id),
    now,
    note,
  );
}

/**
 * Marks fixed, by the system, those of these tickets still open, with `note` in their history;
 * returns how many changed.
 */
export async function fixTicketsAsSystem(
  db: Executor,
  ids: readonly string[],
  now: Date,
  note: string,
): Promise<number> {
  const fixed = await watchTicketsRepo.markTicketsFixed(db, ids, openTicketStatuses, now);
  await watchTicketsRepo.insertTicketHistory(
    db,
    fixed.map((row) => ({
      ticket_id: row.id,
      at: now,
      from_status: row.status_before,
      to_status: "fixed",
      urgency: row.urgency,
      actor_user_id: null,
      via: "system",
      note,
    })),
  );
  return fixed.length;
}
