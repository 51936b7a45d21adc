import { generateKeyPairSync } from "node:crypto";
import type { MailControl } from "@vigie/contracts";
import { sensitiveServices } from "@vigie/contracts";
import {
  type Executor,
  exposureAuditsRepo,
  mailSecurityRepo,
  type StructureRow,
  structuresRepo,
  usersRepo,
} from "@vigie/db";
import type { Actor } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { actorForUser } from "../auth/resolve-session.ts";
import { updateStructure } from "../directory/update-structure.ts";
import {
  authorisePerimeter,
  parisToday,
  savePerimeter,
  submitPerimeter,
} from "../exposure-audits/perimeter.ts";
import { type AuditRunConfig, runDueAudits } from "../exposure-audits/run-audit.ts";
import type { DnsAnswer, DnsRecordType, DnsResponse } from "../exposure-audits/scan/dns/dns-client.ts";
import {
  danglingCnameFinding,
  missingCaaFinding,
  outOfPerimeterFinding,
  rdapUnavailableFinding,
  zoneTransferFinding,
} from "../exposure-audits/scan/dns/findings.ts";
import type { HttpOrigin } from "../exposure-audits/scan/http/client.ts";
import { urlOf } from "../exposure-audits/scan/http/client.ts";
import { httpFinding } from "../exposure-audits/scan/http/finding.ts";
import { httpsRedirectFinding, securityHeaderFindings } from "../exposure-audits/scan/http/headers.ts";
import {
  gitConfigSignature,
  gitHeadSignature,
  SENSITIVE_FILES,
} from "../exposure-audits/scan/http/sensitive-files.ts";
import { productsOfAnswer } from "../exposure-audits/scan/http/versions.ts";
import { PerimeterGuard } from "../exposure-audits/scan/perimeter-guard.ts";
import type { AuditPhases, ResolvedHost } from "../exposure-audits/scan/phases.ts";
import { sensitiveServiceRules } from "../exposure-audits/scan/services/catalogue.ts";
import { DEFAULT_CALLED_AE, DEFAULT_CALLING_AE } from "../exposure-audits/scan/services/dicom.ts";
import { TargetLimiter } from "../exposure-audits/scan/target-limiter.ts";
import type {
  DetectedProduct,
  OpenService,
  ScanContext,
  ScanFinding,
} from "../exposure-audits/scan/types.ts";
import { launchAuditNow } from "../exposure-audits/schedule.ts";
import { reportFilteringArrivals, type StoredBatteryMessage } from "../mail-security/campaigns.ts";
import { buildFilteringBattery } from "../mail-security/filtering/battery.ts";
import { control, PostureDns } from "../mail-security/posture/common.ts";
import { dkimControls } from "../mail-security/posture/dkim.ts";
import { dmarcControls } from "../mail-security/posture/dmarc.ts";
import { dnssecControls } from "../mail-security/posture/dnssec.ts";
import { mtaStsControls, tlsRptControls } from "../mail-security/posture/mta-sts.ts";
import { spfControls } from "../mail-security/posture/spf.ts";
import { assertStructureDomain, assertStructureMailbox, mailScopeOf } from "../mail-security/scope.ts";
import { DEMO_ACCOUNTS } from "./demo-accounts.ts";
import { seedDemoAssets } from "./demo-assets.ts";

/**
 * The audits of Internet exposure and the mail security test in the demo, WITHOUT any network
 * activity: nothing is resolved, nothing is contacted. Everything goes through the real use cases
 * (perimeter saved and submitted by the structure, authorised by the CERT, audits launched and run
 * by `runDueAudits` with their findings turned into watch tickets, the report built from them),
 * but every phase of the scan is replaced by a recorded result (`recordedPhases`): the findings
 * are those the probes produce, built with their own builders where they are exported, copied
 * otherwise.
 *
 * - CHU Grenoble Alpes (the demo declarant's hospital): two audits two months apart, so the
 *   report shows what is new, still present and fixed; the authorisation ran until yesterday, and
 *   a renewal of the perimeter waits for the CERT's review. A mail posture test of its domain and
 *   a filtering campaign whose arrivals the structure reported.
 * - CH de La Mure, in the same GHT: one audit.
 * The authorisations have expired: no audit is ever scheduled by the demo.
 */

/** What the audits' demo seeding did. */
export interface AuditsDemoReport {
  /** Exposed assets of the demo structures declared before the audits (`seedDemoAssets`). */
  assetsDeclared: number;
  /** Audits run (0 when the demo perimeters were already there). */
  auditsRun: number;
  /** Watch tickets opened or reopened by those audits. */
  ticketsOpened: number;
  mailTests: number;
  filteringCampaigns: number;
}

const ACTOR_LABEL = "système (données de démonstration)";
const DAY = 86_400_000;
const MINUTE = 60_000;

/** The demo's GHT (Alpes Dauphiné, around the CHU Grenoble Alpes): a demo code. */
export const DEMO_GHT_CODE = "ARA-07";

