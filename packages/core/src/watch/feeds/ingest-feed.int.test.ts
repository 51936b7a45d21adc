import { readFileSync } from "node:fs";
import { createTestDatabase, type TestDatabase } from "@vigie/test-kit";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFeed } from "./ingest-feed.ts";

// The real feeds shipped beside the project (read at test time, never copied).
const DATA = new URL("../../../../../reference/vulnerabilities/", import.meta.url);
const kevText = readFileSync(new URL("known_exploited_vulnerabilities.json", DATA), "utf8");
const nvdText = (cve: string) => readFileSync(new URL(`${cve}.json`, DATA), "utf8");
const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), "utf8");
const NVD_CVES = ["CVE-2021-26855", "CVE-2023-27997", "CVE-2023-46805", "CVE-2023-4966", "CVE-2024-21887"];

type Kev = { count: number; vulnerabilities: Record<string, unknown>[] } & Record<string, unknown>;

let database: TestDatabase;
let now = new Date("2026-01-05T08:00:00Z");
const later = () => {
  now = new Date(now.getTime() + 3_600_000);
  return now;
};

const db = () => database.db;

async function matchChangedAts(): Promise<Map<string, string>> {
  const rows = await db().selectFrom("vulnerabilities").select(["cve_id", "match_changed_at"]).execute();
  return new Map(rows.map((r) => [r.cve_id, r.match_changed_at.toISOString()]));
}

async function snapshot(): Promise<string> {
  const r = await sql<{ s: string }>`select md5(
      coalesce((select string_agg(source || record_id || revision || content_hash || last_seen_at::text, ',' order by source, record_id) from vulnerability_sources), '') ||
      coalesce((select string_agg(cve_id || in_kev || match_changed_at::text || coalesce(description, ''), ',' order by cve_id) from vulnerabilities), '') ||
      coalesce((select string_agg(cve_id || criteria, ',' order by id) from vulnerability_criteria), '') ||
      coalesce((select string_agg(id || title, ',' order by id) from advisories), '')) as s`.execute(db());
  return r.rows[0]?.s ?? "";
}

function source(src: string, id: string) {
  return db()
    .selectFrom("vulnerability_sources")
    .selectAll()
    .where("source", "=", src)
    .where("record_id", "=", id)
    .executeTakeFirstOrThrow();
}

function vuln(id: string) {
  return db().selectFrom("vulnerabilities").selectAll().where("cve_id", "=", id).executeTakeFirstOrThrow();
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.destroy();
});

