import { isIPv4, isIPv6 } from "node:net";
import type { MailControl } from "@vigie/contracts";
import { clip, control, type PostureDns } from "./common.ts";

/** RFC 7208: at most 10 mechanisms and modifiers causing DNS lookups, recursively. */
export const SPF_LOOKUP_LIMIT = 10;

export interface SpfTerm {
  raw: string;
  kind: "mechanism" | "modifier";
  qualifier: "+" | "-" | "~" | "?";
  name: string;
  value: string | null;
}

export interface ParsedSpf {
  terms: SpfTerm[];
  /** Syntax problems, in French. */
  problems: string[];
}

const MECHANISMS = new Set(["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"]);
const LOOKUP_MECHANISMS = new Set(["include", "a", "mx", "ptr", "exists"]);
const DOMAIN_SPEC = /^[A-Za-z0-9_.%{}+\-=/]+$/;

function validCidr(value: string, v6: boolean): boolean {
  const [address, bits, ...rest] = value.split("/");
  if (rest.length > 0 || !address) return false;
  if (!(v6 ? isIPv6(address) : isIPv4(address))) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n >= 0 && n <= (v6 ? 128 : 32);
}

/** Parses an SPF record (`v=spf1 …`) into its terms and lists its syntax problems. */
export function parseSpf(record: string): ParsedSpf {
  const words = record.trim().split(/\s+/);
  const problems: string[] = [];
  const terms: SpfTerm[] = [];
  if (words[0]?.toLowerCase() !== "v=spf1") problems.push("l'enregistrement ne commence pas par « v=spf1 »");
  for (const raw of words.slice(1)) {
    const modifier = /^([A-Za-z][A-Za-z0-9_.-]*)=(.*)$/.exec(raw);
    if (modifier?.[1]) {
      const name = modifier[1].toLowerCase();
      const value = modifier[2] ?? "";
      if ((name === "redirect" || name === "exp") && !DOMAIN_SPEC.test(value)) {
        problems.push(`modificateur « ${raw} » sans domaine valide`);
      }
      if (
        terms.some((t) => t.kind === "modifier" && t.name === name && (name === "redirect" || name === "exp"))
      ) {
        problems.push(`modificateur « ${name} » répété`);
      }
      terms.push({ raw, kind: "modifier", qualifier: "+", name, value });
      continue;
    }
    const match = /^([+\-~?]?)([A-Za-z0-9]+)([:/].*)?$/.exec(raw);
    const name = match?.[2]?.toLowerCase();
    if (!match || !name || !MECHANISMS.has(name)) {
      problems.push(`mécanisme inconnu ou mal formé : « ${raw} »`);
      continue;
    }
    const qualifier = (match[1] || "+") as SpfTerm["qualifier"];
    const rest = match[3] ?? null;
    const value = rest?.startsWith(":") ? rest.slice(1) : rest;
    switch (name) {
      case "all":
        if (rest) problems.push(`« all » ne prend pas d'argument : « ${raw} »`);
        break;
      case "include":
      case "exists":
        if (!value || !rest?.startsWith(":") || !DOMAIN_SPEC.test(value)) {
          problems.push(`« ${name} » demande un domaine : « ${raw} »`);
        }
        break;
      case "ip4":
      case "ip6":
        if (!value || !rest?.startsWith(":") || !validCidr(value, name === "ip6")) {
          problems.push(`adresse ou plage invalide : « ${raw} »`);
        }
        break;
      default:
        if (value && !DOMAIN_SPEC.test(value)) problems.push(`argument invalide : « ${raw} »`);
    }
    terms.push({ raw, kind: "mechanism", qualifier, name, value });
  }
  return { terms, problems };
}

/** The SPF records (`v=spf1`) among a name's TXT strings. */
export function spfRecordsOf(txt: readonly string[]): string[] {
  return txt.filter((t) => /^v=spf1(\s|$)/i.test(t.trim()));
}

interface LookupCount {
  count: number;
  /** Where the lookups come from, e.g. `include:_spf.example.fr (+3)`. */
  trail: string[];
}

/**
 * Counts the DNS lookups a receiver makes to evaluate the policy: include, a, mx, ptr, exists
 * and redirect, following includes and redirects (each followed record's own lookups added).
 */
export async function countSpfLookups(
  dns: PostureDns,
  parsed: ParsedSpf,
  seen: Set<string> = new Set(),
  depth = 0,
): Promise<LookupCount> {
  let count = 0;
  const trail: string[] = [];
  for (const term of parsed.terms) {
    const follows = (term.kind === "mechanism" && term.name === "include") || term.name === "redirect";
    if (term.kind === "mechanism" && !LOOKUP_MECHANISMS.has(term.name) && !follows) continue;
    if (term.kind === "modifier" && term.name !== "redirect") continue;
    count += 1;
    if (!follows || !term.value || depth >= SPF_LOOKUP_LIMIT) {
      trail.push(term.raw);
      continue;
    }
    const target = term.value.toLowerCase().replace(/\.$/, "");
    if (seen.has(target)) {
      trail.push(`${term.raw} (boucle)`);
      continue;
    }
    seen.add(target);
    const record = spfRecordsOf(await dns.txt(target))[0];
    if (!record) {
      trail.push(`${term.raw} (aucun SPF)`);
      continue;
    }
    const inner = await countSpfLookups(dns, parseSpf(record), seen, depth + 1);
    count += inner.count;
    trail.push(inner.count > 0 ? `${term.raw} (+${inner.count})` : term.raw);
  }
  return { count, trail };
}

