import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assetVersionOf, compareVersions, cpeVersion, isReleaseOf, versionScheme } from "./versions.ts";

const NETSCALER = ["citrix", "netscaler_application_delivery_controller"] as const;
const GATEWAY = ["citrix", "netscaler_gateway"] as const;
const FORTIOS = ["fortinet", "fortios"] as const;
const IVANTI = ["ivanti", "connect_secure"] as const;
const EXCHANGE = ["microsoft", "exchange_server"] as const;
const GENERIC = ["apache", "http_server"] as const;

function cmp(product: readonly [string, string], a: string, b: string) {
  return compareVersions(product[0], product[1], a, b);
}

/** Asserts that the versions are given in strictly increasing order, every pair. */
function expectIncreasing(product: readonly [string, string], versions: string[]) {
  for (let i = 0; i < versions.length; i++) {
    for (let j = 0; j < versions.length; j++) {
      const expected = i < j ? -1 : i > j ? 1 : 0;
      expect(
        cmp(product, versions[i] as string, versions[j] as string),
        `${versions[i]} vs ${versions[j]}`,
      ).toBe(expected);
    }
  }
}

describe("version schemes", () => {
  it("picks the scheme from the CPE vendor and product", () => {
    expect(versionScheme(...NETSCALER)).toBe("netscaler");
    expect(versionScheme(...GATEWAY)).toBe("netscaler");
    expect(versionScheme(...FORTIOS)).toBe("fortinet");
    expect(versionScheme("fortinet", "fortiproxy")).toBe("fortinet");
    expect(versionScheme(...IVANTI)).toBe("ivanti");
    expect(versionScheme("ivanti", "policy_secure")).toBe("ivanti");
    expect(versionScheme(...EXCHANGE)).toBe("exchange");
    expect(versionScheme(...GENERIC)).toBe("generic");
    expect(versionScheme(null, null)).toBe("generic");
  });
});

describe("Citrix NetScaler: release-build", () => {
  it("orders builds within a release and releases before builds", () => {
    expectIncreasing(NETSCALER, [
      "12.1-55.300",
      "13.0",
      "13.0-92.19",
      "13.1",
      "13.1-37.164",
      "13.1-49.14",
      "13.1-49.15",
      "13.1-50.1",
      "14.1",
      "14.1-8.6",
      "14.1-8.50",
    ]);
  });

  it("reads the forms administrators copy from the appliance", () => {
    expect(cmp(NETSCALER, "NS13.1: Build 49.14.nc", "13.1-49.14")).toBe(0);
    expect(cmp(NETSCALER, "13.1 build 49.14", "13.1-49.14")).toBe(0);
    expect(cmp(NETSCALER, "13.1.49.14", "13.1-49.15")).toBe(-1);
    expect(cmp(GATEWAY, "13.1-49.15", "13.1-49.14")).toBe(1);
  });

  it("does not guess what it cannot read", () => {
    expect(cmp(NETSCALER, "latest", "13.1-49.15")).toBeNull();
    expect(cmp(NETSCALER, "13", "13.1-49.15")).toBeNull();
  });
});

describe("Fortinet FortiOS", () => {
  it("orders major.minor.patch numerically", () => {
    expectIncreasing(FORTIOS, [
      "6.0.16",
      "6.2.13",
      "6.4.12",
      "7.0.5",
      "7.0.11",
      "7.0.12",
      "7.2.0",
      "7.2.4",
      "7.2.5",
      "7.4.0",
    ]);
  });

  it("ignores the build and the v prefix, refuses an incomplete version", () => {
    expect(cmp(FORTIOS, "v7.2.4,build1396,230131 (GA.F)", "7.2.4")).toBe(0);
    expect(cmp(FORTIOS, "7.2.4 build1396", "7.2.5")).toBe(-1);
    expect(cmp(FORTIOS, "7.2", "7.2.4")).toBeNull();
  });
});