export const DEMO_AUDITED = {
  grenoble: {
    finess: "380000067",
    domain: "chu-demo.test",
    networks: ["203.0.113.0/26"],
    /** Added by the renewal waiting for the CERT. */
    renewalNetwork: "2001:db8:3800::/64",
    filteringMailbox: "test-filtrage@chu-demo.test",
  },
  laMure: { finess: "380000026", domain: "ch-lamure-demo.test", networks: ["192.0.2.128/27"] },
  /** Another hospital of the GHT, not audited. */
  voiron: { finess: "380000406" },
} as const;

/** Days before `now` of each step. */
export const DEMO_AUDIT_DAYS = { grenobleFirst: 120, grenobleSecond: 59, laMure: 95 } as const;

/** The configuration of the demo's audits (nothing is contacted, only written in the report). */
export const DEMO_AUDIT_CONFIG: AuditRunConfig = {
  AUDIT_DNS_SERVERS: [],
  auditUserAgent: "VigieScanner/1.0 (+http://localhost:3000/audits/scanner)",
  AUDIT_RATE_PER_SECOND: 50,
  AUDIT_TIMEOUT_MS: 3000,
  AUDIT_NMAP: "auto",
  AUDIT_PORTS: "default",
  AUDIT_RDAP_URL: undefined,
};

// ---------------------------------------------------------------------------------------------
// Recorded scans

/** What every phase of one audit returns, as recorded. */
export interface RecordedScan {
  hosts: ResolvedHost[];
  outOfPerimeter: { name: string; ip: string }[];
  passiveFindings: ScanFinding[];
  services: OpenService[];
  serviceFindings: ScanFinding[];
  tlsFindings: ScanFinding[];
  httpFindings: ScanFinding[];
  products: DetectedProduct[];
}

/**
 * Every phase of an audit replaced by a recorded result: the probes' entry functions are never
 * called, so nothing is resolved or contacted. Each recorded address is still checked against
 * the authorisation's guard, as a probe would before connecting.
 */
export function recordedPhases(scan: RecordedScan): AuditPhases {
  const inPerimeter = (ctx: ScanContext, services: readonly OpenService[]) => {
    for (const s of services) ctx.guard.assertIp(s.ip);
  };
  return {
    passive: async () => ({
      hosts: scan.hosts.map((h) => ({ ...h, ips: [...h.ips] })),
      outOfPerimeter: [...scan.outOfPerimeter],
      findings: [...scan.passiveFindings],
    }),
    ports: async (ctx) => {
      inPerimeter(ctx, scan.services);
      return { engine: "builtin", services: scan.services.map((s) => ({ ...s })) };
    },
    services: async (ctx, services) => {
      inPerimeter(ctx, services);
      return { findings: [...scan.serviceFindings], services };
    },
    tls: async (ctx, services) => {
      inPerimeter(ctx, services);
      return { findings: [...scan.tlsFindings] };
    },
    http: async (ctx, services) => {
      inPerimeter(ctx, services);
      return { findings: [...scan.httpFindings], products: [...scan.products] };
    },
  };
}

/** As `services/index.ts` words an exposed sensitive service. */
function serviceFinding(
  service: OpenService,
  name: "rdp" | "dicom" | "ftp",
  evidence: string,
  overrides: { severity?: ScanFinding["severity"]; title?: string } = {},
): ScanFinding {
  const rule = sensitiveServiceRules[name];
  const where = `${service.host ? `${service.host} (${service.ip})` : service.ip}, port ${service.port}/${service.transport}`;
  return {
    check: `service.${name}`,
    category: "service",
    severity: overrides.severity ?? rule.severity,
    title: overrides.title ?? `Service sensible exposé sur Internet : ${sensitiveServices[name].label}`,
    evidence: `${where} : ${evidence}. ${rule.risk}`,
    remediation: rule.remediation,
    target: {
      ip: service.ip,
      port: service.port,
      transport: service.transport,
      service: name,
      ...(service.host ? { host: service.host } : {}),
    },
  };
}

/** As `tls/index.ts` words its findings on one service. */
function tlsFinding(
  service: OpenService,
  check: string,
  severity: ScanFinding["severity"],
  title: string,
  evidence: string,
  remediation: string,
): ScanFinding {
  return {
    check,
    category: "tls",
    severity,
    title,
    evidence,
    remediation,
    target: {
      ...(service.host ? { host: service.host } : {}),
      ip: service.ip,
      port: service.port,
      transport: "tcp",
      service: service.service ?? "tls",
    },
  };
}

const placeOf = (s: OpenService) => `${s.host ?? s.ip}:${s.port}`;

function oldProtocolFindings(
  service: OpenService,
  labels: readonly ("TLS 1.0" | "TLS 1.1")[],
): ScanFinding[] {
  return labels.map((label) =>
    tlsFinding(
      service,
      `tls.protocol.${label === "TLS 1.0" ? "tls1_0" : "tls1_1"}`,
      "medium",
      `Protocole obsolète ${label} accepté`,
      `Le service ${placeOf(service)} accepte une connexion en ${label}.`,
      `Désactiver ${label} (obsolète depuis la RFC 8996) : n'accepter que TLS 1.2 et TLS 1.3.`,
    ),
  );
}