/** The `all` that ends the evaluation, following a redirect when there is no `all`. */
async function finalAll(dns: PostureDns, parsed: ParsedSpf, depth = 0): Promise<SpfTerm | null> {
  const all = parsed.terms.find((t) => t.kind === "mechanism" && t.name === "all");
  if (all) return all;
  const redirect = parsed.terms.find((t) => t.kind === "modifier" && t.name === "redirect");
  if (!redirect?.value || depth >= 5) return null;
  const record = spfRecordsOf(await dns.txt(redirect.value))[0];
  return record ? finalAll(dns, parseSpf(record), depth + 1) : null;
}

/** SPF control points of a domain. */
export async function spfControls(dns: PostureDns, domain: string): Promise<MailControl[]> {
  const records = spfRecordsOf(await dns.txt(domain));
  if (records.length === 0) {
    return [
      control(
        "spf.present",
        "spf",
        "fail",
        "Aucun enregistrement SPF",
        "Sans SPF, n'importe quel serveur peut envoyer des messages au nom du domaine sans que les destinataires " +
          "puissent le détecter. Publiez un enregistrement TXT « v=spf1 … -all » listant vos serveurs d'envoi.",
        `Aucun TXT « v=spf1 » sur ${domain}`,
      ),
    ];
  }
  const out: MailControl[] = [
    control(
      "spf.present",
      "spf",
      "pass",
      "Enregistrement SPF publié",
      "Le domaine publie la liste des serveurs autorisés à envoyer ses messages.",
      clip(records.join("\n")),
    ),
  ];
  if (records.length > 1) {
    out.push(
      control(
        "spf.single",
        "spf",
        "fail",
        "Plusieurs enregistrements SPF",
        "Plusieurs TXT « v=spf1 » rendent la politique invalide (permerror) : les destinataires l'ignorent. " +
          "Fusionnez-les en un seul enregistrement.",
        clip(records.join("\n")),
      ),
    );
  } else {
    out.push(
      control(
        "spf.single",
        "spf",
        "pass",
        "Un seul enregistrement SPF",
        "Le domaine publie exactement une politique SPF.",
      ),
    );
  }
  const record = records[0] as string;
  const parsed = parseSpf(record);
  out.push(
    parsed.problems.length > 0
      ? control(
          "spf.syntax",
          "spf",
          "fail",
          "Syntaxe SPF invalide",
          "Une erreur de syntaxe rend la politique inutilisable (permerror) : corrigez les termes signalés.",
          parsed.problems.join(" ; "),
        )
      : control(
          "spf.syntax",
          "spf",
          "pass",
          "Syntaxe SPF valide",
          "Les mécanismes et qualificateurs de la politique sont valides.",
        ),
  );
  const lookups = await countSpfLookups(dns, parsed, new Set([domain.toLowerCase()]));
  out.push(
    lookups.count > SPF_LOOKUP_LIMIT
      ? control(
          "spf.lookups",
          "spf",
          "fail",
          `Trop de requêtes DNS pour évaluer le SPF (${lookups.count} > ${SPF_LOOKUP_LIMIT})`,
          "Au-delà de 10 requêtes (include, a, mx, ptr, exists, redirect), les destinataires rejettent la politique " +
            "(permerror) et vos messages peuvent être refusés. Remplacez des « include » par des plages ip4/ip6 ou " +
            "regroupez les services d'envoi.",
          clip(`${lookups.count} requêtes : ${lookups.trail.join(", ")}`),
        )
      : control(
          "spf.lookups",
          "spf",
          "pass",
          `Nombre de requêtes DNS du SPF dans la limite (${lookups.count}/${SPF_LOOKUP_LIMIT})`,
          "L'évaluation de la politique reste sous la limite de 10 requêtes DNS.",
          clip(lookups.trail.join(", ") || "aucune"),
        ),
  );
  const all = await finalAll(dns, parsed);
  if (!all) {
    out.push(
      control(
        "spf.all",
        "spf",
        "fail",
        "Politique SPF sans « all » final",
        "Sans « -all », un serveur non listé n'est pas signalé comme illégitime (résultat neutre). Terminez la " +
          "politique par « -all ».",
        record,
      ),
    );
  } else if (all.qualifier === "-") {
    out.push(
      control(
        "spf.all",
        "spf",
        "pass",
        "Politique SPF stricte (-all)",
        "Les serveurs non listés sont rejetés.",
        all.raw,
      ),
    );
  } else if (all.qualifier === "~") {
    out.push(
      control(
        "spf.all",
        "spf",
        "warn",
        "Politique SPF permissive (~all)",
        "« ~all » (softfail) marque les messages des serveurs non listés sans les rejeter. Une fois la liste " +
          "des serveurs d'envoi vérifiée, passez à « -all ».",
        all.raw,
      ),
    );
  } else {
    out.push(
      control(
        "spf.all",
        "spf",
        "fail",
        `Politique SPF inopérante (${all.raw})`,
        `« ${all.raw} » autorise ou ne juge pas n'importe quel serveur : la politique ne protège pas le domaine. ` +
          "Terminez-la par « -all ».",
        all.raw,
      ),
    );
  }
  const ptr = parsed.terms.filter((t) => t.kind === "mechanism" && t.name === "ptr");
  out.push(
    ptr.length > 0
      ? control(
          "spf.ptr",
          "spf",
          "warn",
          "Mécanisme « ptr » utilisé",
          "« ptr » est lent, peu fiable et déconseillé par la RFC 7208 ; de nombreux destinataires l'ignorent. " +
            "Remplacez-le par les adresses (ip4/ip6) des serveurs.",
          ptr.map((t) => t.raw).join(" "),
        )
      : control(
          "spf.ptr",
          "spf",
          "pass",
          "Pas de mécanisme « ptr »",
          "La politique n'utilise pas le mécanisme déconseillé « ptr ».",
        ),
  );
  return out;
}
