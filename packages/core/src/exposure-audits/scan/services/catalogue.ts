import { type FindingSeverity, type SensitiveService, sensitiveServices } from "@vigie/contracts";

/**
 * How serious the exposure of each sensitive service is, and what to do about it. Remote
 * administration and file sharing are the first doors of ransomware; databases and caches
 * expose patient data directly; clear-text protocols give passwords away.
 */
export interface SensitiveServiceRule {
  severity: FindingSeverity;
  /** Why it matters, in one French sentence (appended to the evidence). */
  risk: string;
  remediation: string;
}

const noInternet =
  "Retirer ce service de l'exposition sur Internet : le rendre accessible uniquement depuis le réseau interne ou au travers d'un VPN avec authentification multifacteur, et filtrer les adresses autorisées sur le pare-feu.";
const database = `${noInternet} Une base de données ne doit jamais être joignable directement depuis Internet : seules les applications qui l'utilisent doivent pouvoir s'y connecter. Vérifier l'authentification des comptes et appliquer les correctifs de l'éditeur.`;

export const sensitiveServiceRules: Record<SensitiveService, SensitiveServiceRule> = {
  rdp: {
    severity: "critical",
    risk: "Le bureau à distance exposé est la première porte d'entrée des rançongiciels (attaques par force brute et vulnérabilités).",
    remediation: `${noInternet} Activer l'authentification au niveau du réseau (NLA), appliquer les correctifs Windows et surveiller les échecs de connexion. Préférer une passerelle d'accès (RD Gateway) derrière le VPN.`,
  },
  smb: {
    severity: "critical",
    risk: "Le partage de fichiers Windows exposé permet le vol de données et la propagation de rançongiciels (EternalBlue, relais NTLM).",
    remediation: `${noInternet} Bloquer les ports 139 et 445 en entrée sur le pare-feu périmétrique, désactiver SMBv1 et appliquer les correctifs Windows.`,
  },
  netbios: {
    severity: "high",
    risk: "NetBIOS divulgue les noms des machines, du domaine et des utilisateurs et accompagne souvent SMB.",
    remediation: `${noInternet} Bloquer les ports 137 à 139 en entrée sur le pare-feu périmétrique et désactiver NetBIOS sur TCP/IP lorsqu'il n'est pas utilisé.`,
  },
  telnet: {
    severity: "critical",
    risk: "Telnet transmet les identifiants en clair et sert souvent à l'administration d'équipements réseau ou biomédicaux.",
    remediation: `${noInternet} Désactiver Telnet et le remplacer par SSH avec authentification par clé ; changer les mots de passe des équipements concernés.`,
  },
  ftp: {
    severity: "medium",
    risk: "FTP transmet les identifiants et les fichiers en clair et permet parfois l'accès anonyme.",
    remediation:
      "Remplacer FTP par SFTP ou FTPS, désactiver l'accès anonyme, restreindre les adresses autorisées sur le pare-feu ou placer le service derrière un VPN avec authentification multifacteur.",
  },
  vnc: {
    severity: "critical",
    risk: "La prise de main à distance VNC donne le contrôle complet du poste, souvent avec un simple mot de passe, parfois sans.",
    remediation: `${noInternet} Exiger un mot de passe robuste, préférer une solution de prise de main à distance avec authentification multifacteur et journalisation.`,
  },
  dicom: {
    severity: "high",
    risk: "Un service DICOM exposé peut permettre de consulter, d'exfiltrer ou d'altérer des images médicales et les données de santé associées.",
    remediation: `${noInternet} Restreindre les associations DICOM aux titres AE et aux adresses des modalités et PACS connus, utiliser DICOM sur TLS pour les échanges entre sites et désactiver les classes SOP inutiles.`,
  },
  mssql: {
    severity: "high",
    risk: "Une base Microsoft SQL Server exposée est visée par la force brute (compte sa) et permet l'exécution de commandes.",
    remediation: database,
  },
  mysql: {
    severity: "high",
    risk: "Une base MySQL ou MariaDB exposée est visée par la force brute et peut contenir des données de santé.",
    remediation: database,
  },
  postgresql: {
    severity: "high",
    risk: "Une base PostgreSQL exposée est visée par la force brute et peut contenir des données de santé.",
    remediation: `${database} Revoir pg_hba.conf : aucune méthode trust pour des adresses distantes.`,
  },
  oracle: {
    severity: "high",
    risk: "Un listener Oracle exposé permet l'énumération des instances et la force brute des comptes.",
    remediation: database,
  },
  mongodb: {
    severity: "critical",
    risk: "Les bases MongoDB exposées sont régulièrement vidées et rançonnées, en particulier sans authentification.",
    remediation: `${database} Activer l'authentification (security.authorization) et lier le service à l'adresse interne (net.bindIp).`,
  },
  redis: {
    severity: "critical",
    risk: "Redis exposé, souvent sans authentification, permet la lecture des données et l'exécution de code sur le serveur.",
    remediation: `${noInternet} Lier Redis à l'adresse interne (bind), garder le mode protégé, exiger une authentification (ACL ou requirepass) et renommer les commandes dangereuses.`,
  },
  elasticsearch: {
    severity: "critical",
    risk: "Un index Elasticsearch exposé, souvent sans authentification, permet la lecture et la suppression des données indexées.",
    remediation: `${noInternet} Activer les fonctions de sécurité (authentification, TLS) d'Elasticsearch et ne publier que les applications qui l'utilisent.`,
  },
  ldap: {
    severity: "high",
    risk: "Un annuaire LDAP exposé divulgue les comptes et l'organisation, et permet la force brute des mots de passe.",
    remediation: `${noInternet} Interdire les liaisons anonymes et exiger LDAPS ou StartTLS.`,
  },
  snmp: {
    severity: "medium",
    risk: "SNMP exposé divulgue la configuration des équipements, voire permet de la modifier avec une communauté par défaut.",
    remediation: `${noInternet} Utiliser SNMPv3 avec authentification et chiffrement et changer les communautés par défaut (public, private).`,
  },
  winrm: {
    severity: "high",
    risk: "WinRM permet l'administration à distance de Windows (PowerShell) et est visé par la force brute.",
    remediation: `${noInternet} Restreindre WinRM aux postes d'administration du réseau interne et exiger HTTPS.`,
  },
};

