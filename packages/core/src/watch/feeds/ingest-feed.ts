import type { FeedProblem, FeedRunView, FeedSource } from "@vigie/contracts";
import { type Executor, type FeedRunRow, vulnerabilityFeedsRepo as repo } from "@vigie/db";
import { type Actor, assertPermission } from "../../access/policy.ts";
import { recordAudit } from "../../audit/record-audit.ts";
import { contentHash, type ParsedFeed, problem } from "./common.ts";
import { type CertfrRecord, parseCertfr } from "./parse-certfr.ts";
import { type KevRecord, parseKev } from "./parse-kev.ts";
import { criteriaSignature, type NvdCriterion, type NvdRecord, parseNvd } from "./parse-nvd.ts";

/** Records written per statement: the full KEV catalog (1 404) goes in three batches. */
const BATCH = 500;
/** Problems kept in a run's report; the rest are counted in a last line. */
const MAX_PROBLEMS = 300;

/** What to ingest and who asked. */
export interface IngestFeedInput {
  source: FeedSource;
  /** The file's bytes (or text). */
  content: Uint8Array | string;
  /** `file:<name>` or the URL fetched. */
  origin: string;
  now: Date;
  /** The user who uploaded the file (null: command line or schedule). */
  actor?: Actor | null;
  ip?: string | null;
}

/** The stored report of a run. */
export function toFeedRunView(row: FeedRunRow): FeedRunView {
  return {
    id: row.id,
    source: row.source as FeedSource,
    origin: row.origin,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    status: row.status as FeedRunView["status"],
    added: row.added,
    updated: row.updated,
    unchanged: row.unchanged,
    rejected: row.rejected,
    problems: (row.problems as FeedProblem[]).map((p) => ({
      record: p.record ?? null,
      line: p.line ?? null,
      message: p.message,
      level: p.level ?? "error",
    })),
    triggeredByUserId: row.triggered_by_user_id,
  };
}

interface Counts {
  added: number;
  updated: number;
  unchanged: number;
}

/** A record of any source, reduced to what the common bookkeeping needs. */
interface Keyed {
  recordId: string;
  line: number | null;
  payload: unknown;
  sourceModifiedAt: Date | null;
}

/** Decision for one record after comparing with the stored state. */
interface Classified<R> {
  added: R[];
  changed: R[];
  unchanged: string[];
  revisions: Map<string, number>;
  firstSeen: Map<string, Date>;
  hashes: Map<string, string>;
}

/**
 * Compares a batch with what is stored: same hash → unchanged; otherwise new or changed (with
 * its next revision), unless the source says it is older than the stored one (NVD
 * lastModified), which is reported and not applied.
 */
async function classify<R>(
  trx: Executor,
  source: FeedSource,
  batch: readonly R[],
  key: (r: R) => Keyed,
  problems: FeedProblem[],
): Promise<Classified<R>> {
  const states = new Map(
    (
      await repo.findSourceStates(
        trx,
        source,
        batch.map((r) => key(r).recordId),
      )
    ).map((s) => [s.record_id, s]),
  );
  const out: Classified<R> = {
    added: [],
    changed: [],
    unchanged: [],
    revisions: new Map(),
    firstSeen: new Map(),
    hashes: new Map(),
  };
  for (const record of batch) {
    const k = key(record);
    const hash = contentHash(k.payload);
    const state = states.get(k.recordId);
    out.hashes.set(k.recordId, hash);
    if (!state) {
      out.added.push(record);
      out.revisions.set(k.recordId, 1);
    } else if (state.content_hash === hash) {
      out.unchanged.push(k.recordId);
    } else if (
      source === "nvd" &&
      k.sourceModifiedAt &&
      state.source_modified_at &&
      k.sourceModifiedAt.getTime() < state.source_modified_at.getTime()
    ) {
      problems.push(
        problem(
          "warning",
          k.recordId,
          k.line,
          `Version plus ancienne que celle enregistrée (lastModified ${k.sourceModifiedAt.toISOString()} < ${state.source_modified_at.toISOString()}) : non appliquée.`,
        ),
      );
      out.unchanged.push(k.recordId);
    } else {
      out.changed.push(record);
      out.revisions.set(k.recordId, state.revision + 1);
      out.firstSeen.set(k.recordId, state.first_seen_at);
    }
  }
  return out;
}

