import type { Config } from "@vigie/config";
import {
  type AuditSummaryCounts,
  type ExposureHost,
  type FindingSeverity,
  findingSeverities,
  type SensitiveService,
  sensitiveServices,
  type TicketUrgency,
} from "@vigie/contracts";
import {
  type AssetRow,
  type AuthorisationRow,
  assetsRepo,
  type Executor,
  type ExposureAuditRow,
  type NewAssetRow,
  type NewExposureFindingRow,
  exposureAuditsRepo as repo,
  watchTicketsRepo,
} from "@vigie/db";
import ipaddr from "ipaddr.js";
import { assetColumns, rowAsAsset } from "../watch/assets/manage-assets.ts";
import { assetIdentity, blankAsset, type NormalisedAsset } from "../watch/assets/validate-asset.ts";
import { runMatching } from "../watch/matching/run-matching.ts";
import { closeTicketsOfAsset } from "../watch/tickets/close-tickets-of-asset.ts";
import { type Finding, recordFindings } from "../watch/tickets/record-findings.ts";
import { parisToday } from "./perimeter.ts";
import { PerimeterGuard } from "./scan/perimeter-guard.ts";
import { type AuditPhases, auditPorts, defaultAuditPhases, type PassiveResult } from "./scan/phases.ts";
import { TargetLimiter } from "./scan/target-limiter.ts";
import {
  type DetectedProduct,
  findingKeyOf,
  type OpenService,
  type ScanContext,
  type ScanFinding,
} from "./scan/types.ts";

/** The configuration an audit reads. */
export type AuditRunConfig = Pick<
  Config,
  | "AUDIT_DNS_SERVERS"
  | "auditUserAgent"
  | "AUDIT_RATE_PER_SECOND"
  | "AUDIT_TIMEOUT_MS"
  | "AUDIT_NMAP"
  | "AUDIT_PORTS"
  | "AUDIT_RDAP_URL"
>;

/** Options of a run (tests and the command line). */
export interface RunAuditsOptions {
  /** Only this structure's due audit. */
  structureId?: string;
  /** At most this many audits (default: every due one). */
  limit?: number;
  /** Ports tried, instead of the configuration's `AUDIT_PORTS`. */
  ports?: readonly number[];
  /** Certificate authority (PEM) trusted by the TLS phase besides the system's (tests). */
  trustedCa?: string | string[];
  /** Replaces probes (tests). */
  phases?: Partial<AuditPhases>;
  /** Widest part of a declared range scanned (prefix length, IPv4; default 22). */
  rangeCapPrefix?: number;
  signal?: AbortSignal;
}

export interface AuditOutcome {
  id: string;
  structureId: string;
  status: "succeeded" | "failed" | "cancelled";
  error: string | null;
  findings: number;
  ticketsOpened: number;
  ticketsFixed: number;
}

export interface RunAuditsReport {
  audits: AuditOutcome[];
  /** Audits found running for too long (a stopped worker), now failed. */
  stale: number;
}

/** An audit running longer than this was interrupted (its worker stopped). */
export const AUDIT_STALE_AFTER_MS = 6 * 3_600_000;
/** Most addresses of one declared range scanned (a /22 in IPv4). */
const DEFAULT_RANGE_CAP_PREFIX = 22;
/** Note of the tickets of audit assets no longer seen. */
export const AUDIT_ASSET_GONE_NOTE = "Plus détecté par l'audit de cybersurveillance";

/** Structures being audited by this process: one scan at a time per target. */
const inProgress = new Set<string>();

const URGENCY: Record<FindingSeverity, TicketUrgency | null> = {
  critical: "critical",
  high: "high",
  medium: "normal",
  low: "normal",
  info: null,
};

const severityOrder = (s: FindingSeverity) => findingSeverities.indexOf(s);

// ---------------------------------------------------------------------------------------------
// Targets

/**
 * Every address of the declared ranges (network and broadcast addresses of IPv4 ranges left
 * out), each range capped at `capPrefix` (IPv4) — the first addresses only, with a French note.
 */