describe("CISA KEV", () => {
  it("ingests the full catalog: 1 404 CVEs, the 15 due dates before their addition reported", async () => {
    const run = await ingestFeed(db(), { source: "kev", content: kevText, origin: "file:kev.json", now });
    expect(run).toMatchObject({ status: "succeeded", added: 1404, updated: 0, unchanged: 0, rejected: 0 });
    const dueWarnings = run.problems.filter((p) => p.level === "warning" && p.message.includes("dueDate"));
    expect(dueWarnings).toHaveLength(15);
    // Each names its CVE and its line in the file.
    const catalog = JSON.parse(kevText) as Kev;
    const early = catalog.vulnerabilities
      .filter((v) => String(v.dueDate) < String(v.dateAdded))
      .map((v) => v.cveID);
    expect(dueWarnings.map((p) => p.record).sort()).toEqual([...early].sort());
    const firstLine = kevText.split("\n").findIndex((l) => l.includes(`"${early[0]}"`)) + 1;
    const w = dueWarnings.find((p) => p.record === early[0]);
    expect(w?.line).toBeGreaterThan(0);
    expect(w?.line).toBeLessThanOrEqual(firstLine);
    expect(firstLine - (w?.line ?? 0)).toBeLessThan(3);

    const counts = await sql<{
      total: string;
      kev: string;
      ransomware: string;
    }>`select count(*)::text as total,
      count(*) filter (where in_kev)::text as kev, count(*) filter (where kev_ransomware)::text as ransomware
      from vulnerabilities`.execute(db());
    const known = catalog.vulnerabilities.filter((v) => v.knownRansomwareCampaignUse === "Known").length;
    expect(counts.rows[0]).toEqual({ total: "1404", kev: "1404", ransomware: String(known) });
    const citrix = await vuln("CVE-2023-4966");
    expect(citrix).toMatchObject({ in_kev: true, kev_vendor: "Citrix", kev_added_on: "2023-10-18" });
    expect(citrix.match_changed_at.toISOString()).toBe(now.toISOString());
    expect(await source("kev", "CVE-2023-4966")).toMatchObject({ revision: 1, last_run_id: run.id });
  });

  it("re-ingesting the same file changes nothing: all unchanged, match_changed_at untouched", async () => {
    const before = await matchChangedAts();
    const run = await ingestFeed(db(), {
      source: "kev",
      content: kevText,
      origin: "file:kev.json",
      now: later(),
    });
    expect(run).toMatchObject({ status: "succeeded", added: 0, updated: 0, unchanged: 1404, rejected: 0 });
    expect(await matchChangedAts()).toEqual(before);
    const s = await source("kev", "CVE-2023-4966");
    expect(s.revision).toBe(1);
    expect(s.last_seen_at.toISOString()).toBe(now.toISOString());
    expect(s.last_changed_at.getTime()).toBeLessThan(now.getTime());
  });

  it("an updated entry gets revision 2; match_changed_at moves only for what matching reads", async () => {
    const catalog = JSON.parse(kevText) as Kev;
    const [wording, ransom, gone] = ["CVE-2023-4966", "CVE-2023-27997", "CVE-2025-48384"];
    const wordingEntry = catalog.vulnerabilities.find((v) => v.cveID === wording) as Record<string, unknown>;
    wordingEntry.shortDescription = `${String(wordingEntry.shortDescription)} (texte révisé)`;
    const ransomEntry = catalog.vulnerabilities.find((v) => v.cveID === ransom) as Record<string, unknown>;
    ransomEntry.knownRansomwareCampaignUse =
      ransomEntry.knownRansomwareCampaignUse === "Known" ? "Unknown" : "Known";
    catalog.vulnerabilities = catalog.vulnerabilities.filter((v) => v.cveID !== gone);
    catalog.count = catalog.vulnerabilities.length;
    const before = await matchChangedAts();
    const run = await ingestFeed(db(), {
      source: "kev",
      content: JSON.stringify(catalog, null, 2),
      origin: "file:kev-2.json",
      now: later(),
    });
    expect(run).toMatchObject({ status: "succeeded", added: 0, updated: 2, unchanged: 1401, rejected: 0 });
    expect((await source("kev", wording)).revision).toBe(2);
    expect((await source("kev", ransom)).revision).toBe(2);
    const after = await matchChangedAts();
    expect(after.get(wording)).toBe(before.get(wording));
    expect(after.get(ransom)).toBe(now.toISOString());
    expect([...after].filter(([id, at]) => before.get(id) !== at).map(([id]) => id)).toEqual([ransom]);
    // Gone from a complete catalog: kept, still exploited, reported.
    expect(await vuln(gone)).toMatchObject({ in_kev: true });
    expect(run.problems).toContainEqual(expect.objectContaining({ record: gone, level: "warning" }));
  });

  it("a truncated or non-JSON file fails with a French message and changes nothing", async () => {
    const before = await snapshot();
    const truncated = await ingestFeed(db(), {
      source: "kev",
      content: kevText.slice(0, 40_000),
      origin: "file:tronque.json",
      now: later(),
    });
    expect(truncated).toMatchObject({ status: "failed", added: 0, updated: 0, unchanged: 0 });
    expect(truncated.problems[0]?.message).toMatch(/JSON valide.*tronqué.*Rien n'a été modifié/);
    const html = await ingestFeed(db(), {
      source: "kev",
      content: Buffer.from("<html><body>502 Bad Gateway</body></html>"),
      origin: "file:page.html",
      now: later(),
    });
    expect(html.status).toBe("failed");
    const latin1 = await ingestFeed(db(), {
      source: "kev",
      content: Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]),
      origin: "file:latin1.json",
      now: later(),
    });
    expect(latin1.problems[0]?.message).toMatch(/UTF-8/);
    expect(await snapshot()).toBe(before);
  });

  it("a partial feed: invalid entries rejected with their line, the valid ones stored", async () => {
    const feed = {
      title: "extrait",
      count: 4,
      vulnerabilities: [
        { vendorProject: "Acme", product: "Portail", dateAdded: "2026-01-02" },
        { cveID: "CVE-2026-0001", vendorProject: "Acme", product: "VPN", dateAdded: "2026-13-45" },
        { cveID: "CVE-26-1", vendorProject: "Acme", product: "VPN", dateAdded: "2026-01-02" },
        {
          cveID: "CVE-2026-0002",
          vendorProject: "Acme",
          product: "VPN",
          vulnerabilityName: "Acme VPN Authentication Bypass",
          dateAdded: "2026-01-03",
          dueDate: "2026-01-24",
          knownRansomwareCampaignUse: "Known",
          requiredAction: "Apply mitigations per vendor instructions.",
        },
      ],
    };
    const text = JSON.stringify(feed, null, 2);
    const run = await ingestFeed(db(), {
      source: "kev",
      content: text,
      origin: "file:partiel.json",
      now: later(),
    });
    expect(run).toMatchObject({ status: "partial", added: 1, rejected: 3 });
    const errors = run.problems.filter((p) => p.level === "error");
    expect(errors.map((p) => p.record)).toEqual([null, "CVE-2026-0001", "CVE-26-1"]);
    expect(errors[0]?.message).toMatch(/cveID est absent/);
    expect(errors[1]?.message).toMatch(/dateAdded « 2026-13-45 »/);
    const lines = text.split("\n");
    expect(lines[(errors[1]?.line ?? 0) - 1]).toMatch(/^\s*\{/);
    expect(lines[errors[1]?.line ?? 0]).toContain("CVE-2026-0001");
    expect(await vuln("CVE-2026-0002")).toMatchObject({
      in_kev: true,
      kev_ransomware: true,
      kev_due_on: "2026-01-24",
    });
    // A partial catalog is not complete: nothing is reported as gone from it.
    expect(run.problems.some((p) => p.message.includes("Absent du catalogue"))).toBe(false);
  });
});