/** Stores the new and changed records as received, and touches the unchanged ones. */
async function storeSources<R>(
  trx: Executor,
  source: FeedSource,
  c: Classified<R>,
  key: (r: R) => Keyed,
  now: Date,
  runId: string,
): Promise<void> {
  await repo.touchSources(trx, source, c.unchanged, now, runId);
  await repo.upsertSources(
    trx,
    [...c.added, ...c.changed].map((r) => {
      const k = key(r);
      return {
        source,
        record_id: k.recordId,
        revision: c.revisions.get(k.recordId) ?? 1,
        content_hash: c.hashes.get(k.recordId) ?? "",
        payload: JSON.stringify(k.payload),
        source_modified_at: k.sourceModifiedAt,
        first_seen_at: c.firstSeen.get(k.recordId) ?? now,
        last_changed_at: now,
        last_seen_at: now,
        last_run_id: runId,
      };
    }),
  );
}

const kevKey = (r: KevRecord): Keyed => ({
  recordId: r.cveId,
  line: r.line,
  payload: r.payload,
  sourceModifiedAt: null,
});
const nvdKey = (r: NvdRecord): Keyed => ({
  recordId: r.cveId,
  line: r.line,
  payload: r.payload,
  sourceModifiedAt: r.lastModifiedAt,
});
const certfrKey = (r: CertfrRecord): Keyed => ({
  recordId: r.id,
  line: r.line,
  payload: r.payload,
  sourceModifiedAt: r.updatedAt,
});

async function writeKev(
  trx: Executor,
  records: readonly KevRecord[],
  complete: boolean,
  now: Date,
  runId: string,
  problems: FeedProblem[],
): Promise<Counts> {
  const counts: Counts = { added: 0, updated: 0, unchanged: 0 };
  for (let i = 0; i < records.length; i += BATCH) {
    const c = await classify(trx, "kev", records.slice(i, i + BATCH), kevKey, problems);
    await storeSources(trx, "kev", c, kevKey, now, runId);
    const created = await repo.upsertKevVulnerabilities(
      trx,
      [...c.added, ...c.changed].map((r) => ({
        cve_id: r.cveId,
        kev_added_on: r.addedOn,
        kev_due_on: r.dueOn,
        kev_ransomware: r.ransomware,
        kev_vendor: r.vendor,
        kev_product: r.product,
        kev_name: r.name,
        kev_action: r.action,
      })),
      now,
    );
    await repo.linkKnownAdvisories(trx, created);
    counts.added += c.added.length;
    counts.updated += c.changed.length;
    counts.unchanged += c.unchanged.length;
  }
  if (complete) {
    // History is kept: a CVE withdrawn from the catalog stays in KEV here, for the CERT to judge.
    const gone = await repo.kevCvesNotIn(
      trx,
      records.map((r) => r.cveId),
    );
    for (const cveId of gone) {
      problems.push(
        problem(
          "warning",
          cveId,
          null,
          "Absent du catalogue complet reçu (retiré par la CISA ?) : conservé comme exploité, à vérifier.",
        ),
      );
    }
  }
  return counts;
}

const criterionRow = (cveId: string, c: NvdCriterion) => ({
  cve_id: cveId,
  criteria: c.criteria,
  part: c.part,
  vendor: c.vendor,
  product: c.product,
  version: c.version,
  version_start_including: c.versionStartIncluding,
  version_start_excluding: c.versionStartExcluding,
  version_end_including: c.versionEndIncluding,
  version_end_excluding: c.versionEndExcluding,
});

