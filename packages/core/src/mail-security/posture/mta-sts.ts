import type { MailControl } from "@vigie/contracts";
import type { ScanContext } from "../../exposure-audits/scan/types.ts";
import { clip, control, type PostureDns, parseTags } from "./common.ts";
import { fetchHttps } from "./connections.ts";

export interface MtaStsPolicy {
  version: string | null;
  mode: string | null;
  mx: string[];
  maxAge: number | null;
}

/** Parses an MTA-STS policy file (`key: value` lines, RFC 8461 §3.2). */
export function parseMtaStsPolicy(text: string): MtaStsPolicy {
  const policy: MtaStsPolicy = { version: null, mode: null, mx: [], maxAge: null };
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon === -1) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === "version") policy.version = value;
    else if (key === "mode") policy.mode = value.toLowerCase();
    else if (key === "mx") policy.mx.push(value.toLowerCase());
    else if (key === "max_age" && /^\d+$/.test(value)) policy.maxAge = Number(value);
  }
  return policy;
}

/** RFC 8461 §4.1: `*.example.fr` matches exactly one label to the left. */
export function mxMatchesPattern(mx: string, pattern: string): boolean {
  const host = mx.toLowerCase().replace(/\.$/, "");
  const p = pattern.toLowerCase().replace(/\.$/, "");
  if (p.startsWith("*.")) {
    const rest = p.slice(2);
    const dot = host.indexOf(".");
    return dot > 0 && host.slice(dot + 1) === rest;
  }
  return host === p;
}

/** A week: below it, a policy protects little between two fetches. */
const MIN_MAX_AGE = 7 * 86_400;

/** MTA-STS control points: the `_mta-sts` record, the policy over HTTPS, its certificate, its MX. */
export async function mtaStsControls(
  ctx: ScanContext,
  dns: PostureDns,
  domain: string,
  mxHosts: readonly string[],
  trustedCa?: readonly string[],
): Promise<MailControl[]> {
  const records = (await dns.txt(`_mta-sts.${domain}`)).filter((t) => /^v=STSv1\s*(;|$)/i.test(t.trim()));
  if (records.length === 0) {
    return [
      control(
        "mta_sts.record",
        "mta_sts",
        "warn",
        "MTA-STS non déployé",
        "Sans MTA-STS (ni DANE), un attaquant placé sur le réseau peut empêcher le chiffrement des messages qui " +
          "vous sont envoyés et les lire. Publiez « _mta-sts » (v=STSv1; id=…) et une politique en mode « enforce » " +
          `sur https://mta-sts.${domain}/.well-known/mta-sts.txt.`,
        `Aucun TXT « v=STSv1 » sur _mta-sts.${domain}`,
      ),
    ];
  }
  const tags = parseTags(records[0] as string);
  const out: MailControl[] = [];
  const id = tags.get("id");
  out.push(
    records.length === 1 && id && /^[A-Za-z0-9]{1,32}$/.test(id)
      ? control(
          "mta_sts.record",
          "mta_sts",
          "pass",
          "Enregistrement MTA-STS publié",
          "Le domaine annonce une politique MTA-STS.",
          records[0] as string,
        )
      : control(
          "mta_sts.record",
          "mta_sts",
          "fail",
          "Enregistrement MTA-STS invalide",
          "Il faut exactement un TXT « v=STSv1; id=<1 à 32 lettres ou chiffres> » : corrigez-le, sinon les expéditeurs ignorent la politique.",
          clip(records.join("\n")),
        ),
  );
  const host = `mta-sts.${domain}`;
  const url = `https://${host}/.well-known/mta-sts.txt`;
  const resolved = await dns.addresses(host);
  const ip = resolved.find((a) => ctx.guard.allowsIp(a));
  const fetched = ip ? await fetchHttps(ctx, ip, host, "/.well-known/mta-sts.txt", trustedCa) : null;
  if (!fetched || fetched.error || fetched.status !== 200) {
    out.push(
      control(
        "mta_sts.policy",
        "mta_sts",
        "fail",
        "Politique MTA-STS inaccessible",
        `La politique doit être servie en HTTPS à ${url} (code 200, sans redirection). Sans elle, l'enregistrement ne protège rien.`,
        !ip
          ? resolved.length === 0
            ? `${host} ne se résout vers aucune adresse`
            : `${host} se résout vers ${resolved.join(", ")} : adresse(s) privée(s) ou réservée(s) que la plateforme ne joint pas`
          : fetched?.error
            ? fetched.error
            : `code HTTP ${fetched?.status}`,
      ),
    );
    return out;
  }
  const view = fetched.tls;
  out.push(
    view?.trusted && view.nameMatches
      ? control(
          "mta_sts.certificate",
          "mta_sts",
          "pass",
          "Certificat du serveur de politique MTA-STS valide",
          "Le certificat est reconnu et valide pour le nom du serveur de politique.",
          view.certificate
            ? `${view.certificate.subject.replace(/\n/g, ", ")} ; expire le ${view.certificate.validTo}`
            : null,
        )
      : control(
          "mta_sts.certificate",
          "mta_sts",
          "fail",
          "Certificat du serveur de politique MTA-STS invalide",
          `Les expéditeurs n'acceptent la politique que sur un certificat valide pour ${host}, émis par une autorité reconnue. Remplacez le certificat.`,
          view ? `${view.nameMatches ? "" : `nom non couvert : ${host} ; `}${view.trustError ?? ""}` : null,
        ),
  );
  const policy = parseMtaStsPolicy(fetched.body);
  if (policy.version !== "STSv1") {
    out.push(
      control(
        "mta_sts.policy",
        "mta_sts",
        "fail",
        "Politique MTA-STS invalide",
        "Le fichier doit commencer par « version: STSv1 » suivi de « mode », « mx » et « max_age ».",
        clip(fetched.body, 300),
      ),
    );
    return out;
  }
  const mode = policy.mode ?? "";
  out.push(
    mode === "enforce"
      ? control(
          "mta_sts.mode",
          "mta_sts",
          "pass",
          "MTA-STS en mode « enforce »",
          "Les expéditeurs refusent de vous livrer sans TLS valide.",
          "mode: enforce",
        )
      : mode === "testing"
        ? control(
            "mta_sts.mode",
            "mta_sts",
            "warn",
            "MTA-STS en mode « testing »",
            "En mode test, les échecs sont seulement signalés (TLS-RPT). Une fois les rapports propres, passez en « enforce ».",
            "mode: testing",
          )
        : control(
            "mta_sts.mode",
            "mta_sts",
            "fail",
            `MTA-STS en mode « ${mode || "absent"} »`,
            "Le mode « none » (ou absent) désactive la politique. Passez en « testing » puis « enforce ».",
            `mode: ${mode || "absent"}`,
          ),
  );
  const uncovered = mxHosts.filter((mx) => !policy.mx.some((p) => mxMatchesPattern(mx, p)));
  out.push(
    uncovered.length === 0 && mxHosts.length > 0
      ? control(
          "mta_sts.mx",
          "mta_sts",
          "pass",
          "La politique MTA-STS couvre tous les MX",
          "Chaque serveur MX du domaine correspond à une ligne « mx » de la politique.",
          `mx: ${policy.mx.join(", ")}`,
        )
      : control(
          "mta_sts.mx",
          "mta_sts",
          "fail",
          "Des MX ne sont pas couverts par la politique MTA-STS",
          "En mode « enforce », les expéditeurs refusent de livrer aux MX absents de la politique : ajoutez-les (lignes « mx: »).",
          `non couverts : ${uncovered.join(", ") || "aucun MX"} ; politique : ${policy.mx.join(", ") || "aucune ligne mx"}`,
        ),
  );
  out.push(
    policy.maxAge !== null && policy.maxAge >= MIN_MAX_AGE
      ? control(
          "mta_sts.max_age",
          "mta_sts",
          "pass",
          "Durée de validité MTA-STS suffisante",
          "Les expéditeurs gardent la politique au moins une semaine.",
          `max_age: ${policy.maxAge}`,
        )
      : control(
          "mta_sts.max_age",
          "mta_sts",
          "warn",
          "Durée de validité MTA-STS courte ou absente",
          "Une durée courte laisse une fenêtre d'attaque entre deux lectures : visez « max_age: 604800 » (une semaine) ou plus.",
          `max_age: ${policy.maxAge ?? "absent"}`,
        ),
  );
  return out;
}

