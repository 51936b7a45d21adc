import { domainToASCII } from "node:url";
import type { AssetInput, AssetKind, FieldIssue } from "@vigie/contracts";
import { sensitiveServices } from "@vigie/contracts";
import ipaddr from "ipaddr.js";
import type { z } from "zod";
import { parseCpe } from "../matching/cpe.ts";

/** An asset as stored: checked, normalised, with the fields of its kind only. */
export interface NormalisedAsset {
  kind: AssetKind;
  domain: string | null;
  /** `192.0.2.0/24`, `192.0.2.7/32`, `2001:db8::/32` (the cidr column's text). */
  network: string | null;
  host: string | null;
  port: number | null;
  transport: "tcp" | "udp" | null;
  service: string | null;
  vendor: string | null;
  product: string | null;
  version: string | null;
  cpe: string | null;
  label: string | null;
}

type Result<T> = { ok: true; value: T } | { ok: false; message: string };

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A host name as stored: trimmed, no trailing dot, lower case, IDN in punycode (`domainToASCII`),
 * labels of letters, digits and hyphens, at least two labels and an alphabetic top-level domain.
 */
export function normaliseDomain(input: string): Result<string> {
  const typed = input.trim().replace(/\.$/, "");
  if (!typed) return { ok: false, message: "Saisissez un nom de domaine." };
  if (/[\s/@:]/.test(typed)) {
    return {
      ok: false,
      message: "Saisissez le nom de domaine seul, sans « http:// », chemin, port ni adresse électronique.",
    };
  }
  if (ipaddr.isValid(typed))
    return { ok: false, message: "C'est une adresse IP : choisissez le type « Adresse IP »." };
  const ascii = domainToASCII(typed);
  const labels = ascii.split(".");
  const problem =
    !ascii || ascii.length > 253
      ? "Ce nom de domaine est invalide."
      : labels.length < 2
        ? "Le nom de domaine doit comporter au moins deux parties, par exemple « ch-exemple.fr »."
        : labels.some((label) => !LABEL.test(label))
          ? "Chaque partie du nom de domaine compte 1 à 63 lettres, chiffres ou tirets, sans tiret au début ni à la fin."
          : !/^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(labels[labels.length - 1] as string)
            ? "L'extension du nom de domaine (« .fr », « .com »…) est invalide."
            : null;
  return problem ? { ok: false, message: problem } : { ok: true, value: ascii };
}

/** Ranges no structure can own on the Internet. */
const REFUSED_RANGES: Record<string, string> = {
  unspecified: "non spécifiée",
  loopback: "de bouclage (loopback)",
  linkLocal: "de lien local",
  multicast: "de multidiffusion (multicast)",
  broadcast: "de diffusion (broadcast)",
};

/** Widest ranges accepted: wider is certainly a mistake (nobody declares a /7). */
const WIDEST_PREFIX = { ipv4: 8, ipv6: 16 } as const;

/**
 * An address or a CIDR range: `ip` for one address (and /32, /128), `cidr` for a range, which
 * must be given by its network address; unspecified, loopback, link-local and multicast addresses
 * are refused. The network is returned in the cidr column's text form.
 */
