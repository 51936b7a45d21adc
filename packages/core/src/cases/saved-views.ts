import { AppError, DeclarationListQuery, type SavedView, type SaveViewRequest } from "@vigie/contracts";
import { type Executor, type SavedViewRow, savedViewsRepo } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { isUniqueViolation } from "../accounts/create-account.ts";

type SavedViewData = z.infer<typeof SavedView>;

/** How many views one person may keep. */
export const MAX_SAVED_VIEWS = 50;

const byName = new Intl.Collator("fr", { sensitivity: "base", numeric: true });

function toSavedView(row: SavedViewRow): SavedViewData {
  return { id: row.id, name: row.name, query: row.query, createdAt: new Date(row.created_at).toISOString() };
}

function queryError(message: string): AppError {
  return new AppError("VALIDATION_FAILED", { message, fields: [{ field: "query", message }] });
}

function nameTaken(name: string): AppError {
  const message = `Vous avez déjà une vue nommée « ${name} ».`;
  return new AppError("VALIDATION_FAILED", { message, fields: [{ field: "name", message }] });
}

/**
 * Checks a queue query string with the queue's own schema (`DeclarationListQuery`) and returns it
 * without its page (a view names filters, not a page), parameters kept in their order. Unknown
 * parameters are refused, so a view never silently loses a filter.
 */
export function normaliseViewQuery(query: string): string {
  const params = new URLSearchParams(query.trim().replace(/^\?/, ""));
  params.delete("page");
  const known = new Set(Object.keys(DeclarationListQuery.shape));
  const input: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    if (!known.has(key)) throw queryError(`Filtre inconnu dans la vue : « ${key.slice(0, 40)} ».`);
    const values = params.getAll(key);
    input[key] = values.length === 1 ? (values[0] as string) : values;
  }
  const parsed = DeclarationListQuery.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` (${issue.path.join(".")})` : "";
    throw queryError(`Filtres de la vue invalides${where} : ${issue?.message ?? "valeur invalide."}`);
  }
  return params.toString();
}

/** The reader's saved views of the queue, by name (French order, case and accents ignored). */
export async function listSavedViews(db: Executor, actor: Actor | null): Promise<SavedViewData[]> {
  assertPermission(actor, "declarations:handle");
  const rows = await savedViewsRepo.listSavedViews(db, actor.userId);
  return rows.sort((a, b) => byName.compare(a.name, b.name) || a.name.localeCompare(b.name)).map(toSavedView);
}

/**
 * Saves the current filters of the queue under a name of the reader's own. A name already used
 * by the same person, a query the queue would refuse, or more than 50 views: VALIDATION_FAILED
 * naming the field. No audit entry: a view is a personal preference.
 */
export async function saveView(
  db: Executor,
  actor: Actor | null,
  request: z.output<typeof SaveViewRequest>,
  now: Date,
): Promise<SavedViewData> {
  assertPermission(actor, "declarations:handle");
  const query = normaliseViewQuery(request.query);
  const name = request.name;
  try {
    return await db.transaction().execute(async (trx) => {
      await savedViewsRepo.lockOwner(trx, actor.userId);
      if (await savedViewsRepo.findSavedViewByName(trx, actor.userId, name)) throw nameTaken(name);
      if ((await savedViewsRepo.countSavedViews(trx, actor.userId)) >= MAX_SAVED_VIEWS) {
        const message = `Vous avez déjà ${MAX_SAVED_VIEWS} vues enregistrées : supprimez-en une avant d'en ajouter.`;
        throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "name", message }] });
      }
      const row = await savedViewsRepo.insertSavedView(trx, {
        userId: actor.userId,
        name,
        query,
        createdAt: now,
      });
      return toSavedView(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(name);
    throw error;
  }
}

/** Deletes one of the reader's views; another person's view, or none, is NOT_FOUND. */
export async function deleteSavedView(db: Executor, actor: Actor | null, id: string): Promise<void> {
  assertPermission(actor, "declarations:handle");
  const deleted = await savedViewsRepo.deleteSavedView(db, actor.userId, id);
  if (!deleted) throw new AppError("NOT_FOUND", { message: "Vue enregistrée introuvable." });
}
