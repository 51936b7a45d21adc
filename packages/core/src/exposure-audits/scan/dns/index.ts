import { mapLimit } from "../map-limit.ts";
import type { ScanContext, ScanFinding } from "../types.ts";
import { type DnsRecordType, dnsServersOf, zoneTransfer } from "./dns-client.ts";
import {
  danglingCnameFinding,
  expiryFinding,
  missingCaaFinding,
  outOfPerimeterFinding,
  rdapUnavailableFinding,
  type TransferAttempt,
  zoneTransferFinding,
  zoneTransferUntestedFinding,
} from "./findings.ts";
import {
  DnsLookups,
  formatRecordData,
  nameExists,
  normalizeName,
  ownAnswers,
  type Resolution,
  resolveName,
  sameName,
  stringData,
} from "./lookup.ts";
import { expirySeverity, fetchRdapExpiration } from "./rdap.ts";
import { SUBDOMAIN_WORDLIST } from "./wordlist.ts";

/**
 * The passive phase of an exposure audit (decision 0012): what the DNS says about the declared
 * domains. It asks the configured resolvers about each declared and discovered name, finds
 * subdomains (certificate transparency, NS/MX/CNAME targets, a short wordlist, an allowed zone
 * transfer), and sorts the hosts found into those inside the authorised address ranges (to be
 * scanned by the active phases) and those outside (reported, never contacted).
 *
 * It connects to nothing but the resolvers, the name servers of the declared domains whose
 * address is inside the perimeter (zone transfer attempt), and the RDAP service.
 */

export type HostSource = "declared" | "dns" | "ct" | "axfr";

export interface PassiveRecord {
  name: string;
  type: string;
  values: string[];
}

export interface PassiveHost {
  name: string;
  /** A and AAAA addresses (at the end of its alias chain). */
  ips: string[];
  /**
   * Every address is in the perimeter's ranges. Informative only: the active phases scan the
   * in-range addresses of every name (even a partly-outside one) and report the others, which
   * are listed in `outOfPerimeter`.
   */
  inPerimeter: boolean;
  sources: HostSource[];
}

export interface PassiveResult {
  /** What each existing name holds (A, AAAA, MX, NS, TXT, CNAME, CAA), sorted by name. */
  records: PassiveRecord[];
  /** Names of the perimeter's domains that resolve to at least one address, sorted by name. */
  hosts: PassiveHost[];
  /** Addresses of those names outside the perimeter's ranges: reported, never scanned. */
  outOfPerimeter: { name: string; ip: string }[];
  findings: ScanFinding[];
}

export interface PassiveInput {
  /** The declared domains (the perimeter's). */
  domains: string[];
  /** Names imported from certificate transparency for the structure. */
  ctNames: string[];
  now: Date;
  /** RDAP service (`AUDIT_RDAP_URL`); absent: the expiration is not checked (said in an info finding). */
  rdapUrl?: string;
}

const RECORD_TYPES: readonly DnsRecordType[] = ["A", "AAAA", "MX", "NS", "TXT", "CNAME", "CAA"];
/** Questions in flight at once. */
const CONCURRENCY = 8;
/** Names examined at most (a runaway zone transfer or wildcard must not make the audit endless). */
const MAX_NAMES = 2_000;
/** Zone transfers and direct answers are asked of name servers on the DNS port. */
const DNS_PORT = 53;

interface NameInfo {
  sources: Set<HostSource>;
  exists: boolean;
  cnames: string[];
}

