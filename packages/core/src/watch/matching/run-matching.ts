import {
  type MatchRunReport,
  type MatchRunView,
  openTicketStatuses,
  type TicketKind,
} from "@vigie/contracts";
import {
  type Executor,
  type MatchAssetRow,
  type MatchAssetSelection,
  watchMatchingRepo as repo,
  type WatchMatchRunRow,
} from "@vigie/db";
import { sql } from "kysely";
import { type Actor, assertPermission } from "../../access/policy.ts";
import { recordAudit } from "../../audit/record-audit.ts";
import {
  type Finding,
  type FindingScope,
  type RecordFindingsResult,
  recordFindings,
} from "../tickets/record-findings.ts";
import { normaliseProduct } from "./cpe.ts";
import { buildMatchIndex, kevTargets, type MatchAsset, type MatchIndex, matchAsset } from "./match.ts";

/** Assets read, matched and recorded per page: memory stays bounded whatever the inventory. */
const ASSET_PAGE = 5_000;
/** The kinds of tickets matching raises (leaked accounts are the leak import's). */
const MATCHING_KINDS: TicketKind[] = ["vulnerability", "sensitive_service"];
/** A scheduled run is full when the last full run is older than this. */
const FULL_RUN_EVERY_MS = 24 * 3_600_000;

export type { MatchRunReport, MatchRunView } from "@vigie/contracts";

/** A stored run, presented. */
export function toMatchRunView(row: WatchMatchRunRow): MatchRunView {
  return {
    id: row.id,
    mode: row.mode as MatchRunView["mode"],
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    assetsConsidered: row.assets_considered,
    vulnerabilitiesConsidered: row.vulnerabilities_considered,
    findings: row.findings,
    ticketsOpened: row.tickets_opened,
    ticketsRaised: row.tickets_raised,
    ticketsFixed: row.tickets_fixed,
  };
}

function toMatchAsset(row: MatchAssetRow): MatchAsset {
  return {
    id: row.id,
    structureId: row.structure_id,
    kind: row.kind,
    host: row.host,
    port: row.port,
    service: row.service,
    vendor: row.vendor,
    product: row.product,
    version: row.version,
    cpe: row.cpe,
    matchVendor: row.match_vendor,
    matchProduct: row.match_product,
  };
}

/** Loads every vulnerability and criterion into the in-memory index (one query each). */
export async function loadMatchIndex(db: Executor): Promise<MatchIndex> {
  const [vulnerabilities, criteria] = await Promise.all([
    repo.listMatchVulnerabilities(db),
    repo.listMatchCriteria(db),
  ]);
  return buildMatchIndex(
    vulnerabilities.map((v) => ({
      cveId: v.cve_id,
      description: v.description,
      inKev: v.in_kev,
      kevRansomware: v.kev_ransomware,
      kevVendor: v.kev_vendor,
      kevProduct: v.kev_product,
      kevName: v.kev_name,
      kevAction: v.kev_action,
      advisoryIds: v.advisory_ids,
    })),
    criteria.map((c) => ({
      cveId: c.cve_id,
      criteria: c.criteria,
      vendor: c.vendor,
      product: c.product,
      version: c.version,
      versionStartIncluding: c.version_start_including,
      versionStartExcluding: c.version_start_excluding,
      versionEndIncluding: c.version_end_including,
      versionEndExcluding: c.version_end_excluding,
    })),
  );
}

function addResult(total: RecordFindingsResult, part: RecordFindingsResult): void {
  total.opened += part.opened;
  total.reopened += part.reopened;
  total.raised += part.raised;
  total.seen += part.seen;
  total.fixed += part.fixed;
}

/** Reads a selection of assets page by page, in id order. */
async function* assetPages(db: Executor, selection: MatchAssetSelection): AsyncGenerator<MatchAsset[]> {
  let afterId: string | null = null;
  for (;;) {
    const rows = await repo.listMatchAssets(db, selection, afterId, ASSET_PAGE);
    if (rows.length === 0) return;
    yield rows.map(toMatchAsset);
    afterId = rows[rows.length - 1]?.id ?? null;
    if (rows.length < ASSET_PAGE) return;
  }
}

