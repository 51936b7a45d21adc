import type { MailControl } from "@vigie/contracts";
import type { ScanContext } from "../../exposure-audits/scan/types.ts";
import { PostureDns } from "./common.ts";
import { dkimControls } from "./dkim.ts";
import { dmarcControls } from "./dmarc.ts";
import { dnssecControls } from "./dnssec.ts";
import { mtaStsControls, tlsRptControls } from "./mta-sts.ts";
import { mxControls } from "./mx-tls.ts";
import { spfControls } from "./spf.ts";

export interface MailPostureOptions {
  /** CA certificates (PEM) trusted instead of the system's: tests only. */
  trustedCa?: string[];
  /** DKIM selectors to try before the usual ones. */
  dkimSelectors?: string[];
  /** Name given in EHLO; default: the host of the scanner's URL. */
  ehloName?: string;
}

/** The name we greet MX servers with: the host of the URL in the scanner's User-Agent. */
export function ehloNameOf(userAgent: string): string {
  const url = /https?:\/\/[^\s)]+/.exec(userAgent)?.[0];
  try {
    return url ? new URL(url).hostname : "vigie.invalid";
  } catch {
    return "vigie.invalid";
  }
}

/**
 * The mail posture of a domain (decision 0012) as control points: SPF, DKIM, DMARC, MTA-STS,
 * TLS-RPT, STARTTLS/TLS of every MX with DANE, DNSSEC. Reads DNS through the context's servers;
 * connects only to the MX (port 25) and the MTA-STS host (443), each address checked by the
 * guard and paced by the limiter. Never touches the database.
 */
export async function testMailPosture(
  ctx: ScanContext,
  domain: string,
  now: Date,
  options: MailPostureOptions = {},
): Promise<MailControl[]> {
  const name = domain.trim().toLowerCase().replace(/\.$/, "");
  const dns = new PostureDns(ctx);
  const mx = (await dns.mx(name)).map((m) => m.exchange).filter((h) => h !== "");
  const [spf, dkim, dmarc, dnssec, tlsRpt] = await Promise.all([
    spfControls(dns, name),
    dkimControls(dns, name, options.dkimSelectors),
    dmarcControls(dns, name),
    dnssecControls(dns, name),
    tlsRptControls(dns, name),
  ]);
  const mtaSts = await mtaStsControls(ctx, dns, name, mx, options.trustedCa);
  const mxTls = await mxControls(
    ctx,
    dns,
    name,
    mx,
    dnssec.signed,
    now,
    options.ehloName ?? ehloNameOf(ctx.userAgent),
    options.trustedCa,
  );
  return [...spf, ...dkim, ...dmarc, ...mtaSts, ...tlsRpt, ...mxTls, ...dnssec.controls];
}
