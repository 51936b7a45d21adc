import { spawnSync } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type NginxServer, startNginx } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PerimeterGuard } from "../perimeter-guard.ts";
import { TargetLimiter } from "../target-limiter.ts";
import type { OpenService, ScanContext, ScanFinding } from "../types.ts";
import { checkHttp } from "./index.ts";

const USER_AGENT = "VigieScanner/1.0 (+https://vigie.test/audits/scanner)";

function context(networks: string[]): ScanContext {
  return {
    guard: new PerimeterGuard(["hopital.test"], networks),
    limiter: new TargetLimiter(500),
    userAgent: USER_AGENT,
    dnsServers: [],
    timeoutMs: 3000,
    allowDefaultCredentials: false,
  };
}

const servicesOf = (server: NginxServer, host?: string): OpenService[] => [
  {
    ip: server.host,
    ...(host ? { host } : {}),
    port: server.httpPort,
    transport: "tcp",
    service: "http",
    tls: false,
  },
  {
    ip: server.host,
    ...(host ? { host } : {}),
    port: server.httpsPort,
    transport: "tcp",
    service: "https",
    tls: true,
  },
];

const checksAt = (findings: ScanFinding[], port: number) =>
  findings.filter((f) => f.target.port === port).map((f) => f.check);

/** The version of the nginx under test, as `nginx -v` prints it. */
function installedNginxVersion(): string {
  const out = spawnSync("/usr/sbin/nginx", ["-v"], { encoding: "utf8" });
  const version = /nginx\/(\d+\.\d+\.\d+)/.exec(`${out.stderr}${out.stdout}`)?.[1];
  if (!version) throw new Error("nginx -v n'indique pas de version : nginx-light est-il installé ?");
  return version;
}

/** Every check the weak site fails (on the HTTPS port). */
const WEAK_HTTPS_CHECKS = [
  "http.header.hsts",
  "http.header.csp",
  "http.header.frame_options",
  "http.header.content_type_options",
  "http.header.referrer_policy",
  "http.security_txt.missing",
  "http.admin.phpmyadmin",
  "http.file.git_head",
  "http.file.git_config",
  "http.file.env",
  "http.file.backup_sql",
  "http.directory_listing",
  "http.version_disclosure",
];

describe("checkHttp against a weak nginx", () => {
  let server: NginxServer;
  let result: Awaited<ReturnType<typeof checkHttp>>;

  beforeAll(async () => {
    server = await startNginx({ profile: "weak" });
    result = await checkHttp(context(["127.80.0.0/16"]), servicesOf(server, "hopital.test"));
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("finds every weakness on HTTPS, and the missing redirection on HTTP", () => {
    const https = checksAt(result.findings, server.httpsPort);
    for (const check of WEAK_HTTPS_CHECKS) expect(https, check).toContain(check);
    const http = checksAt(result.findings, server.httpPort);
    expect(http).toContain("http.no_https_redirect");
    expect(http).not.toContain("http.header.hsts");
    for (const check of [
      "http.file.env",
      "http.file.git_head",
      "http.admin.phpmyadmin",
      "http.directory_listing",
    ]) {
      expect(http, check).toContain(check);
    }
    // only one security.txt finding per site: the HTTPS one
    expect(http).not.toContain("http.security_txt.missing");
  });

  it("reports nothing the site does not serve", () => {
    const all = result.findings.map((f) => f.check);
    for (const check of [
      "http.file.ds_store",
      "http.file.backup_zip",
      "http.file.htpasswd",
      "http.file.svn",
      "http.file.web_config_bak",
      "http.admin.tomcat_manager",
      "http.admin.wordpress",
      "http.admin.server_status",
    ]) {
      expect(all, check).not.toContain(check);
    }
  });

  it("writes findings in French with evidence, never a secret's value", () => {
    const env = result.findings.find(
      (f) => f.check === "http.file.env" && f.target.port === server.httpsPort,
    );
    expect(env).toMatchObject({
      category: "http",
      severity: "high",
      target: { ip: server.host, host: "hopital.test" },
    });
    expect(env?.evidence).toContain("DB_PASSWORD");
    expect(env?.evidence).not.toContain("motdepasse-de-test");
    const listing = result.findings.find((f) => f.check === "http.directory_listing");
    expect(listing?.evidence).toContain("/files/");
    expect(listing?.evidence).toContain("nginx autoindex");
    expect(result.findings.every((f) => f.title && f.remediation && f.evidence)).toBe(true);
  });

  it("detects the nginx version (and the site's generator) as products for the watch", () => {
    const version = installedNginxVersion();
    const nginx = result.products.filter((p) => p.product === "nginx");
    expect(nginx.length).toBe(2);
    for (const p of nginx) {
      expect(p).toMatchObject({
        vendor: "f5",
        version,
        host: "hopital.test",
        cpe: `cpe:2.3:a:f5:nginx:${version}:*:*:*:*:*:*:*`,
      });
      expect(p.evidence).toContain(`nginx/${version}`);
    }
    expect(result.products).toContainEqual(
      expect.objectContaining({ vendor: "wordpress", product: "wordpress", version: "6.4.2" }),
    );
    const disclosure = result.findings.find((f) => f.check === "http.version_disclosure");
    expect(disclosure?.evidence).toContain(`Server: nginx/${version}`);
  });

  it("sends the scanner's User-Agent and Host on every request", async () => {
    const lines = await server.readAccessLog();
    expect(lines.length).toBeGreaterThan(40);
    for (const line of lines) {
      expect(line).toContain(`"${USER_AGENT}"`);
      expect(line).toMatch(/"hopital\.test:\d+"$/);
    }
  });
});

describe("checkHttp against a hardened nginx", () => {
  let server: NginxServer;
  let result: Awaited<ReturnType<typeof checkHttp>>;

  beforeAll(async () => {
    server = await startNginx({ profile: "hardened" });
    result = await checkHttp(context(["127.80.0.0/16"]), servicesOf(server));
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("reports none of the weak site's findings", () => {
    const all = result.findings.map((f) => `${f.check}@${f.target.port}`);
    expect(all).toEqual([]);
  });

  it("still sees nginx, without a version, and discloses nothing", () => {
    expect(result.products.length).toBeGreaterThan(0);
    for (const p of result.products) {
      expect(p).toMatchObject({ vendor: "f5", product: "nginx" });
      expect(p.version).toBeUndefined();
    }
  });

  it("sent its requests with the User-Agent, then stopped at the redirection to HTTPS", async () => {
    const lines = await server.readAccessLog();
    expect(lines.some((l) => l.includes(" 301 "))).toBe(true);
    expect(lines.some((l) => l.includes('"GET /.well-known/security.txt HTTP/1.1" 200'))).toBe(true);
    for (const line of lines) expect(line).toContain(`"${USER_AGENT}"`);
  });
});

/** A small Node server on 127.81.x.y: `handle` answers, every request is recorded. */
async function nodeServer(
  host: string,
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; port: number; requests: { path: string; ua: string | undefined }[] }> {
  const requests: { path: string; ua: string | undefined }[] = [];
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? "", ua: req.headers["user-agent"] });
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as AddressInfo).port, requests };
}

