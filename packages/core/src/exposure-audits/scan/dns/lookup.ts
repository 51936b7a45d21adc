import {
  type DnsAnswer,
  type DnsRecordType,
  type DnsResponse,
  type DnsServer,
  resolveDns,
} from "./dns-client.ts";

/** `WWW.Hopital.fr.` → `www.hopital.fr`. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\.+$/, "");
}

export function sameName(a: string, b: string): boolean {
  return normalizeName(a) === normalizeName(b);
}

/** The answer to one question, or why there was none (timeout, network error). */
export type Lookup = { ok: true; response: DnsResponse } | { ok: false; error: string };

/**
 * The questions of one audit, each asked once (cached), to the configured resolvers. Nothing
 * here connects anywhere else.
 */
export class DnsLookups {
  readonly #servers: readonly DnsServer[];
  readonly #timeoutMs: number;
  readonly #signal: AbortSignal | undefined;
  readonly #cache = new Map<string, Promise<Lookup>>();

  constructor(servers: readonly DnsServer[], options: { timeoutMs: number; signal?: AbortSignal }) {
    this.#servers = servers;
    this.#timeoutMs = options.timeoutMs;
    this.#signal = options.signal;
  }

  lookup(name: string, type: DnsRecordType): Promise<Lookup> {
    const key = `${normalizeName(name)}/${type}`;
    let pending = this.#cache.get(key);
    if (!pending) {
      this.#signal?.throwIfAborted();
      pending = resolveDns(this.#servers, normalizeName(name), type, {
        timeoutMs: this.#timeoutMs,
        ...(this.#signal ? { signal: this.#signal } : {}),
      }).then(
        (response): Lookup => ({ ok: true, response }),
        (err: unknown): Lookup => ({ ok: false, error: err instanceof Error ? err.message : String(err) }),
      );
      this.#cache.set(key, pending);
    }
    return pending;
  }
}

/** The answers of `type` owned by `name` itself (not those of a CNAME chain). */
export function ownAnswers(lookup: Lookup, name: string, type: DnsRecordType): DnsAnswer[] {
  if (!lookup.ok) return [];
  return lookup.response.answers.filter((a) => a.type === type && sameName(a.name, name));
}

/**
 * The name exists: the server answered, and not NXDOMAIN — or NXDOMAIN about the end of a chain
 * while the name itself owns a record (an alias to a name that does not exist).
 */
export function nameExists(lookup: Lookup, name: string): boolean {
  if (!lookup.ok) return false;
  if (lookup.response.rcode === "NOERROR") return true;
  return lookup.response.rcode === "NXDOMAIN" && lookup.response.answers.some((a) => sameName(a.name, name));
}

/** The data of a name or address record (A, AAAA, CNAME, NS, …). */
export function stringData(answer: DnsAnswer): string {
  const data = (answer as { data?: unknown }).data;
  return typeof data === "string" ? data : "";
}

/** A record's value as a zone file would show it (names without the final dot). */
export function formatRecordData(answer: DnsAnswer): string {
  switch (answer.type) {
    case "A":
    case "AAAA":
      return answer.data;
    case "NS":
    case "CNAME":
    case "PTR":
    case "DNAME":
      return normalizeName(answer.data);
    case "MX":
      return `${answer.data.preference ?? 0} ${normalizeName(answer.data.exchange)}`;
    case "TXT": {
      const chunks = Array.isArray(answer.data) ? answer.data : [answer.data];
      return chunks.map((c) => (typeof c === "string" ? c : c.toString("utf8"))).join("");
    }
    case "CAA":
      return `${answer.data.flags ?? 0} ${answer.data.tag} "${answer.data.value}"`;
    default:
      return JSON.stringify((answer as { data?: unknown }).data ?? null);
  }
}

/** Where the addresses of a name come from, and what its alias chain ends on. */
export interface Resolution {
  /**
   * `ok`: addresses found; `nxdomain`: the name (or the end of its chain) does not exist;
   * `nodata`: it exists with no address; `error`: no usable answer (timeout, SERVFAIL, REFUSED).
   */
  status: "ok" | "nxdomain" | "nodata" | "error";
  ips: string[];
  /** Alias targets followed, in order (empty: the name is not an alias). */
  chain: string[];
  /** The name the resolution ended on. */
  last: string;
  rcode?: string;
}

const MAX_CHAIN = 8;

/** Addresses (A and AAAA) of a name, following its CNAME chain through the resolvers. */
export async function resolveName(dns: DnsLookups, name: string): Promise<Resolution> {
  const chain: string[] = [];
  let current = normalizeName(name);
  for (let round = 0; round <= MAX_CHAIN; round++) {
    const [a, aaaa] = await Promise.all([dns.lookup(current, "A"), dns.lookup(current, "AAAA")]);
    if (!a.ok && !aaaa.ok) return { status: "error", ips: [], chain, last: current };
    const answers = [...(a.ok ? a.response.answers : []), ...(aaaa.ok ? aaaa.response.answers : [])];
    // walk the chain as far as the answers go (a recursive resolver sends it whole)
    let tail = current;
    for (let step = 0; step <= MAX_CHAIN; step++) {
      const ips = answers
        .filter((r) => (r.type === "A" || r.type === "AAAA") && sameName(r.name, tail))
        .map(stringData);
      if (ips.length > 0) return { status: "ok", ips: [...new Set(ips)].sort(), chain, last: tail };
      const alias = answers.find((r) => r.type === "CNAME" && sameName(r.name, tail));
      if (!alias) break;
      const target = normalizeName(stringData(alias));
      if (target === normalizeName(name) || chain.includes(target)) {
        return { status: "error", ips: [], chain, last: target, rcode: "BOUCLE" };
      }
      chain.push(target);
      tail = target;
    }
    if (tail !== current) {
      // an authoritative server stops at its zone's edge: ask about the target itself
      current = tail;
      continue;
    }
    const main = a.ok ? a.response : aaaa.ok ? aaaa.response : null;
    const rcode = main?.rcode ?? "ERREUR";
    if (rcode === "NXDOMAIN") return { status: "nxdomain", ips: [], chain, last: current, rcode };
    if (rcode === "NOERROR") return { status: "nodata", ips: [], chain, last: current, rcode };
    return { status: "error", ips: [], chain, last: current, rcode };
  }
  return { status: "error", ips: [], chain, last: current, rcode: "CHAÎNE TROP LONGUE" };
}