describe("NVD CVE API 2.0", () => {
  it("ingests the five real records with their vulnerable CPE criteria", async () => {
    const before = await matchChangedAts();
    for (const cve of NVD_CVES) {
      const run = await ingestFeed(db(), {
        source: "nvd",
        content: nvdText(cve),
        origin: `file:${cve}.json`,
        now: later(),
      });
      expect(run, cve).toMatchObject({ status: "succeeded", added: 1, rejected: 0 });
      const record = JSON.parse(nvdText(cve)) as {
        configurations: { nodes: { cpeMatch: { vulnerable: boolean; criteria: string }[] }[] }[];
      };
      const vulnerable = new Set(
        record.configurations
          .flatMap((c) => c.nodes.flatMap((n) => n.cpeMatch))
          .filter((m) => m.vulnerable)
          .map((m) =>
            JSON.stringify(m, [
              "criteria",
              "versionStartIncluding",
              "versionStartExcluding",
              "versionEndIncluding",
              "versionEndExcluding",
            ]),
          ),
      );
      const rows = await db()
        .selectFrom("vulnerability_criteria")
        .selectAll()
        .where("cve_id", "=", cve)
        .execute();
      expect(rows.length, cve).toBe(vulnerable.size);
      const v = await vuln(cve);
      // KEV data kept, NVD data merged, matching told (new criteria).
      expect(v.in_kev).toBe(true);
      expect(v.nvd_status).toBe((JSON.parse(nvdText(cve)) as { vulnStatus: string }).vulnStatus);
      expect(v.description).toMatch(/\w/);
      expect(v.match_changed_at.toISOString()).not.toBe(before.get(cve));
    }
    const citrix = await db()
      .selectFrom("vulnerability_criteria")
      .select(["part", "vendor", "product", "version", "version_start_including", "version_end_excluding"])
      .where("cve_id", "=", "CVE-2023-4966")
      .where("product", "=", "netscaler_gateway")
      .orderBy("version_start_including")
      .execute();
    expect(citrix).toEqual(
      ["13.0", "13.0-92.19", "13.1", "13.1-49.15", "14.1", "14.1-8.50"].reduce<Record<string, string>[]>(
        (acc, _v, i, all) => {
          if (i % 2 === 0) {
            acc.push({
              part: "a",
              vendor: "citrix",
              product: "netscaler_gateway",
              version: "*",
              version_start_including: all[i] as string,
              version_end_excluding: all[i + 1] as string,
            });
          }
          return acc;
        },
        [],
      ),
    );
    const v = await vuln("CVE-2023-4966");
    expect(v).toMatchObject({ cvss_score: "7.5", cvss_severity: "HIGH", nvd_status: "Analyzed" });
    expect(v.description).toMatch(/^Sensitive information disclosure/);
    const ivanti = await db()
      .selectFrom("vulnerability_criteria")
      .select(["version", "criteria"])
      .where("cve_id", "=", "CVE-2023-46805")
      .where("criteria", "=", "cpe:2.3:a:ivanti:connect_secure:22.6:r2:*:*:*:*:*:*")
      .execute();
    expect(ivanti).toEqual([
      { version: "22.6", criteria: "cpe:2.3:a:ivanti:connect_secure:22.6:r2:*:*:*:*:*:*" },
    ]);
  });

  it("an API answer with the same records is unchanged; an older one is not applied", async () => {
    const before = await snapshotAfterTouch();
    const records = NVD_CVES.map((c) => ({ cve: JSON.parse(nvdText(c)) }));
    const answer = {
      resultsPerPage: 5,
      startIndex: 0,
      totalResults: 5,
      format: "NVD_CVE",
      version: "2.0",
      vulnerabilities: records,
    };
    const run = await ingestFeed(db(), {
      source: "nvd",
      content: JSON.stringify(answer),
      origin: "file:api.json",
      now: later(),
    });
    expect(run).toMatchObject({ status: "succeeded", added: 0, updated: 0, unchanged: 5 });
    expect(await matchChangedAts()).toEqual(before);

    const old = JSON.parse(nvdText("CVE-2023-4966")) as Record<string, unknown>;
    old.lastModified = "2023-11-01T00:00:00.000";
    old.vulnStatus = "Modified";
    const stale = await ingestFeed(db(), {
      source: "nvd",
      content: JSON.stringify(old),
      origin: "file:old.json",
      now: later(),
    });
    expect(stale).toMatchObject({ status: "succeeded", updated: 0, unchanged: 1 });
    expect(stale.problems[0]?.message).toMatch(/plus ancienne.*non appliquée/);
    expect((await vuln("CVE-2023-4966")).nvd_status).toBe("Analyzed");
  });

  it("replaces criteria only when they change; a new description does not move match_changed_at", async () => {
    const record = JSON.parse(nvdText("CVE-2023-4966")) as Record<string, unknown> & {
      descriptions: { lang: string; value: string }[];
      configurations: { nodes: { cpeMatch: Record<string, unknown>[] }[] }[];
    };
    record.lastModified = "2026-01-01T00:00:00.000";
    (record.descriptions[0] as { value: string }).value = "Sensitive information disclosure (revised).";
    const before = await matchChangedAts();
    const reworded = await ingestFeed(db(), {
      source: "nvd",
      content: JSON.stringify(record),
      origin: "file:r.json",
      now: later(),
    });
    expect(reworded).toMatchObject({ status: "succeeded", updated: 1 });
    expect((await source("nvd", "CVE-2023-4966")).revision).toBe(2);
    expect((await matchChangedAts()).get("CVE-2023-4966")).toBe(before.get("CVE-2023-4966"));
    expect((await vuln("CVE-2023-4966")).description).toBe("Sensitive information disclosure (revised).");

    // A new bound (and an escaped colon in a product name) is a change matching must see.
    record.lastModified = "2026-01-02T00:00:00.000";
    const match = record.configurations[0]?.nodes[0]?.cpeMatch[0] as Record<string, unknown>;
    match.versionEndExcluding = "12.1-55.301";
    record.configurations[0]?.nodes[0]?.cpeMatch.push({
      vulnerable: true,
      criteria: "cpe:2.3:a:citrix:gateway\\:vpx:*:*:*:*:*:*:*:*",
      versionEndExcluding: "13.1-49.15",
      matchCriteriaId: "00000000-0000-0000-0000-000000000000",
    });
    const rebounded = await ingestFeed(db(), {
      source: "nvd",
      content: JSON.stringify(record),
      origin: "file:b.json",
      now: later(),
    });
    expect(rebounded).toMatchObject({ status: "succeeded", updated: 1 });
    expect((await source("nvd", "CVE-2023-4966")).revision).toBe(3);
    expect((await matchChangedAts()).get("CVE-2023-4966")).toBe(now.toISOString());
    const rows = await db()
      .selectFrom("vulnerability_criteria")
      .selectAll()
      .where("cve_id", "=", "CVE-2023-4966")
      .execute();
    expect(rows).toHaveLength(10);
    expect(rows.filter((r) => r.version_end_excluding === "12.1-55.301")).toHaveLength(1);
    expect(rows.find((r) => r.product === "gateway:vpx")).toMatchObject({ vendor: "citrix", version: "*" });
  });

  it("a record with a bad id or date is rejected, the others stored", async () => {
    const good = JSON.parse(nvdText("CVE-2021-26855")) as Record<string, unknown>;
    const answer = {
      vulnerabilities: [
        { cve: { ...good, id: "CVE-2026-1000", lastModified: "hier" } },
        { cve: { ...good, id: "pas-un-cve" } },
        { cve: { ...good, id: "CVE-2026-1001" } },
      ],
    };
    const run = await ingestFeed(db(), {
      source: "nvd",
      content: JSON.stringify(answer, null, 1),
      origin: "file:p.json",
      now: later(),
    });
    expect(run).toMatchObject({ status: "partial", added: 1, rejected: 2 });
    expect(run.problems.map((p) => p.record)).toEqual(["CVE-2026-1000", "PAS-UN-CVE"]);
    expect(run.problems[0]?.line).toBeGreaterThan(1);
    expect((await vuln("CVE-2026-1001")).in_kev).toBe(false);
    await expect(vuln("CVE-2026-1000")).rejects.toThrow();
  });
});