describe("Ivanti Connect Secure: version R release", () => {
  it("orders releases and their patches", () => {
    expectIncreasing(IVANTI, [
      "9.0R3",
      "9.1",
      "9.1R1",
      "9.1R4",
      "9.1R4.1",
      "9.1R4.3",
      "9.1R11",
      "9.1R18",
      "9.1R18.3",
      "22.1R6",
      "22.6",
      "22.6R1",
      "22.6R2",
      "22.6R2.1",
      "22.6R2.2",
      "22.7R1",
    ]);
  });

  it("reads lower-case r, spaces and a build number", () => {
    expect(cmp(IVANTI, "22.6r2.1", "22.6R2.1")).toBe(0);
    expect(cmp(IVANTI, "22.6 R2", "22.6R2")).toBe(0);
    expect(cmp(IVANTI, "9.1R18.3 (build 1234)", "9.1R18.3")).toBe(0);
    expect(cmp(IVANTI, "unknown", "9.1R18.3")).toBeNull();
  });

  it("names NVD's version + update pairs the Ivanti way", () => {
    expect(cpeVersion(...IVANTI, "9.1", "r18")).toEqual({ version: "9.1R18", anyUpdate: false });
    expect(cpeVersion(...IVANTI, "22.4", "r2.1")).toEqual({ version: "22.4R2.1", anyUpdate: false });
    expect(cpeVersion(...IVANTI, "22.6", "-")).toEqual({ version: "22.6", anyUpdate: false });
    expect(cpeVersion(...IVANTI, "9.0", "*")).toEqual({ version: "9.0", anyUpdate: true });
    expect(isReleaseOf(...IVANTI, "9.0R3", "9.0")).toBe(true);
    expect(isReleaseOf(...IVANTI, "9.1R3", "9.0")).toBe(false);
  });
});

describe("Microsoft Exchange: lines, cumulative updates and builds", () => {
  it("orders cumulative updates within a line, lines by year", () => {
    expectIncreasing(EXCHANGE, [
      "2013 CU21",
      "2013 CU23",
      "2016 CU8",
      "2016 CU19",
      "2016 CU20",
      "2019 RTM",
      "2019 CU1",
      "2019 CU8",
      "2019 CU9",
    ]);
  });

  it("maps a CU's own build to the CU, and orders builds", () => {
    expect(cmp(EXCHANGE, "15.2.792.3", "2019 CU8")).toBe(0);
    expect(cmp(EXCHANGE, "2019 CU8", "15.2.792.3")).toBe(0);
    expect(cmp(EXCHANGE, "15.1.2176.2", "2016 CU19")).toBe(0);
    expect(cmp(EXCHANGE, "15.0.1497.2", "2013 CU23")).toBe(0);
    expect(cmp(EXCHANGE, "15.2.858.5", "2019 CU8")).toBe(1);
    expect(cmp(EXCHANGE, "15.2.721.2", "2019 CU8")).toBe(-1);
    expect(cmp(EXCHANGE, "15.1.2507.16", "15.1.2507.6")).toBe(1);
    expect(cmp(EXCHANGE, "15.1.2507.16", "2019 CU1")).toBe(-1);
  });

  it("cannot tell a CU plus security updates from the CU NVD names", () => {
    // 15.2.792.10 is CU8 with the March 2021 security update (which fixed ProxyLogon)
    expect(cmp(EXCHANGE, "15.2.792.10", "2019 CU8")).toBeNull();
    expect(cmp(EXCHANGE, "15.1.2507.16", "2016 CU23")).toBeNull();
    // a build between two CUs of the table is placed between them; one after the table's last is not
    expect(cmp(EXCHANGE, "15.2.800.1", "2019 CU8")).toBe(1);
    expect(cmp(EXCHANGE, "15.2.800.1", "2019 CU9")).toBe(-1);
    expect(cmp(EXCHANGE, "15.2.1600.1", "2019 CU14")).toBe(1);
    expect(cmp(EXCHANGE, "15.2.1600.1", "2019 CU15")).toBeNull();
    // a line without its CU
    expect(cmp(EXCHANGE, "2019", "2019 CU8")).toBeNull();
  });

  it("names NVD's version + update pairs and reads the product name", () => {
    expect(cpeVersion(...EXCHANGE, "2019", "cumulative_update_8")).toEqual({
      version: "2019 CU8",
      anyUpdate: false,
    });
    expect(cpeVersion(...EXCHANGE, "2019", "-")).toEqual({ version: "2019 RTM", anyUpdate: false });
    expect(cmp(EXCHANGE, "Exchange Server 2019 CU8", "2019 CU8")).toBe(0);
    expect(cmp(EXCHANGE, "2019 cumulative update 8", "2019 CU8")).toBe(0);
    expect(assetVersionOf(...EXCHANGE, "Exchange Server 2019 CU8", null)).toBe("2019 CU8");
    expect(assetVersionOf(...EXCHANGE, "Exchange Server 2019", "CU8")).toBe("2019 CU8");
    expect(assetVersionOf(...EXCHANGE, "Exchange Server", "15.2.792.3")).toBe("15.2.792.3");
    expect(assetVersionOf(...EXCHANGE, "Exchange Server", "  ")).toBeNull();
    expect(isReleaseOf(...EXCHANGE, "15.2.792.3", "2019")).toBe(true);
  });
});

