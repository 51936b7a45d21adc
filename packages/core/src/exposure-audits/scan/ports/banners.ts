/**
 * What a port's first bytes say: the service and, where the banner gives it, the product and
 * version, named as NVD's CPE vendor and product (lower case, underscores) so that the watch's
 * matching recognises them. Pure functions: the network side is `identify.ts`.
 */

export interface ServiceProduct {
  vendor?: string;
  product: string;
  version?: string;
}

/** What the identification of one port concluded. */
export interface Identification {
  service: string | null;
  product?: ServiceProduct;
  /** The first line (or a printable summary) of what the service sent. */
  banner?: string;
}

/** Ports a DICOM service (PACS, modality, Orthanc) listens on. */
export const DICOM_PORTS: ReadonlySet<number> = new Set([104, 11112, 4242]);

/**
 * The usual service of a port, used only when the port answered nothing identifiable (as nmap
 * does without -sV). Keys of `sensitiveServices` where they exist.
 */
export const PORT_SERVICES: Readonly<Record<number, string>> = {
  20: "ftp-data",
  21: "ftp",
  22: "ssh",
  23: "telnet",
  25: "smtp",
  53: "domain",
  80: "http",
  88: "kerberos",
  102: "s7comm",
  104: "dicom",
  110: "pop3",
  111: "rpcbind",
  135: "msrpc",
  139: "netbios",
  143: "imap",
  389: "ldap",
  443: "https",
  445: "smb",
  465: "smtp",
  502: "modbus",
  514: "shell",
  515: "printer",
  587: "smtp",
  631: "ipp",
  636: "ldap",
  873: "rsync",
  990: "ftp",
  993: "imap",
  995: "pop3",
  1433: "mssql",
  1521: "oracle",
  1723: "pptp",
  1883: "mqtt",
  2049: "nfs",
  2375: "docker",
  2376: "docker",
  2575: "hl7",
  3268: "ldap",
  3269: "ldap",
  3306: "mysql",
  3389: "rdp",
  4242: "dicom",
  5432: "postgresql",
  5900: "vnc",
  5901: "vnc",
  5984: "couchdb",
  5985: "winrm",
  5986: "winrm",
  6379: "redis",
  8883: "mqtt",
  9042: "cassandra",
  9100: "jetdirect",
  9200: "elasticsearch",
  9300: "elasticsearch",
  11112: "dicom",
  11211: "memcached",
  27017: "mongodb",
  27018: "mongodb",
};

/** Ports whose service speaks TLS from the first byte when it is the usual one. */
export const TLS_PORTS: ReadonlySet<number> = new Set([
  443, 465, 636, 990, 993, 995, 2376, 3269, 4433, 4443, 5061, 5986, 6443, 8443, 8444, 8883, 9443, 10443,
]);

/** HTTP servers: the `Server:` product token → CPE vendor and product. */
const HTTP_SERVERS: Record<string, { vendor: string; product: string }> = {
  nginx: { vendor: "f5", product: "nginx" },
  apache: { vendor: "apache", product: "http_server" },
  "microsoft-iis": { vendor: "microsoft", product: "internet_information_services" },
  "microsoft-httpapi": { vendor: "microsoft", product: "http_api" },
  lighttpd: { vendor: "lighttpd", product: "lighttpd" },
  "apache-coyote": { vendor: "apache", product: "tomcat" },
  openresty: { vendor: "openresty", product: "openresty" },
  caddy: { vendor: "caddyserver", product: "caddy" },
  jetty: { vendor: "eclipse", product: "jetty" },
  couchdb: { vendor: "apache", product: "couchdb" },
  orthanc: { vendor: "orthanc-server", product: "orthanc" },
  mini_httpd: { vendor: "acme", product: "mini_httpd" },
  boa: { vendor: "boa", product: "boa" },
  cherokee: { vendor: "cherokee-project", product: "cherokee" },
  gunicorn: { vendor: "gunicorn", product: "gunicorn" },
  werkzeug: { vendor: "palletsprojects", product: "werkzeug" },
  squid: { vendor: "squid-cache", product: "squid" },
  tengine: { vendor: "alibaba", product: "tengine" },
  envoy: { vendor: "envoyproxy", product: "envoy" },
  haproxy: { vendor: "haproxy", product: "haproxy" },
};

