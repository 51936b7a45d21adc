import type { MailControl, MailControlFamily, MailControlStatus } from "@vigie/contracts";
import {
  type DnsAnswer,
  type DnsRecordType,
  type DnsResponse,
  type DnsServer,
  dnsServersOf,
  resolveDns,
} from "../../exposure-audits/scan/dns/dns-client.ts";
import type { ScanContext } from "../../exposure-audits/scan/types.ts";

/** Builds one control point. */
export function control(
  code: string,
  family: MailControlFamily,
  status: MailControlStatus,
  title: string,
  explanation: string,
  evidence: string | null = null,
): MailControl {
  return { code, family, status, title, explanation, evidence };
}

/** The DNS side of the posture test: the context's servers, its timeout and signal. */
export class PostureDns {
  readonly servers: DnsServer[];
  readonly #ctx: ScanContext;

  constructor(ctx: ScanContext) {
    this.#ctx = ctx;
    this.servers = dnsServersOf(ctx.dnsServers);
  }

  query(name: string, type: DnsRecordType, dnssec = false): Promise<DnsResponse> {
    return resolveDns(this.servers, name, type, {
      timeoutMs: this.#ctx.timeoutMs,
      dnssec,
      ...(this.#ctx.signal ? { signal: this.#ctx.signal } : {}),
    });
  }

  /** The TXT strings at a name (each record's chunks joined); empty when none or on failure. */
  async txt(name: string): Promise<string[]> {
    try {
      const response = await this.query(name, "TXT");
      return response.answers.filter((a) => a.type === "TXT").map((a) => txtString(a));
    } catch {
      return [];
    }
  }

  /** IPv4 then IPv6 addresses of a name. */
  async addresses(name: string): Promise<string[]> {
    const out: string[] = [];
    for (const type of ["A", "AAAA"] as const) {
      try {
        const response = await this.query(name, type);
        for (const a of response.answers) if (a.type === type) out.push(String(a.data));
      } catch {
        // no answer for this family
      }
    }
    return out;
  }

  /** MX hosts ordered by preference; a null MX (`0 .`) gives an empty host. */
  async mx(domain: string): Promise<{ preference: number; exchange: string }[]> {
    try {
      const response = await this.query(domain, "MX");
      return response.answers
        .filter((a) => a.type === "MX")
        .map((a) => {
          const data = a.data as { preference?: number; exchange: string };
          return {
            preference: data.preference ?? 0,
            exchange: data.exchange.toLowerCase().replace(/\.$/, ""),
          };
        })
        .sort((x, y) => x.preference - y.preference || x.exchange.localeCompare(y.exchange));
    } catch {
      return [];
    }
  }
}

/** The text of a TXT answer: its character strings joined. */
export function txtString(answer: DnsAnswer): string {
  const data = (answer as { data: string | Buffer | (string | Buffer)[] }).data;
  const parts = Array.isArray(data) ? data : [data];
  return parts.map((p) => (typeof p === "string" ? p : p.toString("utf8"))).join("");
}

/** `tag=value; tag=value` records (DKIM, DMARC, MTA-STS, TLS-RPT): lower-case tags, trimmed values. */
export function parseTags(record: string): Map<string, string> {
  const tags = new Map<string, string>();
  for (const part of record.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    const tag = part.slice(0, eq).trim().toLowerCase();
    if (tag && !tags.has(tag)) tags.set(tag, part.slice(eq + 1).trim());
  }
  return tags;
}

/** Shortens evidence text. */
export function clip(text: string, max = 500): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
