import { readFile } from "node:fs/promises";
import type { ImportReport } from "@vigie/contracts";
import type { Database } from "@vigie/db";
import {
  type Executor,
  type ImportedStructure,
  regionsRepo,
  type StructureImportState,
  structuresRepo,
} from "@vigie/db";
import type { Transaction } from "kysely";
import type { z } from "zod";
import type { Actor } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import {
  type DepartmentIndex,
  type DirectoryFormat,
  type DirectoryRecord,
  parseDirectoryFile,
  validateDirectoryLines,
} from "./parse-directory-file.ts";

/** The outcome of an import (the `ImportReport` contract). */
export type DirectoryImportReport = z.infer<typeof ImportReport>;

/** Progress of an import: establishments handled so far, out of the valid ones. */
export type ImportProgress = (done: number, total: number) => void;

export interface ImportDirectoryOptions {
  format?: DirectoryFormat | "auto";
  onProgress?: ImportProgress;
  /** Who imports; absent for the command line and first-run seeding. */
  actor?: Pick<Actor, "userId" | "email"> | null;
  /** Shown in the audit log when there is no actor. */
  actorLabel?: string;
  ip?: string | null;
  now?: Date;
}

/** The reference extract shipped in `reference/` (4 657 hospital sites). */
export const REFERENCE_DIRECTORY_FILE = new URL(
  "../../../../reference/etabs_hopitaux_france.csv",
  import.meta.url,
);

// 500 rows × 15 columns stays far below PostgreSQL's 65 535 parameters per statement.
const BATCH_SIZE = 500;

const COMPARED_COLUMNS = [
  "finess_ej",
  "name",
  "long_name",
  "legal_status",
  "category",
  "region_code",
  "department_code",
  "town",
  "postal_code",
  "phone",
  "siret",
  "search_text",
  "source",
] as const satisfies ReadonlyArray<keyof ImportedStructure & keyof StructureImportState>;

function isUnchanged(existing: StructureImportState, incoming: ImportedStructure): boolean {
  for (const column of COMPARED_COLUMNS) {
    if ((existing[column] ?? null) !== (incoming[column] ?? null)) return false;
  }
  return existing.structure_type_set_by_hand || existing.structure_type === incoming.structure_type;
}

async function departmentIndex(db: Executor): Promise<DepartmentIndex> {
  const rows = await regionsRepo.listDepartments(db);
  return new Map(rows.map((d) => [d.code, d.region_code]));
}

async function upsertAll(
  trx: Transaction<Database>,
  records: readonly DirectoryRecord[],
  now: Date,
  onProgress: ImportProgress | undefined,
): Promise<{ inserted: number; updated: number; unchanged: number }> {
  const counts = { inserted: 0, updated: 0, unchanged: 0 };
  onProgress?.(0, records.length);
  for (let start = 0; start < records.length; start += BATCH_SIZE) {
    const batch = records.slice(start, start + BATCH_SIZE).map((r) => r.structure);
    const existing = new Map(
      (
        await structuresRepo.findImportStates(
          trx,
          batch.map((s) => s.finess_et),
        )
      ).map((s) => [s.finess_et, s]),
    );
    const writes: ImportedStructure[] = [];
    for (const structure of batch) {
      const current = existing.get(structure.finess_et);
      if (!current) {
        counts.inserted++;
        writes.push(structure);
      } else if (isUnchanged(current, structure)) {
        counts.unchanged++;
      } else {
        counts.updated++;
        writes.push(structure);
      }
    }
    await structuresRepo.upsertImportedStructures(trx, writes, now);
    onProgress?.(Math.min(start + BATCH_SIZE, records.length), records.length);
  }
  return counts;
}

/**
 * Imports a directory file (reference CSV or official FINESS extract, detected, UTF-8 or
 * Latin-1): validates every line, upserts by FINESS ET in batches within one transaction,
 * counts inserted / updated / unchanged, and records one audit entry. Re-importing the same
 * file changes nothing; what the CERT set by hand (GHT, OSE/OIV, contacts, mail domains, a
 * corrected type) is never overwritten. Structures absent from the file are kept.
 */
export async function importDirectory(
  db: Executor,
  input: string | Uint8Array,
  options: ImportDirectoryOptions = {},
): Promise<DirectoryImportReport> {
  const parsed = parseDirectoryFile(input, options.format ?? "auto");
  const now = options.now ?? new Date();
  const run = async (trx: Transaction<Database>): Promise<DirectoryImportReport> => {
    const { records, rejected } = validateDirectoryLines(parsed.lines, await departmentIndex(trx));
    const counts = await upsertAll(trx, records, now, options.onProgress);
    const allRejected = [...parsed.rejected, ...rejected].sort((a, b) => a.line - b.line);
    const report: DirectoryImportReport = {
      read: parsed.lines.length + parsed.rejected.length,
      ...counts,
      rejected: allRejected,
    };
    await recordAudit(
      trx,
      {
        actor: options.actor ?? null,
        actorLabel: options.actorLabel ?? "système",
        action: "directory.import",
        objectType: "directory",
        ip: options.ip ?? null,
        details: {
          format: parsed.format,
          encoding: parsed.encoding,
          read: report.read,
          inserted: report.inserted,
          updated: report.updated,
          unchanged: report.unchanged,
          rejected: report.rejected.length,
        },
      },
      now,
    );
    return report;
  };
  return db.isTransaction ? run(db as Transaction<Database>) : db.transaction().execute(run);
}

/** Imports the reference file shipped in `reference/` (used to seed a first run). */
export async function loadReferenceDirectory(
  db: Executor,
  onProgress?: ImportProgress,
): Promise<DirectoryImportReport> {
  const bytes = await readFile(REFERENCE_DIRECTORY_FILE);
  return importDirectory(db, bytes, {
    format: "csv",
    actorLabel: "système (annuaire de référence)",
    ...(onProgress ? { onProgress } : {}),
  });
}