/**
 * Matches every asset of each page against every vulnerability and records the page's
 * findings with the page's assets as scope: their tickets not found again are fixed.
 */
async function matchWholeAssets(
  db: Executor,
  index: MatchIndex,
  selection: MatchAssetSelection,
  now: Date,
  totals: RecordFindingsResult,
  considered: Set<string> | null,
): Promise<{ assets: number; findings: number }> {
  let assets = 0;
  let findings = 0;
  for await (const page of assetPages(db, selection)) {
    const pageFindings: Finding[] = [];
    for (const asset of page) {
      considered?.add(asset.id);
      for (const finding of matchAsset(asset, index)) pageFindings.push(finding);
    }
    const scope: FindingScope = { kinds: MATCHING_KINDS, assetIds: page.map((a) => a.id) };
    addResult(totals, await recordFindings(db, pageFindings, now, scope));
    assets += page.length;
    findings += pageFindings.length;
  }
  return { assets, findings };
}

async function run(db: Executor, mode: "full" | "incremental", now: Date): Promise<MatchRunReport> {
  // one run at a time: a second one waits, then sees the first one's changes as done
  await sql`select pg_advisory_xact_lock(hashtext('vigie.watch.matching'))`.execute(db);
  const since = mode === "incremental" ? await repo.lastFinishedRunStart(db) : null;
  const effective = mode === "incremental" && since === null ? "full" : mode;
  const runId = await repo.insertMatchRun(db, effective, now);
  const totals: RecordFindingsResult = { opened: 0, reopened: 0, raised: 0, seen: 0, fixed: 0 };
  let assetsConsidered = 0;
  let vulnerabilitiesConsidered = 0;
  let findingCount = 0;

  if (effective === "full" || since === null) {
    const index = await loadMatchIndex(db);
    const done = await matchWholeAssets(db, index, { kind: "all" }, now, totals, null);
    assetsConsidered = done.assets;
    findingCount = done.findings;
    vulnerabilitiesConsidered = index.vulnerabilities.size;
    // tickets of assets deleted or no longer a product or service
    const gone = await repo.listUnmatchableTicketAssets(db, MATCHING_KINDS, openTicketStatuses);
    if (gone.length > 0) {
      addResult(totals, await recordFindings(db, [], now, { kinds: MATCHING_KINDS, assetIds: gone }));
    }
  } else {
    const [changedCves, changedAssets] = await Promise.all([
      repo.listVulnerabilitiesChangedSince(db, since),
      repo.countAssetsUpdatedSince(db, since),
    ]);
    vulnerabilitiesConsidered = changedCves.length;
    if (changedCves.length > 0 || changedAssets > 0) {
      const index = await loadMatchIndex(db);
      const considered = new Set<string>();
      // assets changed since the last run: against every vulnerability of their product
      const done = await matchWholeAssets(
        db,
        index,
        { kind: "updated_since", since },
        now,
        totals,
        considered,
      );
      findingCount += done.findings;
      // vulnerabilities changed since the last run: against the assets of their products
      if (changedCves.length > 0) {
        const onlyCves = new Set(changedCves);
        const pairs = new Map<string, { vendor: string; product: string }>();
        for (const p of await repo.listCriteriaProducts(db, changedCves)) {
          pairs.set(`${p.vendor}:${p.product}`, p);
          // assets without a vendor are matched on the product name alone
          pairs.set(`:${p.product}`, { vendor: "", product: p.product });
        }
        const vendors = new Set<string>();
        for (const cveId of changedCves) {
          const vulnerability = index.vulnerabilities.get(cveId);
          if (!vulnerability?.inKev) continue;
          for (const target of kevTargets(cveId, vulnerability.kevVendor, vulnerability.kevProduct)) {
            vendors.add(target.matchVendor);
            vendors.add("");
          }
          const named = normaliseProduct(vulnerability.kevVendor, vulnerability.kevProduct);
          if (named) vendors.add(named.matchVendor);
        }
        // one recording for all: the scope is the changed CVEs on every asset
        const cveFindings: Finding[] = [];
        for await (const page of assetPages(db, {
          kind: "products",
          pairs: [...pairs.values()],
          vendors: [...vendors],
        })) {
          for (const asset of page) {
            considered.add(asset.id);
            for (const finding of matchAsset(asset, index, onlyCves)) cveFindings.push(finding);
          }
        }
        addResult(
          totals,
          await recordFindings(db, cveFindings, now, { kinds: ["vulnerability"], cveIds: changedCves }),
        );
        findingCount += cveFindings.length;
      }
      assetsConsidered = considered.size;
    }
  }

  const finishedAt = new Date(Math.max(Date.now(), now.getTime()));
  await repo.finishMatchRun(db, runId, {
    finished_at: finishedAt,
    assets_considered: assetsConsidered,
    vulnerabilities_considered: vulnerabilitiesConsidered,
    findings: findingCount,
    tickets_opened: totals.opened + totals.reopened,
    tickets_raised: totals.raised,
    tickets_fixed: totals.fixed,
  });
  return {
    runId,
    mode: effective,
    startedAt: now.toISOString(),
    finishedAt: finishedAt.toISOString(),
    assetsConsidered,
    vulnerabilitiesConsidered,
    findings: findingCount,
    ...totals,
  };
}