function noTls13Finding(service: OpenService): ScanFinding {
  return tlsFinding(
    service,
    "tls.protocol.no_tls1_3",
    "info",
    "TLS 1.3 non pris en charge",
    `Le service ${placeOf(service)} accepte TLS 1.2 mais pas TLS 1.3.`,
    "Activer TLS 1.3 lors de la prochaine mise à jour du serveur ou de l'équipement.",
  );
}

function expiredCertificateFinding(service: OpenService, notAfter: Date, at: Date): ScanFinding {
  const days = Math.floor((at.getTime() - notAfter.getTime()) / DAY);
  return tlsFinding(
    service,
    "tls.cert.expired",
    "high",
    "Certificat expiré",
    `Le certificat « CN=${service.host} » présenté par ${placeOf(service)} a expiré le ${notAfter.toISOString().slice(0, 10)} (il y a ${days} jour(s)).`,
    "Renouveler le certificat et l'installer sur le service ; automatiser le renouvellement (ACME).",
  );
}

/** As `http/index.ts` words the versions a web server discloses. */
function versionFinding(origin: HttpOrigin, headers: Record<string, string>): ScanFinding[] {
  const products = productsOfAnswer(headers, "").filter((p) => p.version);
  if (products.length === 0) return [];
  const evidence = [...new Set(products.map((p) => p.evidence))].join(" ; ");
  const names = products.map((p) => `${p.product} ${p.version}`).join(", ");
  return [
    httpFinding(
      origin,
      "http.version_disclosure",
      "low",
      "Versions de logiciels divulguées par le serveur web",
      `${urlOf(origin, "/")} annonce ${names} — ${evidence}.`,
      "Masquer les versions dans les bannières (nginx : server_tokens off ; Apache : ServerTokens Prod et ServerSignature Off ; PHP : expose_php = Off ; IIS : retirer X-Powered-By et X-AspNet-Version) et surtout maintenir ces logiciels à jour.",
    ),
  ];
}

/** The versioned products of an answer, as the HTTP phase hands them to the watch. */
function productsOf(
  service: OpenService,
  origin: HttpOrigin,
  headers: Record<string, string>,
): DetectedProduct[] {
  return productsOfAnswer(headers, "")
    .filter((p) => p.version)
    .map((p) => ({
      ...(p.vendor ? { vendor: p.vendor } : {}),
      product: p.product,
      ...(p.version ? { version: p.version } : {}),
      ...(p.cpe ? { cpe: p.cpe } : {}),
      host: service.host ?? service.ip,
      port: service.port,
      evidence: `${urlOf(origin, "/")} — ${p.evidence}`,
    }));
}

function securityTxtMissing(origin: HttpOrigin): ScanFinding {
  return httpFinding(
    origin,
    "http.security_txt.missing",
    "low",
    "Fichier security.txt absent",
    `GET ${urlOf(origin, "/.well-known/security.txt")} → 404.`,
    "Publier /.well-known/security.txt (RFC 9116) avec au moins un champ Contact (adresse de signalement) et un champ Expires à moins d'un an, servi en text/plain sur HTTPS.",
  );
}

function sensitiveFileFinding(
  origin: HttpOrigin,
  check: string,
  body: string,
  seen: string | null,
): ScanFinding {
  const file = SENSITIVE_FILES.find((f) => f.check === check);
  if (!file || !seen) throw new Error(`Fichier sensible inconnu : ${check}`);
  return httpFinding(
    origin,
    file.check,
    file.severity,
    file.title,
    `GET ${urlOf(origin, file.path)} → 200 (text/plain, ${Buffer.byteLength(body)} octets lus) : ${seen}.`,
    file.remediation,
  );
}

const originOf = (s: OpenService): HttpOrigin => ({
  ip: s.ip,
  ...(s.host ? { host: s.host } : {}),
  port: s.port,
  tls: s.tls,
});

/**
 * The CHU's exposure as the audit of `round` saw it. The second audit, two months later: the Git
 * repository was removed from the web site and TLS 1.0/1.1 disabled on the remote-access portal,
 * but an alias to a closed survey service now dangles.
 */
