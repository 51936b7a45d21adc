import type {
  AuditFindingView,
  AuditSummaryCounts,
  ExposureAuditSummary,
  FindingChange,
  FindingSeverity,
} from "@vigie/contracts";
import type { ExposureAuditRow, ExposureFindingRow } from "@vigie/db";

const iso = (value: Date | string | null) =>
  value === null ? null : (value instanceof Date ? value : new Date(value)).toISOString();

/** The list's view of an audit. */
export function presentAuditSummary(row: ExposureAuditRow): ExposureAuditSummary {
  return {
    id: row.id,
    structureId: row.structure_id,
    structureName: row.structure_name,
    status: row.status,
    scheduledFor: iso(row.scheduled_for) as string,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    counts: row.status === "succeeded" && row.summary ? (row.summary as AuditSummaryCounts) : null,
    error: row.error,
  };
}

/** Most severe first. */
export const severityRank: Record<FindingSeverity, number> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
  info: 4,
};

/** A stored finding, with where it stands against the previous audit. */
export function presentFinding(row: ExposureFindingRow, change: FindingChange): AuditFindingView {
  return {
    findingKey: row.finding_key,
    checkCode: row.check_code,
    category: row.category as AuditFindingView["category"],
    severity: row.severity as FindingSeverity,
    title: row.title,
    evidence: row.evidence,
    remediation: row.remediation,
    domain: row.domain,
    host: row.host,
    ip: row.ip,
    port: row.port,
    change,
    ticketId: row.ticket_id,
  };
}

/** Most severe first, then by place and check. */
export function compareFindings(a: AuditFindingView, b: AuditFindingView): number {
  return (
    severityRank[a.severity] - severityRank[b.severity] ||
    (a.host ?? a.ip ?? a.domain ?? "").localeCompare(b.host ?? b.ip ?? b.domain ?? "") ||
    (a.port ?? 0) - (b.port ?? 0) ||
    a.checkCode.localeCompare(b.checkCode)
  );
}