describe("generic versions", () => {
  it("orders dotted numbers, pre-releases before and letter suffixes after", () => {
    expectIncreasing(GENERIC, [
      "1.0rc1",
      "1.0",
      "1.0.2",
      "1.0.2k",
      "1.0.10",
      "1.1-beta",
      "1.1",
      "2.4.49",
      "2.4.50",
      "10.0",
    ]);
  });

  it("ignores a v prefix and leading zeros, refuses a version without digits", () => {
    expect(cmp(GENERIC, "v2.4.49", "2.4.049")).toBe(0);
    expect(cmp(GENERIC, "-", "1.0")).toBeNull();
    expect(cmp(GENERIC, "*", "1.0")).toBeNull();
    expect(cmp(GENERIC, "123456789012345678901234567890", "123456789012345678901234567891")).toBe(-1);
  });
});

// --- properties: a consistent order on generated versions of every scheme -------------------

const n = (max: number) => fc.integer({ min: 0, max });
const versionArbitraries: [readonly [string, string], fc.Arbitrary<string>][] = [
  [
    NETSCALER,
    fc.oneof(
      fc.tuple(n(14), n(3)).map(([a, b]) => `${a}.${b}`),
      fc.tuple(n(14), n(3), n(60), n(400)).map(([a, b, c, d]) => `${a}.${b}-${c}.${d}`),
      fc.tuple(n(14), n(3), n(60), n(400)).map(([a, b, c, d]) => `NS${a}.${b}: Build ${c}.${d}.nc`),
    ),
  ],
  [
    FORTIOS,
    fc.oneof(
      fc.tuple(n(7), n(4), n(20)).map(([a, b, c]) => `${a}.${b}.${c}`),
      fc.constant("7.2"),
    ),
  ],
  [
    IVANTI,
    fc.oneof(
      fc.tuple(fc.constantFrom(9, 22), n(7)).map(([a, b]) => `${a}.${b}`),
      fc.tuple(fc.constantFrom(9, 22), n(7), n(18)).map(([a, b, c]) => `${a}.${b}R${c}`),
      fc.tuple(fc.constantFrom(9, 22), n(7), n(18), n(5)).map(([a, b, c, d]) => `${a}.${b}R${c}.${d}`),
    ),
  ],
  [
    EXCHANGE,
    fc.oneof(
      fc.tuple(fc.constantFrom(2013, 2016, 2019), n(24)).map(([line, cu]) => `${line} CU${cu}`),
      fc.constantFrom("2013", "2016", "2019", "2019 RTM"),
      fc.constantFrom(
        "15.2.792.3",
        "15.2.792.10",
        "15.2.858.5",
        "15.2.221.12",
        "15.1.2507.6",
        "15.1.2507.16",
        "15.1.1415.2",
        "15.0.1497.2",
        "15.2.800.1",
        "15.2.1600.1",
        "15.1.396.30",
        "14.3.513.0",
        "16.0.1.0",
      ),
      fc
        .tuple(fc.constantFrom(0, 1, 2), n(2600), n(20))
        .map(([minor, build, rev]) => `15.${minor}.${build}.${rev}`),
    ),
  ],
  [
    GENERIC,
    fc
      .array(fc.oneof(n(12).map(String), fc.constantFrom("rc", "beta", "alpha", "a", "k", "p", "dev")), {
        minLength: 1,
        maxLength: 5,
      })
      .map((parts) => `${parts.join(".")}`)
      .filter((v) => /\d/.test(v)),
  ],
];

describe("ordering properties", () => {
  for (const [product, arbitrary] of versionArbitraries) {
    it(`is reflexive and antisymmetric for ${product[1]}`, () => {
      fc.assert(
        fc.property(arbitrary, arbitrary, (a, b) => {
          expect(cmp(product, a, a)).toBe(0);
          const ab = cmp(product, a, b);
          const ba = cmp(product, b, a);
          if (ab === null) expect(ba).toBeNull();
          else expect(ba).toBe(-ab || 0);
        }),
        { numRuns: 500 },
      );
    });

    it(`is transitive for ${product[1]}`, () => {
      fc.assert(
        fc.property(arbitrary, arbitrary, arbitrary, (a, b, c) => {
          const ab = cmp(product, a, b);
          const bc = cmp(product, b, c);
          if (ab === null || bc === null) return;
          const ac = cmp(product, a, c);
          if (ab <= 0 && bc <= 0) {
            expect(ac, `${a} ≤ ${b} ≤ ${c}`).not.toBeNull();
            expect(ac as number).toBeLessThanOrEqual(0);
            if (ab < 0 || bc < 0) expect(ac).toBe(-1);
          }
          if (ab >= 0 && bc >= 0) {
            expect(ac, `${a} ≥ ${b} ≥ ${c}`).not.toBeNull();
            expect(ac as number).toBeGreaterThanOrEqual(0);
          }
        }),
        { numRuns: 1000 },
      );
    });
  }
});