export function grenobleScan(round: 1 | 2, at: Date, certificateExpiredOn: Date): RecordedScan {
  const d = DEMO_AUDITED.grenoble.domain;
  const ip = {
    ns1: "203.0.113.2",
    acces: "203.0.113.10",
    rdp: "203.0.113.20",
    webmail: "203.0.113.25",
    mx: "203.0.113.26",
    www: "203.0.113.30",
    pacs: "203.0.113.40",
  };
  const outside = { name: `rdv.${d}`, ip: "192.0.2.200" };
  const hosts: ResolvedHost[] = [
    { name: `acces.${d}`, ips: [ip.acces], inPerimeter: true },
    { name: d, ips: [ip.www], inPerimeter: true },
    { name: `mail.${d}`, ips: [ip.mx], inPerimeter: true },
    { name: `ns1.${d}`, ips: [ip.ns1], inPerimeter: true },
    { name: outside.name, ips: [outside.ip], inPerimeter: false },
    { name: `webmail.${d}`, ips: [ip.webmail], inPerimeter: true },
    { name: `www.${d}`, ips: [ip.www], inPerimeter: true },
  ];
  const svc = {
    dns: {
      ip: ip.ns1,
      host: `ns1.${d}`,
      port: 53,
      transport: "tcp",
      service: "domain",
      tls: false,
      product: { vendor: "ISC", product: "BIND", version: "9.11.5" },
    },
    accesHttp: { ip: ip.acces, host: `acces.${d}`, port: 80, transport: "tcp", service: "http", tls: false },
    acces: {
      ip: ip.acces,
      host: `acces.${d}`,
      port: 443,
      transport: "tcp",
      service: "https",
      tls: true,
      product: { vendor: "Citrix", product: "NetScaler ADC", version: "13.1-49.14" },
    },
    rdp: {
      ip: ip.rdp,
      port: 3389,
      transport: "tcp",
      service: "rdp",
      tls: false,
      product: { vendor: "Microsoft", product: "Terminal Services" },
    },
    webmail: {
      ip: ip.webmail,
      host: `webmail.${d}`,
      port: 443,
      transport: "tcp",
      service: "https",
      tls: true,
    },
    smtp: {
      ip: ip.mx,
      host: `mail.${d}`,
      port: 25,
      transport: "tcp",
      service: "smtp",
      tls: false,
      banner: `220 mail.${d} ESMTP Postfix`,
      product: { product: "Postfix smtpd" },
    },
    wwwHttp: { ip: ip.www, host: `www.${d}`, port: 80, transport: "tcp", service: "http", tls: false },
    www: { ip: ip.www, host: `www.${d}`, port: 443, transport: "tcp", service: "https", tls: true },
    pacs: { ip: ip.pacs, port: 104, transport: "tcp", service: "dicom", tls: false },
  } satisfies Record<string, OpenService>;

  const passiveFindings = [
    zoneTransferFinding(d, [
      {
        ns: `ns1.${d}`,
        ip: ip.ns1,
        outcome: "allowed",
        detail: round === 1 ? "42 enregistrements" : "45 enregistrements",
      },
    ]),
    missingCaaFinding(d, [d]),
    outOfPerimeterFinding(d, [outside]),
    rdapUnavailableFinding(d, "aucun service RDAP n'est configuré (AUDIT_RDAP_URL)"),
  ];
  if (round === 2) {
    passiveFindings.push(
      danglingCnameFinding(d, `enquetes.${d}`, {
        status: "nxdomain",
        ips: [],
        chain: ["chu-demo-enquetes.sondages.example"],
        last: "chu-demo-enquetes.sondages.example",
        rcode: "NXDOMAIN",
      }),
    );
  }

  const serviceFindings = [
    serviceFinding(
      svc.rdp,
      "rdp",
      "service identifié « rdp » par l'analyse des ports ; produit Microsoft Terminal Services",
    ),
    serviceFinding(
      svc.pacs,
      "dicom",
      `association DICOM acceptée avec un titre AE appelé « ${DEFAULT_CALLED_AE} » (quelconque), titre appelant « ${DEFAULT_CALLING_AE} », C-ECHO réussi (statut 0000) ; version d'implémentation « OFFIS_DCMTK_365 » (UID de classe d'implémentation 1.2.276.0.7230010.3.0.3.6.5) : le service accepte n'importe quel correspondant`,
      { severity: "critical", title: "Service DICOM exposé acceptant toute association (C-ECHO réussi)" },
    ),
  ];

  const tlsFindings = [
    ...(round === 1 ? oldProtocolFindings(svc.acces, ["TLS 1.0", "TLS 1.1"]) : []),
    noTls13Finding(svc.acces),
    expiredCertificateFinding(svc.acces, certificateExpiredOn, at),
    noTls13Finding(svc.webmail),
  ];

  const accesHeaders = {
    "strict-transport-security": "max-age=31536000",
    "x-frame-options": "SAMEORIGIN",
    "x-content-type-options": "nosniff",
  };
  const webmailHeaders = {
    server: "Microsoft-IIS/10.0",
    "x-powered-by": "ASP.NET",
    "x-frame-options": "SAMEORIGIN",
    "x-content-type-options": "nosniff",
  };
  const wwwHeaders = {
    server: "nginx/1.18.0",
    "strict-transport-security": "max-age=31536000; includeSubDomains",
    "x-frame-options": "SAMEORIGIN",
  };
  const www = originOf(svc.www);
  const gitHead = "ref: refs/heads/main\n";
  const gitConfig =
    '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n[remote "origin"]\n\turl = https://forge.chu-demo.test/web/site.git\n';
  const httpFindings = [
    ...securityHeaderFindings(originOf(svc.acces), accesHeaders, "/logon/LogonPoint/index.html"),
    ...securityHeaderFindings(originOf(svc.webmail), webmailHeaders, "/owa/auth/logon.aspx"),
    ...versionFinding(originOf(svc.webmail), webmailHeaders),
    ...securityHeaderFindings(www, wwwHeaders, "/"),
    ...versionFinding(www, wwwHeaders),
    securityTxtMissing(www),
    ...(round === 1
      ? [
          sensitiveFileFinding(www, "http.file.git_head", gitHead, gitHeadSignature(gitHead)),
          sensitiveFileFinding(www, "http.file.git_config", gitConfig, gitConfigSignature(gitConfig)),
        ]
      : []),
  ];
  return {
    hosts,
    outOfPerimeter: [outside],
    passiveFindings,
    services: Object.values(svc),
    serviceFindings,
    tlsFindings,
    httpFindings,
    products: [
      ...productsOf(svc.webmail, originOf(svc.webmail), webmailHeaders),
      ...productsOf(svc.www, www, wwwHeaders),
    ],
  };
}

