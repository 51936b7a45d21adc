import "reflect-metadata";
import { X509Certificate as NodeX509Certificate, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

/**
 * Test certificates made with `@peculiar/x509` on Node's WebCrypto: a private PKI (root CA,
 * intermediate CA) and server certificates with chosen defects (dates, name, key size, SHA-1
 * signature, self-signed). Everything is generated in memory, nothing touches the network.
 */

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const subtle = webcrypto.subtle;
const DAY_MS = 86_400_000;

export type SignatureHash = "SHA-256" | "SHA-1";

/** A certificate with its private key, PEM encoded (what a TLS server loads). */
export interface CertifiedKey {
  certPem: string;
  keyPem: string;
  /** Node's view of the certificate. */
  cert: NodeX509Certificate;
  /** PKCS#8 private key, to re-import with another hash (WebCrypto binds the hash to the key). */
  readonly pkcs8: ArrayBuffer;
  readonly publicKey: CryptoKey;
  /** Distinguished name of the subject, as given to the generator. */
  readonly subject: string;
}

export interface IssueCertificateOptions {
  /** Common name of the subject. */
  commonName: string;
  /** Subject alternative names: DNS names, or IP addresses (recognised by their form). */
  names?: string[];
  /** Issuer; absent: self-signed. */
  issuer?: CertifiedKey;
  notBefore?: Date;
  notAfter?: Date;
  /** RSA modulus length (default 2048). */
  rsaBits?: number;
  /** Signature hash (default SHA-256). */
  hash?: SignatureHash;
  /** A CA certificate (basicConstraints cA, keyCertSign). */
  isCa?: boolean;
  /** URL put in the Authority Information Access « CA Issuers » entry (never fetched). */
  caIssuersUrl?: string;
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString("base64");
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, "$&\n")}-----END ${label}-----\n`;
}

function isIp(name: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.includes(":");
}

async function signingKeyOf(issuer: CertifiedKey, hash: SignatureHash): Promise<CryptoKey> {
  return subtle.importKey("pkcs8", issuer.pkcs8, { name: "RSASSA-PKCS1-v1_5", hash }, false, ["sign"]);
}

/** Issues one RSA certificate (self-signed when no issuer is given). */
export async function issueCertificate(options: IssueCertificateOptions): Promise<CertifiedKey> {
  const hash = options.hash ?? "SHA-256";
  const algorithm = {
    name: "RSASSA-PKCS1-v1_5",
    hash,
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: options.rsaBits ?? 2048,
  };
  const keys = (await subtle.generateKey(algorithm, true, ["sign", "verify"])) as CryptoKeyPair;
  const notBefore = options.notBefore ?? new Date(Date.now() - DAY_MS);
  const notAfter = options.notAfter ?? new Date(Date.now() + 365 * DAY_MS);
  const subject = `CN=${options.commonName}, O=Vigie tests`;
  const extensions: x509.Extension[] = [await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)];
  if (options.isCa) {
    extensions.push(new x509.BasicConstraintsExtension(true, undefined, true));
    extensions.push(
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    );
  } else {
    extensions.push(new x509.BasicConstraintsExtension(false, undefined, true));
    extensions.push(
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
    );
    extensions.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]));
  }
  const names = options.names ?? (options.isCa ? [] : [options.commonName]);
  if (names.length > 0) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        names.map((value): x509.JsonGeneralName => ({ type: isIp(value) ? "ip" : "dns", value })),
      ),
    );
  }
  if (options.issuer) {
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(options.issuer.publicKey));
  }
  if (options.caIssuersUrl) {
    extensions.push(new x509.AuthorityInfoAccessExtension({ caIssuers: options.caIssuersUrl }));
  }
  const signingAlgorithm = { name: "RSASSA-PKCS1-v1_5", hash };
  const serialNumber = Buffer.from(webcrypto.getRandomValues(new Uint8Array(8)))
    .toString("hex")
    .replace(/^[89a-f]/, "1");
  const cert = options.issuer
    ? await x509.X509CertificateGenerator.create({
        serialNumber,
        subject,
        issuer: options.issuer.subject,
        notBefore,
        notAfter,
        signingAlgorithm,
        publicKey: keys.publicKey,
        signingKey: await signingKeyOf(options.issuer, hash),
        extensions,
      })
    : await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber,
        name: subject,
        notBefore,
        notAfter,
        signingAlgorithm,
        keys,
        extensions,
      });
  const pkcs8 = await subtle.exportKey("pkcs8", keys.privateKey);
  const certPem = cert.toString("pem");
  return {
    certPem: certPem.endsWith("\n") ? certPem : `${certPem}\n`,
    keyPem: pem("PRIVATE KEY", pkcs8),
    cert: new NodeX509Certificate(certPem),
    pkcs8,
    publicKey: keys.publicKey,
    subject,
  };
}

/** The set of certificates the TLS tests use, all for `hostName` unless the defect is the name. */
export interface TestCertificates {
  hostName: string;
  root: CertifiedKey;
  intermediate: CertifiedKey;
  /** Valid leaf issued by the intermediate (send it with `intermediate`). */
  valid: CertifiedKey;
  expired: CertifiedKey;
  notYetValid: CertifiedKey;
  /** Expires in 10 days. */
  expiring10Days: CertifiedKey;
  /** Expires in 25 days. */
  expiring25Days: CertifiedKey;
  /** Valid chain, but for `other.<hostName>` only. */
  wrongName: CertifiedKey;
  selfSigned: CertifiedKey;
  rsa1024: CertifiedKey;
  sha1: CertifiedKey;
  /** Issued by an intermediate of another, unknown root. */
  unknownIssuer: CertifiedKey;
  unknownIntermediate: CertifiedKey;
}

/**
 * Builds a private PKI (root → intermediate → leaves) around `now`. The leaves carry an AIA
 * « CA Issuers » URL, as public CAs' leaves do, so a server that omits the intermediate can be
 * told from one whose CA is simply unknown.
 */
export async function createTestCertificates(
  options: { hostName?: string; now?: Date } = {},
): Promise<TestCertificates> {
  const hostName = options.hostName ?? "www.vigie.test";
  const now = (options.now ?? new Date()).getTime();
  const days = (n: number) => new Date(now + n * DAY_MS);
  const root = await issueCertificate({
    commonName: "Vigie Test Root CA",
    isCa: true,
    notBefore: days(-3650),
    notAfter: days(3650),
  });
  const intermediate = await issueCertificate({
    commonName: "Vigie Test Intermediate CA",
    isCa: true,
    issuer: root,
    notBefore: days(-1000),
    notAfter: days(2000),
  });
  const caIssuersUrl = "http://pki.vigie.test/intermediate.crt";
  const leaf = (extra: Partial<IssueCertificateOptions>) =>
    issueCertificate({
      commonName: hostName,
      names: [hostName],
      issuer: intermediate,
      caIssuersUrl,
      notBefore: days(-30),
      notAfter: days(335),
      ...extra,
    });
  const otherRoot = await issueCertificate({ commonName: "Autre Racine Inconnue", isCa: true });
  const unknownIntermediate = await issueCertificate({
    commonName: "Autre Intermediaire Inconnu",
    isCa: true,
    issuer: otherRoot,
  });
  const [valid, expired, notYetValid, expiring10Days, expiring25Days, wrongName, selfSigned, rsa1024, sha1] =
    await Promise.all([
      leaf({}),
      leaf({ notBefore: days(-400), notAfter: days(-35) }),
      leaf({ notBefore: days(20), notAfter: days(400) }),
      leaf({ notAfter: days(10) }),
      leaf({ notAfter: days(25) }),
      leaf({ commonName: `other.${hostName}`, names: [`other.${hostName}`] }),
      issueCertificate({
        commonName: hostName,
        names: [hostName],
        notBefore: days(-30),
        notAfter: days(335),
      }),
      leaf({ rsaBits: 1024 }),
      leaf({ hash: "SHA-1" }),
    ]);
  const unknownIssuer = await issueCertificate({
    commonName: hostName,
    names: [hostName],
    issuer: unknownIntermediate,
    notBefore: days(-30),
    notAfter: days(335),
  });
  return {
    hostName,
    root,
    intermediate,
    valid,
    expired,
    notYetValid,
    expiring10Days,
    expiring25Days,
    wrongName,
    selfSigned,
    rsa1024,
    sha1,
    unknownIssuer,
    unknownIntermediate,
  };
}
