/**
 * Labels tried under each declared domain (`<label>.<domain>`) to find the usual subdomains of a
 * health structure that neither certificate transparency nor the DNS itself reveal. Short on
 * purpose: one A query per label and domain, through the configured resolvers only — never a
 * brute force. Grouped by what they usually serve.
 */
export const SUBDOMAIN_WORDLIST: readonly string[] = [
  // web and portals
  "www",
  "www2",
  "web",
  "portail",
  "portal",
  "extranet",
  "intranet",
  "intra",
  "ent",
  "patients",
  // messaging
  "mail",
  "webmail",
  "smtp",
  "mx",
  "imap",
  "pop",
  "autodiscover",
  "owa",
  "messagerie",
  "mssante",
  // remote access
  "vpn",
  "sslvpn",
  "remote",
  "citrix",
  "rdweb",
  "rds",
  "gateway",
  "passerelle",
  "sso",
  "adfs",
  "auth",
  // file transfer
  "ftp",
  "sftp",
  "partage",
  // care systems: imaging, records, appointments, remote consultation, lab
  "pacs",
  "dicom",
  "ris",
  "dpi",
  "hprim",
  "labo",
  "rdv",
  "teleconsultation",
  "visio",
  // development and administration
  "api",
  "dev",
  "test",
  "recette",
  "preprod",
  "staging",
  "admin",
  "support",
  "glpi",
  "backup",
];
