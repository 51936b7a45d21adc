import type { MailControl } from "@vigie/contracts";
import { clip, control, type PostureDns, parseTags } from "./common.ts";

/** DMARC control points of a domain (`_dmarc.<domain>`). */
export async function dmarcControls(dns: PostureDns, domain: string): Promise<MailControl[]> {
  const records = (await dns.txt(`_dmarc.${domain}`)).filter((t) => /^v=DMARC1\s*(;|$)/i.test(t.trim()));
  if (records.length === 0) {
    return [
      control(
        "dmarc.present",
        "dmarc",
        "fail",
        "Aucune politique DMARC",
        "Sans DMARC, les destinataires ne savent pas quoi faire d'un message usurpant le domaine et vous ne " +
          "recevez aucun rapport. Publiez « v=DMARC1; p=none; rua=mailto:… » pour observer, puis passez à " +
          "« p=quarantine » et « p=reject ».",
        `Aucun TXT « v=DMARC1 » sur _dmarc.${domain}`,
      ),
    ];
  }
  if (records.length > 1) {
    return [
      control(
        "dmarc.present",
        "dmarc",
        "fail",
        "Plusieurs politiques DMARC",
        "Plusieurs enregistrements DMARC rendent la politique invalide : les destinataires l'ignorent. N'en gardez qu'un.",
        clip(records.join("\n")),
      ),
    ];
  }
  const record = records[0] as string;
  const tags = parseTags(record);
  const out: MailControl[] = [
    control(
      "dmarc.present",
      "dmarc",
      "pass",
      "Politique DMARC publiée",
      "Le domaine publie une politique DMARC.",
      record,
    ),
  ];
  const p = tags.get("p")?.toLowerCase();
  if (p === "reject") {
    out.push(
      control(
        "dmarc.policy",
        "dmarc",
        "pass",
        "Politique DMARC de rejet (p=reject)",
        "Les messages usurpant le domaine sont rejetés par les destinataires.",
        "p=reject",
      ),
    );
  } else if (p === "quarantine") {
    out.push(
      control(
        "dmarc.policy",
        "dmarc",
        "warn",
        "Politique DMARC de mise en quarantaine (p=quarantine)",
        "Les messages usurpant le domaine sont classés en indésirables. Une fois les rapports vérifiés, passez à « p=reject ».",
        "p=quarantine",
      ),
    );
  } else {
    out.push(
      control(
        "dmarc.policy",
        "dmarc",
        "fail",
        p === "none" ? "Politique DMARC d'observation seule (p=none)" : "Politique DMARC absente ou invalide",
        "Avec « p=none » (ou sans politique valide) les messages usurpant le domaine sont distribués normalement. " +
          "Analysez les rapports, puis passez à « p=quarantine » et « p=reject ».",
        p ? `p=${p}` : "pas de balise p=",
      ),
    );
  }
  const sp = tags.get("sp")?.toLowerCase();
  if (sp === undefined) {
    out.push(
      control(
        "dmarc.subdomains",
        "dmarc",
        p === "reject" || p === "quarantine" ? "pass" : "info",
        "Sous-domaines : politique héritée",
        "Sans « sp= », les sous-domaines suivent la politique du domaine.",
        null,
      ),
    );
  } else {
    const strict = sp === "reject" || sp === "quarantine";
    out.push(
      control(
        "dmarc.subdomains",
        "dmarc",
        sp === "reject" ? "pass" : strict ? "warn" : "fail",
        `Politique des sous-domaines : sp=${sp}`,
        strict
          ? "Les sous-domaines sont protégés."
          : "Les sous-domaines peuvent être usurpés sans être rejetés : passez « sp= » à « reject ».",
        `sp=${sp}`,
      ),
    );
  }
  const pct = tags.get("pct");
  const pctValue = pct === undefined ? 100 : Number(pct);
  out.push(
    pctValue >= 100
      ? control(
          "dmarc.pct",
          "dmarc",
          "pass",
          "Politique appliquée à tous les messages",
          "La politique s'applique à 100 % des messages.",
          pct ? `pct=${pct}` : null,
        )
      : control(
          "dmarc.pct",
          "dmarc",
          "warn",
          `Politique appliquée à une partie des messages (pct=${pct})`,
          "Seule une partie des messages usurpant le domaine subit la politique. Montez « pct » à 100.",
          `pct=${pct}`,
        ),
  );
  const rua = tags.get("rua");
  out.push(
    rua
      ? control(
          "dmarc.rua",
          "dmarc",
          "pass",
          "Rapports DMARC agrégés demandés",
          "Vous recevez les rapports agrégés (rua) des destinataires.",
          `rua=${rua}`,
        )
      : control(
          "dmarc.rua",
          "dmarc",
          "warn",
          "Aucun rapport DMARC agrégé demandé (rua)",
          "Sans « rua= », vous ne voyez ni les usurpations ni les envois légitimes mal configurés. Ajoutez " +
            "« rua=mailto:adresse » vers une boîte suivie.",
          null,
        ),
  );
  const ruf = tags.get("ruf");
  out.push(
    ruf
      ? control(
          "dmarc.ruf",
          "dmarc",
          "pass",
          "Rapports DMARC d'échec demandés",
          "Vous recevez les rapports détaillés (ruf) des destinataires qui en envoient.",
          `ruf=${ruf}`,
        )
      : control(
          "dmarc.ruf",
          "dmarc",
          "info",
          "Pas de rapport DMARC d'échec (ruf)",
          "Les rapports détaillés (ruf) sont facultatifs et peu envoyés ; les rapports agrégés suffisent en général.",
          null,
        ),
  );
  return out;
}
