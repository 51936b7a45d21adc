import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import net from "node:net";
import path from "node:path";
import { AppError } from "@vigie/contracts";
import { SaxesParser } from "saxes";
import type { OpenService, ScanContext } from "../types.ts";
import { DICOM_PORTS, nvdVendor, PORT_SERVICES, parseHttpServer, type ServiceProduct } from "./banners.ts";
import { sortServices } from "./builtin.ts";

/** The full path of `nmap` on PATH, or null. */
export function findNmap(env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, "nmap");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** nmap's service names → the audit's (keys of `sensitiveServices` where they exist). */
const NMAP_SERVICE_NAMES: Record<string, { service: string; tls?: boolean }> = {
  "ms-wbt-server": { service: "rdp" },
  "microsoft-ds": { service: "smb" },
  "netbios-ssn": { service: "netbios" },
  "ms-sql-s": { service: "mssql" },
  "oracle-tns": { service: "oracle" },
  oracle: { service: "oracle" },
  mongod: { service: "mongodb" },
  mongodb: { service: "mongodb" },
  mysql: { service: "mysql" },
  postgresql: { service: "postgresql" },
  redis: { service: "redis" },
  vnc: { service: "vnc" },
  "vnc-http": { service: "vnc" },
  telnet: { service: "telnet" },
  ftp: { service: "ftp" },
  ftps: { service: "ftp", tls: true },
  ssh: { service: "ssh" },
  smtp: { service: "smtp" },
  submission: { service: "smtp" },
  smtps: { service: "smtp", tls: true },
  submissions: { service: "smtp", tls: true },
  pop3: { service: "pop3" },
  pop3s: { service: "pop3", tls: true },
  imap: { service: "imap" },
  imaps: { service: "imap", tls: true },
  http: { service: "http" },
  "http-alt": { service: "http" },
  "http-proxy": { service: "http" },
  "http-mgmt": { service: "http" },
  "https-alt": { service: "https", tls: true },
  https: { service: "https", tls: true },
  ldap: { service: "ldap" },
  ldaps: { service: "ldap", tls: true },
  globalcatLDAP: { service: "ldap" },
  globalcatLDAPssl: { service: "ldap", tls: true },
  wsman: { service: "winrm" },
  wsmans: { service: "winrm", tls: true },
  dicom: { service: "dicom" },
  "acr-nema": { service: "dicom" },
  snmp: { service: "snmp" },
  couchdb: { service: "couchdb" },
  "wap-wsp": { service: "elasticsearch" },
  elasticsearch: { service: "elasticsearch" },
  memcache: { service: "memcached" },
  msrpc: { service: "msrpc" },
  domain: { service: "domain" },
};

/** One `<port>` of nmap's XML as read. */
interface NmapPort {
  ip: string;
  port: number;
  protocol: string;
  state: string;
  name?: string;
  product?: string;
  version?: string;
  extrainfo?: string;
  tunnel?: string;
  method?: string;
  cpes: string[];
}

/** `cpe:/a:openbsd:openssh:9.2p1` → vendor, product, version (NVD vendor names). */
function productFromCpe(cpe: string, fallbackVersion?: string): ServiceProduct | undefined {
  const m = /^cpe:\/a:([^:]+):([^:]+)(?::([^:]+))?/.exec(cpe);
  if (!m) return undefined;
  const rawVendor = decodeURIComponent(m[1] as string).toLowerCase();
  const product = decodeURIComponent(m[2] as string).toLowerCase();
  let version = m[3] ? decodeURIComponent(m[3]) : fallbackVersion;
  // MariaDB announces itself as `5.5.5-10.11.6-MariaDB-…` to old MySQL clients
  const maria = version ? /^(?:5\.5\.5-)?(\d+\.\d+\.\d+)-mariadb/i.exec(version) : null;
  if (maria) version = maria[1];
  const vendor = nvdVendor(rawVendor, product);
  return version ? { vendor, product, version } : { vendor, product };
}