export function rangeAddresses(
  networks: readonly string[],
  capPrefix = DEFAULT_RANGE_CAP_PREFIX,
): { ips: string[]; notes: string[] } {
  const ips: string[] = [];
  const notes: string[] = [];
  const capSize = 2 ** (32 - capPrefix);
  for (const network of networks) {
    const [address, prefix] = ipaddr.parseCIDR(network);
    const bits = address.kind() === "ipv4" ? 32 : 128;
    const hostBits = bits - prefix;
    const size = 2n ** BigInt(hostBits);
    const start = BigInt(`0x${Buffer.from(address.toByteArray()).toString("hex")}`);
    const skipEdges = address.kind() === "ipv4" && hostBits >= 2;
    const count = size > BigInt(capSize) ? BigInt(capSize) : size;
    if (size > BigInt(capSize)) {
      const last = toAddress(start + count - 1n, bits);
      notes.push(
        `La plage ${network} compte ${size.toLocaleString("fr-FR")} adresses : seules les ${count.toLocaleString("fr-FR")} premières (${toAddress(start, bits)} à ${last}) ont été analysées.`,
      );
    }
    for (let i = 0n; i < count; i++) {
      if (skipEdges && (i === 0n || i === size - 1n)) continue;
      ips.push(toAddress(start + i, bits));
    }
  }
  return { ips, notes };
}

function toAddress(value: bigint, bits: number): string {
  const hex = value.toString(16).padStart(bits / 4, "0");
  const bytes = [...Buffer.from(hex, "hex")];
  return ipaddr.fromByteArray(bytes).toString();
}

// ---------------------------------------------------------------------------------------------
// Assets found by the audit

/** The sensitive service named by a `service.<name>` finding, or null. */
function sensitiveOfFinding(finding: ScanFinding): SensitiveService | null {
  const match = /^service\.([a-z0-9_-]+)$/.exec(finding.check);
  const name = match?.[1] ?? finding.target.service ?? null;
  return match && name && Object.hasOwn(sensitiveServices, name) ? (name as SensitiveService) : null;
}

/**
 * The assets an audit saw: each exposed sensitive service (a `service` asset, which the watch's
 * matching turns into its `sensitive_service` ticket) and each product with a version read from a
 * banner or an HTTP answer (a `product` asset, matched against the vulnerabilities).
 */
export function auditAssets(
  services: readonly OpenService[],
  findings: readonly ScanFinding[],
  products: readonly DetectedProduct[],
  label: string,
): NormalisedAsset[] {
  const byIdentity = new Map<string, NormalisedAsset>();
  const add = (asset: NormalisedAsset) => {
    const identity = assetIdentity(asset);
    if (!byIdentity.has(identity)) byIdentity.set(identity, asset);
  };
  const serviceAt = new Map(services.map((s) => [`${s.ip}|${s.port}|${s.transport}`, s]));
  const sensitive = new Map<string, { ip: string; port: number; transport: "tcp" | "udp"; name: string }>();
  for (const s of services) {
    if (s.service && Object.hasOwn(sensitiveServices, s.service)) {
      sensitive.set(`${s.ip}|${s.port}|${s.transport}`, {
        ip: s.ip,
        port: s.port,
        transport: s.transport,
        name: s.service,
      });
    }
  }
  for (const f of findings) {
    const name = sensitiveOfFinding(f);
    if (!name || !f.target.ip || !f.target.port) continue;
    const transport = f.target.transport ?? "tcp";
    sensitive.set(`${f.target.ip}|${f.target.port}|${transport}`, {
      ip: f.target.ip,
      port: f.target.port,
      transport,
      name,
    });
  }
  for (const [key, s] of sensitive) {
    const product = serviceAt.get(key)?.product;
    add({
      ...blankAsset("service", label),
      host: s.ip,
      port: s.port,
      transport: s.transport,
      service: s.name,
      vendor: product?.vendor ?? null,
      product: product?.product ?? null,
      version: product?.version ?? null,
    });
  }
  for (const s of services) {
    if (!s.product?.version || sensitive.has(`${s.ip}|${s.port}|${s.transport}`)) continue;
    add({
      ...blankAsset("product", label),
      host: s.ip,
      port: s.port,
      transport: s.transport,
      vendor: s.product.vendor ?? null,
      product: s.product.product,
      version: s.product.version,
    });
  }
  for (const p of products) {
    if (!p.version && !p.cpe) continue;
    add({
      ...blankAsset("product", label),
      host: p.host,
      port: p.port ?? null,
      transport: p.port ? "tcp" : null,
      vendor: p.vendor ?? null,
      product: p.product,
      version: p.version ?? null,
      cpe: p.cpe ?? null,
    });
  }
  return [...byIdentity.values()];
}

