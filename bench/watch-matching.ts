/**
 * Matching benchmark (issue 7): 100 000 exposed assets over ~2 000 structures against the full
 * CISA KEV catalog (the real file, through the feeds' ingestion) plus 5 000 NVD-like records
 * with CPE criteria (generated, ingested the same way, with the 5 real NVD records).
 *
 * Times on a throw-away database: a full match (opens the tickets), a second full match (steady
 * state), an incremental match with nothing changed, and an incremental match after a feed
 * update that changes 10 CVEs and an edit of 100 assets — printing what each one considered,
 * to show that a re-match touches only what changed.
 *
 * Usage: npx tsx bench/watch-matching.ts [--db postgres|pglite] [--assets 100000]
 *        [--structures 2000] [--nvd 5000] [--keep]
 * Targets 127.0.0.1 only (PostgreSQL `test` database's server, trust auth).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { withFinessCheckDigit } from "@vigie/core/directory/finess";
import { ingestFeed } from "@vigie/core/watch/feeds/ingest-feed";
import { normaliseProduct } from "@vigie/core/watch/matching/cpe";
import { kevTargets, matchAsset } from "@vigie/core/watch/matching/match";
import { loadMatchIndex, runMatching } from "@vigie/core/watch/matching/run-matching";
import { versionScheme } from "@vigie/core/watch/matching/versions";
import {
  assetsRepo,
  type DatabaseHandle,
  migrateToLatest,
  type NewAssetRow,
  openDatabase,
  watchMatchingRepo,
} from "@vigie/db";
import { testPostgresUrl } from "@vigie/test-kit";
import { sql } from "kysely";
import pg from "pg";

const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "postgres" },
    assets: { type: "string", default: "100000" },
    structures: { type: "string", default: "2000" },
    nvd: { type: "string", default: "5000" },
    keep: { type: "boolean", default: false },
  },
});
const ASSETS = Number(args.assets);
const STRUCTURES = Number(args.structures);
const NVD = Number(args.nvd);
const SHARED = new URL("../reference/vulnerabilities/", import.meta.url);

/** mulberry32: the same inventory and records on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const rand = random(20260228);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(values: readonly T[]): T => values[int(values.length)] as T;

// --- the database ---------------------------------------------------------------------------

interface Target {
  open(): Promise<DatabaseHandle>;
  cleanup(): Promise<void>;
  label: string;
}

async function prepareTarget(kind: string): Promise<Target> {
  if (kind === "pglite") {
    const dataDir = mkdtempSync(join(tmpdir(), "vigie-bench-matching-"));
    return {
      label: `PGlite (${dataDir})`,
      open: () => openDatabase({ dataDir: join(dataDir, "pgdata") }),
      cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `vigie_bench_matching_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return {
    label: `PostgreSQL (${url.host}/${name})`,
    open: () => openDatabase({ url: url.toString() }),
    cleanup: async () => {
      if (args.keep) {
        console.log(`base conservée : ${url.toString()}`);
        return;
      }
      const dropper = new pg.Client({ connectionString: testPostgresUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

// --- the generated NVD records -----------------------------------------------------------------

/** Synthetic products: 2 000 products of 200 vendors (2.5 CVEs each), versions major.minor.patch. */
const SYNTHETIC = Array.from({ length: 2000 }, (_, i) => ({
  vendor: `bench_vendor_${i % 200}`,
  product: `bench_product_${i}`,
}));

interface NvdCriterion {
  vulnerable: boolean;
  criteria: string;
  versionStartIncluding?: string;
  versionEndExcluding?: string;
  versionEndIncluding?: string;
}

function nvdRecord(index: number, revision = 0): Record<string, unknown> {
  const local = random(1000 + index);
  const product = SYNTHETIC[Math.floor(local() * SYNTHETIC.length)] as (typeof SYNTHETIC)[number];
  const branch = 1 + Math.floor(local() * 6);
  const cpe = (version: string) => `cpe:2.3:a:${product.vendor}:${product.product}:${version}:*:*:*:*:*:*:*`;
  // one branch affected, from its first release up to a fixed patch (a later revision moves the fix)
  const criteria: NvdCriterion[] = [
    {
      vulnerable: true,
      criteria: cpe("*"),
      versionStartIncluding: `${branch}.0.0`,
      versionEndExcluding: `${branch}.${Math.floor(local() * 3)}.${1 + Math.floor(local() * 20) + revision * 5}`,
    },
  ];
  if (local() < 0.3) criteria.push({ vulnerable: true, criteria: cpe(`${branch + 1}.0.0`) });
  return {
    id: `CVE-2031-${String(10000 + index)}`,
    published: "2031-01-02T10:00:00.000",
    lastModified: new Date(Date.UTC(2031, 0, 3 + revision)).toISOString().replace("Z", ""),
    vulnStatus: "Analyzed",
    descriptions: [{ lang: "en", value: `Synthetic vulnerability ${index} of ${product.product}.` }],
    configurations: [{ nodes: [{ operator: "OR", negate: false, cpeMatch: criteria }] }],
  };
}

