import { auditRepo, type Executor } from "@vigie/db";
import { AUDIT_GENESIS, auditEntryHash } from "./record-audit.ts";

export interface AuditProblem {
  id: string;
  kind: "altered" | "broken_link" | "head_mismatch";
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  problems: AuditProblem[];
}

/**
 * Walks the whole chain: an altered entry no longer matches its hash, a deleted entry breaks
 * the link of the next one, and deleting the latest entries leaves the head pointing past the end.
 */
export async function verifyAuditChain(
  db: Executor,
  onProgress?: (checked: number) => void,
  pageSize = 1000,
): Promise<AuditVerification> {
  const problems: AuditProblem[] = [];
  let expectedPrev = AUDIT_GENESIS;
  let lastId: string | null = null;
  let lastHash = AUDIT_GENESIS;
  let checked = 0;
  for (;;) {
    const page = await auditRepo.auditPage(db, lastId, pageSize);
    for (const row of page) {
      if (row.prev_hash !== expectedPrev) {
        problems.push({
          id: row.id,
          kind: "broken_link",
          message: `Entrée ${row.id} : le lien avec l'entrée précédente est rompu (entrée supprimée ou insérée).`,
        });
      }
      if (auditEntryHash(row.prev_hash, row) !== row.hash) {
        problems.push({
          id: row.id,
          kind: "altered",
          message: `Entrée ${row.id} : contenu modifié après écriture.`,
        });
      }
      expectedPrev = row.hash;
      lastId = row.id;
      lastHash = row.hash;
      checked++;
    }
    onProgress?.(checked);
    if (page.length < pageSize) break;
  }
  const head = await auditRepo.auditHead(db);
  if (head ? head.last_id !== lastId || head.last_hash !== lastHash : lastId !== null) {
    problems.push({
      id: head?.last_id ?? lastId ?? "0",
      kind: "head_mismatch",
      message:
        "La fin du journal ne correspond pas à la dernière entrée enregistrée (entrées finales supprimées).",
    });
  }
  return { ok: problems.length === 0, checked, problems };
}