/** Service names given by port scanners (nmap, IANA) for the sensitive services. */
const aliases: Record<string, SensitiveService> = {
  "ms-wbt-server": "rdp",
  "microsoft-ds": "smb",
  cifs: "smb",
  "netbios-ssn": "netbios",
  "netbios-ns": "netbios",
  "ftp-data": "ftp",
  "vnc-http": "vnc",
  "dicom-tls": "dicom",
  "dicom-iscl": "dicom",
  acr_nema: "dicom",
  "acr-nema": "dicom",
  "ms-sql-s": "mssql",
  "ms-sql-m": "mssql",
  mariadb: "mysql",
  postgres: "postgresql",
  "oracle-tns": "oracle",
  mongod: "mongodb",
  mongo: "mongodb",
  "wap-wsp": "elasticsearch",
  ldaps: "ldap",
  wsman: "winrm",
  wsmans: "winrm",
};

/** Ports where DICOM is commonly found (104 standard, 11112 registered, 4242 Orthanc). */
export const DICOM_PORTS = new Set([104, 11112, 4242]);

const byPort = new Map<number, SensitiveService>(
  Object.entries(sensitiveServices).map(([name, info]) => [info.port, name as SensitiveService]),
);
for (const [port, name] of [
  [3389, "rdp"],
  [137, "netbios"],
  [5901, "vnc"],
  [11112, "dicom"],
  [636, "ldap"],
  [9300, "elasticsearch"],
  [5986, "winrm"],
] as const) {
  byPort.set(port, name);
}

/** The sensitive service a scanner's name refers to, if any. */
export function sensitiveServiceOf(service: string | null): SensitiveService | null {
  if (!service) return null;
  const name = service.toLowerCase();
  if (name in sensitiveServices) return name as SensitiveService;
  return aliases[name] ?? null;
}

/**
 * The sensitive service usually found on a port, used only when the scan could not name what
 * answers (or found a generic HTTP service on a port of an HTTP-based one).
 */
export function sensitiveServiceOfPort(port: number): SensitiveService | null {
  return byPort.get(port) ?? null;
}