/** TLS-RPT: `_smtp._tls` TXT `v=TLSRPTv1; rua=…`. */
export async function tlsRptControls(dns: PostureDns, domain: string): Promise<MailControl[]> {
  const records = (await dns.txt(`_smtp._tls.${domain}`)).filter((t) =>
    /^v=TLSRPTv1\s*(;|$)/i.test(t.trim()),
  );
  if (records.length === 0) {
    return [
      control(
        "tls_rpt.record",
        "tls_rpt",
        "warn",
        "Aucun rapport TLS-RPT demandé",
        "TLS-RPT permet de recevoir les échecs de chiffrement constatés par les expéditeurs (utile avec MTA-STS ou " +
          "DANE). Publiez « _smtp._tls » : « v=TLSRPTv1; rua=mailto:adresse ».",
        `Aucun TXT « v=TLSRPTv1 » sur _smtp._tls.${domain}`,
      ),
    ];
  }
  const rua = parseTags(records[0] as string).get("rua");
  const valid =
    records.length === 1 &&
    !!rua &&
    rua.split(",").every((u) => /^(mailto:[^@\s]+@[^@\s]+|https:\/\/\S+)$/i.test(u.trim()));
  return [
    valid
      ? control(
          "tls_rpt.record",
          "tls_rpt",
          "pass",
          "Rapports TLS-RPT demandés",
          "Les expéditeurs vous envoient leurs rapports d'échec TLS.",
          records[0] as string,
        )
      : control(
          "tls_rpt.record",
          "tls_rpt",
          "fail",
          "Enregistrement TLS-RPT invalide",
          "Il faut exactement un TXT « v=TLSRPTv1; rua=mailto:… » (ou https://…).",
          clip(records.join("\n")),
        ),
  ];
}
