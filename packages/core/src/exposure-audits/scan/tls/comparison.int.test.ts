import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  createTestCertificates,
  startLegacyTlsServer,
  startTlsServer,
  type TlsTarget,
} from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PerimeterGuard } from "../perimeter-guard.ts";
import { TargetLimiter } from "../target-limiter.ts";
import type { ScanContext } from "../types.ts";
import { checkTls, type TlsCheckResult } from "./index.ts";

/**
 * The protocol versions Vigie says a server accepts must be those sslscan and testssl.sh say,
 * on the same servers: permissive (TLS 1.0–1.3), hardened (TLS 1.2–1.3) and a hand-made
 * SSLv3-only server. What else the tools report is recorded in docs/audits/comparison-tls.md.
 */

const run = promisify(execFile);

async function available(command: string, args: string[]): Promise<boolean> {
  try {
    await run(command, args, { timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

const hasSslscan = await available("sslscan", ["--version"]);
const hasTestssl = await available("testssl", ["--version"]);

const ctx: ScanContext = {
  guard: new PerimeterGuard([], ["127.0.0.0/8"]),
  limiter: new TargetLimiter(2000),
  userAgent: "VigieScanner/1.0 (tests)",
  dnsServers: [],
  timeoutMs: 3000,
  allowDefaultCredentials: false,
};

const targets: Record<string, TlsTarget> = {};
let vigie: TlsCheckResult;
let workDir: string;

function vigieProtocols(name: string): string[] {
  const port = targets[name]?.port;
  return vigie.protocols.find((p) => p.port === port)?.accepted ?? [];
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), "vigie-tls-cmp-"));
  const certs = await createTestCertificates();
  targets.permissive = await startTlsServer({
    ...certs.valid,
    chainPem: [certs.intermediate.certPem],
    minVersion: "TLSv1",
    ciphers: "ALL:COMPLEMENTOFALL:@SECLEVEL=0",
  });
  targets.hardened = await startTlsServer({
    ...certs.valid,
    chainPem: [certs.intermediate.certPem],
    ciphers: "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305",
  });
  targets.ssl3Only = await startLegacyTlsServer({ versions: [0x0300], ciphers: [0x0005, 0x000a] });
  vigie = await checkTls(
    ctx,
    Object.values(targets).map((t) => ({
      ip: t.host,
      port: t.port,
      transport: "tcp" as const,
      service: null,
      tls: true,
    })),
    new Date(),
    { trustedCa: [certs.root.certPem] },
  );
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(targets).map((t) => t.close()));
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

it("Vigie sees the expected versions (sanity of the targets)", () => {
  expect(vigieProtocols("permissive")).toEqual(["TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3"]);
  expect(vigieProtocols("hardened")).toEqual(["TLS 1.2", "TLS 1.3"]);
  expect(vigieProtocols("ssl3Only")).toEqual(["SSLv3"]);
});

/** sslscan's XML: `<protocol type="tls" version="1.2" enabled="1" />`. */
function sslscanProtocols(xml: string): string[] {
  return [...xml.matchAll(/<protocol type="(ssl|tls)" version="([\d.]+)" enabled="1"/g)].map(
    ([, type, version]) => (type === "ssl" ? `SSLv${version}` : `TLS ${version}`),
  );
}

describe.skipIf(!hasSslscan)("sslscan", () => {
  it.each(["permissive", "hardened", "ssl3Only"])(
    "reports the same versions as Vigie on %s",
    async (name) => {
      const target = targets[name] as TlsTarget;
      const { stdout } = await run("sslscan", ["--xml=-", "--no-colour", `${target.host}:${target.port}`], {
        timeout: 110_000,
        maxBuffer: 10_000_000,
      });
      const theirs = sslscanProtocols(stdout);
      expect(theirs.length).toBeGreaterThan(0);
      expect(theirs).toEqual(vigieProtocols(name));
    },
    120_000,
  );
});

const TESTSSL_IDS: Record<string, string> = {
  SSLv2: "SSLv2",
  SSLv3: "SSLv3",
  TLS1: "TLS 1.0",
  TLS1_1: "TLS 1.1",
  TLS1_2: "TLS 1.2",
  TLS1_3: "TLS 1.3",
};

describe.skipIf(!hasTestssl)("testssl.sh", () => {
  it("reports the same versions as Vigie on every target", async () => {
    const names = Object.keys(targets);
    const reports = await Promise.all(
      names.map(async (name) => {
        const target = targets[name] as TlsTarget;
        const jsonFile = join(workDir, `${name}.json`);
        // testssl exits non-zero when it finds problems: its JSON file is what counts.
        await run(
          "testssl",
          [
            "--quiet",
            "--color",
            "0",
            "--warnings",
            "off",
            "--protocols",
            "--jsonfile",
            jsonFile,
            `${target.host}:${target.port}`,
          ],
          { timeout: 170_000, maxBuffer: 10_000_000 },
        ).catch(() => undefined);
        const entries = JSON.parse(await readFile(jsonFile, "utf8")) as { id: string; finding: string }[];
        return entries
          .filter((e) => e.id in TESTSSL_IDS && /^offered/.test(e.finding))
          .map((e) => TESTSSL_IDS[e.id] as string);
      }),
    );
    names.forEach((name, i) => {
      expect(reports[i], name).toEqual(vigieProtocols(name));
    });
  }, 180_000);
});