/**
 * Matches the structures' exposed assets against the stored vulnerabilities and records the
 * findings as tickets (decision 0011, "Matching"). `full`: every product and service asset
 * against every vulnerability. `incremental`: since the start of the last finished run, only
 * the assets changed since (against every vulnerability) and the vulnerabilities changed
 * since (`match_changed_at`, against the assets of their CPE products or KEV vendor) — the
 * first run is full. Tickets within what was evaluated and no longer found are fixed. Runs in
 * one transaction (its own, unless given one), one run at a time.
 */
export async function runMatching(
  db: Executor,
  opts: { mode: "full" | "incremental"; now?: Date },
): Promise<MatchRunReport> {
  const now = opts.now ?? new Date();
  if (db.isTransaction) return run(db, opts.mode, now);
  return db.transaction().execute((trx) => run(trx, opts.mode, now));
}

/**
 * The scheduled run (every 15 minutes): incremental, but full when no full run finished in
 * the last 24 hours, which also catches a change committed while a run was reading.
 */
export async function runScheduledMatching(db: Executor, now: Date = new Date()): Promise<MatchRunReport> {
  const lastFull = await repo.lastFinishedRunStart(db, "full");
  const full = !lastFull || now.getTime() - lastFull.getTime() >= FULL_RUN_EVERY_MS;
  return runMatching(db, { mode: full ? "full" : "incremental", now });
}

/** A run asked for by a CERT analyst (`watch:handle`), audited with its counts. */
export async function requestMatchingRun(
  db: Executor,
  actor: Actor | null,
  input: { mode: "full" | "incremental"; ip?: string | null; now?: Date },
): Promise<MatchRunReport> {
  assertPermission(actor, "watch:handle");
  const now = input.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const report = await run(trx, input.mode, now);
    await recordAudit(
      trx,
      {
        actor,
        action: "watch.match",
        objectType: "watch_match_run",
        objectId: report.runId,
        ip: input.ip ?? null,
        details: {
          mode: report.mode,
          assetsConsidered: report.assetsConsidered,
          vulnerabilitiesConsidered: report.vulnerabilitiesConsidered,
          opened: report.opened + report.reopened,
          raised: report.raised,
          fixed: report.fixed,
        },
      },
      now,
    );
    return report;
  });
}

/** The most recent runs first (`watch:handle`). */
export async function listMatchRuns(db: Executor, actor: Actor | null, limit = 50): Promise<MatchRunView[]> {
  assertPermission(actor, "watch:handle");
  return (await repo.listMatchRuns(db, limit)).map(toMatchRunView);
}
