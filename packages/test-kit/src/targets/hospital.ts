import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createNetns, type Netns } from "../netns.ts";
import type { HospitalHostInput, HospitalHostReady } from "./hospital-host.ts";

/**
 * The test « hospital » (decision 0012): a network namespace with four hosts — `ns1` (Knot DNS,
 * zone transfer open), `www` (weak nginx), `pacs` (DICOM accepting any AE title, Telnet, RDP) and
 * `vpn` (TLS 1.0, expired certificate) — for the full audit. `extranet.<domain>` points outside
 * the perimeter, to `outsideIp`, a loopback address of the root namespace the test may watch.
 */
export interface Hospital extends HospitalHostReady {
  netns: Netns;
  domain: string;
  /** `AUDIT_DNS_SERVERS`: the hospital's name server. */
  dnsServer: string;
  hosts: { ns: string; www: string; pacs: string; vpn: string };
  /** The perimeter's ranges: one /32 per host. */
  networks: string[];
  /** Every port where something listens. */
  ports: number[];
  /** Root of the private PKI of the `vpn` certificate. */
  rootCaPem: string;
  stop(): Promise<void>;
}

const hostScript = fileURLToPath(new URL("./hospital-host.ts", import.meta.url));

export async function startHospital(options: { domain?: string; outsideIp: string }): Promise<Hospital> {
  const domain = options.domain ?? "hopital.test";
  const netns = await createNetns({ prefix: "hospital", hosts: 4 });
  const [ns, www, pacs, vpn] = netns.hostIps as [string, string, string, string];
  const input: HospitalHostInput = { domain, ns, www, pacs, vpn, outside: options.outsideIp };
  try {
    const child = netns.exec(process.execPath, ["--import", "tsx", hostScript, JSON.stringify(input)], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const ready = await new Promise<HospitalHostReady & { rootCaPem: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("hôpital de test : pas prêt après 60 s")), 60_000);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`hôpital de test : arrêté (code ${code})`));
      });
      lines.on("line", (line) => {
        if (line.startsWith("READY ")) {
          clearTimeout(timer);
          resolve(JSON.parse(line.slice(6)));
        } else if (line.startsWith("FAILED ")) {
          clearTimeout(timer);
          reject(new Error(`hôpital de test : ${line.slice(7)}`));
        }
      });
    });
    const stop = async () => {
      if (child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      }
      await netns.destroy();
    };
    return {
      ...ready,
      netns,
      domain,
      dnsServer: `${ns}:53`,
      hosts: { ns, www, pacs, vpn },
      networks: [ns, www, pacs, vpn].map((ip) => `${ip}/32`),
      ports: [21, 22, 23, 53, 80, 104, 443, 445, 3389, ready.httpPort, ready.httpsPort, ready.vpnPort],
      stop,
    };
  } catch (error) {
    await netns.destroy();
    throw error;
  }
}