/** The real CVEs whose NVD records are shipped (`reference/vulnerabilities/`). */
const REAL_NVD = ["CVE-2021-26855", "CVE-2023-27997", "CVE-2023-46805", "CVE-2023-4966", "CVE-2024-21887"];

/**
 * An NVD-like record for a KEV entry, as NVD holds one for every KEV CVE: criteria on the CPE
 * names of the products KEV names, affecting only old versions (before every version of the
 * inventory), so that an asset with a version is cleared and one without stays probable.
 */
function kevNvdRecord(entry: {
  cveID: string;
  vendorProject: string;
  product: string;
}): Record<string, unknown> | null {
  const cpeMatch: Record<string, unknown>[] = [];
  for (const target of kevTargets(entry.cveID, entry.vendorProject, entry.product)) {
    if (!target.matchVendor) continue;
    const cpe = (version: string, update = "*") =>
      `cpe:2.3:a:${target.matchVendor}:${target.matchProduct}:${version}:${update}:*:*:*:*:*:*`;
    const scheme = versionScheme(target.matchVendor, target.matchProduct);
    if (scheme === "exchange")
      cpeMatch.push({ vulnerable: true, criteria: cpe("2013", "cumulative_update_1") });
    else {
      const end = { netscaler: "12.1-50.1", fortinet: "6.0.0", ivanti: "9.1R1", generic: "1.0" }[scheme];
      cpeMatch.push({ vulnerable: true, criteria: cpe("*"), versionEndExcluding: end });
    }
  }
  if (cpeMatch.length === 0) return null;
  return {
    id: entry.cveID,
    published: "2030-01-02T10:00:00.000",
    lastModified: "2030-01-03T10:00:00.000",
    vulnStatus: "Analyzed",
    descriptions: [{ lang: "en", value: `NVD-like record of ${entry.cveID} (benchmark).` }],
    configurations: [{ nodes: [{ operator: "OR", negate: false, cpeMatch }] }],
  };
}

// --- the inventory -----------------------------------------------------------------------------

/** Real products: vulnerable and fixed versions of the products the CERT warned about. */
const REAL: { vendor: string; product: string; versions: string[] }[] = [
  {
    vendor: "Citrix",
    product: "NetScaler ADC",
    versions: ["13.1-49.14", "13.1-49.15", "14.1-8.50", "13.0-92.18", "14.1-12.35"],
  },
  { vendor: "Citrix", product: "NetScaler Gateway", versions: ["13.1-37.164", "13.1-51.15", "14.1-8.50"] },
  {
    vendor: "Fortinet",
    product: "FortiGate",
    versions: ["7.2.4", "7.2.5", "7.0.11", "7.0.12", "7.4.3", "6.4.12"],
  },
  {
    vendor: "Ivanti",
    product: "Connect Secure",
    versions: ["22.6R2", "22.6R2.2", "22.7R2.3", "9.1R18", "9.1R18.3"],
  },
  {
    vendor: "Microsoft",
    product: "Exchange Server",
    versions: ["15.2.792.3", "15.2.1544.4", "15.1.2507.16", "2016 CU19", "2019 CU14"],
  },
];
const UNKNOWN = [
  { vendor: "nginx", product: "nginx", versions: ["1.24.0", "1.25.3"] },
  { vendor: "Apache", product: "HTTP Server", versions: ["2.4.58", "2.4.62"] },
  { vendor: "OpenSSH", product: "OpenSSH", versions: ["9.6p1", "8.9p1"] },
];
const SENSITIVE = ["rdp", "smb", "dicom", "telnet", "mssql", "ftp", "vnc", "mysql"];

