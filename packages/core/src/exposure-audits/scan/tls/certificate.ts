import { X509Certificate } from "node:crypto";
import tls from "node:tls";

/** What the probe concludes about the chain a server presented. */
export type ChainVerdict =
  | { kind: "trusted"; anchor: X509Certificate }
  /** The leaf is its own issuer. */
  | { kind: "self_signed" }
  /** The chain ends on a self-signed root no trust store knows. */
  | { kind: "untrusted_root"; root: X509Certificate }
  /** The issuer of `certificate` was neither sent nor trusted, and the leaf points to where to fetch it (AIA). */
  | { kind: "incomplete"; certificate: X509Certificate; caIssuers: string[] }
  /** The issuer of `certificate` was neither sent nor trusted, and nothing says where it lives. */
  | { kind: "unknown_issuer"; certificate: X509Certificate };

let publicRoots: X509Certificate[] | undefined;

/** Node's bundled root CAs (Mozilla), parsed once. */
function nodeRoots(): X509Certificate[] {
  if (!publicRoots) {
    publicRoots = [];
    for (const pem of tls.rootCertificates) {
      try {
        publicRoots.push(new X509Certificate(pem));
      } catch {
        // a root Node cannot parse is not one we can anchor to
      }
    }
  }
  return publicRoots;
}

/** Parses extra trust anchors given as PEM (one or several certificates per string). */
export function parseAnchors(pems: readonly string[]): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const pem of pems) {
    for (const block of pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []) {
      out.push(new X509Certificate(block));
    }
  }
  return out;
}

export function isSelfSigned(cert: X509Certificate): boolean {
  // not checkIssued: OpenSSL also requires keyCertSign, which a self-signed server certificate often lacks
  return cert.subject === cert.issuer && safeVerify(cert, cert);
}

function safeVerify(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  return cert.checkIssued(issuer) && safeVerify(cert, issuer);
}

/** URLs of the AIA « CA Issuers » entries of a certificate. */
export function caIssuersOf(cert: X509Certificate): string[] {
  return [...(cert.infoAccess ?? "").matchAll(/CA Issuers - URI:(\S+)/g)].map((m) => m[1] as string);
}

/**
 * Builds the path from the leaf (`chain[0]` usually) to a trust anchor (Node's root CAs plus `extraAnchors`), using
 * only the certificates the server sent — never fetching a missing one. Dates are not judged
 * here (the probe does, against its own clock).
 */
export function verifyChain(
  leaf: X509Certificate,
  chain: readonly X509Certificate[],
  extraAnchors: readonly X509Certificate[],
): ChainVerdict {
  const anchors = [...extraAnchors, ...nodeRoots()];
  const isAnchor = (cert: X509Certificate) => anchors.some((a) => a.fingerprint256 === cert.fingerprint256);
  const used = new Set<string>();
  let current = leaf;
  for (let depth = 0; depth < 10; depth++) {
    if (isAnchor(current)) return { kind: "trusted", anchor: current };
    used.add(current.fingerprint256);
    const anchor = anchors.find((a) => issuedBy(current, a));
    if (anchor) return { kind: "trusted", anchor };
    if (isSelfSigned(current)) {
      return current === leaf ? { kind: "self_signed" } : { kind: "untrusted_root", root: current };
    }
    const next = chain.find((c) => !used.has(c.fingerprint256) && issuedBy(current, c));
    if (!next) {
      const caIssuers = caIssuersOf(current);
      return caIssuers.length > 0
        ? { kind: "incomplete", certificate: current, caIssuers }
        : { kind: "unknown_issuer", certificate: current };
    }
    current = next;
  }
  return { kind: "unknown_issuer", certificate: current };
}

/** A distinguished name on one line: `CN=www.example.fr, O=Example`. */
export function oneLineName(name: string): string {
  return name.split("\n").join(", ");
}

/** DNS names and addresses of the subjectAltName extension. */
export function sansOf(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? "")
    .split(/,\s*/)
    .map((entry) => entry.replace(/^(DNS|IP Address):/, ""))
    .filter((entry) => entry.length > 0);
}

// --- signature algorithm, read from the DER (Node 20's X509Certificate does not expose it) ---

function readLength(der: Buffer, offset: number): { length: number; start: number } {
  const first = der[offset] as number;
  if (first < 0x80) return { length: first, start: offset + 1 };
  const bytes = first & 0x7f;
  let length = 0;
  for (let i = 0; i < bytes; i++) length = length * 256 + (der[offset + 1 + i] as number);
  return { length, start: offset + 1 + bytes };
}

function decodeOid(bytes: Buffer): string {
  const first = bytes[0] as number;
  const parts = [Math.floor(first / 40), first % 40];
  let value = 0;
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join(".");
}

/** OID of the certificate's signatureAlgorithm, or undefined when the DER is not as expected. */
export function signatureAlgorithmOid(der: Buffer): string | undefined {
  try {
    if (der[0] !== 0x30) return undefined;
    const outer = readLength(der, 1);
    if (der[outer.start] !== 0x30) return undefined;
    const tbs = readLength(der, outer.start + 1);
    const algOffset = tbs.start + tbs.length;
    if (der[algOffset] !== 0x30) return undefined;
    const alg = readLength(der, algOffset + 1);
    if (der[alg.start] !== 0x06) return undefined;
    const oid = readLength(der, alg.start + 1);
    return decodeOid(der.subarray(oid.start, oid.start + oid.length));
  } catch {
    return undefined;
  }
}

/** Weak signature algorithms: OID → French label. */
export const WEAK_SIGNATURES: ReadonlyMap<string, string> = new Map([
  ["1.2.840.113549.1.1.4", "MD5 avec RSA"],
  ["1.2.840.113549.1.1.2", "MD2 avec RSA"],
  ["1.2.840.113549.1.1.5", "SHA-1 avec RSA"],
  ["1.2.840.10045.4.1", "ECDSA avec SHA-1"],
  ["1.2.840.10040.4.3", "DSA avec SHA-1"],
  ["1.3.14.3.2.29", "SHA-1 avec RSA (OIW)"],
]);
