import { createHash, generateKeyPairSync } from "node:crypto";
import type { MailControl } from "@vigie/contracts";
import { type CertifiedKey, issueCertificate } from "@vigie/test-kit/targets/certificates";
import { type StaticHttpsServer, startStaticHttps } from "@vigie/test-kit/targets/https-static";
import { type KnotServer, startKnot } from "@vigie/test-kit/targets/knot";
import { startTestMx, type TestMxServer, testMxAddress } from "@vigie/test-kit/targets/smtp-starttls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PerimeterGuard } from "../../exposure-audits/scan/perimeter-guard.ts";
import { TargetLimiter } from "../../exposure-audits/scan/target-limiter.ts";
import type { ScanContext } from "../../exposure-audits/scan/types.ts";
import { testMailPosture } from "./test-mail-posture.ts";

function statusOf(controls: MailControl[], code: string): string | undefined {
  return controls.find((c) => c.code === code)?.status;
}

/** A TXT value split into quoted strings of at most 200 characters. */
function txt(value: string): string {
  return (value.match(/.{1,200}/g) ?? []).map((s) => `"${s}"`).join(" ");
}

describe("testMailPosture", () => {
  let knot: KnotServer | undefined;
  let hardMx: TestMxServer | undefined;
  let weakMx: TestMxServer | undefined;
  let midMx: TestMxServer | undefined;
  let policy: StaticHttpsServer | undefined;
  let root: CertifiedKey;
  let ctx: ScanContext;

  beforeAll(async () => {
    root = await issueCertificate({ commonName: "Vigie Test Mail CA", isCa: true });
    const mxCert = await issueCertificate({ commonName: "mx.durci.test", issuer: root });
    const stsCert = await issueCertificate({ commonName: "mta-sts.durci.test", issuer: root });
    hardMx = await startTestMx({
      tls: { certPem: mxCert.certPem, keyPem: mxCert.keyPem },
      name: "mx.durci.test",
    });
    weakMx = await startTestMx({ name: "mx.faible.test" });
    const otherName = await issueCertificate({ commonName: "autre.test", issuer: root });
    midMx = await startTestMx({ tls: { certPem: otherName.certPem, keyPem: otherName.keyPem } });
    const dkim1024 = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({
      type: "spki",
      format: "der",
    });
    policy = await startStaticHttps({
      address: testMxAddress(),
      certPem: stsCert.certPem,
      keyPem: stsCert.keyPem,
      files: {
        "/.well-known/mta-sts.txt": "version: STSv1\nmode: enforce\nmx: mx.durci.test\nmax_age: 1209600\n",
      },
    });
    const dkim = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({
      type: "spki",
      format: "der",
    });
    const spki = mxCert.cert.publicKey.export({ type: "spki", format: "der" });
    const tlsa = createHash("sha256").update(spki).digest("hex");
    const includes = Array.from({ length: 11 }, (_, i) => `inc${i + 1}`);
    knot = await startKnot({
      zones: [
        {
          origin: "durci.test",
          dnssec: true,
          records: [
            "@ IN MX 10 mx",
            `mx IN A ${hardMx.address}`,
            `mta-sts IN A ${policy.address}`,
            '@ IN TXT "v=spf1 mx ip4:192.0.2.0/24 include:_spf.durci.test -all"',
            '_spf IN TXT "v=spf1 ip4:198.51.100.0/24 -all"',
            `selector1._domainkey IN TXT ${txt(`v=DKIM1; k=rsa; p=${dkim.toString("base64")}`)}`,
            '_dmarc IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@durci.test"',
            '_mta-sts IN TXT "v=STSv1; id=20260101T000000"',
            '_smtp._tls IN TXT "v=TLSRPTv1; rua=mailto:tlsrpt@durci.test"',
            `_25._tcp.mx IN TLSA 3 1 1 ${tlsa}`,
          ].join("\n"),
        },
        {
          origin: "moyen.test",
          dnssec: true,
          records: [
            "@ IN MX 10 mx",
            `mx IN A ${midMx.address}`,
            '@ IN TXT "v=spf1 mx ~all"',
            `s1._domainkey IN TXT ${txt(`v=DKIM1; p=${dkim1024.toString("base64")}`)}`,
            'old._domainkey IN TXT "v=DKIM1; k=rsa; p="',
            '_dmarc IN TXT "v=DMARC1; p=quarantine; sp=none; pct=50; rua=mailto:d@moyen.test"',
            '_mta-sts IN TXT "v=STSv1; id=1"',
            `_25._tcp.mx IN TLSA 3 1 1 ${"ab".repeat(32)}`,
          ].join("\n"),
        },
        {
          origin: "faible.test",
          records: [
            "@ IN MX 10 mx",
            `mx IN A ${weakMx.address}`,
            `@ IN TXT "v=spf1 ${includes.map((i) => `include:${i}.faible.test`).join(" ")} ptr +all"`,
            ...includes.map((i) => `${i} IN TXT "v=spf1 a -all"`),
            '_dmarc IN TXT "v=DMARC1; p=none"',
          ].join("\n"),
        },
      ],
    });
    ctx = {
      guard: new PerimeterGuard(["durci.test", "faible.test", "moyen.test"], ["127.0.0.0/8"]),
      limiter: new TargetLimiter(1000),
      userAgent: "VigieScanner/1.0 (+https://vigie.test/audits/scanner)",
      dnsServers: [knot.server],
      timeoutMs: 3000,
      allowDefaultCredentials: false,
    };
  });

  afterAll(async () => {
    await Promise.all([knot?.stop(), hardMx?.close(), weakMx?.close(), midMx?.close(), policy?.close()]);
  });

  it("passes every control point of a hardened domain", async () => {
    const controls = await testMailPosture(ctx, "durci.test", new Date(), { trustedCa: [root.certPem] });
    const expected: Record<string, string> = {
      "spf.present": "pass",
      "spf.single": "pass",
      "spf.syntax": "pass",
      "spf.lookups": "pass",
      "spf.all": "pass",
      "spf.ptr": "pass",
      "dkim.found": "pass",
      "dkim.key.selector1": "pass",
      "dmarc.present": "pass",
      "dmarc.policy": "pass",
      "dmarc.subdomains": "pass",
      "dmarc.pct": "pass",
      "dmarc.rua": "pass",
      "mta_sts.record": "pass",
      "mta_sts.certificate": "pass",
      "mta_sts.mode": "pass",
      "mta_sts.mx": "pass",
      "mta_sts.max_age": "pass",
      "tls_rpt.record": "pass",
      "starttls.offered.mx.durci.test": "pass",
      "starttls.version.mx.durci.test": "pass",
      "starttls.certificate.mx.durci.test": "pass",
      "dane.mx.durci.test": "pass",
      "dnssec.signed": "pass",
    };
    for (const [code, status] of Object.entries(expected)) {
      expect({ code, status: statusOf(controls, code) }).toEqual({ code, status });
    }
    expect(controls.filter((c) => c.status === "fail" || c.status === "warn")).toEqual([]);
    expect(controls.find((c) => c.code === "dkim.key.selector1")?.title).toContain("2048 bits");
    expect(controls.find((c) => c.code === "spf.lookups")?.title).toContain("(2/10)");
    expect(policy?.requests).toContain("/.well-known/mta-sts.txt");
    // the MX session never sends a message
    expect(hardMx?.received).toEqual([]);
  });

  it("fails the weak domain where it is weak, with French explanations", async () => {
    const controls = await testMailPosture(ctx, "faible.test", new Date(), { trustedCa: [root.certPem] });
    const expected: Record<string, string> = {
      "spf.present": "pass",
      "spf.syntax": "pass",
      "spf.lookups": "fail",
      "spf.all": "fail",
      "spf.ptr": "warn",
      "dkim.found": "warn",
      "dmarc.present": "pass",
      "dmarc.policy": "fail",
      "dmarc.rua": "warn",
      "mta_sts.record": "warn",
      "tls_rpt.record": "warn",
      "starttls.offered.mx.faible.test": "fail",
      "dnssec.signed": "fail",
    };
    for (const [code, status] of Object.entries(expected)) {
      expect({ code, status: statusOf(controls, code) }).toEqual({ code, status });
    }
    // 11 includes, each with one `a`, and the ptr: 23 lookups
    expect(controls.find((c) => c.code === "spf.lookups")?.evidence).toMatch(/^23 requêtes/);
    expect(controls.find((c) => c.code === "spf.all")?.title).toContain("+all");
    expect(controls.some((c) => c.family === "dane")).toBe(false);
    for (const c of controls) expect(c.explanation.length).toBeGreaterThan(20);
  });

  it("warns on half-way settings: softfail, short keys, quarantine, a certificate for another name", async () => {
    const controls = await testMailPosture(ctx, "moyen.test", new Date(), {
      trustedCa: [root.certPem],
      dkimSelectors: ["old"],
    });
    const expected: Record<string, string> = {
      "spf.all": "warn",
      "dkim.key.s1": "warn",
      "dkim.key.old": "info",
      "dmarc.policy": "warn",
      "dmarc.subdomains": "fail",
      "dmarc.pct": "warn",
      "dmarc.rua": "pass",
      "mta_sts.record": "pass",
      "mta_sts.policy": "fail",
      "starttls.offered.mx.moyen.test": "pass",
      "starttls.certificate.mx.moyen.test": "warn",
      "dane.mx.moyen.test": "fail",
      "dnssec.signed": "pass",
    };
    for (const [code, status] of Object.entries(expected)) {
      expect({ code, status: statusOf(controls, code) }).toEqual({ code, status });
    }
    expect(controls.find((c) => c.code === "dkim.key.s1")?.title).toContain("1024 bits");
  });

  it("refuses to connect outside the guard's ranges", async () => {
    const narrow: ScanContext = { ...ctx, guard: new PerimeterGuard(["durci.test"], ["10.0.0.0/8"]) };
    const controls = await testMailPosture(narrow, "durci.test", new Date(), { trustedCa: [root.certPem] });
    expect(statusOf(controls, "starttls.offered.mx.durci.test")).toBe("info");
    expect(statusOf(controls, "mta_sts.policy")).toBe("fail");
    expect(statusOf(controls, "spf.all")).toBe("pass");
  });
});
