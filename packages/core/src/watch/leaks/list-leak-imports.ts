import type { LeakImportSummary } from "@vigie/contracts";
import { type Executor, leaksRepo } from "@vigie/db";
import { type Actor, assertPermission } from "../../access/policy.ts";

/** The history of leaked-credential imports, most recent first (counts only), for the CERT. */
export async function listLeakImports(
  db: Executor,
  actor: Actor | null,
  options: { limit: number },
): Promise<LeakImportSummary[]> {
  if (actor) assertPermission(actor, "watch:handle");
  const rows = await leaksRepo.listLeakImports(db, options.limit);
  return rows.map((row) => ({
    id: row.id,
    source: row.source,
    importedAt: new Date(row.imported_at).toISOString(),
    importedBy: row.imported_by_name,
    lines: row.lines,
    addresses: row.addresses,
    matched: row.matched,
    rejected: row.rejected,
  }));
}
