import { AppError, DRAFT_MAX_BYTES, type DraftView } from "@vigie/contracts";
import { type DraftRow, draftsRepo, type Executor } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";

type DraftViewData = z.infer<typeof DraftView>;

function toDraftView(row: DraftRow): DraftViewData {
  const data = typeof row.data === "string" ? JSON.parse(row.data) : row.data;
  return { key: row.draft_key, data, updatedAt: new Date(row.updated_at).toISOString() };
}

/** The signed-in user's drafts, most recent first. */
export async function listDrafts(db: Executor, actor: Actor | null): Promise<DraftViewData[]> {
  assertPermission(actor, "declarations:create");
  return (await draftsRepo.listDrafts(db, actor.userId)).map(toDraftView);
}

/**
 * Saves (creates or replaces) a draft under its key, the future declaration's idempotency key.
 * Refuses more than 200 kB of JSON, naming `data`.
 */
export async function saveDraft(
  db: Executor,
  actor: Actor | null,
  key: string,
  data: Record<string, unknown>,
  now: Date,
): Promise<DraftViewData> {
  assertPermission(actor, "declarations:create");
  const bytes = Buffer.byteLength(JSON.stringify(data), "utf8");
  if (bytes > DRAFT_MAX_BYTES) {
    const message = `Brouillon trop volumineux (${Math.ceil(bytes / 1024)} ko, ${DRAFT_MAX_BYTES / 1024} ko au maximum).`;
    throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "data", message }] });
  }
  return toDraftView(await draftsRepo.upsertDraft(db, actor.userId, key, data, now));
}

/** Deletes one of the user's drafts; NOT_FOUND when there is none under that key. */
export async function deleteDraft(db: Executor, actor: Actor | null, key: string): Promise<void> {
  assertPermission(actor, "declarations:create");
  const deleted = await draftsRepo.deleteDraft(db, actor.userId, key);
  if (!deleted) throw new AppError("NOT_FOUND", { message: "Brouillon introuvable." });
}
