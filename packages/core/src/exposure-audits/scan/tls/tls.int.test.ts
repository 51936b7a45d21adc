import net from "node:net";
import {
  createTestCertificates,
  startLegacyTlsServer,
  startTlsServer,
  type TestCertificates,
  type TlsTarget,
} from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PerimeterGuard } from "../perimeter-guard.ts";
import { TargetLimiter } from "../target-limiter.ts";
import type { OpenService, ScanContext } from "../types.ts";
import { checkTls, type TlsCheckResult } from "./index.ts";

const STRONG = "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305";

const ctx: ScanContext = {
  guard: new PerimeterGuard(["vigie.test"], ["127.0.0.0/8"]),
  limiter: new TargetLimiter(2000),
  userAgent: "VigieScanner/1.0 (tests)",
  dnsServers: [],
  timeoutMs: 3000,
  allowDefaultCredentials: false,
};

let certs: TestCertificates;
const targets: Record<string, TlsTarget> = {};
let plain: net.Server;
let plainPort: number;
let result: TlsCheckResult;
const now = new Date();

function service(target: TlsTarget | number): OpenService {
  const port = typeof target === "number" ? target : target.port;
  return { ip: "127.0.0.1", host: certs.hostName, port, transport: "tcp", service: "https", tls: true };
}

function findingsOf(name: string) {
  const port = targets[name]?.port;
  return result.findings.filter((f) => f.target.port === port);
}

function checksOf(name: string): string[] {
  return findingsOf(name)
    .map((f) => f.check)
    .sort();
}