/**
 * Brings the structure's audit-sourced assets to what this audit saw: new ones inserted (an
 * identical asset the structure declared itself is left as it is), those no longer seen removed
 * with their tickets fixed. Returns every service asset (any source) by `ip|port|transport`.
 */
async function syncAuditAssets(
  trx: Executor,
  structureId: string,
  assets: readonly NormalisedAsset[],
  now: Date,
): Promise<Map<string, string>> {
  await assetsRepo.lockOwnership(trx);
  const existing = await assetsRepo.listStructureAssets(trx, structureId);
  const byIdentity = new Map<string, AssetRow>();
  for (const row of existing) byIdentity.set(assetIdentity(rowAsAsset(row)), row);
  const seen = new Set<string>();
  const inserts: NewAssetRow[] = [];
  for (const asset of assets) {
    const identity = assetIdentity(asset);
    const row = byIdentity.get(identity);
    if (row) {
      seen.add(row.id);
      continue;
    }
    inserts.push({
      ...assetColumns(asset),
      structure_id: structureId,
      source: "audit",
      created_by_user_id: null,
      created_at: now,
      updated_at: now,
    });
  }
  const inserted = await assetsRepo.insertAssets(trx, inserts);
  for (const row of existing) {
    if (row.source !== "audit" || seen.has(row.id) || (row.kind !== "service" && row.kind !== "product"))
      continue;
    await closeTicketsOfAsset(trx, row.id, now, AUDIT_ASSET_GONE_NOTE);
    await assetsRepo.deleteAsset(trx, row.id);
  }
  const services = new Map<string, string>();
  for (const row of [...existing.filter((r) => r.source !== "audit" || seen.has(r.id)), ...inserted]) {
    if (row.kind === "service" && row.host && row.port) {
      services.set(`${row.host}|${row.port}|${row.transport ?? "tcp"}`, row.id);
    }
  }
  return services;
}

// ---------------------------------------------------------------------------------------------
// One audit

interface ScanResult {
  findings: ScanFinding[];
  services: OpenService[];
  products: DetectedProduct[];
  passive: PassiveResult;
  scanner: Record<string, unknown>;
  targets: number;
}

