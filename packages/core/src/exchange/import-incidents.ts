import { randomUUID } from "node:crypto";
import { EXCHANGE_FORMAT, type IncidentImportReport, type IncidentRecord } from "@vigie/contracts";
import {
  type CounterFloor,
  type Database,
  type ExchangeStructureRow,
  type Executor,
  exchangeRepo,
  type ImportedIncidentRow,
  type NewImportedStructure,
} from "@vigie/db";
import type { Transaction } from "kysely";
import type { Actor } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { StructureSnapshot } from "../declarations/snapshot.ts";
import { structureSearchText } from "../directory/search-text.ts";
import {
  type CanonicalRecord,
  canonicalJson,
  canonicalOfRow,
  canonicalRecord,
  recordHash,
} from "./canonical.ts";
import { isBusinessHoursFast } from "./paris-offset.ts";
import { type IncidentFileFormat, parseIncidentFile } from "./parse-incident-file.ts";
import { DEFAULT_PROBLEM_LIMIT, ProblemList, rejectedReport } from "./problems.ts";
import { incidentSearchText } from "./search-document.ts";
import { validateRecordRules } from "./validate-record.ts";

/** Rows per statement: one JSON parameter each, far below any statement limit. */
const BATCH_SIZE = 2000;

export interface ImportIncidentsOptions {
  /** Overwrite the stored incident when a record with its reference differs (else: a problem). */
  update?: boolean;
  /** The import's time (qualified, closed, imported); now by default. */
  now?: Date;
  /** The CERT member importing (qualified_by, event author); null for the command line. */
  actorUserId?: string | null;
  /** Who imports, for the audit log (defaults to `actorUserId` with `actorLabel`). */
  actor?: Pick<Actor, "userId" | "email"> | null;
  /** Shown in the audit log when there is no actor. */
  actorLabel?: string;
  ip?: string | null;
  /** The physical line of each record in its file (1-based); the record's rank + 1 by default. */
  lines?: readonly number[];
  /** Problems listed at most (DEFAULT_PROBLEM_LIMIT). */
  problemLimit?: number;
}

interface Entry {
  line: number;
  record: IncidentRecord;
  canonical: CanonicalRecord;
}

const REFERENCE_NUMBER = /^CS-(\d{4})-(\d{6})$/;
const EVENT_NUMBER = /^EV-(\d{4})-(\d{4})$/;

