import type { AssetInput } from "@vigie/contracts";
import { AssetInput as AssetInputSchema } from "@vigie/contracts";
import { assetsRepo, type Executor, structuresRepo } from "@vigie/db";
import { createAsset } from "../watch/assets/manage-assets.ts";

/**
 * The exposed assets of a few real hospitals of the reference directory, for the demo of the
 * watch: documentation address ranges (RFC 5737, RFC 3849) and `.test` domains only, with the
 * products the CERT warned about in 2023 at vulnerable versions (Citrix Bleed on NetScaler
 * 13.1-49.14, FortiOS SSL-VPN 7.2.4, Ivanti Connect Secure 22.6R2, Exchange 2019 CU8) and two
 * services that should never be exposed (RDP, DICOM).
 */
export const DEMO_ASSETS: Readonly<Record<string, readonly AssetInput[]>> = {
  // Hôpital Nord – CHU Grenoble Alpes: the demo declarant's structure.
  "380000067": [
    { kind: "domain", value: "chu-demo.test", label: "Domaine de messagerie et site institutionnel" },
    { kind: "domain", value: "acces.chu-demo.test", label: "Portail d'accès distant" },
    { kind: "cidr", value: "203.0.113.0/26", label: "Plage publique du CHU" },
    {
      kind: "product",
      vendor: "Citrix",
      product: "NetScaler ADC",
      version: "13.1-49.14",
      host: "203.0.113.10",
      port: 443,
      transport: "tcp",
      label: "Passerelle d'accès distant des médecins",
    },
    {
      kind: "product",
      vendor: "Microsoft",
      product: "Exchange Server",
      version: "2019 CU8",
      cpe: "cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_8:*:*:*:*:*:*",
      host: "203.0.113.25",
      port: 443,
      transport: "tcp",
      label: "Webmail (Outlook Web Access)",
    },
    {
      kind: "service",
      service: "rdp",
      host: "203.0.113.20",
      port: 3389,
      transport: "tcp",
      label: "Serveur de rebond d'un prestataire",
    },
  ],
  // CHRU de Rennes, site Pontchaillou.
  "350000741": [
    { kind: "domain", value: "chu-rennes-demo.test", label: "Site institutionnel" },
    { kind: "cidr", value: "198.51.100.0/24", label: "Plage publique du CHRU" },
    {
      kind: "product",
      vendor: "Fortinet",
      product: "FortiGate",
      version: "7.2.4",
      host: "198.51.100.1",
      port: 443,
      transport: "tcp",
      label: "VPN SSL des équipes d'astreinte",
    },
    {
      kind: "service",
      service: "dicom",
      host: "198.51.100.40",
      port: 104,
      transport: "tcp",
      label: "PACS d'imagerie médicale",
    },
  ],
  // Centre hospitalier de Bourg-en-Bresse Fleyriat.
  "010000024": [
    { kind: "domain", value: "ch-fleyriat-demo.test", label: "Site institutionnel" },
    { kind: "ip", value: "192.0.2.33", label: "Concentrateur VPN" },
    { kind: "cidr", value: "2001:db8:1200::/48", label: "Préfixe IPv6 du centre hospitalier" },
    {
      kind: "product",
      vendor: "Ivanti",
      product: "Connect Secure",
      version: "22.6R2",
      host: "192.0.2.33",
      port: 443,
      transport: "tcp",
      label: "Accès distant des praticiens",
    },
  ],
};

/**
 * Adds the demo assets of each demo structure whose inventory is still empty, through the same
 * use case as the application (checked, audited); the number of assets added. Safe to run again.
 */
export async function seedDemoAssets(db: Executor, now: Date): Promise<number> {
  let added = 0;
  for (const [finess, assets] of Object.entries(DEMO_ASSETS)) {
    const structure = await structuresRepo.findStructureByFiness(db, finess);
    if (!structure) continue;
    if ((await assetsRepo.listStructureAssets(db, structure.id)).length > 0) continue;
    for (const asset of assets) {
      await createAsset(
        db,
        null,
        { ...AssetInputSchema.parse(asset), structure: structure.id },
        { now, actorLabel: "système (données de démonstration)" },
      );
      added++;
    }
  }
  return added;
}
