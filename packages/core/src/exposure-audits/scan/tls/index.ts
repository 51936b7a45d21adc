import type { X509Certificate } from "node:crypto";
import net from "node:net";
import tls from "node:tls";
import type { FindingTarget, OpenService, ScanContext, ScanFinding } from "../types.ts";
import {
  caIssuersOf,
  isSelfSigned,
  oneLineName,
  parseAnchors,
  sansOf,
  signatureAlgorithmOid,
  verifyChain,
  WEAK_SIGNATURES,
} from "./certificate.ts";
import { type CipherWeakness, hasForwardSecrecy, weaknessesOf } from "./ciphers.ts";
import { type HandshakeOutcome, PERMISSIVE_CIPHERS, type TlsVersion, tryHandshake } from "./handshake.ts";
import { LEGACY_SUITES, SSL3, SSL3_SUITES, sendRawClientHello, TLS1_2 } from "./raw-hello.ts";

/**
 * The TLS probe of an audit: for each service speaking TLS, the protocol versions accepted, the
 * weak cipher suites accepted, and the certificate (dates, chain, name, key, signature).
 *
 * Services probed: those with `tls: true`, and those on a usual HTTPS port (443, 8443, 9443,
 * 10443, 4433) identified as http/https or not identified — for these, nothing is reported
 * unless a TLS handshake actually succeeds. STARTTLS (SMTP, IMAP…) is not probed here.
 *
 * Versions and suites Node's OpenSSL 3 still knows are tried with real handshakes (each suite
 * found is excluded and the handshake retried, as sslscan does); SSLv3 and the obsolete suites
 * (3DES, RC4, DES, EXPORT) with a hand-made ClientHello whose ServerHello is read. SSLv2 is not
 * tried.
 */

export interface TlsCertificateSeen {
  ip: string;
  port: number;
  host?: string;
  subject: string;
  issuer: string;
  /** ISO 8601. */
  notAfter: string;
  sans: string[];
}

export interface TlsCheckOptions {
  /** Extra trusted CA certificates (PEM), for tests and private PKIs. */
  trustedCa?: string[];
}

/** The protocol versions a TLS service accepted (`SSLv3`, `TLS 1.0` … `TLS 1.3`). */
export interface TlsProtocolsSeen {
  ip: string;
  port: number;
  host?: string;
  accepted: string[];
}

export interface TlsCheckResult {
  findings: ScanFinding[];
  certificates: TlsCertificateSeen[];
  /** One entry per service that spoke TLS (or SSLv3). */
  protocols: TlsProtocolsSeen[];
}

const LIKELY_TLS_PORTS = new Set([443, 8443, 9443, 10443, 4433]);
const CONCURRENCY = 4;
const MAX_SUITES = 80;
const DAY_MS = 86_400_000;

const VERSIONS: { version: TlsVersion; label: string; wire: number }[] = [
  { version: "TLSv1.3", label: "TLS 1.3", wire: 0x0304 },
  { version: "TLSv1.2", label: "TLS 1.2", wire: 0x0303 },
  { version: "TLSv1.1", label: "TLS 1.1", wire: 0x0302 },
  { version: "TLSv1", label: "TLS 1.0", wire: 0x0301 },
];

function labelOfWire(wire: number): string {
  if (wire === SSL3) return "SSLv3";
  return VERSIONS.find((v) => v.wire === wire)?.label ?? `0x${wire.toString(16)}`;
}

/** Whether a service is worth a TLS probe. */
export function isTlsCandidate(service: OpenService): boolean {
  if (service.transport !== "tcp") return false;
  if (service.tls) return true;
  return LIKELY_TLS_PORTS.has(service.port) && (service.service === null || /^https?$/.test(service.service));
}

