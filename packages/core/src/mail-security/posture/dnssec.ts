import type { MailControl } from "@vigie/contracts";
import { control, type PostureDns } from "./common.ts";

export interface DnssecState {
  signed: boolean;
  validated: boolean;
  controls: MailControl[];
}

/** DNSSEC: the domain's answers carry signatures (DO bit) and it publishes DNSKEYs; AD when the resolver validates. */
export async function dnssecControls(dns: PostureDns, domain: string): Promise<DnssecState> {
  let rrsig = false;
  let dnskey = false;
  let validated = false;
  let error: string | null = null;
  try {
    const soa = await dns.query(domain, "SOA", true);
    rrsig = soa.answers.some((a) => a.type === "RRSIG");
    validated = soa.authenticated;
    const keys = await dns.query(domain, "DNSKEY", true);
    dnskey = keys.answers.some((a) => a.type === "DNSKEY");
    validated = validated && keys.authenticated;
  } catch (err) {
    error = (err as Error).message;
  }
  const signed = rrsig && dnskey;
  const controls: MailControl[] = [
    signed
      ? control(
          "dnssec.signed",
          "dnssec",
          "pass",
          "Zone signée DNSSEC",
          "Les réponses du domaine sont signées : MX, SPF, DMARC et TLSA ne peuvent pas être falsifiés en chemin.",
          "RRSIG présents, DNSKEY publiés",
        )
      : control(
          "dnssec.signed",
          "dnssec",
          "fail",
          "Zone non signée DNSSEC",
          "Sans DNSSEC, un attaquant peut falsifier les réponses DNS (MX, SPF, DMARC) et détourner ou usurper vos " +
            "messages ; DANE est impossible. Activez la signature chez votre hébergeur DNS et publiez le DS chez le registre.",
          error ??
            `${rrsig ? "RRSIG présents" : "aucun RRSIG"}, ${dnskey ? "DNSKEY publiés" : "aucun DNSKEY"}`,
        ),
  ];
  if (signed) {
    controls.push(
      validated
        ? control(
            "dnssec.validated",
            "dnssec",
            "pass",
            "Réponses validées par le résolveur",
            "Le résolveur a validé la chaîne de confiance (bit AD).",
            "AD",
          )
        : control(
            "dnssec.validated",
            "dnssec",
            "info",
            "Chaîne de confiance non confirmée par le résolveur",
            "Le résolveur interrogé ne valide pas DNSSEC (pas de bit AD) : vérifiez que le DS est publié dans la zone parente.",
            "pas de bit AD",
          ),
    );
  }
  return { signed, validated, controls };
}
