/**
 * Vendor-aware version ordering for matching assets against NVD configurations. Each vendor
 * scheme parses a version into a key and orders keys; a version a scheme cannot read is "not
 * comparable" (null), never guessed — matching then falls back to "probable".
 */

/** -1, 0, 1 as for a sort; null when the two versions cannot be ordered. */
export type VersionOrder = -1 | 0 | 1 | null;

/** How a product numbers its versions. */
export type VersionScheme = "generic" | "netscaler" | "fortinet" | "ivanti" | "exchange";

/** The version scheme of a CPE vendor and product (as `normaliseProduct` gives them). */
export function versionScheme(
  vendor: string | null | undefined,
  product: string | null | undefined,
): VersionScheme {
  const v = (vendor ?? "").toLowerCase();
  const p = (product ?? "").toLowerCase();
  if (v === "citrix" && p.startsWith("netscaler")) return "netscaler";
  if (v === "citrix" && (p === "application_delivery_controller" || p === "gateway")) return "netscaler";
  if (v === "fortinet" && (p === "fortios" || p === "fortiproxy")) return "fortinet";
  if ((v === "ivanti" || v === "pulsesecure") && /connect_secure|policy_secure/.test(p)) return "ivanti";
  if (v === "microsoft" && p === "exchange_server") return "exchange";
  return "generic";
}