beforeAll(async () => {
  certs = await createTestCertificates({ now });
  const strong = (
    cert: { certPem: string; keyPem: string },
    chainPem: string[] = [certs.intermediate.certPem],
  ) => startTlsServer({ ...cert, chainPem, ciphers: `${STRONG}:@SECLEVEL=0` });
  targets.hardened = await startTlsServer({
    ...certs.valid,
    chainPem: [certs.intermediate.certPem],
    minVersion: "TLSv1.2",
    maxVersion: "TLSv1.3",
    ciphers: STRONG,
  });
  targets.weakProtocols = await startTlsServer({
    ...certs.valid,
    chainPem: [certs.intermediate.certPem],
    minVersion: "TLSv1",
    ciphers: "ALL:COMPLEMENTOFALL:@SECLEVEL=0",
  });
  targets.tls10Only = await startTlsServer({
    ...certs.valid,
    chainPem: [certs.intermediate.certPem],
    minVersion: "TLSv1",
    maxVersion: "TLSv1",
    ciphers: "ECDHE-RSA-AES128-SHA:@SECLEVEL=0",
  });
  targets.noForwardSecrecy = await startTlsServer({
    ...certs.valid,
    chainPem: [certs.intermediate.certPem],
    maxVersion: "TLSv1.2",
    ciphers: "AES128-GCM-SHA256:AES256-GCM-SHA384",
  });
  targets.ssl3Only = await startLegacyTlsServer({ versions: [0x0300], ciphers: [0x0005, 0x000a] });
  targets.tripleDes = await startLegacyTlsServer({ versions: [0x0303], ciphers: [0xc012, 0x000a] });
  targets.expired = await strong(certs.expired);
  targets.notYetValid = await strong(certs.notYetValid);
  targets.expiring10 = await strong(certs.expiring10Days);
  targets.expiring25 = await strong(certs.expiring25Days);
  targets.wrongName = await strong(certs.wrongName);
  targets.selfSigned = await strong(certs.selfSigned, []);
  targets.rsa1024 = await strong(certs.rsa1024);
  targets.sha1 = await strong(certs.sha1);
  targets.missingIntermediate = await strong(certs.valid, []);
  targets.unknownIssuer = await strong(certs.unknownIssuer, [certs.unknownIntermediate.certPem]);
  plain = net.createServer((s) => s.end("SSH-2.0-OpenSSH_9.2\r\n"));
  await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
  plainPort = (plain.address() as net.AddressInfo).port;
  result = await checkTls(ctx, [...Object.values(targets).map(service), service(plainPort)], now, {
    trustedCa: [certs.root.certPem],
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(targets).map((t) => t.close()));
  plain?.close();
});

describe("checkTls", () => {
  it("reports nothing on the hardened server and records its certificate", () => {
    expect(findingsOf("hardened")).toEqual([]);
    const cert = result.certificates.find((c) => c.port === targets.hardened?.port);
    expect(cert).toMatchObject({ ip: "127.0.0.1", host: "www.vigie.test", sans: ["www.vigie.test"] });
    expect(cert?.subject).toContain("CN=www.vigie.test");
    expect(cert?.issuer).toContain("CN=Vigie Test Intermediate CA");
    expect(new Date(cert?.notAfter ?? 0).getTime()).toBe(new Date(certs.valid.cert.validTo).getTime());
  });

  it("reports TLS 1.0 and 1.1 and the weak suites of a permissive server", () => {
    const checks = checksOf("weakProtocols");
    for (const check of [
      "tls.protocol.tls1_0",
      "tls.protocol.tls1_1",
      "tls.cipher.null",
      "tls.cipher.anon",
      "tls.cipher.cbc_sha1",
      "tls.cipher.no_forward_secrecy",
    ]) {
      expect(checks).toContain(check);
    }
    expect(checks).not.toContain("tls.protocol.no_tls1_2");
    expect(checks).not.toContain("tls.cipher.no_forward_secrecy_at_all");
    expect(checks.filter((c) => c.startsWith("tls.cert."))).toEqual([]);
    const nul = findingsOf("weakProtocols").find((f) => f.check === "tls.cipher.null");
    expect(nul?.severity).toBe("high");
    expect(nul?.evidence).toContain("TLS_RSA_WITH_NULL_SHA");
    expect(nul?.target).toMatchObject({
      ip: "127.0.0.1",
      host: "www.vigie.test",
      port: targets.weakProtocols?.port,
    });
    const cbc = findingsOf("weakProtocols").find((f) => f.check === "tls.cipher.cbc_sha1");
    expect(cbc?.evidence).toMatch(/TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA \(TLS 1\.0, TLS 1\.1, TLS 1\.2\)/);
  });

  it("reports a server without TLS 1.2 or 1.3 as high", () => {
    const f = findingsOf("tls10Only");
    expect(f.find((x) => x.check === "tls.protocol.no_tls1_2")?.severity).toBe("high");
    expect(f.map((x) => x.check)).toContain("tls.protocol.tls1_0");
    expect(f.map((x) => x.check)).not.toContain("tls.protocol.tls1_1");
  });

  it("reports a server without any forward secrecy", () => {
    const checks = checksOf("noForwardSecrecy");
    expect(checks).toEqual(["tls.cipher.no_forward_secrecy_at_all", "tls.protocol.no_tls1_3"]);
    const f = findingsOf("noForwardSecrecy").find((x) => x.check === "tls.cipher.no_forward_secrecy_at_all");
    expect(f?.severity).toBe("medium");
    expect(f?.evidence).toContain("TLS_RSA_WITH_AES_128_GCM_SHA256");
  });

  it("detects SSLv3 with a hand-made ClientHello", () => {
    const checks = checksOf("ssl3Only");
    expect(checks).toContain("tls.protocol.ssl3");
    expect(checks).toContain("tls.protocol.no_tls1_2");
    expect(checks).toContain("tls.cipher.rc4");
    expect(checks).toContain("tls.cipher.3des");
    expect(findingsOf("ssl3Only").find((f) => f.check === "tls.protocol.no_tls1_2")?.evidence).toContain(
      "SSLv3",
    );
  });

  it("detects 3DES suites OpenSSL 3 can no longer negotiate", () => {
    const f = findingsOf("tripleDes");
    const des = f.find((x) => x.check === "tls.cipher.3des");
    expect(des?.severity).toBe("medium");
    expect(des?.evidence).toContain("TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA (TLS 1.2)");
    expect(des?.evidence).toContain("TLS_RSA_WITH_3DES_EDE_CBC_SHA (TLS 1.2)");
    expect(f.map((x) => x.check)).not.toContain("tls.protocol.ssl3");
  });

  it.each([
    ["expired", ["tls.cert.expired"], "high"],
    ["notYetValid", ["tls.cert.not_yet_valid"], "high"],
    ["expiring10", ["tls.cert.expiring"], "high"],
    ["expiring25", ["tls.cert.expiring"], "medium"],
    ["wrongName", ["tls.cert.name_mismatch"], "medium"],
    ["selfSigned", ["tls.cert.self_signed"], "medium"],
    ["rsa1024", ["tls.cert.weak_key"], "high"],
    ["sha1", ["tls.cert.weak_signature"], "medium"],
    ["missingIntermediate", ["tls.cert.chain_incomplete"], "medium"],
    ["unknownIssuer", ["tls.cert.untrusted"], "medium"],
  ])("certificate %s → %j", (name, expected, severity) => {
    expect(checksOf(name)).toEqual(expected);
    expect(findingsOf(name)[0]?.severity).toBe(severity);
    expect(findingsOf(name)[0]?.category).toBe("tls");
  });

  it("says how many days are left and who is missing", () => {
    expect(findingsOf("expiring10")[0]?.title).toMatch(/expirant dans (9|10) jour/);
    expect(findingsOf("missingIntermediate")[0]?.evidence).toContain("Vigie Test Intermediate CA");
    expect(findingsOf("wrongName")[0]?.evidence).toContain("other.www.vigie.test");
  });

  it("leaves a port that does not speak TLS alone", () => {
    expect(result.findings.filter((f) => f.target.port === plainPort)).toEqual([]);
    expect(result.certificates.some((c) => c.port === plainPort)).toBe(false);
  });

  it("judges dates against the given clock", async () => {
    const later = new Date(now.getTime() + 400 * 86_400_000);
    const { findings } = await checkTls(ctx, [service(targets.hardened as TlsTarget)], later, {
      trustedCa: [certs.root.certPem],
    });
    expect(findings.map((f) => f.check)).toEqual(["tls.cert.expired"]);
  });

  it("without the private root, the hardened chain is untrusted", async () => {
    const { findings } = await checkTls(ctx, [service(targets.hardened as TlsTarget)], now);
    expect(findings.map((f) => f.check)).toEqual(["tls.cert.untrusted"]);
  });

  it("refuses to connect outside the perimeter", async () => {
    const narrow: ScanContext = { ...ctx, guard: new PerimeterGuard([], ["127.0.0.2/32"]) };
    await expect(checkTls(narrow, [service(targets.hardened as TlsTarget)], now)).rejects.toThrow(
      /hors du périmètre/,
    );
  });
});
