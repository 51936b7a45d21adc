import { AppError, type UpdateStructureRequest } from "@vigie/contracts";
import { type Database, type Executor, type StructuresTable, structuresRepo } from "@vigie/db";
import type { Transaction, Updateable } from "kysely";
import type { z } from "zod";
import { type Actor, assertPermission, canSeeStructure } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { type StructureViewData, toStructureView } from "./present-structure.ts";

/** What the CERT may correct or complete on a structure (the `UpdateStructureRequest` contract). */
export type StructureChanges = z.infer<typeof UpdateStructureRequest>;

function distinctLowerCase(values: readonly string[]): string[] {
  return [...new Set(values.map((v) => v.trim().toLowerCase()).filter((v) => v !== ""))];
}

const sameArray = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Corrects or completes a structure (GHT, OSE/OIV, type, contacts, mail domains) and records
 * the before/after of every changed field in the audit log, in the same transaction. A type
 * set here is kept by later FINESS imports.
 */
export async function updateStructure(
  db: Executor,
  actor: Actor | null,
  id: string,
  changes: StructureChanges,
  context: { now: Date; ip?: string | null },
): Promise<StructureViewData> {
  assertPermission(actor, "structures:write");
  const run = async (trx: Transaction<Database>): Promise<StructureViewData> => {
    const row = await structuresRepo.findStructureById(trx, id);
    if (!row || !canSeeStructure(actor, { id: row.id, regionCode: row.region_code })) {
      throw new AppError("NOT_FOUND", { message: "Structure introuvable." });
    }
    const set: Updateable<StructuresTable> = {};
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const change = (column: keyof StructuresTable, current: unknown, next: unknown, equal: boolean) => {
      if (equal) return;
      before[column] = current;
      after[column] = next;
      (set as Record<string, unknown>)[column] = next;
    };
    if (changes.ghtCode !== undefined) {
      change("ght_code", row.ght_code, changes.ghtCode, row.ght_code === changes.ghtCode);
    }
    if (changes.ghtSupport !== undefined) {
      change("ght_support", row.ght_support, changes.ghtSupport, row.ght_support === changes.ghtSupport);
    }
    if (changes.ose !== undefined) change("ose", row.ose, changes.ose, row.ose === changes.ose);
    if (changes.oiv !== undefined) change("oiv", row.oiv, changes.oiv, row.oiv === changes.oiv);
    if (changes.structureType !== undefined) {
      change(
        "structure_type",
        row.structure_type,
        changes.structureType,
        row.structure_type === changes.structureType,
      );
      // Even when unchanged, a type confirmed by the CERT must outlive later imports.
      set.structure_type_set_by_hand = true;
    }
    if (changes.contactEmails !== undefined) {
      const next = distinctLowerCase(changes.contactEmails);
      change("contact_emails", row.contact_emails, next, sameArray(row.contact_emails, next));
    }
    if (changes.mailDomains !== undefined) {
      const next = distinctLowerCase(changes.mailDomains);
      change("mail_domains", row.mail_domains, next, sameArray(row.mail_domains, next));
    }
    if (
      Object.keys(after).length === 0 &&
      set.structure_type_set_by_hand === row.structure_type_set_by_hand
    ) {
      return toStructureView(row);
    }
    const updated = await structuresRepo.updateStructure(trx, id, set, context.now);
    if (!updated) throw new AppError("NOT_FOUND", { message: "Structure introuvable." });
    if (Object.keys(after).length > 0) {
      await recordAudit(
        trx,
        {
          actor,
          action: "structure.update",
          objectType: "structure",
          objectId: id,
          ip: context.ip ?? null,
          details: { finessEt: row.finess_et, before, after },
        },
        context.now,
      );
    }
    return toStructureView(updated);
  };
  return db.isTransaction ? run(db as Transaction<Database>) : db.transaction().execute(run);
}
