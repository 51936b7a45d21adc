import type { FindingSeverity } from "@vigie/contracts";
import type { ScanFinding } from "../types.ts";
import type { Resolution } from "./lookup.ts";
import { daysUntil } from "./rdap.ts";

/** The French findings of the passive DNS phase (category `dns`). */

function frenchDate(date: Date): string {
  return date.toLocaleDateString("fr-FR", {
    timeZone: "Europe/Paris",
    day: "numeric",
    month: "long",
    year: "numeric",
  });
}

function list(items: readonly string[], max = 30): string {
  const shown = items.slice(0, max).join(" ; ");
  return items.length > max ? `${shown} ; … (${items.length - max} de plus)` : shown;
}

export function danglingCnameFinding(domain: string, host: string, resolution: Resolution): ScanFinding {
  const target = resolution.chain.at(-1) ?? resolution.last;
  const chain = [host, ...resolution.chain].join(" → ");
  const why =
    resolution.status === "nxdomain"
      ? `${target} n'existe pas (réponse NXDOMAIN)`
      : `${target} existe mais n'a aucune adresse (ni A ni AAAA)`;
  return {
    check: "dns.cname.dangling",
    category: "dns",
    severity: "high",
    title: "Alias DNS (CNAME) pointant vers un nom inexistant : risque de prise de contrôle du sous-domaine",
    evidence: `${host} est un alias (CNAME) : ${chain}. ${why}.`,
    remediation:
      `Supprimez l'enregistrement CNAME de ${host} s'il n'est plus utilisé, ou recréez la ressource ciblée ` +
      `(${target}) chez le fournisseur. Tant que l'alias existe, un tiers qui obtiendrait ce nom chez le ` +
      "fournisseur (hébergement, CDN, service en nuage) pourrait publier son propre contenu sous votre " +
      "domaine (hameçonnage, vol de cookies). Faites l'inventaire des alias vers des services externes " +
      "et retirez-les dès que le service est résilié.",
    target: { domain, host },
  };
}

export interface TransferAttempt {
  ns: string;
  ip: string;
  outcome: "allowed" | "refused" | "error" | "untested";
  detail: string;
}

function attemptLine(a: TransferAttempt): string {
  switch (a.outcome) {
    case "allowed":
      return `${a.ns} (${a.ip}) : zone transmise, ${a.detail}`;
    case "refused":
      return `${a.ns} (${a.ip}) : transfert refusé (${a.detail})`;
    case "error":
      return `${a.ns} (${a.ip}) : pas de réponse exploitable (${a.detail})`;
    case "untested":
      return `${a.ns} (${a.ip}) : non testé, ${a.detail}`;
  }
}

export function zoneTransferFinding(domain: string, attempts: readonly TransferAttempt[]): ScanFinding {
  const allowed = attempts.filter((a) => a.outcome === "allowed");
  const others = attempts.filter((a) => a.outcome !== "allowed");
  return {
    check: "dns.axfr.allowed",
    category: "dns",
    severity: "high",
    title: "Transfert de zone DNS (AXFR) autorisé à n'importe qui",
    evidence:
      `Le transfert de la zone ${domain} a été accepté par ${allowed.map(attemptLine).join(" ; ")}.` +
      (others.length > 0 ? ` Autres serveurs : ${others.map(attemptLine).join(" ; ")}.` : ""),
    remediation:
      "Restreignez les transferts de zone aux seuls serveurs secondaires (liste d'adresses, de préférence " +
      "avec une clé TSIG) : par exemple `allow-transfer { <secondaires>; };` sous BIND, une ACL `transfer` " +
      "sous Knot DNS, ou le réglage équivalent chez l'hébergeur DNS. Une zone transférable livre la liste " +
      "complète des serveurs et services internes à un attaquant.",
    target: { domain },
  };
}