function sign(n: number): -1 | 0 | 1 {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Compares two digit strings of any length as numbers. */
function compareDigits(a: string, b: string): -1 | 0 | 1 {
  const x = a.replace(/^0+(?=\d)/, "");
  const y = b.replace(/^0+(?=\d)/, "");
  if (x.length !== y.length) return sign(x.length - y.length);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareNumberLists(a: readonly number[], b: readonly number[], missing: number): -1 | 0 | 1 {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const order = sign((a[i] ?? missing) - (b[i] ?? missing));
    if (order !== 0) return order;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// generic: dotted numbers with alphanumeric suffixes

type GenericToken = { kind: "number"; digits: string } | { kind: "word"; word: string; preRelease: number };

/** Words that mark a version before the release they name (1.0rc1 < 1.0), in their order. */
const PRE_RELEASE_WORDS: Record<string, number> = {
  dev: 1,
  snapshot: 1,
  alpha: 2,
  beta: 3,
  pre: 4,
  preview: 4,
  rc: 5,
};

function genericTokens(version: string): GenericToken[] | null {
  const text = version
    .trim()
    .toLowerCase()
    .replace(/^v(?=\d)/, "");
  if (!/\d/.test(text)) return null;
  const tokens: GenericToken[] = [];
  for (const match of text.matchAll(/\d+|[a-z]+/g)) {
    const value = match[0];
    if (/^\d/.test(value)) tokens.push({ kind: "number", digits: value });
    else tokens.push({ kind: "word", word: value, preRelease: PRE_RELEASE_WORDS[value] ?? 0 });
  }
  return tokens;
}

/**
 * The rank of a token, a missing token (end of version) included, in one total order:
 * pre-release words < end < other words (1.0.2k, 2.4p1) < numbers.
 */
function tokenRank(token: GenericToken | undefined): number {
  if (!token) return 1;
  if (token.kind === "number") return 3;
  return token.preRelease > 0 ? 0 : 2;
}

function compareTokens(a: GenericToken | undefined, b: GenericToken | undefined): -1 | 0 | 1 {
  const rank = sign(tokenRank(a) - tokenRank(b));
  if (rank !== 0 || !a || !b) return rank;
  if (a.kind === "number" && b.kind === "number") return compareDigits(a.digits, b.digits);
  if (a.kind === "word" && b.kind === "word") {
    const pre = sign(a.preRelease - b.preRelease);
    if (pre !== 0) return pre;
    return a.word < b.word ? -1 : a.word > b.word ? 1 : 0;
  }
  return 0;
}

function compareGeneric(a: string, b: string): VersionOrder {
  const x = genericTokens(a);
  const y = genericTokens(b);
  if (!x || !y) return null;
  const length = Math.max(x.length, y.length);
  for (let i = 0; i < length; i++) {
    const order = compareTokens(x[i], y[i]);
    if (order !== 0) return order;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Citrix NetScaler: release 13.1, build 49.14, written 13.1-49.14 (also "NS13.1: Build 49.14.nc",
// "13.1 build 49.14", "13.1.49.14"). A release alone (NVD's range starts "13.1") is before its builds.

function netscalerKey(version: string): number[] | null {
  const match =
    /^(?:ns)?\s*v?(\d+)\.(\d+)(?:\s*(?:[-:_.]|\s)\s*(?:build\s*)?(\d+)(?:\.(\d+))?)?(?:[._\s-]*(?:nc|fips|ndcpp|e))?\s*$/i.exec(
      version.trim(),
    );
  if (!match) return null;
  const [, major, minor, build, buildMinor] = match;
  return [Number(major), Number(minor), build === undefined ? -1 : Number(build), Number(buildMinor ?? 0)];
}

// ---------------------------------------------------------------------------------------------
// Fortinet FortiOS / FortiProxy: major.minor.patch, "v7.2.4,build1396 (GA)" accepted. "7.2" does
// not say which patch runs: it orders against other branches only.

function fortinetKey(version: string): number[] | null {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:\s*[,\s-]\s*.*)?$/i.exec(version.trim());
  if (!match) return null;
  const key = [Number(match[1]), Number(match[2])];
  if (match[3] !== undefined) key.push(Number(match[3]));
  return key;
}

/** Orders on the common prefix; equal prefixes of different lengths cannot be ordered. */
function comparePrefix(a: readonly number[], b: readonly number[]): VersionOrder {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const order = sign((a[i] as number) - (b[i] as number));
    if (order !== 0) return order;
  }
  return a.length === b.length ? 0 : null;
}

// ---------------------------------------------------------------------------------------------
// Ivanti (Pulse) Connect Secure / Policy Secure: 22.6R2.1 = version 22.6, release 2, patch 1.
// A version without R (NVD's "22.6" with update "-") comes before R1.

interface IvantiVersion {
  base: number[];
  release: number[] | null;
}

function ivantiVersion(version: string): IvantiVersion | null {
  const match = /^v?(\d+(?:\.\d+)*)\s*(?:[-\s]?r(\d+(?:\.\d+)*))?(?:\s*\(?\s*build\s*\d+\s*\)?)?$/i.exec(
    version.trim(),
  );
  if (!match) return null;
  const base = (match[1] as string).split(".").map(Number);
  const release = match[2] === undefined ? null : match[2].split(".").map(Number);
  return { base, release };
}

function compareIvanti(a: string, b: string): VersionOrder {
  const x = ivantiVersion(a);
  const y = ivantiVersion(b);
  if (!x || !y) return null;
  const base = compareNumberLists(x.base, y.base, 0);
  if (base !== 0) return base;
  if (!x.release || !y.release) return sign((x.release ? 1 : 0) - (y.release ? 1 : 0));
  return compareNumberLists(x.release, y.release, 0);
}

// ---------------------------------------------------------------------------------------------
// Microsoft Exchange: NVD names a version by its line and cumulative update (2019, update
// cumulative_update_8 → "2019 CU8"), an administrator by its build (15.2.792.3). Builds map to
// their CU through the table below (Microsoft's "Exchange Server build numbers and release
// dates": the CU's own build, for the CUs NVD lists in the ProxyLogon record CVE-2021-26855 and
// the following ones). A build with a higher revision than its CU's is that CU plus security
// updates, which NVD's CU-level names cannot tell apart: not comparable with a CU.

/**
 * The line of a build, non-decreasing with the build number so that builds and named versions
 * order consistently: 8 → 2007, 14 → 2010, 15.0 → 2013, 15.1 → 2016, 15.2 → 2019; unknown older
 * and newer majors sort before and after every named line.
 */
function exchangeLineOfBuild(major: number, minor: number): number {
  if (major < 8) return 2000;
  if (major < 14) return 2007;
  if (major === 14) return 2010;
  if (major === 15 && minor <= 2) return [2013, 2016, 2019][minor] as number;
  return 2100;
}

/** `line → CU → [build, revision]` of the cumulative update's own release (CU 0 = RTM). */
export const EXCHANGE_CU_BUILDS: Record<number, Record<number, readonly [number, number]>> = {
  2013: { 21: [1395, 4], 22: [1473, 3], 23: [1497, 2] },
  2016: {
    8: [1415, 2],
    9: [1466, 3],
    10: [1531, 3],
    11: [1591, 10],
    12: [1713, 5],
    13: [1779, 2],
    14: [1847, 3],
    15: [1913, 5],
    16: [1979, 3],
    17: [2044, 4],
    18: [2106, 2],
    19: [2176, 2],
    20: [2242, 4],
    21: [2308, 8],
    22: [2375, 7],
    23: [2507, 6],
  },
  2019: {
    0: [221, 12],
    1: [330, 5],
    2: [397, 3],
    3: [464, 5],
    4: [529, 5],
    5: [595, 3],
    6: [659, 4],
    7: [721, 2],
    8: [792, 3],
    9: [858, 5],
    10: [922, 7],
    11: [986, 5],
    12: [1118, 7],
    13: [1258, 12],
    14: [1544, 4],
  },
};

/**
 * Where a build sits among its line's cumulative updates in the table: `cu` exactly (revision
 * `extraRevision` when security updates were added), strictly `after` CU `cu` and before the
 * next one, `before` the table's first CU (earlier CUs are not in the table), `beyond` its last
 * (a later CU may exist), or unknown (a line without table).
 */
type BuildPlace =
  | { at: "cu"; cu: number; extraRevision: boolean }
  | { at: "between"; after: number }
  | { at: "before"; first: number }
  | { at: "beyond"; last: number }
  | { at: "unknown" };

type ExchangeVersion =
  | { kind: "cu"; line: number; cu: number }
  | { kind: "line"; line: number }
  | { kind: "build"; parts: number[]; line: number; place: BuildPlace };

function placeBuild(line: number, build: number, revision: number): BuildPlace {
  const cus = Object.entries(EXCHANGE_CU_BUILDS[line] ?? {})
    .map(([cu, [cuBuild, cuRevision]]) => ({ cu: Number(cu), cuBuild, cuRevision }))
    .sort((a, b) => a.cuBuild - b.cuBuild);
  for (let i = 0; i < cus.length; i++) {
    const current = cus[i] as (typeof cus)[number];
    if (current.cuBuild === build)
      return { at: "cu", cu: current.cu, extraRevision: revision !== current.cuRevision };
    const next = cus[i + 1];
    if (current.cuBuild < build && next && build < next.cuBuild) return { at: "between", after: current.cu };
  }
  const first = cus[0];
  const last = cus[cus.length - 1];
  if (!first || !last) return { at: "unknown" };
  return build < first.cuBuild ? { at: "before", first: first.cu } : { at: "beyond", last: last.cu };
}

function exchangeVersion(version: string): ExchangeVersion | null {
  const text = version
    .trim()
    .toLowerCase()
    .replace(/^(microsoft\s+)?(exchange(\s+server)?\s*)?/, "");
  const build = /^(\d+)\.(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text);
  if (build) {
    const parts = [Number(build[1]), Number(build[2]), Number(build[3]), Number(build[4] ?? 0)];
    const line = exchangeLineOfBuild(parts[0] as number, parts[1] as number);
    return { kind: "build", parts, line, place: placeBuild(line, parts[2] as number, parts[3] as number) };
  }
  const named =
    /^(20\d\d)(?:\s*[:\s-]\s*(?:cu|cumulative[\s_]update)[\s_]*(\d+)|\s*[:\s-]\s*(?:rtm|-))?$/.exec(text);
  if (!named) return null;
  const line = Number(named[1]);
  if (named[2] !== undefined) return { kind: "cu", line, cu: Number(named[2]) };
  // "2019 RTM" and NVD's "2019" with update "-" are the release before CU1
  if (/rtm|-/.test(text.slice(4))) return { kind: "cu", line, cu: 0 };
  return { kind: "line", line };
}

/** A build against a named version of the same line. */
function compareBuildWithNamed(
  place: BuildPlace,
  named: Exclude<ExchangeVersion, { kind: "build" }>,
): VersionOrder {
  if (named.kind === "line") return null;
  if (place.at === "cu") {
    if (place.cu !== named.cu) return sign(place.cu - named.cu);
    return place.extraRevision ? null : 0;
  }
  if (place.at === "between") return named.cu <= place.after ? 1 : -1;
  if (place.at === "before") return named.cu >= place.first ? -1 : null;
  if (place.at === "beyond") return named.cu <= place.last ? 1 : null;
  return null;
}

function compareExchange(a: string, b: string): VersionOrder {
  const x = exchangeVersion(a);
  const y = exchangeVersion(b);
  if (!x || !y) return null;
  if (x.kind === "build" && y.kind === "build") return compareNumberLists(x.parts, y.parts, 0);
  if (x.line !== y.line) return sign(x.line - y.line);
  if (x.kind === "build")
    return compareBuildWithNamed(x.place, y as Exclude<ExchangeVersion, { kind: "build" }>);
  if (y.kind === "build") {
    const order = compareBuildWithNamed(y.place, x);
    return order === null ? null : ((-order || 0) as -1 | 0 | 1);
  }
  // a line alone ("2019") names every CU of it: only equal to itself
  if (x.kind === "line" || y.kind === "line") return x.kind === y.kind ? 0 : null;
  return sign(x.cu - y.cu);
}

/**
 * Orders two versions of one product by its vendor's scheme: -1 (a before b), 0, 1, or null
 * when either cannot be read by the scheme or the two cannot be ordered.
 */
export function compareVersions(
  vendor: string | null | undefined,
  product: string | null | undefined,
  a: string,
  b: string,
): VersionOrder {
  switch (versionScheme(vendor, product)) {
    case "netscaler": {
      const x = netscalerKey(a);
      const y = netscalerKey(b);
      return x && y ? compareNumberLists(x, y, 0) : null;
    }
    case "fortinet": {
      const x = fortinetKey(a);
      const y = fortinetKey(b);
      return x && y ? comparePrefix(x, y) : null;
    }
    case "ivanti":
      return compareIvanti(a, b);
    case "exchange":
      return compareExchange(a, b);
    default:
      return compareGeneric(a, b);
  }
}

/**
 * The version a CPE's version and update fields name together, in the vendor's own writing:
 * Ivanti `9.1` + `r18` → `9.1R18`, Exchange `2019` + `cumulative_update_8` → `2019 CU8`,
 * `2019` + `-` → `2019 RTM`; `anyUpdate` when the update is ANY (`*`), so that every release of
 * that version matches.
 */
export function cpeVersion(
  vendor: string,
  product: string,
  version: string,
  update: string,
): { version: string; anyUpdate: boolean } {
  const scheme = versionScheme(vendor, product);
  const noUpdate = update === "-" || update === "";
  if (update === "*") return { version, anyUpdate: true };
  if (scheme === "ivanti")
    return { version: noUpdate ? version : `${version}${update.toUpperCase()}`, anyUpdate: false };
  if (scheme === "exchange") {
    const cu = /^(?:cumulative_update_|cu)(\d+)$/i.exec(update);
    if (noUpdate) return { version: `${version} RTM`, anyUpdate: false };
    return { version: cu ? `${version} CU${cu[1]}` : `${version} ${update}`, anyUpdate: false };
  }
  return { version: noUpdate ? version : `${version}-${update}`, anyUpdate: false };
}

/**
 * True when `assetVersion` is a release of `version` whatever its update (Ivanti `9.0R3` of
 * `9.0`, Exchange `2019 CU8` or `15.2.792.3` of `2019`); null when it cannot be said.
 */
export function isReleaseOf(
  vendor: string,
  product: string,
  assetVersion: string,
  version: string,
): boolean | null {
  const scheme = versionScheme(vendor, product);
  if (scheme === "ivanti") {
    const x = ivantiVersion(assetVersion);
    const y = ivantiVersion(version);
    if (!x || !y) return null;
    return (
      compareNumberLists(x.base, y.base, 0) === 0 &&
      (y.release === null || compareIvanti(assetVersion, version) === 0)
    );
  }
  if (scheme === "exchange") {
    const x = exchangeVersion(assetVersion);
    const y = exchangeVersion(version);
    if (!x || !y) return null;
    if (y.kind === "line") return x.line === y.line;
    return compareExchange(assetVersion, version) === 0;
  }
  const order = compareVersions(vendor, product, assetVersion, version);
  return order === null ? null : order === 0;
}

/**
 * The version an asset states, looking into its product name when the version field is empty
 * ("Exchange Server 2019 CU8"); null when none is given.
 */
export function assetVersionOf(
  vendor: string | null | undefined,
  product: string | null | undefined,
  productName: string | null | undefined,
  version: string | null | undefined,
): string | null {
  const given = version?.trim();
  if (given) {
    // "2019 CU8" typed as version while the line sits in the product name ("Exchange Server 2019")
    if (versionScheme(vendor, product) === "exchange" && /^(cu|cumulative update)\s*\d+$/i.test(given)) {
      const line = /\b(20\d\d)\b/.exec(productName ?? "");
      if (line) return `${line[1]} ${given.toUpperCase().replace(/CUMULATIVE UPDATE\s*/, "CU")}`;
    }
    return given;
  }
  if (versionScheme(vendor, product) === "exchange" && productName) {
    const named = /\b(20\d\d)(\s*(?:cu|cumulative update)\s*\d+|\s*rtm)?\b/i.exec(productName);
    if (named) return named[0].replace(/cumulative update\s*/i, "CU");
  }
  return null;
}