function assetRow(structureId: string, n: number, now: Date): NewAssetRow {
  const host = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  const roll = rand();
  let fields: Partial<NewAssetRow> & Pick<NewAssetRow, "kind">;
  if (roll < 0.08) {
    // exposed sensitive service, no product
    const service = pick(SENSITIVE);
    fields = { kind: "service", host, port: 1000 + int(60000), service };
  } else if (roll < 0.11) {
    const real = pick(REAL);
    fields = {
      kind: "product",
      host,
      port: 443,
      vendor: real.vendor,
      product: real.product,
      version: pick(real.versions),
    };
  } else if (roll < 0.26) {
    const other = pick(UNKNOWN);
    fields = {
      kind: "service",
      host,
      port: 443,
      service: "https",
      vendor: other.vendor,
      product: other.product,
      version: pick(other.versions),
    };
  } else {
    const p = pick(SYNTHETIC);
    const version = rand() < 0.05 ? null : `${1 + int(6)}.${int(5)}.${int(30)}`;
    fields = { kind: "product", host, port: 8443, vendor: p.vendor, product: p.product, version };
  }
  const match = fields.product ? normaliseProduct(fields.vendor, fields.product) : null;
  return {
    structure_id: structureId,
    source: "csv",
    match_vendor: match?.matchVendor ?? null,
    match_product: match?.matchProduct ?? null,
    created_at: now,
    updated_at: now,
    ...fields,
  };
}

// --- the run ---------------------------------------------------------------------------------

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const count = (n: number) => n.toLocaleString("fr-FR");
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");