/** The CH de La Mure: a web site in plain HTTP on an old Apache, an FTP server, a FortiGate VPN. */
export function laMureScan(): RecordedScan {
  const d = DEMO_AUDITED.laMure.domain;
  const ip = { www: "192.0.2.130", vpn: "192.0.2.131", ftp: "192.0.2.140" };
  const svc = {
    www: { ip: ip.www, host: `www.${d}`, port: 80, transport: "tcp", service: "http", tls: false },
    vpn: {
      ip: ip.vpn,
      host: `vpn.${d}`,
      port: 443,
      transport: "tcp",
      service: "https",
      tls: true,
      product: { vendor: "Fortinet", product: "FortiGate SSL VPN" },
    },
    ftp: {
      ip: ip.ftp,
      host: `ftp.${d}`,
      port: 21,
      transport: "tcp",
      service: "ftp",
      tls: false,
      banner: "220 (vsFTPd 3.0.3)",
      product: { product: "vsftpd", version: "3.0.3" },
    },
  } satisfies Record<string, OpenService>;
  const www = originOf(svc.www);
  const wwwHeaders = { server: "Apache/2.4.38 (Debian)" };
  return {
    hosts: [
      { name: d, ips: [ip.www], inPerimeter: true },
      { name: `ftp.${d}`, ips: [ip.ftp], inPerimeter: true },
      { name: `vpn.${d}`, ips: [ip.vpn], inPerimeter: true },
      { name: `www.${d}`, ips: [ip.www], inPerimeter: true },
    ],
    outOfPerimeter: [],
    passiveFindings: [
      missingCaaFinding(d, [d]),
      rdapUnavailableFinding(d, "aucun service RDAP n'est configuré (AUDIT_RDAP_URL)"),
    ],
    services: Object.values(svc),
    serviceFindings: [
      serviceFinding(
        svc.ftp,
        "ftp",
        "service identifié « ftp » par l'analyse des ports ; produit vsftpd 3.0.3 ; bannière « 220 (vsFTPd 3.0.3) »",
      ),
    ],
    tlsFindings: [],
    httpFindings: [
      httpsRedirectFinding(www, { status: 200, headers: wwwHeaders, body: Buffer.alloc(0), path: "/" }),
      ...securityHeaderFindings(www, wwwHeaders, "/"),
      ...versionFinding(www, wwwHeaders),
      securityTxtMissing(www),
    ],
    products: productsOf(svc.www, www, wwwHeaders),
  };
}

// ---------------------------------------------------------------------------------------------
// Recorded mail posture

/** A context that can reach nothing: no range, a documentation resolver that is never asked. */
function offlineContext(domain: string): ScanContext {
  return {
    guard: new PerimeterGuard([domain], []),
    limiter: new TargetLimiter(1),
    userAgent: DEMO_AUDIT_CONFIG.auditUserAgent,
    dnsServers: ["192.0.2.53"],
    timeoutMs: 1,
    allowDefaultCredentials: false,
  };
}

/** A date as X.509 `validTo` prints it (`Mar  5 12:00:00 2026 GMT`). */
function x509Date(date: Date): string {
  const month = date.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  const day = String(date.getUTCDate()).padStart(2, " ");
  return `${month} ${day} ${date.toISOString().slice(11, 19)} ${date.getUTCFullYear()} GMT`;
}

/** The posture test's DNS answering from recorded records only: never a query on the network. */
class RecordedPostureDns extends PostureDns {
  readonly #records: Map<string, DnsAnswer[]>;

  constructor(ctx: ScanContext, records: Map<string, DnsAnswer[]>) {
    super(ctx);
    this.#records = records;
  }

  override async query(name: string, type: DnsRecordType): Promise<DnsResponse> {
    const answers = this.#records.get(`${name.toLowerCase()}|${type}`) ?? [];
    return {
      rcode: "NOERROR",
      authoritative: false,
      authenticated: false,
      answers,
      authorities: [],
      additionals: [],
    };
  }
}

/**
 * The mail posture of the CHU's domain, as `testMailPosture` returns it: SPF, DKIM, DMARC,
 * MTA-STS, TLS-RPT and DNSSEC from the real control builders reading recorded DNS records (a
 * softfail SPF, a 1024-bit DKIM key, DMARC at p=none, no MTA-STS nor TLS-RPT, an unsigned zone);
 * the STARTTLS controls of its MX as `mx-tls.ts` words them.
 */