/**
 * CPE vendor names nmap's service database uses that NVD names differently today (nmap 7.93
 * writes `cpe:/a:igor_sysoev:nginx`, NVD `cpe:2.3:a:f5:nginx`).
 */
const VENDOR_RENAMES: Record<string, string> = {
  "igor_sysoev:nginx": "f5",
  "mysql:mysql": "oracle",
  "vsftpd:vsftpd": "beasts",
  "redislabs:redis": "redis",
  "proftpd:proftpd": "proftpd_project",
  "pureftpd:pure-ftpd": "pureftpd",
};

/** An NVD-style CPE vendor for a product whose nmap or banner vendor is an older name. */
export function nvdVendor(vendor: string, product: string): string {
  return VENDOR_RENAMES[`${vendor}:${product}`] ?? vendor;
}

function withVersion(vendor: string, product: string, version: string | undefined): ServiceProduct {
  return version ? { vendor, product, version } : { vendor, product };
}

/** Printable summary of a banner: its first line, control characters shown as `\xNN`, at most 200 characters. */
export function printableBanner(data: Buffer): string {
  const text = data.subarray(0, 512).toString("latin1");
  const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== "") ?? text;
  let escaped = "";
  for (const c of firstLine) {
    const code = c.charCodeAt(0);
    escaped += code < 0x20 || code >= 0x7f ? `\\x${code.toString(16).padStart(2, "0")}` : c;
  }
  return escaped.length > 200 ? `${escaped.slice(0, 200)}…` : escaped;
}

/** `SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3` → openbsd openssh 9.2p1. */
export function parseSshBanner(line: string): ServiceProduct | undefined {
  const m = /^SSH-[\d.]+-(\S+)/.exec(line);
  if (!m) return undefined;
  const software = m[1] as string;
  let p = /^OpenSSH_([\w.]+)/i.exec(software);
  if (p) return withVersion("openbsd", "openssh", p[1]);
  p = /^dropbear_([\w.]+)/i.exec(software);
  if (p) return withVersion("dropbear_ssh_project", "dropbear_ssh", p[1]);
  if (/^dropbear/i.test(software)) return { vendor: "dropbear_ssh_project", product: "dropbear_ssh" };
  p = /^libssh_([\w.]+)/i.exec(software);
  if (p) return withVersion("libssh", "libssh", p[1]);
  p = /^Cisco-([\d.]+)/i.exec(software);
  if (p) return { vendor: "cisco", product: "ssh" };
  return undefined;
}

/** A `Server:` header value (`nginx/1.22.1`, `Apache/2.4.57 (Debian)`, `Microsoft-IIS/10.0`). */
export function parseHttpServer(value: string): ServiceProduct | undefined {
  const m = /^\s*([A-Za-z][\w.-]*?)(?:\/([\w.-]+))?(?:\s|$)/.exec(value);
  if (!m) return undefined;
  const known = HTTP_SERVERS[(m[1] as string).toLowerCase()];
  if (!known) return undefined;
  return withVersion(known.vendor, known.product, m[2]);
}

/** FTP greetings: vsftpd, ProFTPD, Pure-FTPd, FileZilla Server, Microsoft FTP Service. */
export function parseFtpGreeting(text: string): ServiceProduct | undefined {
  let m = /vsFTPd ([\d.]+)/i.exec(text);
  if (m) return withVersion("beasts", "vsftpd", m[1]);
  if (/vsftpd/i.test(text)) return { vendor: "beasts", product: "vsftpd" };
  m = /ProFTPD(?: ([\d.]+[a-z]?\d*))?/i.exec(text);
  if (m) return withVersion("proftpd_project", "proftpd", m[1]);
  if (/Pure-FTPd/i.test(text)) return { vendor: "pureftpd", product: "pure-ftpd" };
  m = /FileZilla Server(?: version)? ([\d.]+)/i.exec(text);
  if (m) return withVersion("filezilla-project", "filezilla_server", m[1]);
  if (/FileZilla Server/i.test(text)) return { vendor: "filezilla-project", product: "filezilla_server" };
  if (/Microsoft FTP Service/i.test(text)) {
    return { vendor: "microsoft", product: "internet_information_services" };
  }
  return undefined;
}