async function writeNvd(
  trx: Executor,
  records: readonly NvdRecord[],
  now: Date,
  runId: string,
  problems: FeedProblem[],
): Promise<Counts> {
  const counts: Counts = { added: 0, updated: 0, unchanged: 0 };
  for (let i = 0; i < records.length; i += BATCH) {
    const c = await classify(trx, "nvd", records.slice(i, i + BATCH), nvdKey, problems);
    await storeSources(trx, "nvd", c, nvdKey, now, runId);
    const applied = [...c.added, ...c.changed];
    const created = await repo.upsertNvdVulnerabilities(
      trx,
      applied.map((r) => ({
        cve_id: r.cveId,
        description: r.description,
        cvss_score: r.cvssScore,
        cvss_severity: r.cvssSeverity,
        nvd_status: r.status,
        nvd_published_at: r.publishedAt,
        nvd_last_modified_at: r.lastModifiedAt,
      })),
      now,
    );
    await repo.linkKnownAdvisories(trx, created);
    // Criteria are replaced only for records that changed, and matching is told only when the
    // set of criteria itself differs (a new description does not call for a re-match).
    const stored = new Map<string, NvdCriterion[]>();
    for (const row of await repo.listCriteria(
      trx,
      applied.map((r) => r.cveId),
    )) {
      const list = stored.get(row.cve_id) ?? [];
      list.push({
        criteria: row.criteria,
        part: row.part,
        vendor: row.vendor,
        product: row.product,
        version: row.version,
        versionStartIncluding: row.version_start_including,
        versionStartExcluding: row.version_start_excluding,
        versionEndIncluding: row.version_end_including,
        versionEndExcluding: row.version_end_excluding,
      });
      stored.set(row.cve_id, list);
    }
    const differing = applied.filter(
      (r) => criteriaSignature(r.criteria) !== criteriaSignature(stored.get(r.cveId) ?? []),
    );
    await repo.replaceCriteria(
      trx,
      differing.map((r) => r.cveId),
      differing.flatMap((r) => r.criteria.map((c) => criterionRow(r.cveId, c))),
    );
    await repo.markMatchChanged(
      trx,
      differing.map((r) => r.cveId),
      now,
    );
    counts.added += c.added.length;
    counts.updated += c.changed.length;
    counts.unchanged += c.unchanged.length;
  }
  return counts;
}

async function writeCertfr(
  trx: Executor,
  records: readonly CertfrRecord[],
  now: Date,
  runId: string,
  problems: FeedProblem[],
): Promise<Counts> {
  const counts: Counts = { added: 0, updated: 0, unchanged: 0 };
  for (let i = 0; i < records.length; i += BATCH) {
    const c = await classify(trx, "certfr", records.slice(i, i + BATCH), certfrKey, problems);
    await storeSources(trx, "certfr", c, certfrKey, now, runId);
    const applied = [...c.added, ...c.changed];
    await repo.upsertAdvisories(
      trx,
      applied.map((r) => ({
        id: r.id,
        kind: r.kind,
        title: r.title,
        link: r.link,
        summary: r.summary,
        published_at: r.publishedAt,
        source_updated_at: r.updatedAt,
        cves: r.cves,
        updated_at: now,
      })),
    );
    for (const r of applied) await repo.linkAdvisory(trx, r.id, r.cves, now);
    counts.added += c.added.length;
    counts.updated += c.changed.length;
    counts.unchanged += c.unchanged.length;
  }
  return counts;
}

function capped(problems: FeedProblem[]): FeedProblem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  const rest = problems.length - MAX_PROBLEMS;
  return [
    ...problems.slice(0, MAX_PROBLEMS),
    problem(
      "warning",
      null,
      null,
      `… et ${rest} autre${rest > 1 ? "s" : ""} problème${rest > 1 ? "s" : ""} non listé${rest > 1 ? "s" : ""}.`,
    ),
  ];
}