export async function recordedMailControls(domain: string, at: Date): Promise<MailControl[]> {
  const ctx = offlineContext(domain);
  const mx = `mail.${domain}`;
  const dkimKey = generateKeyPairSync("rsa", {
    modulusLength: 1024,
    publicKeyEncoding: { type: "spki", format: "der" },
    privateKeyEncoding: { type: "pkcs8", format: "der" },
  }).publicKey.toString("base64");
  const txt = (name: string, data: string): DnsAnswer => ({ type: "TXT", name, data: [data] }) as DnsAnswer;
  const records = new Map<string, DnsAnswer[]>([
    [`${domain}|TXT`, [txt(domain, "v=spf1 mx ip4:203.0.113.26 include:_spf.messagerie-demo.example ~all")]],
    [
      "_spf.messagerie-demo.example|TXT",
      [txt("_spf.messagerie-demo.example", "v=spf1 ip4:192.0.2.96/28 -all")],
    ],
    [`${domain}|MX`, [{ type: "MX", name: domain, data: { preference: 10, exchange: mx } } as DnsAnswer]],
    [
      `selector1._domainkey.${domain}|TXT`,
      [txt(`selector1._domainkey.${domain}`, `v=DKIM1; k=rsa; p=${dkimKey}`)],
    ],
    [`_dmarc.${domain}|TXT`, [txt(`_dmarc.${domain}`, `v=DMARC1; p=none; rua=mailto:dmarc@${domain}; fo=1`)]],
    [`${mx}|A`, [{ type: "A", name: mx, data: "203.0.113.26" } as DnsAnswer]],
  ]);
  const dns = new RecordedPostureDns(ctx, records);
  const [spf, dkim, dmarc, dnssec, tlsRpt] = await Promise.all([
    spfControls(dns, domain),
    dkimControls(dns, domain),
    dmarcControls(dns, domain),
    dnssecControls(dns, domain),
    tlsRptControls(dns, domain),
  ]);
  // no `_mta-sts` record: the builder answers from DNS alone
  const mtaSts = await mtaStsControls(ctx, dns, domain, [mx]);
  const where = `${mx} (203.0.113.26:25)`;
  const certificateEnd = x509Date(new Date(at.getTime() + 71 * DAY));
  const mxTls: MailControl[] = [
    control(
      `starttls.offered.${mx}`,
      "starttls",
      "pass",
      `STARTTLS proposé par ${mx}`,
      "Les messages peuvent vous être remis chiffrés.",
      where,
    ),
    control(
      `starttls.version.${mx}`,
      "starttls",
      "pass",
      `${mx} négocie TLSv1.2`,
      "La version de TLS est à jour.",
      "TLSv1.2, ECDHE-RSA-AES256-GCM-SHA384",
    ),
    control(
      `starttls.certificate.${mx}`,
      "starttls",
      "warn",
      `Certificat de ${mx} non valide pour ce nom`,
      "Le chiffrement reste opportuniste : la plupart des expéditeurs acceptent ce certificat, mais MTA-STS en " +
        "mode « enforce » refuse de livrer. Installez un certificat d'une autorité reconnue valide pour le nom du MX.",
      `nom ${mx} non couvert ; CN=webmail.${domain} (expire le ${certificateEnd})`,
    ),
    control(
      `dane.${mx}`,
      "dane",
      "info",
      `Pas d'enregistrement TLSA pour ${mx}`,
      "DANE demande une zone signée DNSSEC ; avec MTA-STS, c'est l'autre moyen d'imposer TLS aux expéditeurs.",
      `Aucun TLSA à _25._tcp.${mx}`,
    ),
  ];
  return [...spf, ...dkim, ...dmarc, ...mtaSts, ...tlsRpt, ...mxTls, ...dnssec.controls];
}

/**
 * What the CHU's filtering stopped: executables, scripts and EICAR in the clear or in a simple
 * ZIP, and messages without a sender. Spoofed senders (its DMARC is at p=none), encodings,
 * nested or encrypted archives, disk images, macro documents and links went through.
 */
const BLOCKED_CODES = new Set([
  "headers.no_from",
  "headers.two_from",
  "headers.empty_from",
  "attachment.exe",
  "attachment.scr",
  "attachment.com",
  "attachment.pif",
  "attachment.msi",
  "attachment.dll",
  "attachment.js",
  "attachment.jse",
  "attachment.vbs",
  "attachment.wsf",
  "attachment.hta",
  "attachment.bat",
  "attachment.cmd",
  "attachment.ps1",
  "attachment.jar",
  "attachment.inline_exe",
  "attachment.double_extension",
  "archive.zip_exe",
  "archive.zip_js",
  "archive.zip_vbs",
  "archive.zip_double_extension",
  "archive.tar_gz_exe",
  "malware.eicar_com",
  "malware.eicar_txt",
  "malware.eicar_body",
  "malware.eicar_zip",
  "malware.eicar_renamed",
  "macro.legacy_doc",
  "link.javascript_uri",
]);

// ---------------------------------------------------------------------------------------------
// Seeding

async function demoActor(db: Executor, role: "declarant" | "cert_analyst"): Promise<Actor | null> {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  const user = account && (await usersRepo.findUserByEmail(db, account.email));
  return user ? actorForUser(db, user) : null;
}

