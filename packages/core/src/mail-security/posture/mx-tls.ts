import { createHash, X509Certificate } from "node:crypto";
import type { MailControl } from "@vigie/contracts";
import type { TlsaData } from "dns-packet";
import type { ScanContext } from "../../exposure-audits/scan/types.ts";
import { control, type PostureDns } from "./common.ts";
import { probeStarttls, type StarttlsProbe } from "./connections.ts";

/** RFC 7671: does a TLSA record designate one of the certificates presented? */
export function tlsaMatches(record: TlsaData, chain: readonly Buffer[]): boolean {
  const candidates = record.usage === 3 || record.usage === 1 ? chain.slice(0, 1) : chain;
  return candidates.some((der) => {
    let data: Buffer;
    if (record.selector === 0) data = der;
    else if (record.selector === 1) {
      data = new X509Certificate(der).publicKey.export({ type: "spki", format: "der" });
    } else return false;
    const digest =
      record.matchingType === 0
        ? data
        : record.matchingType === 1
          ? createHash("sha256").update(data).digest()
          : record.matchingType === 2
            ? createHash("sha512").update(data).digest()
            : null;
    return digest?.equals(record.certificate) ?? false;
  });
}

function tlsaText(r: TlsaData): string {
  return `${r.usage} ${r.selector} ${r.matchingType} ${r.certificate.toString("hex").slice(0, 16)}…`;
}

const TLS_OK = new Set(["TLSv1.2", "TLSv1.3"]);