export function zoneTransferUntestedFinding(
  domain: string,
  attempts: readonly TransferAttempt[],
): ScanFinding {
  return {
    check: "dns.axfr.untested",
    category: "dns",
    severity: "info",
    title: "Transfert de zone non testé sur certains serveurs DNS",
    evidence: `Zone ${domain} : ${attempts.map(attemptLine).join(" ; ")}.`,
    remediation:
      "Aucune action requise. Les serveurs de noms dont l'adresse est hors du périmètre autorisé (hébergeur " +
      "DNS) ne sont pas sollicités par l'audit : vérifiez auprès de l'hébergeur que le transfert de zone " +
      "y est restreint aux serveurs secondaires.",
    target: { domain },
  };
}

export function missingCaaFinding(domain: string, checked: readonly string[]): ScanFinding {
  return {
    check: "dns.caa.missing",
    category: "dns",
    severity: "low",
    title: "Aucun enregistrement CAA : toute autorité de certification peut émettre un certificat",
    evidence: `Aucun enregistrement CAA sur ${checked.join(", ni sur ")}.`,
    remediation:
      `Publiez un enregistrement CAA sur ${domain} n'autorisant que les autorités de certification que vous ` +
      `utilisez, par exemple \`${domain}. CAA 0 issue "letsencrypt.org"\` (et \`issuewild\` pour les ` +
      `certificats génériques), avec \`${domain}. CAA 0 iodef "mailto:securite@${domain}"\` pour être ` +
      "prévenu des demandes refusées.",
    target: { domain },
  };
}

export function expiryFinding(
  domain: string,
  expiration: Date,
  now: Date,
  severity: FindingSeverity,
): ScanFinding {
  const days = daysUntil(expiration, now);
  const expired = expiration.getTime() <= now.getTime();
  return {
    check: "dns.domain.expiry",
    category: "dns",
    severity,
    title: expired
      ? `Nom de domaine expiré : ${domain}`
      : `Nom de domaine bientôt expiré : ${domain} (dans ${days} jour${days > 1 ? "s" : ""})`,
    evidence: expired
      ? `Selon le registre (RDAP), ${domain} a expiré le ${frenchDate(expiration)}.`
      : `Selon le registre (RDAP), ${domain} expire le ${frenchDate(expiration)}, dans ${days} jour${days > 1 ? "s" : ""}.`,
    remediation:
      `Renouvelez ${domain} sans attendre auprès du bureau d'enregistrement et activez le renouvellement ` +
      "automatique, avec une adresse de contact qui ne dépende pas de ce domaine. Un domaine expiré coupe " +
      "la messagerie et les sites, et peut être racheté par un tiers.",
    target: { domain },
  };
}

export function rdapUnavailableFinding(domain: string, reason: string): ScanFinding {
  return {
    check: "dns.rdap.unavailable",
    category: "dns",
    severity: "info",
    title: "Date d'expiration du nom de domaine non vérifiée",
    evidence: `L'expiration de ${domain} n'a pas pu être lue : ${reason}.`,
    remediation:
      "Aucune action requise de la structure. Vérifiez vous-même la date d'expiration du domaine auprès " +
      "de votre bureau d'enregistrement et activez le renouvellement automatique.",
    target: { domain },
  };
}

export function outOfPerimeterFinding(
  domain: string,
  entries: readonly { name: string; ip: string }[],
): ScanFinding {
  const byName = new Map<string, string[]>();
  for (const e of entries) byName.set(e.name, [...(byName.get(e.name) ?? []), e.ip]);
  const lines = [...byName].map(([name, ips]) => `${name} → ${ips.join(", ")}`);
  return {
    check: "dns.out_of_perimeter",
    category: "dns",
    severity: "info",
    title: "Noms du domaine résolus hors des plages d'adresses du périmètre (non audités)",
    evidence: `${byName.size} nom${byName.size > 1 ? "s" : ""} de ${domain} pointe${byName.size > 1 ? "nt" : ""} vers des adresses hors du périmètre autorisé : ${list(lines)}.`,
    remediation:
      "Ces services (hébergeur, prestataire, service en nuage) n'ont pas été sondés. S'ils vous appartiennent, " +
      "ajoutez leurs plages d'adresses au périmètre de l'audit ; sinon, vérifiez que chaque nom est encore " +
      "utile et que son prestataire en assure la sécurité.",
    target: { domain },
  };
}
