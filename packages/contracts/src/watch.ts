import { z } from "zod";

/**
 * The proactive watch (decision 0011): the shared vocabulary of vulnerability feeds, exposed
 * assets and watch tickets. Request and response schemas of each part live beside these, in
 * this file, below the vocabulary.
 */

/** Vulnerability feeds ingested by Vigie. */
export const feedSources = ["kev", "nvd", "certfr"] as const;
export const FeedSourceSchema = z.enum(feedSources);
export type FeedSource = z.infer<typeof FeedSourceSchema>;
export const feedSourceLabels: Record<FeedSource, string> = {
  kev: "Catalogue CISA KEV",
  nvd: "NVD (API CVE 2.0)",
  certfr: "Alertes et avis du CERT-FR",
};

export const feedRunStatuses = ["running", "succeeded", "partial", "failed"] as const;
export type FeedRunStatus = (typeof feedRunStatuses)[number];
export const feedRunStatusLabels: Record<FeedRunStatus, string> = {
  running: "En cours",
  succeeded: "Réussie",
  partial: "Partielle (enregistrements rejetés)",
  failed: "Échouée (rien n'a changé)",
};

/** Kinds of exposed assets of a structure. */
export const assetKinds = ["domain", "ip", "cidr", "product", "service"] as const;
export const AssetKindSchema = z.enum(assetKinds);
export type AssetKind = z.infer<typeof AssetKindSchema>;
export const assetKindLabels: Record<AssetKind, string> = {
  domain: "Nom de domaine",
  ip: "Adresse IP",
  cidr: "Plage d'adresses (CIDR)",
  product: "Produit exposé",
  service: "Service exposé",
};

export const assetSources = ["manual", "csv", "audit"] as const;
export type AssetSource = (typeof assetSources)[number];
export const assetSourceLabels: Record<AssetSource, string> = {
  manual: "Saisie",
  csv: "Import CSV",
  audit: "Découvert par un audit",
};

/**
 * Network services that should never be exposed to the Internet: an exposed one raises a
 * ticket. Keys are the `service` of a `service` asset; the default port helps the CSV import.
 */
export const sensitiveServices = {
  rdp: { label: "Bureau à distance (RDP)", port: 3389 },
  smb: { label: "Partage de fichiers Windows (SMB)", port: 445 },
  netbios: { label: "NetBIOS", port: 139 },
  telnet: { label: "Telnet", port: 23 },
  ftp: { label: "FTP", port: 21 },
  vnc: { label: "Prise de main à distance (VNC)", port: 5900 },
  dicom: { label: "Imagerie médicale (DICOM)", port: 104 },
  mssql: { label: "Base de données Microsoft SQL Server", port: 1433 },
  mysql: { label: "Base de données MySQL / MariaDB", port: 3306 },
  postgresql: { label: "Base de données PostgreSQL", port: 5432 },
  oracle: { label: "Base de données Oracle", port: 1521 },
  mongodb: { label: "Base de données MongoDB", port: 27017 },
  redis: { label: "Redis", port: 6379 },
  elasticsearch: { label: "Elasticsearch", port: 9200 },
  ldap: { label: "Annuaire LDAP", port: 389 },
  snmp: { label: "SNMP", port: 161 },
  winrm: { label: "Administration Windows à distance (WinRM)", port: 5985 },
} as const satisfies Record<string, { label: string; port: number }>;
export type SensitiveService = keyof typeof sensitiveServices;

/** What a watch ticket is about. */
export const ticketKinds = ["vulnerability", "sensitive_service", "leaked_credential", "exposure"] as const;
export const TicketKindSchema = z.enum(ticketKinds);
export type TicketKind = z.infer<typeof TicketKindSchema>;
export const ticketKindLabels: Record<TicketKind, string> = {
  vulnerability: "Vulnérabilité exploitée",
  sensitive_service: "Service sensible exposé",
  leaked_credential: "Compte compromis",
  exposure: "Constat d'audit de cybersurveillance",
};

/** confirmed: versions checked against NVD configurations; probable: product name only. */
export const ticketConfidences = ["confirmed", "probable"] as const;
export type TicketConfidence = (typeof ticketConfidences)[number];
export const ticketConfidenceLabels: Record<TicketConfidence, string> = {
  confirmed: "Confirmée (version vulnérable)",
  probable: "Probable (produit reconnu, version non vérifiée)",
};

/**
 * normal: known vulnerability or exposure; high: exploited (in KEV); critical: exploited and
 * used by ransomware. A rise is notified again.
 */
export const ticketUrgencies = ["normal", "high", "critical"] as const;
export const TicketUrgencySchema = z.enum(ticketUrgencies);
export type TicketUrgency = z.infer<typeof TicketUrgencySchema>;
export const ticketUrgencyLabels: Record<TicketUrgency, string> = {
  normal: "Normale",
  high: "Élevée (exploitation active)",
  critical: "Critique (exploitée par des rançongiciels)",
};
/** Days given to act, by urgency (the deadline named in the message). */
export const ticketUrgencyDays: Record<TicketUrgency, number> = { normal: 30, high: 7, critical: 2 };

export const ticketStatuses = [
  "new",
  "notified",
  "acknowledged",
  "fixed",
  "false_positive",
  "reopened",
] as const;
export const TicketStatusSchema = z.enum(ticketStatuses);
export type TicketStatus = z.infer<typeof TicketStatusSchema>;
export const ticketStatusLabels: Record<TicketStatus, string> = {
  new: "Nouveau",
  notified: "Signalé à la structure",
  acknowledged: "Pris en compte",
  fixed: "Corrigé",
  false_positive: "Faux positif",
  reopened: "Rouvert",
};
/** Tickets still asking something of the structure. */
export const openTicketStatuses: readonly TicketStatus[] = ["new", "notified", "acknowledged", "reopened"];

/**
 * The ticket state machine (architecture convention 6). `system` moves are made by matching,
 * notification and expiry; `structure` by the structure's members; `cert` by the CERT.
 */
export const ticketTransitions: Record<
  TicketStatus,
  Partial<Record<TicketStatus, readonly ("system" | "structure" | "cert")[]>>
> = {
  new: {
    notified: ["system"],
    acknowledged: ["structure", "cert"],
    fixed: ["system", "cert"],
    false_positive: ["cert"],
  },
  notified: {
    acknowledged: ["structure", "cert"],
    fixed: ["system", "structure", "cert"],
    false_positive: ["cert"],
  },
  acknowledged: { fixed: ["system", "structure", "cert"], false_positive: ["cert"] },
  reopened: {
    notified: ["system"],
    acknowledged: ["structure", "cert"],
    fixed: ["system", "structure", "cert"],
    false_positive: ["cert"],
  },
  // seen again by matching, or the false positive expired, or the CERT reopens
  fixed: { reopened: ["system", "cert"] },
  false_positive: { reopened: ["system", "cert"] },
};

/** True when `by` may move a ticket from `from` to `to`. */
export function canTransitionTicket(
  from: TicketStatus,
  to: TicketStatus,
  by: "system" | "structure" | "cert",
): boolean {
  return ticketTransitions[from][to]?.includes(by) ?? false;
}