/** Puts the demo hospitals in the demo GHT, unless the CERT already set their GHT. */
async function placeInGht(db: Executor, cert: Actor, now: Date): Promise<void> {
  for (const [finess, support] of [
    [DEMO_AUDITED.grenoble.finess, true],
    [DEMO_AUDITED.laMure.finess, false],
    [DEMO_AUDITED.voiron.finess, false],
  ] as const) {
    const structure = await structuresRepo.findStructureByFiness(db, finess);
    if (!structure || structure.ght_code !== null) continue;
    await updateStructure(db, cert, structure.id, { ghtCode: DEMO_GHT_CODE, ghtSupport: support }, { now });
  }
}

/** Authorises the structure's submitted perimeter until yesterday (Paris) as of `now`. */
async function authorise(
  db: Executor,
  cert: Actor,
  structure: StructureRow,
  at: Date,
  now: Date,
  reference: string,
) {
  await authorisePerimeter(
    db,
    cert,
    structure.id,
    { validUntil: parisToday(new Date(now.getTime() - DAY)), reference },
    { now: at, actorLabel: ACTOR_LABEL },
  );
}

/** Launches an audit at `at` and runs it there, every phase recorded. */
async function runRecordedAudit(
  db: Executor,
  cert: Actor,
  structure: StructureRow,
  at: Date,
  scan: RecordedScan,
  config: AuditRunConfig,
): Promise<{ ticketsOpened: number }> {
  await launchAuditNow(db, cert, structure.id, { now: at, actorLabel: ACTOR_LABEL });
  const report = await runDueAudits(db, config, at, {
    structureId: structure.id,
    phases: recordedPhases(scan),
  });
  const outcome = report.audits[0];
  if (report.audits.length !== 1 || outcome?.status !== "succeeded") {
    throw new Error(
      `Audit de démonstration de ${structure.name} non abouti : ${outcome?.error ?? "aucun audit"}`,
    );
  }
  return { ticketsOpened: outcome.ticketsOpened };
}

interface Seeding {
  db: Executor;
  declarant: Actor;
  cert: Actor;
  now: Date;
  config: AuditRunConfig;
  report: AuditsDemoReport;
}

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY);
const context = (at: Date) => ({ now: at, actorLabel: ACTOR_LABEL });

function grenoblePerimeterInput(withRenewal: boolean) {
  const g = DEMO_AUDITED.grenoble;
  return {
    domains: [g.domain],
    networks: withRenewal ? [...g.networks, g.renewalNetwork] : [...g.networks],
    defaultCredentialsOptIn: false,
    filteringMailbox: g.filteringMailbox,
  };
}

/** The CHU declares and submits its perimeter; the CERT authorises it until yesterday. */
async function grenoblePerimeter(s: Seeding, structure: StructureRow, firstAudit: Date): Promise<void> {
  const declaredAt = new Date(firstAudit.getTime() - 6 * DAY);
  await savePerimeter(s.db, s.declarant, structure.id, grenoblePerimeterInput(false), context(declaredAt));
  await submitPerimeter(
    s.db,
    s.declarant,
    structure.id,
    context(new Date(declaredAt.getTime() + 20 * MINUTE)),
  );
  await authorise(
    s.db,
    s.cert,
    structure,
    new Date(firstAudit.getTime() - 2 * DAY),
    s.now,
    "Convention d'audit CERT Santé – CHU Grenoble Alpes n° DEMO-2025-038",
  );
}

/** The CERT enters La Mure's perimeter for it (declared by telephone), then authorises it. */
async function laMurePerimeter(s: Seeding, structure: StructureRow, audit: Date): Promise<void> {
  const m = DEMO_AUDITED.laMure;
  const declaredAt = new Date(audit.getTime() - 4 * DAY);
  await savePerimeter(
    s.db,
    s.cert,
    structure.id,
    {
      domains: [m.domain],
      networks: [...m.networks],
      defaultCredentialsOptIn: false,
      filteringMailbox: null,
    },
    context(declaredAt),
  );
  await submitPerimeter(s.db, s.cert, structure.id, context(new Date(declaredAt.getTime() + 5 * MINUTE)));
  await authorise(
    s.db,
    s.cert,
    structure,
    new Date(audit.getTime() - 3 * DAY),
    s.now,
    "Mandat du directeur du CH de La Mure, courrier du CERT n° DEMO-2025-041",
  );
}

async function audit(s: Seeding, structure: StructureRow, at: Date, scan: RecordedScan): Promise<void> {
  const outcome = await runRecordedAudit(s.db, s.cert, structure, at, scan, s.config);
  s.report.auditsRun++;
  s.report.ticketsOpened += outcome.ticketsOpened;
}

