import { createNetns, type Netns, type ServiceHost } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findNmap, scanPorts } from "./index.ts";
import { scanContext } from "./targets.test-helpers.ts";

/** The address after the namespace's last host: in the perimeter, but nobody answers there. */
function unassigned(netns: Netns): string {
  const last = (netns.hostIps.at(-1) as string).split(".").map(Number);
  return [last[0], last[1], last[2], (last[3] as number) + 1].join(".");
}

describe("port scan of hosts inside a network namespace", () => {
  let netns: Netns;
  let host: ServiceHost;

  beforeAll(async () => {
    netns = await createNetns({ prefix: "vports", hosts: 4 });
    const [weak, hardened, , dicom] = netns.hostIps as [string, string, string, string];
    host = await netns.startServiceHost([
      { ip: weak, port: 21, kind: "ftp", banner: "220 ProFTPD 1.3.5 Server (Debian)" },
      { ip: weak, port: 22, kind: "ssh", banner: "SSH-2.0-dropbear_2019.78" },
      { ip: weak, port: 23, kind: "telnet" },
      { ip: weak, port: 80, kind: "http", server: "nginx/1.18.0" },
      { ip: weak, port: 3389, kind: "rdp" },
      { ip: weak, port: 445, kind: "silent" },
      { ip: hardened, port: 443, kind: "https", server: "" },
      { ip: dicom, port: 104, kind: "silent" },
    ]);
  });
  afterAll(async () => {
    await host?.stop();
    await netns?.destroy();
  });

  it("creates the namespace with its hosts, and the scan from the root namespace finds their services", async () => {
    expect(netns.name).toContain(String(process.pid));
    expect(netns.hostIps).toHaveLength(4);
    const ctx = scanContext(netns.subnet, { timeoutMs: 800 });
    const silentAddress = unassigned(netns);
    const started = performance.now();
    const result = await scanPorts(
      ctx,
      [...netns.hostIps.map((ip) => ({ ip })), { ip: silentAddress }],
      [21, 22, 23, 80, 104, 443, 445, 3389, 8443],
      { engine: "never" },
    );
    const found = result.services.map((s) => [
      s.ip,
      s.port,
      s.service,
      s.tls,
      s.product?.product ?? null,
      s.product?.version ?? null,
    ]);
    const [weak, hardened, , dicom] = netns.hostIps as [string, string, string, string];
    expect(found).toEqual([
      [weak, 21, "ftp", false, "proftpd", "1.3.5"],
      [weak, 22, "ssh", false, "dropbear_ssh", "2019.78"],
      [weak, 23, "telnet", false, null, null],
      [weak, 80, "http", false, "nginx", "1.18.0"],
      [weak, 445, "smb", false, null, null],
      [weak, 3389, "rdp", false, null, null],
      [hardened, 443, "https", true, null, null],
      [dicom, 104, "dicom", false, null, null],
    ]);
    // the unassigned address never answered: filtered after the timeout, not reported
    expect(result.services.some((s) => s.ip === silentAddress)).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(800);
  });

  it.skipIf(!findNmap())(
    "nmap finds the same open ports in the namespace",
    async () => {
      const targets = netns.hostIps.map((ip) => ({ ip }));
      const ports = [21, 22, 23, 80, 104, 443, 445, 3389, 8443];
      const [viaNmap, builtin] = await Promise.all([
        scanPorts(scanContext(netns.subnet), targets, ports, { engine: "always", ratePerSecond: 200 }),
        scanPorts(scanContext(netns.subnet), targets, ports, { engine: "never" }),
      ]);
      const open = (r: typeof builtin) => r.services.map((s) => `${s.ip}:${s.port}`);
      expect(open(viaNmap)).toEqual(open(builtin));
      expect(open(builtin)).toHaveLength(8);
    },
    120_000,
  );
});
