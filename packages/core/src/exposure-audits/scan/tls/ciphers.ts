import type { FindingSeverity } from "@vigie/contracts";

/** A weakness of a cipher suite, read from its IANA name. */
export interface CipherWeakness {
  code: "null" | "anon" | "export" | "rc4" | "des" | "3des" | "no_forward_secrecy" | "cbc_sha1";
  severity: FindingSeverity;
  title: string;
  explanation: string;
  remediation: string;
}

const BROKEN: [RegExp, CipherWeakness][] = [
  [
    /_WITH_NULL_/,
    {
      code: "null",
      severity: "high",
      title: "Suites de chiffrement sans chiffrement (NULL) acceptées",
      explanation: "les données circulent en clair",
      remediation: "Retirer les suites NULL de la configuration TLS (par exemple `!eNULL` avec OpenSSL).",
    },
  ],
  [
    /_anon_/,
    {
      code: "anon",
      severity: "high",
      title: "Suites de chiffrement anonymes (sans authentification) acceptées",
      explanation: "le serveur ne s'authentifie pas : une interception (homme du milieu) est triviale",
      remediation: "Retirer les suites anonymes (ADH, AECDH) de la configuration TLS (`!aNULL`).",
    },
  ],
  [
    /_EXPORT/,
    {
      code: "export",
      severity: "high",
      title: "Suites de chiffrement « EXPORT » acceptées",
      explanation: "clés de 40 à 56 bits, cassables en quelques heures (FREAK, Logjam)",
      remediation:
        "Retirer les suites EXPORT de la configuration TLS (`!EXPORT`) et mettre à jour la bibliothèque TLS.",
    },
  ],
  [
    /_RC4_/,
    {
      code: "rc4",
      severity: "high",
      title: "Suites de chiffrement RC4 acceptées",
      explanation: "RC4 présente des biais statistiques exploitables (RFC 7465 l'interdit)",
      remediation: "Retirer RC4 de la configuration TLS (`!RC4`).",
    },
  ],
  [
    /_WITH_DES_|_DES40_/,
    {
      code: "des",
      severity: "high",
      title: "Suites de chiffrement DES acceptées",
      explanation: "DES (clé de 56 bits) se casse par force brute",
      remediation: "Retirer DES de la configuration TLS (`!DES`).",
    },
  ],
  [
    /_3DES_/,
    {
      code: "3des",
      severity: "medium",
      title: "Suites de chiffrement 3DES acceptées",
      explanation: "blocs de 64 bits, vulnérables à l'attaque Sweet32 (CVE-2016-2183)",
      remediation:
        "Retirer 3DES de la configuration TLS (`!3DES`) ; les clients actuels utilisent AES-GCM ou ChaCha20.",
    },
  ],
];

const NO_FORWARD_SECRECY: CipherWeakness = {
  code: "no_forward_secrecy",
  severity: "low",
  title: "Suites de chiffrement sans confidentialité persistante acceptées",
  explanation:
    "échange de clés RSA statique : la compromission future de la clé privée du serveur permettrait de déchiffrer les échanges enregistrés",
  remediation:
    "N'accepter que des échanges de clés éphémères (ECDHE, DHE) : retirer les suites `TLS_RSA_WITH_*` (`!kRSA` avec OpenSSL).",
};

const CBC_SHA1: CipherWeakness = {
  code: "cbc_sha1",
  severity: "low",
  title: "Suites CBC avec HMAC-SHA1 acceptées",
  explanation:
    "mode CBC « MAC-then-encrypt » historiquement exposé aux attaques par oracle de remplissage (Lucky13, POODLE TLS), déconseillé par l'ANSSI",
  remediation:
    "Privilégier les suites AEAD (AES-GCM, ChaCha20-Poly1305) et retirer les suites `*_CBC_SHA` une fois les clients anciens écartés.",
};

/** True when the suite's key exchange is ephemeral (or TLS 1.3, always ephemeral). */
export function hasForwardSecrecy(standardName: string): boolean {
  if (!standardName.includes("_WITH_")) return true; // TLS 1.3 suites: TLS_AES_128_GCM_SHA256…
  return /^TLS_(ECDHE|DHE|EDH)_/.test(standardName);
}

/** The weaknesses of one suite (IANA name): at most one « broken » class, plus independent ones. */
export function weaknessesOf(standardName: string): CipherWeakness[] {
  const out: CipherWeakness[] = [];
  const broken = BROKEN.find(([pattern]) => pattern.test(standardName));
  if (broken) {
    out.push(broken[1]);
    return out;
  }
  if (!hasForwardSecrecy(standardName)) out.push(NO_FORWARD_SECRECY);
  if (/_CBC_SHA$/.test(standardName)) out.push(CBC_SHA1);
  return out;
}