/** The mail posture test of the CHU's domain, then a filtering campaign whose arrivals it reported. */
async function grenobleMail(s: Seeding, structure: StructureRow): Promise<void> {
  const { db, declarant, now } = s;
  const g = DEMO_AUDITED.grenoble;
  const scope = await mailScopeOf(db, structure.id, now);
  const domain = assertStructureDomain(scope, g.domain);
  const testedAt = daysBefore(now, 45);
  const test = await mailSecurityRepo.insertMailSecurityTest(db, {
    structure_id: structure.id,
    domain,
    status: "running",
    requested_by_user_id: declarant.userId,
    started_at: testedAt,
  });
  await recordAudit(
    db,
    {
      actor: declarant,
      action: "mail_security.test.run",
      objectType: "mail_security_test",
      objectId: test.id,
      details: { structureId: structure.id, domain },
    },
    testedAt,
  );
  await mailSecurityRepo.finishMailSecurityTest(db, test.id, {
    status: "succeeded",
    finished_at: new Date(testedAt.getTime() + 9_000),
    controls: JSON.stringify(await recordedMailControls(domain, testedAt)),
    error: null,
  });
  s.report.mailTests++;

  const mailbox = assertStructureMailbox(scope, g.filteringMailbox);
  const sentAt = daysBefore(now, 44);
  const campaign = await mailSecurityRepo.insertFilterCampaign(db, {
    structure_id: structure.id,
    mailbox,
    status: "sending",
    created_by_user_id: declarant.userId,
    created_at: sentAt,
    messages: "[]",
  });
  const battery = await buildFilteringBattery({
    campaignId: campaign.id,
    to: mailbox,
    senderDomain: "vigie.localhost",
    targetDomain: mailbox.split("@")[1] ?? "",
    now: sentAt,
  });
  const stored: StoredBatteryMessage[] = battery.map(({ token, code, category, title }) => ({
    token,
    code,
    category,
    title,
  }));
  await mailSecurityRepo.updateFilterCampaign(db, campaign.id, { messages: JSON.stringify(stored) });
  await recordAudit(
    db,
    {
      actor: declarant,
      action: "mail_security.campaign.send",
      objectType: "mail_filter_campaign",
      objectId: campaign.id,
      details: { structureId: structure.id, mailbox, messages: stored.length },
    },
    sentAt,
  );
  // Never sent: the demo contacts no relay. Recorded as the real sending records a success.
  await mailSecurityRepo.updateFilterCampaign(db, campaign.id, {
    status: "sent",
    sent_at: new Date(sentAt.getTime() + 47_000),
    error: null,
  });
  await reportFilteringArrivals(
    db,
    declarant,
    campaign.id,
    { arrivedTokens: stored.filter((m) => !BLOCKED_CODES.has(m.code)).map((m) => m.token) },
    { now: daysBefore(now, 42) },
  );
  s.report.filteringCampaigns++;
}

/**
 * Seeds the demo's audits and mail tests once (a structure whose perimeter exists is left as it
 * is). Call it after the demo accounts and before `seedWatchDemo`: the demo structures' exposed
 * assets are declared first (`seedDemoAssets`, dated before the audits, which `seedWatchDemo`
 * then finds in place), so that the watch's matching run by each past audit sees the services it
 * found. Everything happens in time order: the CHU's first audit, La Mure's, the CHU's second,
 * its mail tests, then the renewal of its perimeter. Safe to run again.
 */
export async function seedAuditsDemo(
  db: Executor,
  now: Date,
  options: { config?: AuditRunConfig } = {},
): Promise<AuditsDemoReport> {
  const report: AuditsDemoReport = {
    assetsDeclared: 0,
    auditsRun: 0,
    ticketsOpened: 0,
    mailTests: 0,
    filteringCampaigns: 0,
  };
  const declarant = await demoActor(db, "declarant");
  const cert = await demoActor(db, "cert_analyst");
  if (!declarant || !cert) return report;
  const pending = async (finess: string) => {
    const structure = await structuresRepo.findStructureByFiness(db, finess);
    return structure && !(await exposureAuditsRepo.findPerimeter(db, structure.id)) ? structure : null;
  };
  const grenoble = await pending(DEMO_AUDITED.grenoble.finess);
  const laMure = await pending(DEMO_AUDITED.laMure.finess);
  if (!grenoble && !laMure) return report;
  const s: Seeding = { db, declarant, cert, now, config: options.config ?? DEMO_AUDIT_CONFIG, report };
  const at = {
    grenobleFirst: daysBefore(now, DEMO_AUDIT_DAYS.grenobleFirst),
    laMure: daysBefore(now, DEMO_AUDIT_DAYS.laMure),
    grenobleSecond: daysBefore(now, DEMO_AUDIT_DAYS.grenobleSecond),
  };
  report.assetsDeclared = await seedDemoAssets(db, daysBefore(now, DEMO_AUDIT_DAYS.grenobleFirst + 10));
  await placeInGht(db, cert, now);
  const certificateExpiredOn = new Date(at.grenobleFirst.getTime() - 23 * DAY);
  if (grenoble) {
    await grenoblePerimeter(s, grenoble, at.grenobleFirst);
    await audit(s, grenoble, at.grenobleFirst, grenobleScan(1, at.grenobleFirst, certificateExpiredOn));
  }
  if (laMure) {
    await laMurePerimeter(s, laMure, at.laMure);
    await audit(s, laMure, at.laMure, laMureScan());
  }
  if (grenoble) {
    await audit(s, grenoble, at.grenobleSecond, grenobleScan(2, at.grenobleSecond, certificateExpiredOn));
    await grenobleMail(s, grenoble);
    // The renewal: an IPv6 prefix added; the perimeter goes back to the CERT for review.
    await savePerimeter(
      s.db,
      declarant,
      grenoble.id,
      grenoblePerimeterInput(true),
      context(daysBefore(now, 12)),
    );
  }
  return report;
}
