/**
 * CPE 2.3 formatted strings (NISTIR 7695 §6.2) and the normalisation of an asset's vendor and
 * product to the CPE vendor and product NVD uses, so that matching is one indexed equality.
 */

/** The eleven attributes of a CPE 2.3 formatted string, unescaped; `*` is ANY and `-` is NA. */
export interface Cpe {
  part: string;
  vendor: string;
  product: string;
  version: string;
  update: string;
  edition: string;
  language: string;
  swEdition: string;
  targetSw: string;
  targetHw: string;
  other: string;
}

const CPE_FIELDS = [
  "part",
  "vendor",
  "product",
  "version",
  "update",
  "edition",
  "language",
  "swEdition",
  "targetSw",
  "targetHw",
  "other",
] as const;

/**
 * Parses `cpe:2.3:part:vendor:product:version:update:…` (escaped colons `\:` and other `\x`
 * escapes honoured, values unescaped, missing trailing fields taken as ANY); null when it is
 * not a CPE 2.3 formatted string.
 */
export function parseCpe(text: string): Cpe | null {
  const value = text.trim();
  if (!/^cpe:2\.3:/i.test(value)) return null;
  const fields: string[] = [];
  let current = "";
  for (let i = "cpe:2.3:".length; i < value.length; i++) {
    const char = value[i] as string;
    if (char === "\\" && i + 1 < value.length) {
      // an escaped character is literal, whatever it is (\: \. \- \\ …)
      current += value[i + 1];
      i++;
    } else if (char === ":") {
      fields.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  fields.push(current);
  if (fields.length > CPE_FIELDS.length || fields.length < 3) return null;
  const [part, vendor, product] = fields;
  if (!part || !/^[aoh*]$/i.test(part) || !vendor || !product) return null;
  const cpe = {} as Cpe;
  CPE_FIELDS.forEach((name, index) => {
    const field = fields[index];
    cpe[name] = field === undefined || field === "" ? "*" : name === "part" ? field.toLowerCase() : field;
  });
  cpe.vendor = cpe.vendor.toLowerCase();
  cpe.product = cpe.product.toLowerCase();
  return cpe;
}

/** Lower case, accents removed, every run of non-alphanumeric characters one underscore. */
export function cpeName(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

interface Alias {
  vendor: string;
  product: string;
}

/**
 * Names people give the products the CERT warned about, as NVD's CPE vendor and product (checked
 * on the NVD records of CVE-2023-4966, CVE-2023-27997, CVE-2023-46805, CVE-2024-21887 and
 * CVE-2021-26855). Keys are `cpeName(product)`, and `cpeName(vendor + " " + product)` so that a
 * vendor repeated in the product name matches too.
 */
const PRODUCT_ALIASES: Record<string, Alias> = {
  netscaler_adc: { vendor: "citrix", product: "netscaler_application_delivery_controller" },
  citrix_netscaler_adc: { vendor: "citrix", product: "netscaler_application_delivery_controller" },
  netscaler_application_delivery_controller: {
    vendor: "citrix",
    product: "netscaler_application_delivery_controller",
  },
  citrix_adc: { vendor: "citrix", product: "netscaler_application_delivery_controller" },
  netscaler: { vendor: "citrix", product: "netscaler_application_delivery_controller" },
  netscaler_gateway: { vendor: "citrix", product: "netscaler_gateway" },
  citrix_netscaler_gateway: { vendor: "citrix", product: "netscaler_gateway" },
  citrix_gateway: { vendor: "citrix", product: "netscaler_gateway" },
  fortigate: { vendor: "fortinet", product: "fortios" },
  fortios: { vendor: "fortinet", product: "fortios" },
  fortinet_fortigate: { vendor: "fortinet", product: "fortios" },
  fortinet_fortios: { vendor: "fortinet", product: "fortios" },
  fortiproxy: { vendor: "fortinet", product: "fortiproxy" },
  ivanti_connect_secure: { vendor: "ivanti", product: "connect_secure" },
  connect_secure: { vendor: "ivanti", product: "connect_secure" },
  pulse_connect_secure: { vendor: "ivanti", product: "connect_secure" },
  pulse_secure_connect_secure: { vendor: "ivanti", product: "connect_secure" },
  ivanti_pulse_connect_secure: { vendor: "ivanti", product: "connect_secure" },
  ivanti_policy_secure: { vendor: "ivanti", product: "policy_secure" },
  policy_secure: { vendor: "ivanti", product: "policy_secure" },
  pulse_policy_secure: { vendor: "ivanti", product: "policy_secure" },
  microsoft_exchange: { vendor: "microsoft", product: "exchange_server" },
  microsoft_exchange_server: { vendor: "microsoft", product: "exchange_server" },
  exchange_server: { vendor: "microsoft", product: "exchange_server" },
  exchange: { vendor: "microsoft", product: "exchange_server" },
};

/** Vendor names as NVD writes them. */
const VENDOR_ALIASES: Record<string, string> = {
  pulse_secure: "ivanti",
  pulsesecure: "ivanti",
  microsoft_corporation: "microsoft",
  fortinet_inc: "fortinet",
  citrix_systems: "citrix",
  cloud_software_group: "citrix",
};

/** Strips a trailing version or release word people type into the product name ("Exchange Server 2019 CU8"). */
function withoutTrailingRelease(name: string): string {
  return name.replace(/(_(?:19|20)\d\d)?(_cu_?\d+)?(_(?:sp|r)\d+)?$/, "").replace(/_+$/, "");
}

/**
 * The CPE vendor and product an asset matches on: the CPE's when one is given, else the
 * vendor's and product's names normalised (lower case, underscores) through a small alias
 * table; null when there is no product to match.
 */
export function normaliseProduct(
  vendor: string | null | undefined,
  product: string | null | undefined,
  cpe?: string | null,
): { matchVendor: string; matchProduct: string } | null {
  if (cpe) {
    const parsed = parseCpe(cpe);
    if (parsed && parsed.vendor !== "*" && parsed.product !== "*") {
      return { matchVendor: parsed.vendor, matchProduct: parsed.product };
    }
  }
  const productName = product ? cpeName(product) : "";
  if (!productName) return null;
  const vendorName = vendor ? cpeName(vendor) : "";
  const candidates = [productName, withoutTrailingRelease(productName)];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const alias =
      (vendorName ? PRODUCT_ALIASES[`${vendorName}_${candidate}`] : undefined) ?? PRODUCT_ALIASES[candidate];
    if (alias) return { matchVendor: alias.vendor, matchProduct: alias.product };
  }
  const matchVendor = VENDOR_ALIASES[vendorName] ?? vendorName;
  // "Fortinet FortiWeb" with vendor Fortinet: NVD names the product without the vendor
  const matchProduct =
    matchVendor && productName.startsWith(`${matchVendor}_`)
      ? productName.slice(matchVendor.length + 1)
      : productName;
  return { matchVendor, matchProduct };
}