async function scan(
  db: Executor,
  config: AuditRunConfig,
  audit: ExposureAuditRow,
  authorisation: AuthorisationRow,
  now: Date,
  options: RunAuditsOptions,
): Promise<ScanResult> {
  const phases: AuditPhases = { ...defaultAuditPhases, ...options.phases };
  const perimeter = await repo.findPerimeter(db, audit.structure_id);
  const guard = new PerimeterGuard(authorisation.domains, authorisation.networks);
  const ctx: ScanContext = {
    guard,
    limiter: new TargetLimiter(config.AUDIT_RATE_PER_SECOND),
    userAgent: config.auditUserAgent,
    dnsServers: config.AUDIT_DNS_SERVERS,
    timeoutMs: config.AUDIT_TIMEOUT_MS,
    allowDefaultCredentials:
      (perimeter?.default_credentials_opt_in ?? false) && authorisation.default_credentials,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const notes: string[] = [];
  const ctNames = (await repo.listCtNames(db, audit.structure_id)).filter((n) => guard.allowsName(n));
  const passive: PassiveResult =
    authorisation.domains.length > 0 || ctNames.length > 0
      ? await phases.passive(ctx, {
          domains: authorisation.domains,
          ctNames,
          now,
          ...(config.AUDIT_RDAP_URL ? { rdapUrl: config.AUDIT_RDAP_URL } : {}),
        })
      : { hosts: [], outOfPerimeter: [], findings: [] };

  // targets: the in-perimeter addresses of the names, then every address of the ranges
  const targets = new Map<string, { ip: string; host?: string }>();
  const outOfPerimeter = new Map<string, { name: string; ip: string }>();
  for (const o of passive.outOfPerimeter) outOfPerimeter.set(`${o.name}|${o.ip}`, o);
  for (const host of passive.hosts) {
    for (const ip of host.ips) {
      if (guard.allowsIp(ip)) {
        if (!targets.has(ip)) targets.set(ip, { ip, host: host.name });
      } else if (!outOfPerimeter.has(`${host.name}|${ip}`)) {
        outOfPerimeter.set(`${host.name}|${ip}`, { name: host.name, ip });
      }
    }
  }
  const ranges = rangeAddresses(authorisation.networks, options.rangeCapPrefix);
  notes.push(...ranges.notes);
  for (const ip of ranges.ips) if (!targets.has(ip)) targets.set(ip, { ip });
  for (const target of targets.values()) guard.assertIp(target.ip);

  const ports = options.ports ? [...options.ports] : auditPorts(config.AUDIT_PORTS);
  const portScan = await phases.ports(ctx, [...targets.values()], ports, {
    engine: config.AUDIT_NMAP,
    ratePerSecond: config.AUDIT_RATE_PER_SECOND,
  });
  const checked = await phases.services(ctx, portScan.services);
  const services = checked.services;
  const tls = await phases.tls(ctx, services, now, options.trustedCa ? { trustedCa: options.trustedCa } : {});
  const http = await phases.http(ctx, services);

  // one finding per key: the most severe wins
  const byKey = new Map<string, ScanFinding>();
  for (const finding of [...passive.findings, ...checked.findings, ...tls.findings, ...http.findings]) {
    const key = findingKeyOf(finding);
    const previous = byKey.get(key);
    if (!previous || severityOrder(finding.severity) > severityOrder(previous.severity))
      byKey.set(key, finding);
  }
  passive.outOfPerimeter = [...outOfPerimeter.values()];
  return {
    findings: [...byKey.values()],
    services,
    products: http.products,
    passive,
    targets: targets.size,
    scanner: {
      engine: portScan.engine,
      ...(portScan.nmapVersion ? { nmapVersion: portScan.nmapVersion } : {}),
      userAgent: config.auditUserAgent,
      ports: ports.length,
      portList: ports,
      dnsServers: config.AUDIT_DNS_SERVERS,
      ratePerSecond: config.AUDIT_RATE_PER_SECOND,
      timeoutMs: config.AUDIT_TIMEOUT_MS,
      targets: targets.size,
      defaultCredentials: ctx.allowDefaultCredentials,
      notes,
    },
  };
}

/** The exposure map: each name with its addresses and services, then addresses without a name. */
export function exposureMap(
  hosts: readonly { name: string; ips: string[]; inPerimeter: boolean }[],
  services: readonly OpenService[],
  guard: PerimeterGuard,
): ExposureHost[] {
  const byIp = new Map<string, OpenService[]>();
  for (const s of services) byIp.set(s.ip, [...(byIp.get(s.ip) ?? []), s]);
  const present = (s: OpenService): ExposureHost["services"][number] => ({
    ip: s.ip,
    port: s.port,
    transport: s.transport,
    service: s.service,
    tls: s.tls,
    product: s.product?.product ?? null,
    version: s.product?.version ?? null,
    banner: s.banner ? s.banner.slice(0, 300) : null,
  });
  const named = new Set<string>();
  const map: ExposureHost[] = [];
  for (const host of hosts) {
    const ips = host.ips.filter((ip) => guard.allowsIp(ip));
    if (ips.length === 0) continue;
    for (const ip of ips) named.add(ip);
    map.push({
      name: host.name,
      ips,
      services: ips
        .flatMap((ip) => byIp.get(ip) ?? [])
        .sort((a, b) => a.port - b.port)
        .map(present),
    });
  }
  for (const [ip, list] of byIp) {
    if (named.has(ip)) continue;
    map.push({ name: null, ips: [ip], services: [...list].sort((a, b) => a.port - b.port).map(present) });
  }
  return map;
}

async function persist(
  trx: Executor,
  audit: ExposureAuditRow,
  authorisation: AuthorisationRow,
  result: ScanResult,
  now: Date,
  finishedAt: Date,
): Promise<AuditOutcome> {
  const structureId = audit.structure_id;
  const previous = await repo.findLastSucceededAudit(trx, structureId, audit.id);
  const previousKeys = new Set(
    previous ? (await repo.listFindings(trx, previous.id)).map((f) => f.finding_key) : [],
  );
  const day = new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "Europe/Paris" }).format(now);
  const assets = auditAssets(
    result.services,
    result.findings,
    result.products,
    `Découvert par l'audit du ${day}`,
  );
  // Stamped with the clock at storage, not the audit's start: a matching run that started and
  // finished while the audit scanned must not make the incremental matching below miss them.
  const storedAt = new Date(Math.max(now.getTime(), Date.now()));
  const serviceAssets = await syncAuditAssets(trx, structureId, assets, storedAt);

  // findings the watch's own matching reports (exposed sensitive services): no second ticket
  const coveredBy = new Map<string, string>();
  for (const finding of result.findings) {
    if (!sensitiveOfFinding(finding) || !finding.target.ip || !finding.target.port) continue;
    const assetId = serviceAssets.get(
      `${finding.target.ip}|${finding.target.port}|${finding.target.transport ?? "tcp"}`,
    );
    if (assetId) coveredBy.set(findingKeyOf(finding), `service:${assetId}`);
  }
  const ticketFindings: Finding[] = [];
  for (const finding of result.findings) {
    const key = findingKeyOf(finding);
    const urgency = URGENCY[finding.severity];
    if (!urgency || coveredBy.has(key)) continue;
    const t = finding.target;
    ticketFindings.push({
      structureId,
      assetId: null,
      kind: "exposure",
      findingKey: key,
      cveId: null,
      confidence: "confirmed",
      urgency,
      details: {
        title: finding.title,
        action: finding.remediation,
        source: "Audit de cybersurveillance",
        ...(t.host ? { host: t.host } : {}),
        ...(t.ip ? { ip: t.ip } : {}),
        ...(t.domain ? { domain: t.domain } : {}),
        ...(t.port ? { port: t.port } : {}),
        ...(t.service ? { service: t.service } : {}),
      },
    });
  }
  const recorded = await recordFindings(trx, ticketFindings, now, {
    kinds: ["exposure"],
    structureIds: [structureId],
  });
  const matching = await runMatching(trx, { mode: "incremental", now });

  const lookups = result.findings.map((f) => {
    const key = findingKeyOf(f);
    return { structureId, findingKey: coveredBy.get(key) ?? key };
  });
  const tickets = new Map(
    (await watchTicketsRepo.findTicketsByKeys(trx, lookups)).map((t) => [t.finding_key, t.id]),
  );
  const rows: NewExposureFindingRow[] = result.findings.map((f) => {
    const key = findingKeyOf(f);
    const ticketKey = coveredBy.get(key) ?? key;
    const ip = f.target.ip && ipaddr.isValid(f.target.ip) ? f.target.ip : null;
    return {
      audit_id: audit.id,
      structure_id: structureId,
      finding_key: key,
      check_code: f.check,
      category: f.category,
      severity: f.severity,
      title: f.title,
      evidence: f.evidence,
      remediation: f.remediation,
      domain: f.target.domain ?? null,
      host: f.target.host ?? null,
      ip,
      port: f.target.port ?? null,
      ticket_id: f.severity === "info" && !coveredBy.has(key) ? null : (tickets.get(ticketKey) ?? null),
    };
  });
  await repo.insertFindings(trx, rows);

  const keys = new Set(rows.map((r) => r.finding_key));
  const bySeverity = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
  for (const f of result.findings) bySeverity[f.severity]++;
  const guard = new PerimeterGuard(authorisation.domains, authorisation.networks);
  const exposure = exposureMap(result.passive.hosts, result.services, guard);
  const summary: AuditSummaryCounts = {
    bySeverity,
    hosts: new Set(result.services.map((s) => s.ip)).size,
    openPorts: result.services.length,
    new: [...keys].filter((k) => !previousKeys.has(k)).length,
    stillOpen: [...keys].filter((k) => previousKeys.has(k)).length,
    fixed: [...previousKeys].filter((k) => !keys.has(k)).length,
    outOfPerimeter: result.passive.outOfPerimeter.length,
  };
  await repo.finishAudit(trx, audit.id, {
    status: "succeeded",
    finished_at: finishedAt,
    authorisation_id: authorisation.id,
    previous_audit_id: previous?.id ?? null,
    scanner: result.scanner,
    summary,
    exposure,
    out_of_perimeter: result.passive.outOfPerimeter,
    error: null,
  });
  return {
    id: audit.id,
    structureId,
    status: "succeeded",
    error: null,
    findings: rows.length,
    ticketsOpened: recorded.opened + recorded.reopened + matching.opened + matching.reopened,
    ticketsFixed: recorded.fixed + matching.fixed,
  };
}

function failureMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return `L'audit n'a pas pu aboutir : ${text.split("\n")[0]?.slice(0, 500) ?? "erreur inconnue"}. Aucun ticket n'a été modifié ; il sera relancé.`;
}

/** Runs one claimed audit to its end; never throws. */
async function runClaimed(
  db: Executor,
  config: AuditRunConfig,
  audit: ExposureAuditRow,
  now: Date,
  options: RunAuditsOptions,
): Promise<AuditOutcome> {
  const started = performance.now();
  const finishedAt = () => new Date(now.getTime() + Math.round(performance.now() - started));
  const authorisation = await repo.findAuthorisationInForce(db, audit.structure_id, parisToday(now));
  if (!authorisation) {
    const error = "Audit annulé : l'autorisation de la structure a expiré ou a été révoquée.";
    await repo.finishAudit(db, audit.id, { status: "cancelled", finished_at: finishedAt(), error });
    return {
      id: audit.id,
      structureId: audit.structure_id,
      status: "cancelled",
      error,
      findings: 0,
      ticketsOpened: 0,
      ticketsFixed: 0,
    };
  }
  try {
    const result = await scan(db, config, audit, authorisation, now, options);
    return await db
      .transaction()
      .execute((trx) => persist(trx, audit, authorisation, result, now, finishedAt()));
  } catch (cause) {
    const error = failureMessage(cause);
    await repo.finishAudit(db, audit.id, {
      status: "failed",
      finished_at: finishedAt(),
      authorisation_id: authorisation.id,
      error,
    });
    return {
      id: audit.id,
      structureId: audit.structure_id,
      status: "failed",
      error,
      findings: 0,
      ticketsOpened: 0,
      ticketsFixed: 0,
    };
  }
}

/**
 * Runs the due audits one at a time (`audits.run`, every minute): each is claimed by a
 * conditional update (scheduled → running), scans only what the authorisation in force at its
 * start names (PerimeterGuard), and records its findings, exposure map, summary and tickets in
 * one transaction. A failed audit keeps its French error and changes no ticket.
 */
export async function runDueAudits(
  db: Executor,
  config: AuditRunConfig,
  now: Date = new Date(),
  options: RunAuditsOptions = {},
): Promise<RunAuditsReport> {
  const stale = await repo.failStaleAudits(
    db,
    new Date(now.getTime() - AUDIT_STALE_AFTER_MS),
    now,
    "Audit interrompu (arrêt du service pendant l'analyse) : il sera relancé.",
  );
  const audits: AuditOutcome[] = [];
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  while (audits.length < limit) {
    options.signal?.throwIfAborted();
    const audit = await repo.claimDueAudit(db, now, {
      exceptStructureIds: [...inProgress],
      structureId: options.structureId,
    });
    if (!audit) break;
    inProgress.add(audit.structure_id);
    try {
      audits.push(await runClaimed(db, config, audit, now, options));
    } finally {
      inProgress.delete(audit.structure_id);
    }
  }
  return { audits, stale };
}
