import type { IncidentRecord, IncidentRecordInput } from "@vigie/contracts";
import type { ExchangeIncidentRow } from "@vigie/db";
import { sha256 } from "../auth/secrets.ts";
import type { StructureSnapshot } from "../declarations/snapshot.ts";
import { parisOffsetMinutes } from "./paris-offset.ts";

// The canonical form of a `vigie.incident/1` record: what "the same record" means. Dates are
// compared as instants (any offset), an empty optional text is the same as an absent one, null
// the same as absent, and defaults are applied. The export writes this form back out.

/** A record with every field present: instants in UTC, absent values null. */
export interface CanonicalRecord {
  reference: string;
  declared_at: string;
  detected_at: string | null;
  channel: string;
  structure: {
    finess_et: string;
    name: string | null;
    type: string;
    region: string;
    department: string | null;
    ose: boolean;
    oiv: boolean;
    ght_support: boolean;
    ght: string | null;
  };
  out_of_scope: boolean;
  out_of_scope_reason: string | null;
  state_at_declaration: string;
  support_requested: boolean;
  origin: string | null;
  malicious_types: string[];
  non_malicious_types: string[];
  si_effect: string | null;
  data_impacts: string[];
  data_types: string[];
  operational_impact: string | null;
  degraded_mode_hours: number | null;
  patient_endangerment: string | null;
  affected_systems: string[];
  persons_affected: number | null;
  filings: string[];
  technical_support_provided: boolean;
  authorities_involved: string[];
  complement_requested_at: string | null;
  complement_answered_at: string | null;
  event_ref: string | null;
  tlp: string;
  title: string | null;
  description: string | null;
}

function text(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === "" ? null : value;
}

function instant(value: string | Date): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function instantOrNull(value: string | Date | null | undefined): string | null {
  return value === undefined || value === null ? null : instant(value);
}

/** The canonical form of a parsed record. */
export function canonicalRecord(r: IncidentRecord): CanonicalRecord {
  const s = r.structure;
  return {
    reference: r.reference,
    declared_at: instant(r.declared_at),
    detected_at: instantOrNull(r.detected_at),
    channel: r.channel,
    structure: {
      finess_et: s.finess_et,
      name: text(s.name),
      type: s.type,
      region: s.region,
      department: text(s.department),
      ose: s.ose,
      oiv: s.oiv,
      ght_support: s.ght_support,
      ght: text(s.ght),
    },
    out_of_scope: r.out_of_scope,
    out_of_scope_reason: r.out_of_scope_reason ?? null,
    state_at_declaration: r.state_at_declaration,
    support_requested: r.support_requested,
    origin: r.origin ?? null,
    malicious_types: [...r.malicious_types],
    non_malicious_types: [...r.non_malicious_types],
    si_effect: r.si_effect ?? null,
    data_impacts: [...r.data_impacts],
    data_types: [...r.data_types],
    operational_impact: r.operational_impact ?? null,
    degraded_mode_hours: r.degraded_mode_hours ?? null,
    patient_endangerment: r.patient_endangerment ?? null,
    affected_systems: [...r.affected_systems],
    persons_affected: r.persons_affected ?? null,
    filings: [...r.filings],
    technical_support_provided: r.technical_support_provided,
    authorities_involved: [...r.authorities_involved],
    complement_requested_at: instantOrNull(r.complement_requested_at),
    complement_answered_at: instantOrNull(r.complement_answered_at),
    event_ref: text(r.event_ref),
    tlp: r.tlp,
    title: text(r.title),
    description: text(r.description),
  };
}

/**
 * The canonical JSON of a record: equal strings mean the same record. `canonicalRecord` builds
 * every object with its keys in one fixed order, so plain JSON is canonical.
 */
export function canonicalJson(record: CanonicalRecord): string {
  return JSON.stringify(record);
}