const closeServer = (server: Server | undefined) =>
  new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));

const node = (ip: string, port: number): OpenService[] => [
  { ip, port, transport: "tcp", service: "http", tls: false },
];

describe("checkHttp against servers answering 200 to everything (soft 404)", () => {
  const host = `127.81.${process.pid % 250}.1`;
  let soft: Awaited<ReturnType<typeof nodeServer>>;
  let other: Awaited<ReturnType<typeof nodeServer>>;

  beforeAll(async () => {
    other = await nodeServer(host, (_req, res) => {
      res.end(
        '<html><title>phpMyAdmin</title><form name="login_form"><input name="pma_username"></form></html>',
      );
    });
    soft = await nodeServer(host, (req, res) => {
      const path = req.url ?? "/";
      if (path === "/.env") {
        res.setHeader("Content-Type", "text/plain");
        res.end("APP_KEY=base64:abcdef\nDB_PASSWORD=secret\n");
      } else if (path.startsWith("/phpmyadmin")) {
        // an administration page on another port: never followed
        res.writeHead(302, { Location: `http://${host}:${other.port}/phpmyadmin/` }).end();
      } else if (path.endsWith(".sql") || path.endsWith(".zip") || path.startsWith("/.")) {
        // a plain-text "not found" that looks like KEY=VALUE lines and changes with each request
        res.setHeader("Content-Type", "text/plain");
        res.end(`STATUS=introuvable\nPATH=${path}\nREQUEST_ID=${Math.random().toString(16).slice(2, 14)}\n`);
      } else {
        res.setHeader("Content-Type", "text/html");
        res.end(
          `<!DOCTYPE html><html><head><title>Accueil</title></head><body>Page ${path} : ${Date.now()}</body></html>`,
        );
      }
    });
  });
  afterAll(async () => {
    await closeServer(soft?.server);
    await closeServer(other?.server);
  });

  it("reports only the real file, follows no redirection elsewhere, with the User-Agent on every request", async () => {
    const result = await checkHttp(context(["127.81.0.0/16"]), node(host, soft.port));
    const checks = result.findings.map((f) => f.check);
    expect(checks).toContain("http.file.env");
    expect(checks.filter((c) => c.startsWith("http.file."))).toEqual(["http.file.env"]);
    expect(checks.filter((c) => c.startsWith("http.admin."))).toEqual([]);
    expect(checks).not.toContain("http.directory_listing");
    expect(checks).toContain("http.security_txt.missing");
    expect(other.requests).toEqual([]);
    expect(soft.requests.length).toBeGreaterThan(40);
    expect(soft.requests.every((r) => r.ua === USER_AGENT)).toBe(true);
  });
});

describe("checkHttp and the perimeter", () => {
  const host = `127.82.${process.pid % 250}.1`;
  let target: Awaited<ReturnType<typeof nodeServer>>;

  beforeAll(async () => {
    target = await nodeServer(host, (_req, res) => res.end("ok"));
  });
  afterAll(async () => {
    await closeServer(target?.server);
  });

  it("refuses a service outside the authorised ranges and sends it nothing", async () => {
    await expect(checkHttp(context(["127.81.0.0/16"]), node(host, target.port))).rejects.toThrow(
      /hors du périmètre/,
    );
    expect(target.requests).toEqual([]);
  });

  it("ignores services that are not HTTP", async () => {
    const result = await checkHttp(context([`${host}/32`]), [
      { ip: host, port: target.port, transport: "tcp", service: "ssh", tls: false },
    ]);
    expect(result).toEqual({ findings: [], products: [] });
    expect(target.requests).toEqual([]);
  });
});