/** SMTP greetings: Postfix, Exim, Sendmail, Microsoft Exchange. */
export function parseSmtpGreeting(text: string): ServiceProduct | undefined {
  if (/\bPostfix\b/i.test(text)) return { vendor: "postfix", product: "postfix" };
  let m = /\bExim ([\d.]+)/i.exec(text);
  if (m) return withVersion("exim", "exim", m[1]);
  if (/\bExim\b/i.test(text)) return { vendor: "exim", product: "exim" };
  m = /\bSendmail ([\d.]+)/i.exec(text);
  if (m) return withVersion("sendmail", "sendmail", m[1]);
  if (/Microsoft ESMTP MAIL Service/i.test(text)) return { vendor: "microsoft", product: "exchange_server" };
  if (/\bOpenSMTPD\b/i.test(text)) return { vendor: "openbsd", product: "opensmtpd" };
  return undefined;
}

/** POP3 and IMAP greetings: Dovecot, Courier, Cyrus, Microsoft Exchange. */
export function parseMailboxGreeting(text: string): ServiceProduct | undefined {
  if (/\bDovecot\b/i.test(text)) return { vendor: "dovecot", product: "dovecot" };
  if (/\bCourier\b/i.test(text)) return { vendor: "courier-mta", product: "courier-imap" };
  const m = /Cyrus (?:IMAP|POP3)[^\s]* v?([\d.]+)/i.exec(text);
  if (m) return withVersion("cmu", "cyrus_imap_server", m[1]);
  if (/Microsoft Exchange/i.test(text)) return { vendor: "microsoft", product: "exchange_server" };
  return undefined;
}

/** Length of a MySQL packet header's payload when the buffer starts with one. */
function mysqlPayloadLength(data: Buffer): number {
  return data.length >= 4
    ? (data[0] as number) | ((data[1] as number) << 8) | ((data[2] as number) << 16)
    : -1;
}

/** True when the buffer is one whole MySQL greeting packet (sequence 0, handshake v10 or error). */
export function isMysqlPacket(data: Buffer): boolean {
  const length = mysqlPayloadLength(data);
  if (length < 1 || length > 1024 || data[3] !== 0 || data.length < 4 + length) return false;
  return data[4] === 0x0a || data[4] === 0xff;
}

/** MySQL initial handshake: `8.0.36` → oracle mysql; `5.5.5-10.11.6-MariaDB-…` → mariadb. */
export function parseMysqlHandshake(data: Buffer): ServiceProduct | undefined {
  if (data[4] === 0xff) {
    const message = data.subarray(7, 4 + mysqlPayloadLength(data)).toString("latin1");
    return /MariaDB/i.test(message) ? { vendor: "mariadb", product: "mariadb" } : undefined;
  }
  const end = data.indexOf(0, 5);
  if (end < 0) return undefined;
  const version = data.subarray(5, end).toString("latin1");
  const maria = /(?:^5\.5\.5-)?([\d.]+)-MariaDB/i.exec(version);
  if (maria) return withVersion("mariadb", "mariadb", maria[1]);
  const mysql = /^([\d.]+)/.exec(version);
  return withVersion("oracle", "mysql", mysql?.[1]);
}

/** Telnet: the server opens with option negotiation (IAC DO/DONT/WILL/WONT). */
export function isTelnetNegotiation(data: Buffer): boolean {
  return data.length >= 3 && data[0] === 0xff && (data[1] as number) >= 0xfb && (data[1] as number) <= 0xfe;
}

/** True when `data` holds one complete greeting worth parsing (a line, a MySQL packet, Telnet options). */
export function greetingComplete(data: Buffer): boolean {
  if (isTelnetNegotiation(data) || isMysqlPacket(data)) return true;
  const text = data.toString("latin1");
  if (!text.includes("\n")) return false;
  // FTP and SMTP multi-line greetings (`220-…`) end with a `220 ` line
  const first = /^(\d{3})-/.exec(text);
  if (first) return new RegExp(`(^|\\n)${first[1]} `).test(text);
  return true;
}