export function normaliseNetwork(input: string): Result<{ kind: "ip" | "cidr"; network: string }> {
  const typed = input.trim();
  if (!typed) return { ok: false, message: "Saisissez une adresse IP ou une plage (CIDR)." };
  const [typedAddress = "", typedPrefix] = typed.split("/");
  // ipaddr.js also reads 0xc0.2.1 and other legacy IPv4 forms: only the dotted quad is accepted.
  const strict = typedAddress.includes(":")
    ? ipaddr.IPv6.isValid(typedAddress)
    : ipaddr.IPv4.isValidFourPartDecimal(typedAddress);
  if (!strict || (typedPrefix !== undefined && !/^\d{1,3}$/.test(typedPrefix))) {
    return {
      ok: false,
      message:
        typedPrefix !== undefined
          ? "Plage invalide : écrivez l'adresse du réseau suivie de la longueur du préfixe, par exemple 192.0.2.0/24."
          : "Adresse IP invalide : par exemple 192.0.2.10 ou 2001:db8::10.",
    };
  }
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  let prefix: number;
  try {
    if (typed.includes("/")) {
      [address, prefix] = ipaddr.parseCIDR(typed);
    } else {
      address = ipaddr.parse(typed);
      prefix = address.kind() === "ipv4" ? 32 : 128;
    }
  } catch {
    return {
      ok: false,
      message: typed.includes("/")
        ? "Plage invalide : écrivez l'adresse du réseau suivie de la longueur du préfixe, par exemple 192.0.2.0/24."
        : "Adresse IP invalide : par exemple 192.0.2.10 ou 2001:db8::10.",
    };
  }
  // An IPv4 address written as IPv6 (::ffff:192.0.2.1) is stored as the IPv4 address it is.
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress() && prefix >= 96) {
    address = address.toIPv4Address();
    prefix -= 96;
  }
  const family = address.kind();
  const full = family === "ipv4" ? 32 : 128;
  const range = address.range();
  const refused = REFUSED_RANGES[range];
  if (refused) {
    return {
      ok: false,
      message: `Cette adresse est ${refused} : elle ne peut pas être exposée sur Internet.`,
    };
  }
  if (prefix === full) return { ok: true, value: { kind: "ip", network: `${address.toString()}/${full}` } };
  if (prefix < WIDEST_PREFIX[family]) {
    return {
      ok: false,
      message: `Plage trop large : le préfixe compte au moins ${WIDEST_PREFIX[family]} bits en ${family === "ipv4" ? "IPv4" : "IPv6"}.`,
    };
  }
  const network =
    family === "ipv4"
      ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${prefix}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${prefix}`);
  if (network.toString() !== address.toString()) {
    const proposed = `${network.toString()}/${prefix}`;
    return {
      ok: false,
      message: `Une plage s'écrit avec l'adresse de son réseau : vouliez-vous dire ${proposed} ?`,
    };
  }
  return { ok: true, value: { kind: "cidr", network: `${network.toString()}/${prefix}` } };
}

/** How an address is shown: without /32 (IPv4) or /128 (IPv6). */
export function displayNetwork(network: string): string {
  return network.includes(":") ? network.replace(/\/128$/, "") : network.replace(/\/32$/, "");
}

/** A CPE 2.3 formatted string (`cpe:2.3:a:vendor:product:version:…`), trimmed. */
export function normaliseCpe(input: string): Result<string> {
  const typed = input.trim();
  const parsed = /\s/.test(typed) ? null : parseCpe(typed);
  if (!parsed || parsed.part === "*" || parsed.vendor === "*" || parsed.product === "*") {
    return {
      ok: false,
      message:
        "CPE invalide : une chaîne CPE 2.3 s'écrit « cpe:2.3:a:éditeur:produit:version:… », " +
        "par exemple cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*.",
    };
  }
  return { ok: true, value: typed };
}

/** An exposure point: an IP address (normalised) or a host name (as a domain). */
export function normaliseHost(input: string): Result<string> {
  const typed = input.trim();
  if (ipaddr.isValid(typed)) {
    const network = normaliseNetwork(typed);
    return network.ok ? { ok: true, value: displayNetwork(network.value.network) } : network;
  }
  const domain = normaliseDomain(typed);
  return domain.ok
    ? domain
    : { ok: false, message: "L'hôte est une adresse IP ou un nom d'hôte, par exemple vpn.ch-exemple.fr." };
}

/** Default transport of a service: UDP for the few that only listen on UDP. */
function defaultTransport(service: string | null): "tcp" | "udp" {
  return service === "snmp" ? "udp" : "tcp";
}

/** An asset of `kind` with every other field empty, to fill in. */
export function blankAsset(kind: NormalisedAsset["kind"], label: string | null): NormalisedAsset {
  return {
    kind,
    domain: null,
    network: null,
    host: null,
    port: null,
    transport: null,
    service: null,
    vendor: null,
    product: null,
    version: null,
    cpe: null,
    label,
  };
}

/**
 * Checks and normalises one asset as typed: the fields of its kind, each problem named by its
 * field (`value`, `vendor`, `port`…). A product may be described by its CPE alone (the vendor and
 * product are then read from it); a service's port defaults to the usual one of a known service.
 */
export function validateAsset(
  input: z.output<typeof AssetInput>,
): { ok: true; asset: NormalisedAsset } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const fail = (field: string, message: string) => issues.push({ field, message });
  const asset = blankAsset(input.kind, input.label ?? null);
  switch (input.kind) {
    case "domain": {
      if (!input.value) {
        fail("value", "Saisissez le nom de domaine.");
        break;
      }
      const domain = normaliseDomain(input.value);
      if (domain.ok) asset.domain = domain.value;
      else fail("value", domain.message);
      break;
    }
    case "ip":
    case "cidr": {
      if (!input.value) {
        fail("value", "Saisissez l'adresse IP ou la plage.");
        break;
      }
      const network = normaliseNetwork(input.value);
      if (network.ok) {
        // The form's choice between address and range follows what was typed (/32 is an address).
        asset.kind = network.value.kind;
        asset.network = network.value.network;
      } else {
        fail("value", network.message);
      }
      break;
    }
    case "product":
    case "service": {
      if (input.cpe) {
        const cpe = normaliseCpe(input.cpe);
        if (cpe.ok) asset.cpe = cpe.value;
        else fail("cpe", cpe.message);
      }
      const fromCpe = asset.cpe ? parseCpe(asset.cpe) : null;
      asset.vendor = input.vendor ?? (fromCpe ? fromCpe.vendor : null);
      asset.product = input.product ?? (fromCpe ? fromCpe.product : null);
      asset.version =
        input.version ??
        (fromCpe && fromCpe.version !== "*" && fromCpe.version !== "-" ? fromCpe.version : null);
      if (input.kind === "product") {
        if (!asset.product) fail("product", "Saisissez le produit (ou sa chaîne CPE).");
        if (!asset.vendor && !issues.some((i) => i.field === "cpe")) {
          fail("vendor", "Saisissez l'éditeur du produit (ou sa chaîne CPE).");
        }
      } else if ((input.version || input.vendor) && !asset.product) {
        fail("product", "Saisissez le produit dont vous indiquez l'éditeur ou la version.");
      }
      if (input.host) {
        const host = normaliseHost(input.host);
        if (host.ok) asset.host = host.value;
        else fail("host", host.message);
      } else if (input.kind === "service") {
        fail("host", "Saisissez l'adresse IP ou le nom d'hôte où le service est exposé.");
      }
      if (input.kind === "service") {
        const service = input.service?.toLowerCase() ?? null;
        if (!service) fail("service", "Saisissez le service exposé (rdp, dicom, smb…).");
        asset.service = service;
        const known = service ? sensitiveServices[service as keyof typeof sensitiveServices] : undefined;
        asset.port = input.port ?? known?.port ?? null;
        // Without a service there is no usual port to suggest: the service's error says enough.
        if (asset.port === null && service) fail("port", "Saisissez le port du service (de 1 à 65535).");
        asset.transport = input.transport ?? defaultTransport(service);
      } else {
        asset.port = input.port ?? null;
        if (asset.port !== null && !asset.host)
          fail("host", "Saisissez l'hôte sur lequel ce port est ouvert.");
        asset.transport = asset.port !== null ? (input.transport ?? "tcp") : null;
      }
      break;
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, asset };
}

/**
 * What makes two assets of a structure the same: the domain, the network, the product where it
 * runs, or the service's host, port and transport. A duplicate is refused; a CSV line whose asset
 * is already in the inventory is left unchanged.
 */
export function assetIdentity(asset: Pick<NormalisedAsset, keyof NormalisedAsset>): string {
  const lower = (v: string | number | null) => (v === null ? "" : String(v).toLowerCase());
  switch (asset.kind) {
    case "domain":
      return `domain:${asset.domain}`;
    case "ip":
    case "cidr":
      return `network:${asset.network}`;
    case "product":
      return `product:${[asset.vendor, asset.product, asset.version, asset.host, asset.port].map(lower).join("|")}`;
    case "service":
      return `service:${[asset.host, asset.port, asset.transport].map(lower).join("|")}`;
  }
}
