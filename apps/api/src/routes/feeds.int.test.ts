import { readFileSync } from "node:fs";
import {
  createStructure,
  createTestApp,
  createUser,
  multipartBody,
  type SessionHeaders,
  signIn,
  type TestApp,
} from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const DATA = new URL("../../../../reference/vulnerabilities/", import.meta.url);
const kev = readFileSync(new URL("known_exploited_vulnerabilities.json", DATA));
const nvd = readFileSync(new URL("CVE-2023-4966.json", DATA));
const rss = readFileSync(
  new URL("../../../../packages/core/src/watch/feeds/fixtures/certfr-alertes.rss.xml", import.meta.url),
);
const items = readFileSync(
  new URL("../../../../packages/core/src/watch/feeds/fixtures/certfr-items.json", import.meta.url),
);

let t: TestApp;
let analyst: SessionHeaders;
let lead: SessionHeaders;
let declarant: SessionHeaders;

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const structure = await createStructure(db, { regionCode: "11", name: "Centre hospitalier de Meaux" });
  analyst = await signIn(t, await createUser(db, "cert_analyst"));
  lead = await signIn(t, await createUser(db, "cert_lead"));
  declarant = await signIn(t, await createUser(db, "declarant", { structureIds: [structure.id] }));
});
afterAll(async () => {
  await t?.close();
});

