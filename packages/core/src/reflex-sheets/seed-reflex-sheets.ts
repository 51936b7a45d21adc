import { type Executor, reflexSheetsRepo } from "@vigie/db";
import { recordAudit } from "../audit/record-audit.ts";
import { STARTER_SHEETS } from "./starter-library.ts";

/**
 * Adds the starter sheets whose slug is not in the library yet, as version 1 by the system
 * (audited). Safe to run again: a sheet the CERT edited or archived is left alone.
 */
export async function seedReflexSheets(db: Executor, now: Date): Promise<number> {
  let created = 0;
  for (const starter of STARTER_SHEETS) {
    if (await reflexSheetsRepo.findSheetBySlug(db, starter.slug)) continue;
    await db.transaction().execute(async (trx) => {
      const sheet = await reflexSheetsRepo.insertSheet(trx, {
        slug: starter.slug,
        title: starter.title,
        category: starter.category,
        kind: starter.kind,
        current_version: 1,
        created_at: now,
        updated_at: now,
      });
      await reflexSheetsRepo.insertVersion(trx, {
        sheet_id: sheet.id,
        version: 1,
        title: starter.title,
        body: starter.body,
        tlp: "clear",
        created_by_user_id: null,
        created_at: now,
        change_note: "Fiche fournie avec Vigie.",
      });
      await recordAudit(
        trx,
        {
          actorLabel: "système (bibliothèque de fiches réflexes)",
          action: "reflex_sheet.created",
          objectType: "reflex_sheet",
          objectId: sheet.id,
          details: { slug: sheet.slug, category: sheet.category, kind: sheet.kind, tlp: "clear" },
        },
        now,
      );
    });
    created++;
  }
  return created;
}