async function snapshotAfterTouch() {
  return matchChangedAts();
}

describe("CERT-FR", () => {
  it("JSON items: advisories stored and linked to the known CVEs they name", async () => {
    const run = await ingestFeed(db(), {
      source: "certfr",
      content: fixture("certfr-items.json"),
      origin: "file:items.json",
      now: later(),
    });
    expect(run).toMatchObject({ status: "succeeded", added: 3, rejected: 0 });
    const ale = await db()
      .selectFrom("advisories")
      .selectAll()
      .where("id", "=", "CERTFR-2024-ALE-001")
      .executeTakeFirstOrThrow();
    expect(ale).toMatchObject({ kind: "alerte", cves: ["CVE-2023-46805", "CVE-2024-21887"] });
    expect(ale.link).toBe("https://www.cert.ssi.gouv.fr/alerte/CERTFR-2024-ALE-001/");
    expect(ale.published_at?.toISOString()).toBe("2024-01-11T00:00:00.000Z");
    expect(ale.source_updated_at?.toISOString()).toBe("2024-01-19T00:00:00.000Z");
    expect((await vuln("CVE-2024-21887")).advisory_ids).toEqual(["CERTFR-2024-ALE-001"]);
    expect((await vuln("CVE-2023-27997")).advisory_ids).toEqual(["CERTFR-2023-AVI-0459"]);
    const avi = await db()
      .selectFrom("advisories")
      .select("kind")
      .where("id", "=", "CERTFR-2023-AVI-0459")
      .executeTakeFirstOrThrow();
    expect(avi.kind).toBe("avis");
  });

  it("RSS: reference from the link, CVEs from the text; a changed item gets a new revision", async () => {
    const before = await matchChangedAts();
    const run = await ingestFeed(db(), {
      source: "certfr",
      content: fixture("certfr-alertes.rss.xml"),
      origin: "file:a.xml",
      now: later(),
    });
    expect(run).toMatchObject({ status: "succeeded", added: 1, updated: 2, rejected: 0 });
    expect((await source("certfr", "CERTFR-2024-ALE-001")).revision).toBe(2);
    const exchange = await db()
      .selectFrom("advisories")
      .selectAll()
      .where("id", "=", "CERTFR-2021-ALE-004")
      .executeTakeFirstOrThrow();
    expect(exchange).toMatchObject({
      kind: "alerte",
      cves: ["CVE-2021-26855"],
      title: "Vulnérabilité dans Microsoft Exchange (ProxyLogon)",
    });
    expect(exchange.summary).not.toContain("<p>");
    expect(exchange.published_at?.toISOString()).toBe("2021-03-03T08:20:00.000Z");
    expect((await vuln("CVE-2021-26855")).advisory_ids).toEqual(["CERTFR-2021-ALE-004"]);
    // Advisories are context, not matching input.
    expect(await matchChangedAts()).toEqual(before);
    const again = await ingestFeed(db(), {
      source: "certfr",
      content: fixture("certfr-alertes.rss.xml"),
      origin: "file:a.xml",
      now: later(),
    });
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 3 });
  });

  it("an unknown CVE is not created; a later KEV entry picks the advisory up", async () => {
    const item = {
      reference: "CERTFR-2026-ALE-002",
      title: "Vulnérabilité dans Acme Portail",
      summary: "CVE-2026-77777 est activement exploitée.",
      cves: [{ name: "CVE-2026-77777" }],
      revisions: [{ revision_date: "2026-01-03T00:00:00.000000", description: "Version initiale" }],
    };
    const run = await ingestFeed(db(), {
      source: "certfr",
      content: JSON.stringify(item),
      origin: "file:one.json",
      now: later(),
    });
    expect(run).toMatchObject({ status: "succeeded", added: 1 });
    await expect(vuln("CVE-2026-77777")).rejects.toThrow();
    const kev = {
      vulnerabilities: [
        { cveID: "CVE-2026-77777", vendorProject: "Acme", product: "Portail", dateAdded: "2026-01-04" },
      ],
    };
    await ingestFeed(db(), {
      source: "kev",
      content: JSON.stringify(kev),
      origin: "file:k.json",
      now: later(),
    });
    expect((await vuln("CVE-2026-77777")).advisory_ids).toEqual(["CERTFR-2026-ALE-002"]);
  });

  it("a truncated RSS feed fails and changes nothing; a bad item is rejected with its line", async () => {
    const before = await snapshot();
    const rss = fixture("certfr-alertes.rss.xml");
    const truncated = await ingestFeed(db(), {
      source: "certfr",
      content: rss.slice(0, rss.length / 2),
      origin: "file:t.xml",
      now: later(),
    });
    expect(truncated.status).toBe("failed");
    expect(truncated.problems[0]?.message).toMatch(/XML invalide/);
    expect(await snapshot()).toBe(before);
    const bad = rss
      .replace("Wed, 14 Jun 2023 14:02:11 +0000", "le 14 juin")
      .replace(
        "https://www.cert.ssi.gouv.fr/alerte/CERTFR-2021-ALE-004/</link>",
        "https://example.org/</link>",
      )
      .replace("<guid>https://www.cert.ssi.gouv.fr/alerte/CERTFR-2021-ALE-004/</guid>", "<guid>x</guid>");
    const partial = await ingestFeed(db(), {
      source: "certfr",
      content: bad,
      origin: "file:b.xml",
      now: later(),
    });
    expect(partial).toMatchObject({ status: "partial", rejected: 2, unchanged: 1 });
    const lines = bad.split("\n");
    for (const p of partial.problems) expect(lines[(p.line ?? 0) - 1]).toContain("<item>");
  });
});