describe("vulnerability feeds API", () => {
  it("a declarant may neither load a feed nor read the runs and vulnerabilities", async () => {
    for (const [method, url] of [
      ["POST", "/api/watch/feeds/kev"],
      ["GET", "/api/watch/feeds/runs"],
      ["GET", "/api/watch/vulnerabilities"],
      ["GET", "/api/watch/vulnerabilities/CVE-2023-4966"],
    ] as const) {
      const response = await t.app.inject({
        method,
        url,
        headers: { ...declarant, ...(method === "POST" ? { "content-type": "application/json" } : {}) },
        ...(method === "POST" ? { payload: kev } : {}),
      });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json().error.code).toBe("FORBIDDEN");
    }
    const anonymous = await t.app.inject({ method: "GET", url: "/api/watch/vulnerabilities" });
    expect(anonymous.statusCode).toBe(401);
    const runs = await t.app.inject({ method: "GET", url: "/api/watch/feeds/runs", headers: analyst });
    expect(runs.json()).toEqual({ items: [] });
  });

  it("loads the KEV catalog sent as raw JSON, then NVD as multipart and CERT-FR as RSS", async () => {
    const loaded = await t.app.inject({
      method: "POST",
      url: "/api/watch/feeds/kev",
      headers: { ...analyst, "content-type": "application/json" },
      payload: kev,
    });
    expect(loaded.statusCode, loaded.body).toBe(200);
    expect(loaded.json()).toMatchObject({
      source: "kev",
      status: "succeeded",
      added: 1404,
      origin: "file:envoi",
    });

    const upload = multipartBody(
      [{ fileName: "CVE-2023-4966.json", data: nvd, contentType: "application/json" }],
      "file",
    );
    const nvdRun = await t.app.inject({
      method: "POST",
      url: "/api/watch/feeds/nvd",
      headers: { ...lead, ...upload.headers },
      payload: upload.payload,
    });
    expect(nvdRun.statusCode, nvdRun.body).toBe(200);
    expect(nvdRun.json()).toMatchObject({ status: "succeeded", added: 1, origin: "file:CVE-2023-4966.json" });

    for (const [body, type] of [
      [items, "application/json"],
      [rss, "application/rss+xml"],
    ] as const) {
      const run = await t.app.inject({
        method: "POST",
        url: "/api/watch/feeds/certfr",
        headers: { ...analyst, "content-type": type },
        payload: body,
      });
      expect(run.statusCode, run.body).toBe(200);
      expect(run.json().status).toBe("succeeded");
    }
    // Each load is audited with its author.
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("action", "=", "feed.ingest")
      .execute();
    expect(audit).toHaveLength(4);
  });

  it("a malformed file is a failed run, reported in French; an empty body is refused", async () => {
    const failed = await t.app.inject({
      method: "POST",
      url: "/api/watch/feeds/kev",
      headers: { ...analyst, "content-type": "application/json" },
      payload: kev.subarray(0, 10_000),
    });
    expect(failed.statusCode).toBe(200);
    expect(failed.json()).toMatchObject({ status: "failed", added: 0, updated: 0 });
    expect(failed.json().problems[0].message).toMatch(/tronqué/);
    const empty = await t.app.inject({
      method: "POST",
      url: "/api/watch/feeds/nvd",
      headers: { ...analyst, "content-type": "application/json" },
      payload: "",
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.code).toBe("FILE_EMPTY");
    const unknown = await t.app.inject({
      method: "POST",
      url: "/api/watch/feeds/osv",
      headers: { ...analyst, "content-type": "application/json" },
      payload: "{}",
    });
    expect(unknown.statusCode).toBe(400);
  });

  it("lists the runs, most recent first, with their problems", async () => {
    const response = await t.app.inject({
      method: "GET",
      url: "/api/watch/feeds/runs?source=kev",
      headers: analyst,
    });
    expect(response.statusCode).toBe(200);
    const runs = response.json().items as {
      status: string;
      problems: { level: string; message: string }[];
    }[];
    expect(runs.map((r) => r.status)).toEqual(["failed", "succeeded"]);
    expect(runs[1]?.problems.filter((p) => p.level === "warning" && /dueDate/.test(p.message))).toHaveLength(
      15,
    );
  });

  it("searches vulnerabilities by words, KEV membership and CVE id, page by page", async () => {
    const all = await t.app.inject({
      method: "GET",
      url: "/api/watch/vulnerabilities?pageSize=10",
      headers: analyst,
    });
    expect(all.json()).toMatchObject({ total: 1404, page: 1, pageSize: 10 });
    expect(all.json().items).toHaveLength(10);
    const page2 = await t.app.inject({
      method: "GET",
      url: "/api/watch/vulnerabilities?pageSize=10&page=2",
      headers: analyst,
    });
    const ids = new Set([...all.json().items, ...page2.json().items].map((v: { cveId: string }) => v.cveId));
    expect(ids.size).toBe(20);

    const citrix = await t.app.inject({
      method: "GET",
      url: "/api/watch/vulnerabilities?q=netscaler&kev=true&pageSize=100",
      headers: analyst,
    });
    const found = citrix.json().items as { cveId: string; inKev: boolean }[];
    expect(found.map((v) => v.cveId)).toContain("CVE-2023-4966");
    expect(found.every((v) => v.inKev)).toBe(true);

    const notKev = await t.app.inject({
      method: "GET",
      url: "/api/watch/vulnerabilities?kev=false",
      headers: analyst,
    });
    expect(notKev.json().total).toBe(0);

    const byId = await t.app.inject({
      method: "GET",
      url: "/api/watch/vulnerabilities?cve=cve-2023-496",
      headers: analyst,
    });
    expect(byId.json().items.map((v: { cveId: string }) => v.cveId)).toEqual(["CVE-2023-4966"]);

    const bad = await t.app.inject({
      method: "GET",
      url: "/api/watch/vulnerabilities?kev=peut-etre",
      headers: analyst,
    });
    expect(bad.statusCode).toBe(400);
  });

  it("shows one vulnerability with its sources and revisions, KEV data, criteria and advisories", async () => {
    const response = await t.app.inject({
      method: "GET",
      url: "/api/watch/vulnerabilities/cve-2023-4966",
      headers: analyst,
    });
    expect(response.statusCode, response.body).toBe(200);
    const v = response.json();
    expect(v).toMatchObject({
      cveId: "CVE-2023-4966",
      inKev: true,
      kevVendor: "Citrix",
      cvssScore: 7.5,
      cvssSeverity: "HIGH",
      nvdStatus: "Analyzed",
      advisoryIds: ["CERTFR-2023-ALE-012"],
    });
    expect(v.sources.map((s: { source: string; revision: number }) => [s.source, s.revision])).toEqual([
      ["certfr", 1],
      ["kev", 1],
      ["nvd", 1],
    ]);
    expect(v.criteria).toHaveLength(9);
    expect(v.criteria).toContainEqual(
      expect.objectContaining({
        product: "netscaler_gateway",
        versionStartIncluding: "13.1",
        versionEndExcluding: "13.1-49.15",
      }),
    );
    expect(v.advisories).toEqual([expect.objectContaining({ id: "CERTFR-2023-ALE-012", kind: "alerte" })]);

    const ivanti = await t.app.inject({
      method: "GET",
      url: "/api/watch/vulnerabilities/CVE-2024-21887",
      headers: analyst,
    });
    const ale = ivanti.json();
    expect(ale.advisoryIds).toEqual(["CERTFR-2024-ALE-001"]);
    // Loaded as JSON then as RSS: the record is at its second revision.
    expect(ale.sources).toContainEqual(
      expect.objectContaining({ source: "certfr", recordId: "CERTFR-2024-ALE-001", revision: 2 }),
    );

    const missing = await t.app.inject({
      method: "GET",
      url: "/api/watch/vulnerabilities/CVE-2099-0001",
      headers: analyst,
    });
    expect(missing.statusCode).toBe(404);
    const invalid = await t.app.inject({
      method: "GET",
      url: "/api/watch/vulnerabilities/log4shell",
      headers: analyst,
    });
    expect(invalid.statusCode).toBe(400);
  });
});
