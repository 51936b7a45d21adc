import {
  AppError,
  type AuditFindingView,
  type ExposureAuditDetail,
  type ExposureAuditStatus,
  type ExposureAuditSummary,
  type ExposureHost,
} from "@vigie/contracts";
import { type Executor, exposureAuditsRepo as repo } from "@vigie/db";
import { type Actor, assertPermission } from "../../access/policy.ts";
import { canReachStructure, inventoryScope, resolveInventoryStructure } from "../../watch/assets/access.ts";
import { presentAuthorisation } from "../perimeter.ts";
import { compareFindings, presentAuditSummary, presentFinding } from "../present.ts";

/** An audit's report: the API's detail, and the scanner's details the documents print. */
export type AuditReport = ExposureAuditDetail & {
  /** Ports tried, nmap version, DNS servers: the scanner's identity. */
  scannerDetails: { nmapVersion: string | null; ratePerSecond: number | null; targets: number | null };
};

const notFound = () => new AppError("NOT_FOUND", { message: "Audit introuvable." });

export const AUDIT_PAGE_SIZE = 25;

/** One page of audits within the actor's structures (the CERT: all), most recent first. */
export async function listAudits(
  db: Executor,
  actor: Actor | null,
  query: { structureId?: string | undefined; status?: ExposureAuditStatus | undefined; page: number },
): Promise<{ items: ExposureAuditSummary[]; total: number; page: number; pageSize: number }> {
  if (actor) assertPermission(actor, "watch:read");
  let structureIds = inventoryScope(actor);
  if (query.structureId) {
    structureIds = [(await resolveInventoryStructure(db, actor, query.structureId, "structureId")).id];
  }
  const { rows, total } = await repo.listAudits(
    db,
    { structureIds, status: query.status },
    { offset: (query.page - 1) * AUDIT_PAGE_SIZE, limit: AUDIT_PAGE_SIZE },
  );
  return { items: rows.map(presentAuditSummary), total, page: query.page, pageSize: AUDIT_PAGE_SIZE };
}

/**
 * The report of an audit (`watch:read`; NOT_FOUND outside the actor's structures): summary,
 * authorisation, exposure map, findings most severe first with what changed since the previous
 * audit, the findings fixed since, and the names outside the perimeter.
 */
export async function buildAuditReport(
  db: Executor,
  actor: Actor | null,
  auditId: string,
  now: Date = new Date(),
): Promise<AuditReport> {
  if (actor) assertPermission(actor, "watch:read");
  if (!/^[0-9a-f-]{36}$/i.test(auditId)) throw notFound();
  const audit = await repo.findAudit(db, auditId);
  if (!audit || !canReachStructure(actor, audit.structure_id)) throw notFound();
  const authorisation = audit.authorisation_id
    ? await repo.findAuthorisationById(db, audit.authorisation_id)
    : undefined;
  const previous = audit.previous_audit_id ? await repo.findAudit(db, audit.previous_audit_id) : undefined;
  const previousRows = previous ? await repo.listFindings(db, previous.id) : [];
  const previousKeys = new Set(previousRows.map((f) => f.finding_key));
  const rows = audit.status === "succeeded" ? await repo.listFindings(db, audit.id) : [];
  const keys = new Set(rows.map((f) => f.finding_key));
  const findings: AuditFindingView[] = rows
    .map((row) => presentFinding(row, previousKeys.has(row.finding_key) ? "still_open" : "new"))
    .sort(compareFindings);
  const fixed: AuditFindingView[] =
    audit.status === "succeeded"
      ? previousRows
          .filter((row) => !keys.has(row.finding_key))
          .map((row) => presentFinding(row, "fixed"))
          .sort(compareFindings)
      : [];
  const scanner = (audit.scanner ?? null) as {
    engine?: "nmap" | "builtin";
    userAgent?: string;
    ports?: number;
    nmapVersion?: string;
    ratePerSecond?: number;
    targets?: number;
    notes?: string[];
  } | null;
  return {
    ...presentAuditSummary(audit),
    authorisation: authorisation ? presentAuthorisation(authorisation, now) : null,
    previousAuditId: audit.previous_audit_id,
    scanner:
      scanner?.engine && scanner.userAgent
        ? { engine: scanner.engine, userAgent: scanner.userAgent, ports: scanner.ports ?? 0 }
        : null,
    exposure: (audit.exposure ?? []) as ExposureHost[],
    outOfPerimeter: (audit.out_of_perimeter ?? []) as { name: string; ip: string }[],
    findings,
    fixed,
    notes: scanner?.notes ?? [],
    scannerDetails: {
      nmapVersion: scanner?.nmapVersion ?? null,
      ratePerSecond: scanner?.ratePerSecond ?? null,
      targets: scanner?.targets ?? null,
    },
    previousFinishedAt: previous?.finished_at ? new Date(previous.finished_at).toISOString() : null,
  };
}