const target = await prepareTarget(args.db ?? "postgres");
const database = await target.open();
console.log(
  `${target.label} — ${cpus().length} cœurs (${cpus()[0]?.model ?? "?"}), Node ${process.version}, ${new Date().toISOString()}`,
);
try {
  const db = database.db;
  await migrateToLatest(db);
  let clock = new Date("2026-03-02T08:00:00Z");
  const tick = (minutes: number) => {
    clock = new Date(clock.getTime() + minutes * 60_000);
    return clock;
  };

  let t0 = performance.now();
  const structureIds: string[] = [];
  for (let start = 0; start < STRUCTURES; start += 1000) {
    const rows = Array.from({ length: Math.min(1000, STRUCTURES - start) }, (_, i) => ({
      finess_et: withFinessCheckDigit(String(10_000_000 + start + i)),
      name: `Structure d'essai ${start + i}`,
      structure_type: "es_public",
      created_at: clock,
      updated_at: clock,
    }));
    const inserted = await db.insertInto("structures").values(rows).returning("id").execute();
    structureIds.push(...inserted.map((r) => r.id));
  }
  const kev = await ingestFeed(db, {
    source: "kev",
    content: readFileSync(new URL("known_exploited_vulnerabilities.json", SHARED)),
    origin: "file:known_exploited_vulnerabilities.json",
    now: clock,
  });
  for (const cve of REAL_NVD) {
    await ingestFeed(db, {
      source: "nvd",
      content: readFileSync(new URL(`${cve}.json`, SHARED)),
      origin: `file:${cve}.json`,
      now: clock,
    });
  }
  const catalog = JSON.parse(
    readFileSync(new URL("known_exploited_vulnerabilities.json", SHARED), "utf8"),
  ) as {
    vulnerabilities: { cveID: string; vendorProject: string; product: string }[];
  };
  const kevRecords = catalog.vulnerabilities
    .filter((v) => !REAL_NVD.includes(v.cveID))
    .map(kevNvdRecord)
    .filter((r) => r !== null);
  const synthetic = Math.max(0, NVD - REAL_NVD.length - kevRecords.length);
  const nvd = await ingestFeed(db, {
    source: "nvd",
    content: JSON.stringify({
      vulnerabilities: [...kevRecords, ...Array.from({ length: synthetic }, (_, i) => nvdRecord(i))].map(
        (cve) => ({ cve }),
      ),
    }),
    origin: "file:bench-nvd.json",
    now: clock,
  });
  const assetIds: string[] = [];
  for (let start = 0; start < ASSETS; start += 2000) {
    const rows = Array.from({ length: Math.min(2000, ASSETS - start) }, (_, i) =>
      assetRow(structureIds[(start + i) % structureIds.length] as string, start + i, clock),
    );
    const inserted = await assetsRepo.insertAssets(db, rows);
    assetIds.push(...inserted.map((r) => r.id));
  }
  await sql`analyze`.execute(db);
  const criteria = await sql<{ n: string }>`select count(*)::text as n from vulnerability_criteria`.execute(
    db,
  );
  console.log(
    `Données : ${count(STRUCTURES)} structures, ${count(ASSETS)} actifs, KEV ${count(kev.added)} entrées, ` +
      `NVD ${count(nvd.added + nvd.updated + REAL_NVD.length)} enregistrements (${count(kevRecords.length)} pour des CVE du KEV, ` +
      `${count(synthetic)} synthétiques, ${REAL_NVD.length} réels ; ${count(Number(criteria.rows[0]?.n))} critères CPE), ` +
      `préparées en ${seconds(performance.now() - t0)}.`,
  );

  const timed = async (label: string, mode: "full" | "incremental") => {
    const start = performance.now();
    const cpu = process.cpuUsage();
    const report = await runMatching(db, { mode, now: tick(10) });
    const elapsed = performance.now() - start;
    const used = process.cpuUsage(cpu);
    console.log(
      `${label} : ${seconds(elapsed)} (processus Node ${seconds((used.user + used.system) / 1000)} de CPU ; charge ${load()}) — ` +
        `actifs examinés ${count(report.assetsConsidered)}, vulnérabilités examinées ${count(report.vulnerabilitiesConsidered)}, ` +
        `constats ${count(report.findings)}, tickets ouverts ${count(report.opened)}, rouverts ${count(report.reopened)}, ` +
        `relevés ${count(report.raised)}, inchangés ${count(report.seen)}, corrigés ${count(report.fixed)}`,
    );
    return report;
  };

  // the matching alone, in memory, without writing tickets: where the time goes
  {
    const start = performance.now();
    const index = await loadMatchIndex(db);
    const loaded = performance.now();
    let read = 0;
    let findings = 0;
    let matchingMs = 0;
    let afterId: string | null = null;
    for (;;) {
      const rows = await watchMatchingRepo.listMatchAssets(db, { kind: "all" }, afterId, 5000);
      if (rows.length === 0) break;
      const m0 = performance.now();
      for (const r of rows) {
        findings += matchAsset(
          {
            id: r.id,
            structureId: r.structure_id,
            kind: r.kind,
            host: r.host,
            port: r.port,
            service: r.service,
            vendor: r.vendor,
            product: r.product,
            version: r.version,
            cpe: r.cpe,
            matchVendor: r.match_vendor,
            matchProduct: r.match_product,
          },
          index,
        ).length;
      }
      matchingMs += performance.now() - m0;
      read += rows.length;
      afterId = rows[rows.length - 1]?.id ?? null;
    }
    console.log(
      `Sans écriture : index chargé en ${seconds(loaded - start)}, ${count(read)} actifs lus et rapprochés en ` +
        `${seconds(performance.now() - loaded)} dont ${seconds(matchingMs)} de calcul — ${count(findings)} constats.`,
    );
  }

  await timed("Rapprochement complet (premier : ouvre les tickets)", "full");
  await timed("Rapprochement complet (régime établi)", "full");
  await timed("Rapprochement incrémental sans changement", "incremental");

  // a feed update changing 10 CVEs (a patch later fixed, criteria moved) and 100 edited assets
  t0 = performance.now();
  const changed = await ingestFeed(db, {
    source: "nvd",
    content: JSON.stringify({
      vulnerabilities: Array.from({ length: 10 }, (_, i) => ({ cve: nvdRecord(i * 37, 3) })),
    }),
    origin: "file:bench-nvd-update.json",
    now: tick(1),
  });
  const edited = Array.from({ length: 100 }, (_, i) => assetIds[(i * 997) % assetIds.length] as string);
  await db
    .updateTable("assets")
    .set({
      version: sql`case when version is null then '1.0.0' else version || '.1' end`,
      updated_at: tick(1),
    })
    .where("id", "in", edited)
    .execute();
  console.log(
    `Mise à jour : ${changed.updated} enregistrements NVD modifiés, 100 actifs modifiés (${seconds(performance.now() - t0)}).`,
  );
  await timed("Rapprochement incrémental après 10 CVE et 100 actifs modifiés", "incremental");
  await timed("Rapprochement incrémental suivant, sans changement", "incremental");
  const tickets = await sql<{ status: string; n: string }>`
    select status, count(*)::text as n from watch_tickets group by status order by status`.execute(db);
  console.log(`Tickets : ${tickets.rows.map((r) => `${r.status} ${count(Number(r.n))}`).join(", ")}.`);
} finally {
  await database.close();
  await target.cleanup();
}
