/**
 * Port-mapping benchmark (issue 8): 256 hosts × 100 ports inside a Linux network namespace
 * (created here, deleted at the end), some ports open on some hosts (real listeners answering
 * like SSH, FTP, HTTP, HTTPS, RDP, MySQL… servers), every other port closed.
 *
 * Times the built-in TCP connect scan (at the audit's default rate of 50 new connections per
 * second per target, and unlimited) against nmap on the same targets: `nmap -sT` with its
 * default timing, `nmap -sT` with the arguments the audit derives from its rate, and the
 * audit's nmap engine (`-sT -sV --version-light`). Prints durations, open ports found by each,
 * and agreement with what is really listening.
 *
 * Usage (root, Linux): npx tsx bench/exposure-audit-scan.ts [--hosts 256] [--rate 50] [--skip-version]
 * Touches only the addresses of the namespace it creates.
 */
import { execFile } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs, promisify } from "node:util";
import { PerimeterGuard } from "@vigie/core/exposure-audits/scan/perimeter-guard";
import {
  builtinScan,
  DEFAULT_AUDIT_PORTS,
  findNmap,
  nmapArguments,
  parseNmapXml,
  scanPorts,
} from "@vigie/core/exposure-audits/scan/ports/index";
import { TargetLimiter } from "@vigie/core/exposure-audits/scan/target-limiter";
import type { OpenService, ScanContext } from "@vigie/core/exposure-audits/scan/types";
import { createNetns, type ServiceListener } from "@vigie/test-kit";

const run = promisify(execFile);
const { values: args } = parseArgs({
  options: {
    hosts: { type: "string", default: "256" },
    rate: { type: "string", default: "50" },
    "skip-version": { type: "boolean", default: false },
  },
});
const hostCount = Number(args.hosts);
const rate = Number(args.rate);
const ports = DEFAULT_AUDIT_PORTS.slice(0, 100);

/** Which services host i runs: 443 everywhere, the rest on fewer and fewer hosts. */
function listenersOf(ip: string, i: number): ServiceListener[] {
  const list: ServiceListener[] = [{ ip, port: 443, kind: "https" }];
  if (i % 2 === 0) list.push({ ip, port: 80, kind: "http", server: "Apache/2.4.57 (Debian)" });
  if (i % 4 === 0) list.push({ ip, port: 22, kind: "ssh" });
  if (i % 8 === 1) list.push({ ip, port: 21, kind: "ftp" });
  if (i % 16 === 0) list.push({ ip, port: 3389, kind: "rdp" });
  if (i % 16 === 5) list.push({ ip, port: 8080, kind: "http", server: "Microsoft-IIS/10.0" });
  if (i % 32 === 3) list.push({ ip, port: 3306, kind: "mysql" });
  if (i % 32 === 9) list.push({ ip, port: 25, kind: "smtp" });
  if (i % 50 === 7) list.push({ ip, port: 23, kind: "telnet" });
  if (i % 64 === 11) list.push({ ip, port: 6379, kind: "redis" });
  return list.filter((l) => ports.includes(l.port));
}

const key = (s: { ip: string; port: number }) => `${s.ip}:${s.port}`;

function compare(expected: Set<string>, found: OpenService[]): string {
  const seen = new Set(found.map(key));
  const missed = [...expected].filter((k) => !seen.has(k)).length;
  const extra = [...seen].filter((k) => !expected.has(k)).length;
  return `${seen.size} open, ${missed} missed, ${extra} extra`;
}

async function main(): Promise<void> {
  console.log(
    `machine: ${cpus().length} cores (${cpus()[0]?.model}), Node ${process.version}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  const netns = await createNetns({ prefix: "vbench", hosts: hostCount });
  try {
    const listeners = netns.hostIps.flatMap((ip, i) => listenersOf(ip, i));
    const host = await netns.startServiceHost(listeners);
    const expected = new Set(listeners.map(key));
    console.log(
      `${hostCount} hosts × ${ports.length} ports = ${hostCount * ports.length} probes; ${expected.size} ports really open (${netns.subnet})`,
    );
    const ctx = (perSecond: number): ScanContext => ({
      guard: new PerimeterGuard([], [netns.subnet]),
      limiter: new TargetLimiter(perSecond),
      userAgent: "VigieScanner/1.0 (+https://vigie.test/audits/scanner)",
      dnsServers: [],
      timeoutMs: 3000,
      allowDefaultCredentials: false,
    });
    const targets = netns.hostIps.map((ip) => ({ ip }));
    const results: { name: string; ms: number; found: OpenService[]; identified?: number }[] = [];
    const time = async (name: string, scan: () => Promise<OpenService[]>) => {
      const started = performance.now();
      const found = await scan();
      const ms = performance.now() - started;
      const identified = found.filter((s) => s.service !== null).length;
      results.push({ name, ms, found, identified });
      console.log(
        `${name}: ${(ms / 1000).toFixed(2)} s — ${compare(expected, found)}, ${identified} with a service name, ${found.filter((s) => s.product?.version).length} with a version`,
      );
    };

    await time(`built-in, ${rate}/s per target`, () => builtinScan(ctx(rate), targets, ports));
    await time("built-in, unlimited rate", () => builtinScan(ctx(1_000_000), targets, ports));
    const nmap = findNmap();
    if (nmap) {
      const ips = netns.hostIps;
      const portArg = ports.join(",");
      await time("nmap -sT (default timing)", async () => {
        const { stdout } = await run(nmap, ["-sT", "-Pn", "-n", "-p", portArg, "-oX", "-", ...ips], {
          maxBuffer: 256 * 1024 * 1024,
        });
        return parseNmapXml(stdout).services;
      });
      await time(`nmap -sT, audit arguments (${rate}/s per target)`, async () => {
        const argv = nmapArguments({ timeoutMs: 3000 }, ips, ports, {
          ratePerSecond: rate,
          versionDetection: false,
        });
        const { stdout } = await run(nmap, argv, { maxBuffer: 256 * 1024 * 1024 });
        return parseNmapXml(stdout).services;
      });
      if (!args["skip-version"]) {
        await time(`nmap -sT -sV --version-light, audit engine (${rate}/s per target)`, async () => {
          const result = await scanPorts(ctx(rate), targets, ports, {
            engine: "always",
            ratePerSecond: rate,
          });
          return result.services;
        });
      }
      const builtin = results[0]?.found ?? [];
      const versioned = results.find((r) => r.name.includes("-sV"))?.found;
      if (versioned) {
        let same = 0;
        for (const b of builtin) {
          const n = versioned.find((s) => key(s) === key(b));
          if (n && n.service === b.service) same++;
        }
        console.log(`service names: built-in and nmap -sV agree on ${same} of ${builtin.length} open ports`);
      }
    } else {
      console.log("nmap absent: only the built-in scan was timed");
    }
    await host.stop();
  } finally {
    await netns.destroy();
  }
}

await main();