/** Names nmap gives products without a CPE, as CPE vendor and product. */
function productFromName(name: string, version?: string): ServiceProduct {
  const http = parseHttpServer(
    `${name.replace(/ httpd$/i, "").replace(/\s+/g, "-")}${version ? `/${version}` : ""}`,
  );
  if (http) return http;
  const product = name
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return version ? { product, version } : { product };
}

/** One open port of nmap's report as an OpenService. */
function toOpenService(p: NmapPort): OpenService {
  const tunnelled = p.tunnel === "ssl";
  const guessed = p.method === "table" || !p.name || p.name === "unknown" || p.name === "tcpwrapped";
  const mapped = p.name ? NMAP_SERVICE_NAMES[p.name] : undefined;
  let service: string | null;
  let tls = tunnelled;
  if (guessed) {
    // nmap only looked the port up in its table: same fallback as the built-in engine
    service = DICOM_PORTS.has(p.port) ? "dicom" : (PORT_SERVICES[p.port] ?? mapped?.service ?? null);
  } else {
    service = mapped?.service ?? p.name ?? null;
    if (mapped?.tls) tls = true;
  }
  if (tls && service === "http") service = "https";
  if (service === "http" && (p.port === 5985 || p.port === 5986) && /HTTPAPI/i.test(p.product ?? "")) {
    service = "winrm";
  }
  if (/elasticsearch/i.test(p.product ?? "")) service = "elasticsearch";
  const version = p.version?.split(/\s+/)[0];
  const cpe = p.cpes.find((c) => c.startsWith("cpe:/a:"));
  let product = cpe ? productFromCpe(cpe, version) : undefined;
  // without a CPE, a bare name ("VNC") says nothing more than the service
  if (!product && p.product && (version || parseHttpServer(p.product.replace(/ httpd$/i, "")))) {
    product = productFromName(p.product, version);
  }
  const banner = [p.product, p.version, p.extrainfo ? `(${p.extrainfo})` : undefined]
    .filter(Boolean)
    .join(" ");
  return {
    ip: p.ip,
    port: p.port,
    transport: p.protocol === "udp" ? "udp" : "tcp",
    service,
    tls,
    ...(banner ? { banner } : {}),
    ...(product ? { product } : {}),
  };
}

/** Parses nmap's XML report (`-oX`): its version and the open ports with their services. */
export function parseNmapXml(xml: string): { version?: string; services: OpenService[] } {
  const parser = new SaxesParser();
  const services: OpenService[] = [];
  let version: string | undefined;
  let ip: string | undefined;
  let current: NmapPort | null = null;
  let inCpe = false;
  let cpeText = "";
  parser.on("opentag", (tag) => {
    const a = tag.attributes as Record<string, string>;
    switch (tag.name) {
      case "nmaprun":
        version = a.version;
        break;
      case "host":
        ip = undefined;
        break;
      case "address":
        if (a.addrtype === "ipv4" || a.addrtype === "ipv6") ip = a.addr;
        break;
      case "port":
        current = {
          ip: ip ?? "",
          port: Number(a.portid),
          protocol: a.protocol ?? "tcp",
          state: "",
          cpes: [],
        };
        break;
      case "state":
        if (current) current.state = a.state ?? "";
        break;
      case "service":
        if (current) {
          current.name = a.name;
          current.product = a.product;
          current.version = a.version;
          current.extrainfo = a.extrainfo;
          current.tunnel = a.tunnel;
          current.method = a.method;
        }
        break;
      case "cpe":
        inCpe = true;
        cpeText = "";
        break;
    }
  });
  parser.on("text", (text) => {
    if (inCpe) cpeText += text;
  });
  parser.on("closetag", (tag) => {
    if (tag.name === "cpe") {
      inCpe = false;
      current?.cpes.push(cpeText.trim());
    } else if (tag.name === "port" && current) {
      if (current.state === "open" && current.ip) services.push(toOpenService(current));
      current = null;
    }
  });
  parser.write(xml).close();
  return version ? { version, services } : { services };
}

/** Options of one nmap run. */
export interface NmapRunOptions {
  /** New connections per second to one target (AUDIT_RATE_PER_SECOND). */
  ratePerSecond: number;
  /** Service detection (-sV --version-light); true by default. */
  versionDetection?: boolean;
}