/** The headers of an HTTP response (lower-case names), or null when it is not one. */
export function parseHttpResponse(data: Buffer): { status: number; headers: Map<string, string> } | null {
  const text = data.toString("latin1");
  const m = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(text);
  if (!m) return null;
  const headers = new Map<string, string>();
  for (const line of text.split("\r\n\r\n")[0]?.split(/\r?\n/).slice(1) ?? []) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: Number(m[1]), headers };
}

/** Identification of an HTTP(S) response on a port. */
function identifyHttp(port: number, data: Buffer, tls: boolean): Identification | null {
  const response = parseHttpResponse(data);
  if (!response) return null;
  const server = response.headers.get("server");
  const banner = printableBanner(data) + (server ? ` — Server: ${server}` : "");
  let product = server ? parseHttpServer(server) : undefined;
  let service = tls ? "https" : "http";
  if ((port === 5985 || port === 5986) && server && /Microsoft-HTTPAPI/i.test(server)) service = "winrm";
  const elastic = response.headers.get("x-elastic-product");
  if (elastic && /elasticsearch/i.test(elastic)) {
    service = "elasticsearch";
    product ??= { vendor: "elastic", product: "elasticsearch" };
  }
  if (server && /^CouchDB/i.test(server)) service = "couchdb";
  return product ? { service, product, banner } : { service, banner };
}

/**
 * What the bytes a service sent on a port say. `tls`: they came through a TLS session. Returns
 * null when nothing recognisable was received (the caller may try another probe).
 */
export function identifyBytes(port: number, data: Buffer, tls: boolean): Identification | null {
  if (data.length === 0) return null;
  if (isTelnetNegotiation(data)) return { service: "telnet", banner: printableBanner(data) };
  if (isMysqlPacket(data)) {
    const product = parseMysqlHandshake(data);
    const banner = printableBanner(data.subarray(4));
    return product ? { service: "mysql", product, banner } : { service: "mysql", banner };
  }
  const text = data.toString("latin1");
  const banner = printableBanner(data);
  if (text.startsWith("SSH-")) {
    const product = parseSshBanner(text.split(/\r?\n/)[0] as string);
    return product ? { service: "ssh", product, banner } : { service: "ssh", banner };
  }
  if (/^RFB \d{3}\.\d{3}/.test(text)) return { service: "vnc", banner };
  if (text.startsWith("HTTP/")) return identifyHttp(port, data, tls);
  if (/^(\+PONG|-NOAUTH|-DENIED|-ERR operation not permitted|\$\d+\r\n# Server)/.test(text)) {
    const version = /redis_version:([\d.]+)/.exec(text)?.[1];
    return { service: "redis", product: withVersion("redis", "redis", version), banner };
  }
  if (/^220[ -]/.test(text)) {
    const ftp = parseFtpGreeting(text);
    if (ftp) return { service: "ftp", product: ftp, banner };
    const smtp = parseSmtpGreeting(text);
    if (smtp) return { service: "smtp", product: smtp, banner };
    if (/\b(E?SMTP|mail)\b/i.test(text) || [25, 465, 587].includes(port)) return { service: "smtp", banner };
    if (/\bFTP\b/i.test(text) || [21, 990].includes(port)) return { service: "ftp", banner };
    return { service: null, banner };
  }
  if (text.startsWith("+OK")) {
    const product = parseMailboxGreeting(text);
    return product ? { service: "pop3", product, banner } : { service: "pop3", banner };
  }
  if (/^\* (OK|PREAUTH)/.test(text)) {
    const product = parseMailboxGreeting(text);
    return product ? { service: "imap", product, banner } : { service: "imap", banner };
  }
  return null;
}

/** RDP: an X.224 Connection Confirm (TPKT version 3, code 0xd0) answering our Connection Request. */
export function isRdpConnectionConfirm(data: Buffer): boolean {
  return data.length >= 11 && data[0] === 0x03 && data[1] === 0x00 && ((data[5] as number) & 0xf0) === 0xd0;
}

/** PostgreSQL: one byte `S` or `N` answering an SSLRequest (or an error message `E…`). */
export function isPostgresSslAnswer(data: Buffer): boolean {
  if (data.length === 1) return data[0] === 0x53 || data[0] === 0x4e;
  return data[0] === 0x45 && data.length > 5 && /SFATAL|SERROR/.test(data.toString("latin1"));
}