export async function checkTls(
  ctx: ScanContext,
  services: OpenService[],
  now: Date,
  options: TlsCheckOptions = {},
): Promise<TlsCheckResult> {
  const anchors = parseAnchors(options.trustedCa ?? []);
  const queue = services.filter(isTlsCandidate);
  const findings: ScanFinding[] = [];
  const certificates: TlsCertificateSeen[] = [];
  const protocols: TlsProtocolsSeen[] = [];
  const worker = async () => {
    for (let service = queue.shift(); service; service = queue.shift()) {
      const result = await auditService(ctx, service, now, anchors);
      findings.push(...result.findings);
      if (result.certificate) certificates.push(result.certificate);
      if (result.protocols) protocols.push(result.protocols);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { findings, certificates, protocols };
}

interface ServiceAudit {
  findings: ScanFinding[];
  certificate?: TlsCertificateSeen;
  protocols?: TlsProtocolsSeen;
}

async function auditService(
  ctx: ScanContext,
  service: OpenService,
  now: Date,
  anchors: X509Certificate[],
): Promise<ServiceAudit> {
  const target = { ip: service.ip, port: service.port, ...(service.host ? { host: service.host } : {}) };
  const where: FindingTarget = {
    ...(service.host ? { host: service.host } : {}),
    ip: service.ip,
    port: service.port,
    transport: "tcp",
    service: service.service ?? "tls",
  };
  const place = `${service.host ?? service.ip}:${service.port}`;

  // 1. Protocol versions, with real handshakes.
  const outcomes = new Map<TlsVersion, HandshakeOutcome>();
  for (const { version } of VERSIONS) {
    outcomes.set(version, await tryHandshake(ctx, target, { minVersion: version, maxVersion: version }));
  }
  if ([...outcomes.values()].every((o) => o.kind === "unreachable")) return { findings: [] };
  const accepted = new Set(
    VERSIONS.filter((v) => outcomes.get(v.version)?.kind === "ok").map((v) => v.label),
  );

  // 2. SSLv3 and obsolete suites, with hand-made ClientHellos.
  const ssl3 = await sendRawClientHello(ctx, target, SSL3, SSL3_SUITES);
  const ssl3Accepted = ssl3.kind === "accepted" && ssl3.version === SSL3;
  const suites = new Map<string, Set<string>>();
  const addSuite = (name: string, label: string) => {
    const set = suites.get(name) ?? new Set<string>();
    set.add(label);
    suites.set(name, set);
  };
  if (ssl3.kind === "accepted" && ssl3Accepted) {
    const name = LEGACY_SUITES.get(ssl3.cipher);
    if (name) addSuite(name, "SSLv3");
  }
  const legacy = [...LEGACY_SUITES.keys()];
  for (let i = 0; i < LEGACY_SUITES.size && legacy.length > 0; i++) {
    const reply = await sendRawClientHello(ctx, target, TLS1_2, legacy);
    if (reply.kind !== "accepted" || !legacy.includes(reply.cipher)) break;
    legacy.splice(legacy.indexOf(reply.cipher), 1);
    const label = labelOfWire(reply.version);
    addSuite(LEGACY_SUITES.get(reply.cipher) as string, label);
    if (reply.version !== SSL3) accepted.add(label);
  }
  if (accepted.size === 0 && !ssl3Accepted) return { findings: [] };
  const protocols: TlsProtocolsSeen = {
    ip: service.ip,
    port: service.port,
    ...(service.host ? { host: service.host } : {}),
    accepted: [
      ...(ssl3Accepted ? ["SSLv3"] : []),
      ...VERSIONS.map((v) => v.label)
        .filter((label) => accepted.has(label))
        .reverse(),
    ],
  };

  // 3. Suites of TLS 1.0–1.2 Node can negotiate: take what the server picks, exclude it, retry.
  let weakestDh: number | undefined;
  const noteEphemeral = (outcome: HandshakeOutcome) => {
    if (outcome.kind === "ok" && outcome.ephemeral?.type === "DH" && outcome.ephemeral.size) {
      weakestDh = Math.min(weakestDh ?? Number.POSITIVE_INFINITY, outcome.ephemeral.size);
    }
  };
  for (const { version, label } of VERSIONS) {
    const first = outcomes.get(version);
    if (first?.kind !== "ok") continue;
    noteEphemeral(first);
    addSuite(first.cipher.standardName, label);
    if (version === "TLSv1.3") continue;
    const excluded = [first.cipher.name];
    for (let i = 0; i < MAX_SUITES; i++) {
      const ciphers = `${PERMISSIVE_CIPHERS.replace(":@SECLEVEL=0", "")}:${excluded.map((n) => `!${n}`).join(":")}:@SECLEVEL=0`;
      const outcome = await tryHandshake(ctx, target, { minVersion: version, maxVersion: version, ciphers });
      if (outcome.kind !== "ok" || excluded.includes(outcome.cipher.name)) break;
      noteEphemeral(outcome);
      excluded.push(outcome.cipher.name);
      addSuite(outcome.cipher.standardName, label);
    }
  }

  const findings: ScanFinding[] = [];
  const add = (f: Omit<ScanFinding, "category" | "target">) =>
    findings.push({ ...f, category: "tls", target: where });

  // Protocol findings.
  if (ssl3Accepted) {
    add({
      check: "tls.protocol.ssl3",
      severity: "high",
      title: "Protocole SSLv3 accepté",
      evidence: `Le service ${place} répond en SSLv3 à une demande de connexion SSLv3.`,
      remediation:
        "Désactiver SSLv3 (attaque POODLE, RFC 7568) : n'accepter que TLS 1.2 et TLS 1.3 (configuration « intermédiaire » de l'ANSSI / Mozilla).",
    });
  }
  for (const [label, code] of [
    ["TLS 1.0", "tls1_0"],
    ["TLS 1.1", "tls1_1"],
  ] as const) {
    if (accepted.has(label)) {
      add({
        check: `tls.protocol.${code}`,
        severity: "medium",
        title: `Protocole obsolète ${label} accepté`,
        evidence: `Le service ${place} accepte une connexion en ${label}.`,
        remediation: `Désactiver ${label} (obsolète depuis la RFC 8996) : n'accepter que TLS 1.2 et TLS 1.3.`,
      });
    }
  }
  if (!accepted.has("TLS 1.2") && !accepted.has("TLS 1.3")) {
    add({
      check: "tls.protocol.no_tls1_2",
      severity: "high",
      title: "Ni TLS 1.2 ni TLS 1.3 pris en charge",
      evidence: `Le service ${place} n'accepte que des versions obsolètes : ${[...(ssl3Accepted ? ["SSLv3"] : []), ...[...accepted].reverse()].join(", ")}.`,
      remediation:
        "Mettre à jour le logiciel ou l'équipement (ou sa bibliothèque TLS) et activer TLS 1.2 et TLS 1.3.",
    });
  } else if (!accepted.has("TLS 1.3")) {
    add({
      check: "tls.protocol.no_tls1_3",
      severity: "info",
      title: "TLS 1.3 non pris en charge",
      evidence: `Le service ${place} accepte TLS 1.2 mais pas TLS 1.3.`,
      remediation: "Activer TLS 1.3 lors de la prochaine mise à jour du serveur ou de l'équipement.",
    });
  }

  // Cipher findings.
  const describe = (names: string[]) =>
    names.map((n) => `${n} (${[...(suites.get(n) ?? [])].sort().join(", ")})`).join(" ; ");
  const byWeakness = new Map<CipherWeakness["code"], { weakness: CipherWeakness; names: string[] }>();
  for (const name of suites.keys()) {
    for (const weakness of weaknessesOf(name)) {
      const entry = byWeakness.get(weakness.code) ?? { weakness, names: [] };
      entry.names.push(name);
      byWeakness.set(weakness.code, entry);
    }
  }
  const noForwardSecrecyAtAll = suites.size > 0 && ![...suites.keys()].some(hasForwardSecrecy);
  for (const { weakness, names } of byWeakness.values()) {
    if (weakness.code === "no_forward_secrecy" && noForwardSecrecyAtAll) continue;
    add({
      check: `tls.cipher.${weakness.code}`,
      severity: weakness.severity,
      title: weakness.title,
      evidence: `Le service ${place} accepte ${names.length} suite(s) concernée(s) (${weakness.explanation}) : ${describe(names)}.`,
      remediation: weakness.remediation,
    });
  }
  if (noForwardSecrecyAtAll) {
    add({
      check: "tls.cipher.no_forward_secrecy_at_all",
      severity: "medium",
      title: "Aucune confidentialité persistante",
      evidence: `Aucune des suites acceptées par ${place} n'utilise d'échange de clés éphémère : ${describe([...suites.keys()])}.`,
      remediation:
        "Activer les suites ECDHE avec AES-GCM ou ChaCha20-Poly1305 (et TLS 1.3) ; retirer l'échange de clés RSA statique.",
    });
  }
  if (weakestDh !== undefined && weakestDh < 2048) {
    add({
      check: "tls.cipher.weak_dh",
      severity: "medium",
      title: "Paramètres Diffie-Hellman trop faibles",
      evidence: `Le service ${place} propose un groupe Diffie-Hellman (DHE) de ${weakestDh} bits.`,
      remediation: "Utiliser des groupes DHE d'au moins 2048 bits (RFC 7919, ffdhe2048) ou préférer ECDHE.",
    });
  }

  // Certificate findings, from the highest version that completed a handshake.
  const best = VERSIONS.map((v) => outcomes.get(v.version)).find(
    (o): o is Extract<HandshakeOutcome, { kind: "ok" }> => o?.kind === "ok" && o.chain.length > 0,
  );
  if (!best) return { findings, protocols };
  const leaf = best.chain[0] as X509Certificate;
  const certificate: TlsCertificateSeen = {
    ip: service.ip,
    port: service.port,
    ...(service.host ? { host: service.host } : {}),
    subject: oneLineName(leaf.subject),
    issuer: oneLineName(leaf.issuer),
    notAfter: new Date(leaf.validTo).toISOString(),
    sans: sansOf(leaf),
  };
  findings.push(
    ...certificateFindings(best.chain, leaf, certificate, service, now, anchors, place).map((f) => ({
      ...f,
      category: "tls" as const,
      target: where,
    })),
  );
  return { findings, certificate, protocols };
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function certificateFindings(
  chain: X509Certificate[],
  leaf: X509Certificate,
  seen: TlsCertificateSeen,
  service: OpenService,
  now: Date,
  anchors: X509Certificate[],
  place: string,
): Omit<ScanFinding, "category" | "target">[] {
  const out: Omit<ScanFinding, "category" | "target">[] = [];
  const name = `« ${seen.subject} »`;
  const notBefore = new Date(leaf.validFrom);
  const notAfter = new Date(leaf.validTo);
  const daysLeft = Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);

  if (notAfter.getTime() < now.getTime()) {
    out.push({
      check: "tls.cert.expired",
      severity: "high",
      title: "Certificat expiré",
      evidence: `Le certificat ${name} présenté par ${place} a expiré le ${isoDay(notAfter)} (il y a ${-daysLeft} jour(s)).`,
      remediation:
        "Renouveler le certificat et l'installer sur le service ; automatiser le renouvellement (ACME).",
    });
  } else if (notBefore.getTime() > now.getTime()) {
    out.push({
      check: "tls.cert.not_yet_valid",
      severity: "high",
      title: "Certificat pas encore valide",
      evidence: `Le certificat ${name} présenté par ${place} n'est valide qu'à partir du ${isoDay(notBefore)}.`,
      remediation:
        "Vérifier l'horloge du serveur et de l'autorité, et installer un certificat valide dès aujourd'hui.",
    });
  } else if (daysLeft <= 30) {
    out.push({
      check: "tls.cert.expiring",
      severity: daysLeft <= 15 ? "high" : "medium",
      title: `Certificat expirant dans ${daysLeft} jour(s)`,
      evidence: `Le certificat ${name} présenté par ${place} expire le ${isoDay(notAfter)}.`,
      remediation: "Renouveler le certificat avant son expiration ; automatiser le renouvellement (ACME).",
    });
  }

  const verdict = verifyChain(leaf, chain, anchors);
  switch (verdict.kind) {
    case "self_signed":
      out.push({
        check: "tls.cert.self_signed",
        severity: "medium",
        title: "Certificat auto-signé",
        evidence: `Le certificat ${name} présenté par ${place} est signé par lui-même : aucun client ne peut l'authentifier.`,
        remediation:
          "Installer un certificat délivré par une autorité de confiance (publique, ou l'IGC de l'établissement pour un usage interne).",
      });
      break;
    case "untrusted_root":
    case "unknown_issuer": {
      const issuer =
        verdict.kind === "untrusted_root"
          ? oneLineName(verdict.root.subject)
          : oneLineName(verdict.certificate.issuer);
      out.push({
        check: "tls.cert.untrusted",
        severity: "medium",
        title: "Certificat émis par une autorité non reconnue",
        evidence: `La chaîne du certificat ${name} présenté par ${place} remonte à « ${issuer} », qui n'est pas une autorité de confiance.`,
        remediation: "Installer un certificat délivré par une autorité reconnue par les clients du service.",
      });
      break;
    }
    case "incomplete":
      out.push({
        check: "tls.cert.chain_incomplete",
        severity: "medium",
        title: "Chaîne de certificats incomplète (intermédiaire manquant)",
        evidence: `Le serveur ${place} n'envoie pas le certificat de « ${oneLineName(verdict.certificate.issuer)} », émetteur de ${verdict.certificate === leaf ? name : `« ${oneLineName(verdict.certificate.subject)} »`} (disponible sur ${caIssuersOf(verdict.certificate).join(", ")}).`,
        remediation:
          "Configurer le serveur pour envoyer la chaîne complète (certificat puis intermédiaire(s), « fullchain ») : de nombreux clients ne vont pas chercher l'intermédiaire manquant.",
      });
      break;
    case "trusted":
      break;
  }

  if (service.host && net.isIP(service.host) === 0) {
    const error = tls.checkServerIdentity(
      service.host,
      leaf.toLegacyObject() as unknown as tls.PeerCertificate,
    );
    if (error) {
      out.push({
        check: "tls.cert.name_mismatch",
        severity: "medium",
        title: "Nom du certificat différent du nom du service",
        evidence: `Le certificat présenté par ${place} est valable pour ${seen.sans.length > 0 ? seen.sans.join(", ") : name}, pas pour ${service.host}.`,
        remediation: `Installer un certificat dont le champ subjectAltName contient ${service.host}.`,
      });
    }
  }

  const key = leaf.publicKey;
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (
    (key.asymmetricKeyType === "rsa" ||
      key.asymmetricKeyType === "rsa-pss" ||
      key.asymmetricKeyType === "dsa") &&
    bits !== undefined &&
    bits < 2048
  ) {
    out.push({
      check: "tls.cert.weak_key",
      severity: "high",
      title: "Clé du certificat trop courte",
      evidence: `Le certificat ${name} présenté par ${place} porte une clé ${key.asymmetricKeyType.toUpperCase()} de ${bits} bits.`,
      remediation:
        "Générer une nouvelle clé RSA d'au moins 2048 bits (3072 recommandés) ou ECDSA P-256, et faire réémettre le certificat.",
    });
  }

  const weakSignatures: string[] = [];
  for (const cert of chain) {
    if (
      cert !== leaf &&
      (isSelfSigned(cert) || anchors.some((a) => a.fingerprint256 === cert.fingerprint256))
    )
      continue;
    const label = WEAK_SIGNATURES.get(signatureAlgorithmOid(cert.raw) ?? "");
    if (label) weakSignatures.push(`« ${oneLineName(cert.subject)} » (${label})`);
  }
  if (weakSignatures.length > 0) {
    out.push({
      check: "tls.cert.weak_signature",
      severity: "medium",
      title: "Certificat signé avec un algorithme obsolète (SHA-1 ou MD5)",
      evidence: `Signature(s) faible(s) dans la chaîne présentée par ${place} : ${weakSignatures.join(" ; ")}.`,
      remediation: "Faire réémettre le certificat avec une signature SHA-256 (ou plus).",
    });
  }
  return out;
}