/**
 * Ingests one feed file: parses it, stores new and changed records with their revision, merges
 * them into `vulnerabilities` (criteria, KEV data, advisory links) and writes the run's report.
 * Idempotent: the same file again changes nothing but the last sightings. An unreadable file
 * gives a `failed` run and changes nothing; invalid records are rejected (`partial`) while the
 * valid ones are stored. All writes of a run commit together, after what was stored before.
 */
export async function ingestFeed(db: Executor, input: IngestFeedInput): Promise<FeedRunView> {
  const { source, now } = input;
  const run = await repo.insertRun(db, {
    source,
    origin: input.origin,
    started_at: now,
    triggered_by_user_id: input.actor?.userId ?? null,
  });
  const parsed: ParsedFeed<unknown> & { complete?: boolean } =
    source === "kev"
      ? parseKev(input.content)
      : source === "nvd"
        ? parseNvd(input.content)
        : parseCertfr(input.content);
  let finished: FeedRunRow;
  if (!parsed.ok) {
    finished = await repo.finishRun(db, run.id, {
      status: "failed",
      finished_at: new Date(),
      added: 0,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      problems: [problem("error", null, null, parsed.message)],
    });
  } else {
    const problems = [...parsed.problems];
    try {
      const counts = await db.transaction().execute(async (trx) => {
        await repo.lockFeeds(trx);
        if (source === "kev") {
          return writeKev(
            trx,
            parsed.records as KevRecord[],
            parsed.complete === true,
            now,
            run.id,
            problems,
          );
        }
        if (source === "nvd") return writeNvd(trx, parsed.records as NvdRecord[], now, run.id, problems);
        return writeCertfr(trx, parsed.records as CertfrRecord[], now, run.id, problems);
      });
      finished = await repo.finishRun(db, run.id, {
        status: parsed.rejected > 0 ? "partial" : "succeeded",
        finished_at: new Date(),
        ...counts,
        rejected: parsed.rejected,
        problems: capped(problems),
      });
    } catch (error) {
      // The transaction rolled back: what was stored before this run is intact.
      const detail = error instanceof Error ? error.message : String(error);
      finished = await repo.finishRun(db, run.id, {
        status: "failed",
        finished_at: new Date(),
        added: 0,
        updated: 0,
        unchanged: 0,
        rejected: parsed.rejected,
        problems: [
          problem("error", null, null, `Enregistrement impossible (${detail}) : rien n'a été modifié.`),
          ...capped(problems),
        ],
      });
    }
  }
  if (input.actor) {
    await recordAudit(
      db,
      {
        actor: input.actor,
        action: "feed.ingest",
        objectType: "feed_run",
        objectId: run.id,
        ip: input.ip ?? null,
        outcome: finished.status === "failed" ? "failure" : "success",
        details: {
          source,
          origin: input.origin,
          status: finished.status,
          added: finished.added,
          updated: finished.updated,
          rejected: finished.rejected,
        },
      },
      now,
    );
  }
  return toFeedRunView(finished);
}

/** A run that could not even read its feed (download failed): recorded as failed. */
export async function recordFailedFeedRun(
  db: Executor,
  input: { source: FeedSource; origin: string; now: Date; message: string },
): Promise<FeedRunView> {
  const run = await repo.insertRun(db, {
    source: input.source,
    origin: input.origin,
    started_at: input.now,
    triggered_by_user_id: null,
  });
  return toFeedRunView(
    await repo.finishRun(db, run.id, {
      status: "failed",
      finished_at: new Date(),
      added: 0,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      problems: [problem("error", null, null, input.message)],
    }),
  );
}

/** Ingests a file uploaded by a CERT analyst (`watch:handle`). */
export async function uploadFeedFile(
  db: Executor,
  actor: Actor | null,
  input: Omit<IngestFeedInput, "actor">,
): Promise<FeedRunView> {
  assertPermission(actor, "watch:handle");
  return ingestFeed(db, { ...input, actor });
}
