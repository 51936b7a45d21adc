import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { loadConfig } from "@vigie/config";
import { createFeedFetcher, FeedFetchError } from "@vigie/integrations";
import { createTestDatabase, type TestDatabase } from "@vigie/test-kit";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { platformTasks, type WorkerContext } from "./worker.ts";

const kev = readFileSync(
  new URL("../../../reference/vulnerabilities/known_exploited_vulnerabilities.json", import.meta.url),
);
const rss = readFileSync(
  new URL("../../../packages/core/src/watch/feeds/fixtures/certfr-alertes.rss.xml", import.meta.url),
);

let database: TestDatabase;
let server: Server;
let base: string;
const served: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  // The feeds' publishers, played by a server on the loopback interface.
  server = createServer((request, response) => {
    served.push(request.url ?? "");
    if (request.url === "/kev.json") {
      response.writeHead(200, { "content-type": "application/json" }).end(kev);
    } else if (request.url === "/kev-sized.json") {
      response.writeHead(200, { "content-type": "application/json", "content-length": kev.length }).end(kev);
    } else if (request.url === "/certfr.xml") {
      response.writeHead(200, { "content-type": "application/rss+xml" }).end(rss);
    } else if (request.url === "/slow") {
      setTimeout(() => response.writeHead(200).end("{}"), 2000);
    } else {
      response.writeHead(503, { "content-type": "text/plain" }).end("maintenance");
    }
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  await database?.destroy();
});

function feedsTask(env: Record<string, string>) {
  const context: WorkerContext = {
    database,
    config: loadConfig({ NODE_ENV: "test", ...env }),
    logger: pino({ level: "silent" }),
    clock: () => new Date(),
    mailTransport: null,
  };
  const found = platformTasks(context).find((t) => t.job.name === "feeds.fetch");
  if (!found) throw new Error("feeds.fetch task missing");
  return { run: () => found.handle({}, context), schedule: found.job.schedule };
}

describe("feeds.fetch job", () => {
  it("is scheduled daily and does nothing without a configured URL", async () => {
    const task = feedsTask({});
    expect(task.schedule).toBe("30 5 * * *");
    await task.run();
    expect(served).toEqual([]);
    expect(await database.db.selectFrom("feed_runs").selectAll().execute()).toEqual([]);
  });

  it("fetches each configured feed; a failing one is a failed run, the others are stored", async () => {
    await feedsTask({
      FEED_KEV_URL: `${base}/kev.json`,
      FEED_NVD_URL: `${base}/nvd`,
      FEED_CERTFR_URL: `${base}/certfr.xml`,
    }).run();
    expect(served).toEqual(["/kev.json", "/nvd", "/certfr.xml"]);
    const runs = await database.db.selectFrom("feed_runs").selectAll().orderBy("started_at").execute();
    expect(runs.map((r) => [r.source, r.status, r.added, r.origin])).toEqual([
      ["kev", "succeeded", 1404, `${base}/kev.json`],
      ["nvd", "failed", 0, `${base}/nvd`],
      ["certfr", "succeeded", 3, `${base}/certfr.xml`],
    ]);
    expect(runs[1]?.problems).toEqual([
      expect.objectContaining({ message: "Le serveur a répondu HTTP 503 : flux non téléchargé." }),
    ]);
    const linked = await database.db
      .selectFrom("vulnerabilities")
      .select("advisory_ids")
      .where("cve_id", "=", "CVE-2024-21887")
      .executeTakeFirstOrThrow();
    expect(linked.advisory_ids).toEqual(["CERTFR-2024-ALE-001"]);
    // The incremental re-match ran after the ingestion.
    const matchRuns = await database.db.selectFrom("watch_match_runs").selectAll().execute();
    expect(matchRuns.length).toBeGreaterThan(0);
  });

  it("the downloader stops at its size limit and its timeout", async () => {
    // Announced size, then a streamed body without one: both stopped.
    await expect(createFeedFetcher({ maxBytes: 1000 })(`${base}/kev-sized.json`)).rejects.toThrow(
      new FeedFetchError(`Flux trop volumineux (${kev.length} octets, 1000 au plus).`),
    );
    await expect(createFeedFetcher({ maxBytes: 1000 })(`${base}/kev.json`)).rejects.toThrow(
      new FeedFetchError("Flux trop volumineux (plus de 1000 octets) : téléchargement interrompu."),
    );
    expect((await createFeedFetcher()(`${base}/kev-sized.json`)).length).toBe(kev.length);
    await expect(createFeedFetcher({ timeoutMs: 200 })(`${base}/slow`)).rejects.toThrow(
      /abandonné après 0.2 s/,
    );
    await expect(createFeedFetcher()("http://127.0.0.1:1/")).rejects.toThrow(/Serveur injoignable/);
  });
});