/** The highest number per year among references of a sequence (`CS-2023-000123`, `EV-2023-0012`). */
function counterFloors(references: Iterable<string>, pattern: RegExp): CounterFloor[] {
  const floors = new Map<number, number>();
  for (const reference of references) {
    const match = pattern.exec(reference);
    if (!match) continue;
    const year = Number(match[1]);
    const value = Number(match[2]);
    if (value > (floors.get(year) ?? 0)) floors.set(year, value);
  }
  return [...floors].map(([year, value]) => ({ year, value }));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Validates the rules between fields of every record and the uniqueness of references within
 * the batch. Returns the entries ready to write, or the problems.
 */
export function checkIncidentRecords(
  records: readonly IncidentRecord[],
  lines: readonly number[] | undefined,
  problems: ProblemList,
): Entry[] {
  const entries: Entry[] = [];
  const firstLine = new Map<string, number>();
  records.forEach((record, index) => {
    const line = lines?.[index] ?? index + 1;
    for (const p of validateRecordRules(record)) problems.add({ line, ...p });
    const seen = firstLine.get(record.reference);
    if (seen !== undefined) {
      problems.add({
        line,
        path: "reference",
        message: `Référence « ${record.reference} » déjà présente dans le fichier (ligne ${seen}).`,
      });
    } else {
      firstLine.set(record.reference, line);
    }
    entries.push({ line, record, canonical: canonicalRecord(record) });
  });
  return entries;
}

/** The structure snapshot of an imported record: the portal's shape, from the record's `structure`. */
function snapshotOf(record: IncidentRecord, structure: ExchangeStructureRow): StructureSnapshot {
  const s = record.structure;
  const named = { id: structure.id, finessEt: s.finess_et, name: s.name ?? "", town: structure.town };
  return {
    ...named,
    structureType: s.type,
    regionCode: s.region,
    departmentCode: s.department ?? null,
    ose: s.ose,
    oiv: s.oiv,
    ghtCode: s.ght ?? null,
    ghtSupport: s.ght_support,
    structures: [named],
  };
}

function iso(value: string | null | undefined): string | null {
  return value ? new Date(value).toISOString() : null;
}

function toRow(entry: Entry, structure: ExchangeStructureRow, eventId: string | null): ImportedIncidentRow {
  const r = entry.record;
  const declaredAt = new Date(r.declared_at);
  const snapshot = snapshotOf(r, structure);
  const title = r.title ?? "";
  const description = r.description ?? "";
  return {
    id: randomUUID(),
    reference: r.reference,
    idempotency_key: randomUUID(),
    request_hash: recordHash(entry.canonical),
    channel: r.channel,
    structure_id: structure.id,
    structure_snapshot: snapshot as unknown as Record<string, unknown>,
    title,
    description,
    detected_at: iso(r.detected_at),
    declared_at: declaredAt.toISOString(),
    state_at_declaration: r.state_at_declaration,
    support_requested: r.support_requested,
    out_of_scope: r.out_of_scope,
    out_of_scope_reason: r.out_of_scope_reason ?? null,
    origin: r.origin ?? null,
    malicious_types: r.malicious_types,
    non_malicious_types: r.non_malicious_types,
    si_effect: r.si_effect ?? null,
    data_impacts: r.data_impacts,
    data_types: r.data_types,
    operational_impact: r.operational_impact ?? null,
    degraded_mode_hours: r.degraded_mode_hours ?? null,
    patient_endangerment: r.patient_endangerment ?? null,
    affected_systems: r.affected_systems,
    persons_affected: r.persons_affected ?? null,
    filings: r.filings,
    technical_support_provided: r.technical_support_provided,
    authorities_involved: r.authorities_involved,
    complement_requested_at: iso(r.complement_requested_at),
    complement_answered_at: iso(r.complement_answered_at),
    event_id: eventId,
    tlp: r.tlp,
    out_of_hours: !isBusinessHoursFast(declaredAt),
    search_text: incidentSearchText(title, description, snapshot),
  };
}

/** Finds the directory structures of the records by FINESS, creating those absent (`source = 'import'`). */
async function resolveStructures(
  trx: Executor,
  entries: readonly Entry[],
  now: Date,
): Promise<{ byFiness: Map<string, ExchangeStructureRow>; created: number }> {
  // The latest declaration describes the structure best when it must be created.
  const latest = new Map<string, Entry>();
  for (const entry of entries) {
    const finess = entry.record.structure.finess_et;
    const current = latest.get(finess);
    if (!current || entry.canonical.declared_at > current.canonical.declared_at) latest.set(finess, entry);
  }
  const byFiness = new Map<string, ExchangeStructureRow>();
  let created = 0;
  for (const batch of chunks([...latest.keys()], BATCH_SIZE)) {
    for (const row of await exchangeRepo.findStructuresByFiness(trx, batch)) byFiness.set(row.finess_et, row);
    const missing: NewImportedStructure[] = batch
      .filter((finess) => !byFiness.has(finess))
      .map((finess) => {
        const s = (latest.get(finess) as Entry).record.structure;
        const name = s.name?.trim() || `Structure ${finess}`;
        return {
          finess_et: finess,
          name,
          structure_type: s.type,
          region_code: s.region,
          department_code: s.department || null,
          ght_code: s.ght || null,
          ght_support: s.ght_support,
          ose: s.ose,
          oiv: s.oiv,
          search_text: structureSearchText({ finessEt: finess, name, longName: null, town: null }),
        };
      });
    const inserted = await exchangeRepo.insertImportedStructures(trx, missing, now);
    created += inserted.length;
    for (const row of inserted) byFiness.set(row.finess_et, row);
  }
  return { byFiness, created };
}

/** Finds the events the records name, creating those absent (closed: the history is past). */
async function resolveEvents(
  trx: Executor,
  entries: readonly Entry[],
  actorUserId: string | null,
  now: Date,
): Promise<{ byReference: Map<string, string>; created: number }> {
  const earliest = new Map<string, string>();
  for (const entry of entries) {
    const ref = entry.canonical.event_ref;
    if (ref === null) continue;
    const current = earliest.get(ref);
    if (!current || entry.canonical.declared_at < current) earliest.set(ref, entry.canonical.declared_at);
  }
  const byReference = new Map<string, string>();
  let created = 0;
  for (const batch of chunks([...earliest.keys()], BATCH_SIZE)) {
    for (const row of await exchangeRepo.findEventsByReferences(trx, batch))
      byReference.set(row.reference, row.id);
    const missing = batch
      .filter((ref) => !byReference.has(ref))
      .map((reference) => ({
        reference,
        title: `Événement ${reference} (importé)`,
        status: "closed" as const,
        created_at: new Date(earliest.get(reference) as string),
      }));
    const inserted = await exchangeRepo.insertImportedEvents(trx, missing, actorUserId, now);
    created += inserted.length;
    for (const row of inserted) byReference.set(row.reference, row.id);
  }
  return { byReference, created };
}

/**
 * Imports records of `vigie.incident/1` already parsed by `IncidentRecordSchema`, all or
 * nothing, in one transaction (decision 0010): every record is checked first (rules between
 * fields, references unique in the batch, a stored incident with the same reference must be
 * identical unless `update`); then the incidents are written in batches — closed, anonymous,
 * qualified with the record's values in both the declared and the qualified columns — with
 * their directory structures (created when absent), their events (created when absent), the
 * reference counters raised past the imported numbers, and one audit entry.
 *
 * When a record is refused nothing is written and the report's `problems` say why (line =
 * `options.lines[i]`, else the record's rank + 1).
 */
export async function importIncidentRecords(
  db: Executor,
  records: readonly IncidentRecord[],
  options: ImportIncidentsOptions = {},
): Promise<IncidentImportReport> {
  const problems = new ProblemList(options.problemLimit ?? DEFAULT_PROBLEM_LIMIT);
  return importChecked(db, records, options.lines, records.length, problems, options);
}

export interface ImportIncidentFileOptions extends Omit<ImportIncidentsOptions, "lines"> {
  format: IncidentFileFormat;
}

/**
 * Imports a `vigie.incident/1` file (JSON Lines or CSV, UTF-8): every line is parsed and
 * checked — shape, rules between fields, references — before anything is written; one problem
 * anywhere and nothing is written (the report lists the problems with their line and field).
 */
export async function importIncidentFile(
  db: Executor,
  input: string | Uint8Array,
  options: ImportIncidentFileOptions,
): Promise<IncidentImportReport> {
  const problems = new ProblemList(options.problemLimit ?? DEFAULT_PROBLEM_LIMIT);
  const parsed = parseIncidentFile(input, options.format, problems);
  return importChecked(db, parsed.records, parsed.lines, parsed.read, problems, options);
}

async function importChecked(
  db: Executor,
  records: readonly IncidentRecord[],
  lines: readonly number[] | undefined,
  read: number,
  problems: ProblemList,
  options: ImportIncidentsOptions,
): Promise<IncidentImportReport> {
  const entries = checkIncidentRecords(records, lines, problems);
  if (problems.count > 0) return rejectedReport(read, problems);
  const run = (trx: Transaction<Database>) => writeRecords(trx, entries, options, problems);
  if (db.isTransaction) return run(db as Transaction<Database>);
  return db.transaction().execute(run);
}

async function writeRecords(
  trx: Transaction<Database>,
  entries: readonly Entry[],
  options: ImportIncidentsOptions,
  problems: ProblemList,
): Promise<IncidentImportReport> {
  const now = options.now ?? new Date();
  const update = options.update === true;
  const actorUserId = options.actorUserId ?? options.actor?.userId ?? null;

  // 1. What is new, unchanged or different, before anything is written.
  const fresh: Entry[] = [];
  const changed: Entry[] = [];
  let unchanged = 0;
  for (const batch of chunks(entries, BATCH_SIZE)) {
    const stored = new Map(
      (
        await exchangeRepo.findExchangeRowsByReferences(
          trx,
          batch.map((e) => e.record.reference),
        )
      ).map((row) => [row.reference, row]),
    );
    for (const entry of batch) {
      const row = stored.get(entry.record.reference);
      if (!row) fresh.push(entry);
      else if (canonicalJson(canonicalOfRow(row)) === canonicalJson(entry.canonical)) unchanged++;
      else if (update) changed.push(entry);
      else {
        problems.add({
          line: entry.line,
          path: "reference",
          message: `L'incident ${entry.record.reference} existe déjà avec un contenu différent : importez avec l'option de mise à jour pour le remplacer.`,
        });
      }
    }
  }
  if (problems.count > 0) return rejectedReport(entries.length, problems);

  // 2. Structures and events, then the incidents, in batches.
  const toWrite = [...fresh, ...changed];
  const structures = await resolveStructures(trx, toWrite, now);
  const events = await resolveEvents(trx, toWrite, actorUserId, now);
  const rowOf = (entry: Entry) =>
    toRow(
      entry,
      structures.byFiness.get(entry.record.structure.finess_et) as ExchangeStructureRow,
      entry.canonical.event_ref === null ? null : (events.byReference.get(entry.canonical.event_ref) ?? null),
    );
  const batchInfo = { at: now, qualifiedByUserId: actorUserId };
  for (const batch of chunks(fresh, BATCH_SIZE)) {
    await exchangeRepo.insertImportedIncidents(trx, batch.map(rowOf), batchInfo);
  }
  for (const batch of chunks(changed, BATCH_SIZE)) {
    await exchangeRepo.updateImportedIncidents(trx, batch.map(rowOf), batchInfo);
  }

  // 3. The portal never reuses an imported number; the CERT never reuses an event's.
  await exchangeRepo.raiseReferenceCounters(
    trx,
    counterFloors(
      entries.map((e) => e.record.reference),
      REFERENCE_NUMBER,
    ),
  );
  await exchangeRepo.raiseEventCounters(
    trx,
    counterFloors(
      entries.flatMap((e) => (e.canonical.event_ref === null ? [] : [e.canonical.event_ref])),
      EVENT_NUMBER,
    ),
  );

  const report: IncidentImportReport = {
    format: EXCHANGE_FORMAT,
    records: entries.length,
    created: fresh.length,
    updated: changed.length,
    unchanged,
    problems: [],
    truncated: false,
  };
  const actor =
    options.actor ?? (actorUserId ? { userId: actorUserId, email: options.actorLabel ?? "import" } : null);
  await recordAudit(
    trx,
    {
      actor,
      actorLabel: options.actorLabel ?? "système",
      action: "incidents.import",
      objectType: "incident",
      ip: options.ip ?? null,
      details: {
        format: EXCHANGE_FORMAT,
        records: report.records,
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        structuresCreated: structures.created,
        eventsCreated: events.created,
        update,
      },
    },
    now,
  );
  return report;
}