/** The hash stored as `request_hash` of an imported incident. */
export function recordHash(record: CanonicalRecord): string {
  return sha256(canonicalJson(record));
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** RFC 3339 in Paris local time with its offset, e.g. `2023-03-14T09:30:00+01:00` (milliseconds kept). */
export function formatRfc3339Paris(at: Date): string {
  const ms = at.getTime();
  const offset = parisOffsetMinutes(ms);
  const local = new Date(ms + offset * 60_000);
  const millis = local.getUTCMilliseconds();
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `${millis === 0 ? "" : `.${pad(millis, 3)}`}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

function snapshotOfRow(row: Pick<ExchangeIncidentRow, "structure_snapshot">): StructureSnapshot {
  const raw = row.structure_snapshot;
  return (typeof raw === "string" ? JSON.parse(raw) : raw) as unknown as StructureSnapshot;
}

type DateFormat = (at: Date) => string;
const utcIso: DateFormat = (at) => at.toISOString();

/**
 * A stored incident as a `vigie.incident/1` record: the effective values (what the statistics
 * count), the structure as it was at declaration time, dates in Paris local time. Optional texts
 * left empty are omitted.
 */
export function rowToRecord(
  row: ExchangeIncidentRow,
  format: DateFormat = formatRfc3339Paris,
): IncidentRecordInput {
  const date = (value: Date | string | null) => (value === null ? null : format(new Date(value)));
  const snapshot = snapshotOfRow(row);
  const structure: IncidentRecordInput["structure"] = {
    finess_et: snapshot.finessEt,
    ...(text(snapshot.name) === null ? {} : { name: snapshot.name }),
    type: snapshot.structureType as IncidentRecord["structure"]["type"],
    region: snapshot.regionCode ?? "",
    ...(text(snapshot.departmentCode) === null ? {} : { department: snapshot.departmentCode as string }),
    ose: snapshot.ose === true,
    oiv: snapshot.oiv === true,
    ght_support: snapshot.ghtSupport === true,
    ...(text(snapshot.ghtCode) === null ? {} : { ght: snapshot.ghtCode as string }),
  };
  type R = IncidentRecord;
  return {
    reference: row.reference,
    declared_at: format(new Date(row.declared_at)),
    detected_at: date(row.detected_at),
    channel: row.channel as R["channel"],
    structure,
    out_of_scope: row.out_of_scope,
    out_of_scope_reason: row.out_of_scope_reason as R["out_of_scope_reason"],
    state_at_declaration: row.state_at_declaration as R["state_at_declaration"],
    support_requested: row.support_requested,
    origin: row.effective_origin as R["origin"],
    malicious_types: row.effective_malicious_types as R["malicious_types"],
    non_malicious_types: row.effective_non_malicious_types as R["non_malicious_types"],
    si_effect: row.si_effect as R["si_effect"],
    data_impacts: row.effective_data_impacts as R["data_impacts"],
    data_types: row.effective_data_types as R["data_types"],
    operational_impact: row.effective_operational_impact as R["operational_impact"],
    degraded_mode_hours: row.degraded_mode_hours === null ? null : Number(row.degraded_mode_hours),
    patient_endangerment: row.effective_patient_endangerment as R["patient_endangerment"],
    affected_systems: row.affected_systems as R["affected_systems"],
    persons_affected: row.persons_affected,
    filings: row.filings as R["filings"],
    technical_support_provided: row.technical_support_provided,
    authorities_involved: row.authorities_involved as R["authorities_involved"],
    complement_requested_at: date(row.complement_requested_at),
    complement_answered_at: date(row.complement_answered_at),
    event_ref: row.event_reference,
    tlp: row.tlp as R["tlp"],
    ...(text(row.title) === null ? {} : { title: row.title }),
    ...(text(row.description) === null ? {} : { description: row.description }),
  };
}

/** The canonical form of a stored incident, to compare with an incoming record. */
export function canonicalOfRow(row: ExchangeIncidentRow): CanonicalRecord {
  return canonicalRecord(rowToRecord(row, utcIso) as IncidentRecord);
}