/** STARTTLS, TLS and DANE control points of every MX. */
export async function mxControls(
  ctx: ScanContext,
  dns: PostureDns,
  domain: string,
  mxHosts: readonly string[],
  zoneSigned: boolean,
  now: Date,
  ehloName: string,
  trustedCa?: readonly string[],
): Promise<MailControl[]> {
  if (mxHosts.length === 0) {
    return [
      control(
        "starttls.mx",
        "starttls",
        "fail",
        "Aucun serveur MX",
        "Le domaine ne publie aucun enregistrement MX utilisable : il ne peut pas recevoir de messages (ou seulement " +
          "par l'adresse du domaine). Publiez les MX de votre messagerie.",
        `Aucun MX pour ${domain}`,
      ),
    ];
  }
  const out: MailControl[] = [];
  for (const mx of mxHosts) {
    const ips = await dns.addresses(mx);
    const allowed = ips.filter((ip) => ctx.guard.allowsIp(ip));
    const ip = allowed[0];
    if (!ip) {
      out.push(
        control(
          `starttls.offered.${mx}`,
          "starttls",
          ips.length === 0 ? "fail" : "info",
          ips.length === 0 ? `Le MX ${mx} ne se résout pas` : `MX ${mx} non testé`,
          ips.length === 0
            ? "Le nom du serveur MX n'a pas d'adresse : les messages ne peuvent pas lui être remis. Corrigez l'enregistrement MX ou ajoutez l'adresse."
            : "L'adresse de ce serveur n'est pas de celles que la plateforme peut joindre (adresse privée ou réservée).",
          ips.join(", ") || null,
        ),
      );
      continue;
    }
    const probe: StarttlsProbe = await probeStarttls(ctx, ip, mx, ehloName, trustedCa);
    const where = `${mx} (${ip}:25)`;
    if (!probe.reached || (probe.error && !probe.offered)) {
      out.push(
        control(
          `starttls.offered.${mx}`,
          "starttls",
          "fail",
          `Le MX ${mx} ne répond pas en SMTP`,
          "Le serveur n'a pas pu être joint sur le port 25 ou n'a pas mené la session SMTP : vérifiez qu'il accepte les connexions des expéditeurs.",
          `${where} : ${probe.error ?? "pas de réponse"}`,
        ),
      );
      continue;
    }
    if (!probe.offered) {
      out.push(
        control(
          `starttls.offered.${mx}`,
          "starttls",
          "fail",
          `STARTTLS non proposé par ${mx}`,
          "Les messages qui vous sont envoyés circulent en clair sur Internet. Activez STARTTLS (TLS 1.2 ou plus, certificat valide pour le nom du MX).",
          `${where} : STARTTLS absent de la réponse à EHLO ; bannière « ${probe.banner ?? ""} »`,
        ),
      );
      continue;
    }
    const view = probe.tls;
    if (!view) {
      out.push(
        control(
          `starttls.offered.${mx}`,
          "starttls",
          "fail",
          `STARTTLS proposé mais inutilisable sur ${mx}`,
          "Le serveur annonce STARTTLS mais la négociation échoue : les expéditeurs retombent en clair. Corrigez la configuration TLS.",
          `${where} : ${probe.tlsError ?? probe.error ?? ""}`,
        ),
      );
      continue;
    }
    out.push(
      control(
        `starttls.offered.${mx}`,
        "starttls",
        "pass",
        `STARTTLS proposé par ${mx}`,
        "Les messages peuvent vous être remis chiffrés.",
        where,
      ),
    );
    const protocol = view.protocol ?? "inconnu";
    out.push(
      TLS_OK.has(protocol)
        ? control(
            `starttls.version.${mx}`,
            "starttls",
            "pass",
            `${mx} négocie ${protocol}`,
            "La version de TLS est à jour.",
            `${protocol}, ${view.cipher ?? ""}`,
          )
        : control(
            `starttls.version.${mx}`,
            "starttls",
            "fail",
            `${mx} négocie une version obsolète de TLS (${protocol})`,
            "TLS 1.0 et 1.1 sont obsolètes et vulnérables : activez TLS 1.2 et 1.3 sur le serveur.",
            `${protocol}, ${view.cipher ?? ""}`,
          ),
    );
    const cert = view.certificate;
    const inDates = cert ? new Date(cert.validFrom) <= now && now <= new Date(cert.validTo) : false;
    const certOk = view.trusted && view.nameMatches && inDates;
    out.push(
      certOk
        ? control(
            `starttls.certificate.${mx}`,
            "starttls",
            "pass",
            `Certificat de ${mx} valide`,
            "Le certificat est reconnu et valide pour le nom du MX : MTA-STS et les expéditeurs stricts peuvent s'y fier.",
            cert ? `${cert.subject.replace(/\n/g, ", ")} ; expire le ${cert.validTo}` : null,
          )
        : control(
            `starttls.certificate.${mx}`,
            "starttls",
            "warn",
            `Certificat de ${mx} non valide pour ce nom`,
            "Le chiffrement reste opportuniste : la plupart des expéditeurs acceptent ce certificat, mais MTA-STS en " +
              "mode « enforce » refuse de livrer. Installez un certificat d'une autorité reconnue valide pour le nom du MX.",
            [
              view.nameMatches ? null : `nom ${mx} non couvert`,
              view.trustError,
              inDates ? null : "hors de sa période de validité",
              cert ? cert.subject.replace(/\n/g, ", ") : "aucun certificat",
            ]
              .filter(Boolean)
              .join(" ; "),
          ),
    );
    let tlsa: TlsaData[] = [];
    try {
      const response = await dns.query(`_25._tcp.${mx}`, "TLSA", true);
      tlsa = response.answers.filter((a) => a.type === "TLSA").map((a) => a.data as TlsaData);
    } catch {
      tlsa = [];
    }
    if (tlsa.length === 0) {
      out.push(
        control(
          `dane.${mx}`,
          "dane",
          "info",
          `Pas d'enregistrement TLSA pour ${mx}`,
          zoneSigned
            ? "Le domaine est signé : publier un TLSA (« 3 1 1 », empreinte de la clé du serveur) à _25._tcp du MX permettrait aux expéditeurs d'exiger TLS (DANE)."
            : "DANE demande une zone signée DNSSEC ; avec MTA-STS, c'est l'autre moyen d'imposer TLS aux expéditeurs.",
          `Aucun TLSA à _25._tcp.${mx}`,
        ),
      );
      continue;
    }
    const matching = tlsa.filter((r) => tlsaMatches(r, view.chain));
    const smtpUsages = tlsa.every((r) => r.usage === 2 || r.usage === 3);
    if (matching.length === 0) {
      out.push(
        control(
          `dane.${mx}`,
          "dane",
          "fail",
          `Enregistrement TLSA de ${mx} sans correspondance`,
          "Aucun TLSA ne correspond au certificat présenté : les expéditeurs qui appliquent DANE refusent de livrer. " +
            "Publiez l'empreinte du certificat (ou de la clé) actuel avant chaque renouvellement.",
          tlsa.map(tlsaText).join(" | "),
        ),
      );
    } else if (!zoneSigned) {
      out.push(
        control(
          `dane.${mx}`,
          "dane",
          "warn",
          `TLSA de ${mx} publié dans une zone non signée`,
          "Sans DNSSEC, les expéditeurs ignorent les enregistrements TLSA : signez la zone pour que DANE s'applique.",
          tlsa.map(tlsaText).join(" | "),
        ),
      );
    } else {
      out.push(
        control(
          `dane.${mx}`,
          "dane",
          smtpUsages ? "pass" : "warn",
          smtpUsages ? `DANE actif pour ${mx}` : `TLSA de ${mx} avec des usages ignorés en SMTP`,
          smtpUsages
            ? "Un TLSA signé correspond au certificat présenté : les expéditeurs compatibles exigent TLS vers ce MX."
            : "Pour SMTP, seuls les usages 2 (DANE-TA) et 3 (DANE-EE) s'appliquent (RFC 7672) : préférez « 3 1 1 ».",
          matching.map(tlsaText).join(" | "),
        ),
      );
    }
  }
  return out;
}