export async function runPassivePhase(ctx: ScanContext, input: PassiveInput): Promise<PassiveResult> {
  const servers = dnsServersOf(ctx.dnsServers);
  const dns = new DnsLookups(servers, {
    timeoutMs: ctx.timeoutMs,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const domains = [...new Set(input.domains.map(normalizeName))].filter((d) => d && ctx.guard.allowsName(d));
  const findings: ScanFinding[] = [];

  const names = new Map<string, NameInfo>();
  const queue: string[] = [];
  /** Records a name of the perimeter; names outside its domains are never followed. */
  const discover = (raw: string, source: HostSource): void => {
    const name = normalizeName(raw.replace(/^\*\./, ""));
    if (!name || name.split(".").some((l) => l.startsWith("_") || l === "*")) return;
    if (!ctx.guard.allowsName(name)) return;
    const known = names.get(name);
    if (known) {
      known.sources.add(source);
      return;
    }
    if (names.size >= MAX_NAMES) return;
    names.set(name, { sources: new Set([source]), exists: false, cnames: [] });
    queue.push(name);
  };

  for (const domain of domains) discover(domain, "declared");
  for (const name of input.ctNames) discover(name, "ct");

  // The resolvers must answer: without them the phase would report absences it never saw.
  const apex = await mapLimit(domains, CONCURRENCY, (d) => dns.lookup(d, "A"));
  const failed = apex.filter((l) => !l.ok);
  if (domains.length > 0 && failed.length === domains.length) {
    const reason = failed[0] && !failed[0].ok ? failed[0].error : "";
    throw new Error(
      `Les serveurs DNS de l'audit (${servers.map((s) => `${s.ip}:${s.port}`).join(", ")}) ne répondent pas : ${reason}`,
    );
  }

  // Wordlist: `<label>.<domain>`, skipping what a wildcard answers for any name.
  for (const domain of domains) {
    const wildcard = await wildcardSignature(dns, domain);
    const candidates = SUBDOMAIN_WORDLIST.map((label) => `${label}.${domain}`);
    await mapLimit(candidates, CONCURRENCY, async (candidate) => {
      const lookup = await dns.lookup(candidate, "A");
      if (!nameExists(lookup, candidate)) return;
      if (wildcard !== null && signature(lookup) === wildcard) return;
      discover(candidate, "dns");
    });
  }

  // Zone transfer from the declared domains' name servers inside the perimeter.
  for (const domain of domains) {
    const { attempts, transferred } = await tryZoneTransfers(ctx, dns, domain);
    for (const name of transferred) discover(name, "axfr");
    if (attempts.some((a) => a.outcome === "allowed")) findings.push(zoneTransferFinding(domain, attempts));
    else if (attempts.some((a) => a.outcome === "untested"))
      findings.push(zoneTransferUntestedFinding(domain, attempts));
  }

  // Every name: its records, and the names they lead to (NS, MX, CNAME targets in the domains).
  const records: PassiveRecord[] = [];
  while (queue.length > 0) {
    const batch = queue.splice(0, queue.length);
    await mapLimit(batch, CONCURRENCY, async (name) => {
      const info = names.get(name) as NameInfo;
      const first = await dns.lookup(name, "A");
      if (!nameExists(first, name)) return;
      info.exists = true;
      const lookups = await Promise.all(RECORD_TYPES.map((type) => dns.lookup(name, type)));
      RECORD_TYPES.forEach((type, i) => {
        const answers = ownAnswers(lookups[i] as (typeof lookups)[number], name, type);
        if (answers.length === 0) return;
        records.push({ name, type, values: [...new Set(answers.map(formatRecordData))].sort() });
        for (const answer of answers) {
          if (answer.type === "NS") discover(answer.data, "dns");
          else if (answer.type === "MX") discover(answer.data.exchange, "dns");
          else if (answer.type === "CNAME") {
            info.cnames.push(normalizeName(answer.data));
            discover(answer.data, "dns");
          }
        }
      });
      // an authoritative server may answer the alias only in the A answer's chain
      if (info.cnames.length === 0) {
        for (const a of ownAnswers(first, name, "CNAME")) info.cnames.push(normalizeName(stringData(a)));
      }
    });
  }

  // Addresses of every existing name; aliases that lead nowhere.
  const existing = [...names].filter(([, info]) => info.exists).map(([name]) => name);
  const resolutions = await mapLimit(existing, CONCURRENCY, (name) => resolveName(dns, name));
  const hosts: PassiveHost[] = [];
  const outOfPerimeter: { name: string; ip: string }[] = [];
  existing.forEach((name, i) => {
    const info = names.get(name) as NameInfo;
    const resolution = resolutions[i] as Resolution;
    if (info.cnames.length > 0 && (resolution.status === "nxdomain" || resolution.status === "nodata")) {
      findings.push(danglingCnameFinding(domainOf(domains, name), name, resolution));
    }
    if (resolution.ips.length === 0) return;
    const outside = resolution.ips.filter((ip) => !ctx.guard.allowsIp(ip));
    for (const ip of outside) outOfPerimeter.push({ name, ip });
    hosts.push({
      name,
      ips: resolution.ips,
      inPerimeter: outside.length === 0,
      sources: (["declared", "ct", "dns", "axfr"] as const).filter((s) => info.sources.has(s)),
    });
  });

  // Certification authority authorisation, at the domain or a parent.
  for (const domain of domains) {
    const caa = await caaStatus(dns, domain);
    if (caa.missing) findings.push(missingCaaFinding(domain, caa.checked));
  }

  // Registration expiry (RDAP).
  for (const domain of domains) {
    if (!input.rdapUrl) {
      findings.push(rdapUnavailableFinding(domain, "aucun service RDAP n'est configuré (AUDIT_RDAP_URL)"));
      continue;
    }
    const outcome = await fetchRdapExpiration(input.rdapUrl, domain, {
      timeoutMs: ctx.timeoutMs,
      userAgent: ctx.userAgent,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    if (outcome.kind === "expiration") {
      const severity = expirySeverity(outcome.date, input.now);
      if (severity) findings.push(expiryFinding(domain, outcome.date, input.now, severity));
    } else if (outcome.kind === "unavailable") {
      findings.push(rdapUnavailableFinding(domain, `service RDAP injoignable (${outcome.reason})`));
    } else if (outcome.kind === "not-found") {
      findings.push(rdapUnavailableFinding(domain, "le registre ne connaît pas ce nom (réponse RDAP 404)"));
    } else {
      findings.push(rdapUnavailableFinding(domain, "la réponse RDAP ne donne pas de date d'expiration"));
    }
  }

  // Names resolving outside the ranges, one finding per declared domain.
  for (const domain of domains) {
    const mine = outOfPerimeter.filter((o) => domainOf(domains, o.name) === domain);
    if (mine.length > 0) findings.push(outOfPerimeterFinding(domain, mine));
  }

  ctx.signal?.throwIfAborted();
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return {
    records: records.sort(
      (a, b) =>
        byName(a, b) ||
        RECORD_TYPES.indexOf(a.type as DnsRecordType) - RECORD_TYPES.indexOf(b.type as DnsRecordType),
    ),
    hosts: hosts.sort(byName),
    outOfPerimeter: outOfPerimeter.sort((a, b) => byName(a, b) || a.ip.localeCompare(b.ip)),
    findings,
  };
}

/** The most specific declared domain a name belongs to. */
function domainOf(domains: readonly string[], name: string): string {
  const matching = domains.filter((d) => name === d || name.endsWith(`.${d}`));
  return matching.sort((a, b) => b.length - a.length)[0] ?? name;
}

function signature(lookup: Awaited<ReturnType<DnsLookups["lookup"]>>): string {
  if (!lookup.ok) return "";
  return lookup.response.answers
    .map((a) => `${a.type}:${formatRecordData(a)}`)
    .sort()
    .join(",");
}

/** What a wildcard answers for a name that cannot exist, or null when there is no wildcard. */
async function wildcardSignature(dns: DnsLookups, domain: string): Promise<string | null> {
  const probe = `vigie-absent-${Math.random().toString(36).slice(2, 10)}.${domain}`;
  const lookup = await dns.lookup(probe, "A");
  return nameExists(lookup, probe) ? signature(lookup) : null;
}

/** Tries AXFR on each name server of the domain whose address is in the perimeter. */
async function tryZoneTransfers(
  ctx: ScanContext,
  dns: DnsLookups,
  domain: string,
): Promise<{ attempts: TransferAttempt[]; transferred: string[] }> {
  const attempts: TransferAttempt[] = [];
  const transferred = new Set<string>();
  const nsLookup = await dns.lookup(domain, "NS");
  const nsNames = [
    ...new Set(ownAnswers(nsLookup, domain, "NS").map((a) => normalizeName(stringData(a)))),
  ].sort();
  const tried = new Set<string>();
  for (const ns of nsNames) {
    const resolution = await resolveName(dns, ns);
    if (resolution.ips.length === 0) {
      attempts.push({
        ns,
        ip: "aucune adresse",
        outcome: "untested",
        detail: "le nom du serveur ne se résout pas",
      });
      continue;
    }
    for (const ip of resolution.ips) {
      if (tried.has(ip)) continue;
      tried.add(ip);
      if (!ctx.guard.allowsIp(ip)) {
        attempts.push({ ns, ip, outcome: "untested", detail: "adresse hors du périmètre autorisé" });
        continue;
      }
      ctx.guard.assertIp(ip);
      await ctx.limiter.acquire(ip);
      try {
        const result = await zoneTransfer({ ip, port: DNS_PORT }, domain, {
          timeoutMs: ctx.timeoutMs,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        });
        if (result.allowed) {
          const owners = new Set(result.records.map((r) => normalizeName(r.name)));
          for (const owner of owners) if (owner !== domain) transferred.add(owner);
          attempts.push({ ns, ip, outcome: "allowed", detail: `${result.records.length} enregistrements` });
        } else {
          attempts.push({ ns, ip, outcome: "refused", detail: result.rcode });
        }
      } catch (err) {
        ctx.signal?.throwIfAborted();
        attempts.push({ ns, ip, outcome: "error", detail: (err as Error).message });
      }
    }
  }
  return { attempts, transferred: [...transferred].filter((n) => n.endsWith(`.${domain}`)) };
}

/**
 * CAA applies from the closest name up (RFC 8659): the domain has a policy when it or a parent
 * (down to two labels) holds CAA records. Missing only when every answer was a clean "none".
 */
async function caaStatus(dns: DnsLookups, domain: string): Promise<{ missing: boolean; checked: string[] }> {
  const labels = domain.split(".");
  const checked: string[] = [];
  for (let i = 0; labels.length - i >= 2; i++) {
    const name = labels.slice(i).join(".");
    const lookup = await dns.lookup(name, "CAA");
    if (!lookup.ok || (lookup.response.rcode !== "NOERROR" && lookup.response.rcode !== "NXDOMAIN")) {
      return { missing: false, checked };
    }
    checked.push(name);
    if (lookup.response.answers.some((a) => a.type === "CAA" && sameName(a.name, name))) {
      return { missing: false, checked };
    }
  }
  return { missing: checked.length > 0, checked };
}
