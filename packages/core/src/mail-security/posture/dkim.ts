import { createPublicKey } from "node:crypto";
import type { MailControl } from "@vigie/contracts";
import { clip, control, type PostureDns, parseTags } from "./common.ts";

/**
 * DKIM selectors tried when none is given: the common defaults of mail software and providers
 * (selector1/selector2: Microsoft 365; google: Google Workspace; k1–k3: Mailchimp/Mandrill;
 * s1/s2 and smtp: many hosting panels; default: OpenDKIM, cPanel, Plesk; mail, dkim: rspamd,
 * Zimbra; protonmail, zoho, mailjet, sendinblue/brevo, ovh, …). A selector cannot be listed
 * from DNS: the structure can name its own.
 */
export const DKIM_DEFAULT_SELECTORS = [
  "default",
  "selector1",
  "selector2",
  "google",
  "k1",
  "k2",
  "k3",
  "mail",
  "dkim",
  "dkim1",
  "s1",
  "s2",
  "smtp",
  "sig1",
  "mx",
  "email",
  "mandrill",
  "mailjet",
  "sendinblue",
  "brevo",
  "ovh",
  "zoho",
  "protonmail",
  "protonmail2",
  "protonmail3",
  "everlytickey1",
  "mxvault",
] as const;

export interface DkimKey {
  selector: string;
  record: string;
  keyType: string;
  /** RSA modulus size; null for other key types or an unreadable key. */
  bits: number | null;
  revoked: boolean;
  readable: boolean;
}

/** Reads the key of a DKIM record (`v=DKIM1; k=rsa; p=…`). */
export function parseDkimRecord(selector: string, record: string): DkimKey {
  const tags = parseTags(record);
  const keyType = (tags.get("k") ?? "rsa").toLowerCase();
  const p = (tags.get("p") ?? "").replace(/\s+/g, "");
  if (!p) return { selector, record, keyType, bits: null, revoked: true, readable: true };
  const der = Buffer.from(p, "base64");
  if (keyType !== "rsa")
    return { selector, record, keyType, bits: null, revoked: false, readable: der.length > 0 };
  for (const type of ["spki", "pkcs1"] as const) {
    try {
      const key = createPublicKey({ key: der, format: "der", type });
      const bits = key.asymmetricKeyDetails?.modulusLength ?? null;
      return { selector, record, keyType, bits, revoked: false, readable: bits !== null };
    } catch {
      // try the other encoding
    }
  }
  return { selector, record, keyType, bits: null, revoked: false, readable: false };
}

/** DKIM control points: the keys found under the tried selectors. */
export async function dkimControls(
  dns: PostureDns,
  domain: string,
  extraSelectors: readonly string[] = [],
): Promise<MailControl[]> {
  const selectors = [
    ...new Set([
      ...extraSelectors.map((s) => s.trim().toLowerCase()).filter(Boolean),
      ...DKIM_DEFAULT_SELECTORS,
    ]),
  ];
  const found = (
    await Promise.all(
      selectors.map(async (selector) => {
        const records = (await dns.txt(`${selector}._domainkey.${domain}`)).filter(
          (t) => /(^|;)\s*p=/i.test(t) || /^v=DKIM1/i.test(t.trim()),
        );
        return records[0] ? parseDkimRecord(selector, records[0]) : null;
      }),
    )
  ).filter((k): k is DkimKey => k !== null);
  if (found.length === 0) {
    return [
      control(
        "dkim.found",
        "dkim",
        "warn",
        "Aucune clé DKIM trouvée",
        "Aucune clé DKIM n'a été trouvée sous les sélecteurs courants. Sans signature DKIM, les destinataires ne " +
          "peuvent pas vérifier que vos messages n'ont pas été modifiés, et DMARC ne repose que sur SPF. Signez " +
          "vos messages sortants (clé RSA de 2048 bits) ; si vous utilisez un autre sélecteur, indiquez-le pour " +
          "qu'il soit testé.",
        `Sélecteurs essayés : ${selectors.join(", ")}`,
      ),
    ];
  }
  const out: MailControl[] = [
    control(
      "dkim.found",
      "dkim",
      "pass",
      `Clé DKIM publiée (${found.map((k) => k.selector).join(", ")})`,
      "Le domaine publie au moins une clé de signature DKIM.",
      `Sélecteurs trouvés : ${found.map((k) => k.selector).join(", ")}`,
    ),
  ];
  for (const key of found) {
    const code = `dkim.key.${key.selector}`;
    const evidence = clip(`${key.selector}._domainkey.${domain} : ${key.record}`, 200);
    if (key.revoked) {
      out.push(
        control(
          code,
          "dkim",
          "info",
          `Clé DKIM révoquée (sélecteur ${key.selector})`,
          "La clé est publiée vide (p=) : elle a été révoquée. C'est normal après une rotation ; retirez-la de la " +
            "configuration d'envoi si elle y figure encore.",
          evidence,
        ),
      );
    } else if (!key.readable) {
      out.push(
        control(
          code,
          "dkim",
          "fail",
          `Clé DKIM illisible (sélecteur ${key.selector})`,
          "La clé publique ne peut pas être décodée : les signatures ne pourront pas être vérifiées. Republiez la clé.",
          evidence,
        ),
      );
    } else if (key.keyType !== "rsa") {
      out.push(
        control(
          code,
          "dkim",
          key.keyType === "ed25519" ? "pass" : "warn",
          `Clé DKIM ${key.keyType} (sélecteur ${key.selector})`,
          key.keyType === "ed25519"
            ? "Clé Ed25519 : robuste. Gardez aussi une clé RSA, tous les destinataires ne vérifient pas Ed25519."
            : "Type de clé inconnu : vérifiez la configuration.",
          evidence,
        ),
      );
    } else {
      const bits = key.bits ?? 0;
      const status = bits < 1024 ? "fail" : bits < 2048 ? "warn" : "pass";
      out.push(
        control(
          code,
          "dkim",
          status,
          `Clé DKIM RSA de ${bits} bits (sélecteur ${key.selector})`,
          status === "pass"
            ? "La taille de la clé est suffisante."
            : status === "warn"
              ? "Une clé RSA de moins de 2048 bits est jugée faible : générez une clé de 2048 bits et publiez-la sous un nouveau sélecteur."
              : "Une clé RSA de moins de 1024 bits se casse : les signatures peuvent être falsifiées. Remplacez-la sans tarder par une clé de 2048 bits.",
          evidence,
        ),
      );
    }
  }
  return out;
}