/** Compact `-p` argument: `22,80,8000-8010`. */
export function portArgument(ports: readonly number[]): string {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i] as number;
    let end = start;
    while (sorted[i + 1] === end + 1) {
      end++;
      i++;
    }
    parts.push(end > start ? `${start}-${end}` : `${start}`);
  }
  return parts.join(",");
}

/** nmap's arguments for a connect scan of `ips` (one address family). */
export function nmapArguments(
  ctx: Pick<ScanContext, "timeoutMs">,
  ips: readonly string[],
  ports: readonly number[],
  options: NmapRunOptions,
): string[] {
  const rate = Math.max(1, options.ratePerSecond);
  const delayMs = Math.floor(1000 / rate);
  const hostTimeoutMs = Math.max(120_000, Math.ceil((ports.length * 1000) / rate) * 3 + 60_000);
  return [
    "-sT",
    "-Pn",
    "-n",
    ...(options.versionDetection === false ? [] : ["-sV", "--version-light"]),
    ...(ips.some((ip) => net.isIPv6(ip)) ? ["-6"] : []),
    "-p",
    portArgument(ports),
    // per target: one probe every 1/rate s; overall: the same rate times the number of targets
    ...(delayMs >= 1 ? ["--scan-delay", `${delayMs}ms`] : []),
    "--max-rate",
    String(rate * ips.length),
    "--max-retries",
    "1",
    "--max-rtt-timeout",
    `${ctx.timeoutMs}ms`,
    "--host-timeout",
    `${hostTimeoutMs}ms`,
    "-oX",
    "-",
    ...ips,
  ];
}

/** Runs nmap and returns its XML report; rejects in French when it fails. */
function runNmap(binary: string, args: string[], signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"], ...(signal ? { signal } : {}) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => {
      if (signal?.aborted) reject(signal.reason);
      else reject(new Error(`Échec du lancement de nmap : ${error.message}`, { cause: error }));
    });
    child.on("close", (code) => {
      if (signal?.aborted) return reject(signal.reason);
      if (code !== 0) {
        const message = Buffer.concat(err).toString("utf8").trim().slice(0, 500);
        return reject(new Error(`nmap a échoué (code ${code}) : ${message || "aucun message"}`));
      }
      resolve(Buffer.concat(out).toString("utf8"));
    });
  });
}

/**
 * Scan by nmap (connect scan, light version detection): the targets are checked against the
 * perimeter first; IPv4 and IPv6 addresses are scanned in separate runs.
 */
export async function nmapScan(
  ctx: ScanContext,
  targets: readonly { ip: string; host?: string }[],
  ports: readonly number[],
  options: NmapRunOptions,
): Promise<{ version?: string; services: OpenService[] }> {
  const binary = findNmap();
  if (!binary) {
    throw new AppError("SERVICE_UNAVAILABLE", {
      message:
        "nmap est introuvable sur cette machine alors que AUDIT_NMAP vaut « always » : installez nmap ou choisissez « auto » ou « never ».",
    });
  }
  const hosts = new Map<string, string | undefined>();
  for (const target of targets) {
    ctx.guard.assertIp(target.ip);
    if (!hosts.has(target.ip) || (!hosts.get(target.ip) && target.host)) hosts.set(target.ip, target.host);
  }
  const all = [...hosts.keys()];
  const families = [all.filter((ip) => !net.isIPv6(ip)), all.filter((ip) => net.isIPv6(ip))];
  const services: OpenService[] = [];
  let version: string | undefined;
  for (const ips of families) {
    if (ips.length === 0 || ports.length === 0) continue;
    const xml = await runNmap(binary, nmapArguments(ctx, ips, ports, options), ctx.signal);
    const report = parseNmapXml(xml);
    version ??= report.version;
    for (const service of report.services) {
      const host = hosts.get(service.ip);
      services.push(host ? { ...service, host } : service);
    }
  }
  return version ? { version, services: sortServices(services) } : { services: sortServices(services) };
}
