import { AppError, type CreateReflexSheetRequest, type UpdateReflexSheetRequest } from "@vigie/contracts";
import { type Executor, reflexSheetsRepo } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { isUniqueViolation } from "../accounts/create-account.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { ReflexSheetViewData } from "./present.ts";
import { loadReflexSheetView } from "./read-reflex-sheets.ts";

/** Context of a change to the library. */
export interface LibraryContext {
  now: Date;
  ip?: string | null;
}

function slugTaken(slug: string): AppError {
  const message = `Une fiche porte déjà l'identifiant court « ${slug} ».`;
  return new AppError("CONFLICT", { message, fields: [{ field: "slug", message }] });
}

/** Creates a sheet and its version 1 (CERT lead). */
export async function createReflexSheet(
  db: Executor,
  actor: Actor | null,
  request: z.output<typeof CreateReflexSheetRequest>,
  context: LibraryContext,
): Promise<ReflexSheetViewData> {
  assertPermission(actor, "reflex_sheets:manage");
  const { now } = context;
  if (await reflexSheetsRepo.findSheetBySlug(db, request.slug)) throw slugTaken(request.slug);
  try {
    return await db.transaction().execute(async (trx) => {
      const sheet = await reflexSheetsRepo.insertSheet(trx, {
        slug: request.slug,
        title: request.title,
        category: request.category,
        kind: request.kind,
        current_version: 1,
        created_at: now,
        updated_at: now,
      });
      await reflexSheetsRepo.insertVersion(trx, {
        sheet_id: sheet.id,
        version: 1,
        title: request.title,
        body: request.body,
        tlp: request.tlp,
        created_by_user_id: actor.userId,
        created_at: now,
        change_note: request.changeNote || null,
      });
      await recordAudit(
        trx,
        {
          actor,
          action: "reflex_sheet.created",
          objectType: "reflex_sheet",
          objectId: sheet.id,
          ip: context.ip ?? null,
          details: { slug: sheet.slug, category: sheet.category, kind: sheet.kind, tlp: request.tlp },
        },
        now,
      );
      return loadReflexSheetView(trx, sheet.id);
    });
  } catch (error) {
    // Two leads creating the same slug at once: the unique index decides.
    if (isUniqueViolation(error)) throw slugTaken(request.slug);
    throw error;
  }
}

/** Saves the next version of a sheet; earlier versions are kept unchanged (CERT lead). */
export async function updateReflexSheet(
  db: Executor,
  actor: Actor | null,
  id: string,
  request: z.output<typeof UpdateReflexSheetRequest>,
  context: LibraryContext,
): Promise<ReflexSheetViewData> {
  assertPermission(actor, "reflex_sheets:manage");
  const { now } = context;
  return db.transaction().execute(async (trx) => {
    const sheet = await reflexSheetsRepo.lockSheet(trx, id);
    if (!sheet) throw new AppError("NOT_FOUND", { message: "Fiche réflexe introuvable." });
    if (sheet.archived_at) {
      const message = "Cette fiche est archivée : elle ne peut plus être modifiée.";
      throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "id", message }] });
    }
    if (request.baseVersion !== undefined && request.baseVersion !== sheet.current_version) {
      const message =
        `La fiche a été modifiée entre-temps : la version ${sheet.current_version} a remplacé la ` +
        `version ${request.baseVersion}. Rechargez-la avant d'enregistrer.`;
      throw new AppError("CONFLICT", { message, fields: [{ field: "baseVersion", message }] });
    }
    const version = sheet.current_version + 1;
    await reflexSheetsRepo.insertVersion(trx, {
      sheet_id: sheet.id,
      version,
      title: request.title,
      body: request.body,
      tlp: request.tlp,
      created_by_user_id: actor.userId,
      created_at: now,
      change_note: request.changeNote,
    });
    await reflexSheetsRepo.updateSheetHead(trx, sheet.id, {
      title: request.title,
      current_version: version,
      updated_at: now,
      category: request.category,
    });
    await recordAudit(
      trx,
      {
        actor,
        action: "reflex_sheet.updated",
        objectType: "reflex_sheet",
        objectId: sheet.id,
        ip: context.ip ?? null,
        details: {
          slug: sheet.slug,
          version,
          changeNote: request.changeNote,
          tlp: request.tlp,
          ...(request.category && request.category !== sheet.category
            ? { categoryFrom: sheet.category, categoryTo: request.category }
            : {}),
        },
      },
      now,
    );
    return loadReflexSheetView(trx, sheet.id);
  });
}

/** Archives a sheet: kept with its history and sendings, no longer listed, edited or sent (CERT lead). */
export async function archiveReflexSheet(
  db: Executor,
  actor: Actor | null,
  id: string,
  context: LibraryContext,
): Promise<void> {
  assertPermission(actor, "reflex_sheets:manage");
  await db.transaction().execute(async (trx) => {
    const sheet = await reflexSheetsRepo.archiveSheet(trx, id, context.now);
    if (!sheet) throw new AppError("NOT_FOUND", { message: "Fiche réflexe introuvable ou déjà archivée." });
    await recordAudit(
      trx,
      {
        actor,
        action: "reflex_sheet.archived",
        objectType: "reflex_sheet",
        objectId: sheet.id,
        ip: context.ip ?? null,
        details: { slug: sheet.slug, version: sheet.current_version },
      },
      context.now,
    );
  });
}
