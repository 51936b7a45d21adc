import http from "node:http";
import https from "node:https";
import type { OpenService, ScanContext, ScanFinding } from "../types.ts";
import { CONNECTION_DEADLINE_TIMEOUTS, type ProbeConnection, withConnection } from "./connection.ts";

/**
 * The short, documented list of default or missing credentials an audit may try
 * (docs/audits/default-credentials.md), ONLY when the structure opted in and the CERT's
 * authorisation covers it (`ctx.allowDefaultCredentials`). At most three attempts per service,
 * stopped at the first success, so no account lockout is ever reached. Findings never carry a
 * password: they name the entry of this list.
 */
export interface DefaultCredential {
  /** Stable id, named in the evidence. */
  id: string;
  service: "ftp" | "postgresql" | "redis" | "http";
  username?: string;
  password?: string;
  /** Why this entry is on the list (documentation). */
  why: string;
}

export const defaultCredentials: readonly DefaultCredential[] = [
  {
    id: "ftp-anonymous",
    service: "ftp",
    username: "anonymous",
    password: "vigie-audit@",
    why: "Accès anonyme FTP (RFC 1635) : le mot de passe n'est qu'une adresse de courriel indicative.",
  },
  {
    id: "ftp-admin-admin",
    service: "ftp",
    username: "admin",
    password: "admin",
    why: "Compte par défaut de nombreux NAS, imprimantes et équipements embarqués.",
  },
  {
    id: "postgresql-trust",
    service: "postgresql",
    username: "postgres",
    why: "Super-utilisateur PostgreSQL accepté sans mot de passe (méthode trust de pg_hba.conf).",
  },
  {
    id: "redis-no-auth",
    service: "redis",
    why: "Redis sans authentification (configuration par défaut avant la version 6 hors mode protégé).",
  },
  {
    id: "http-admin-admin",
    service: "http",
    username: "admin",
    password: "admin",
    why: "Couple par défaut le plus répandu des interfaces d'administration web (routeurs, caméras, équipements biomédicaux).",
  },
  {
    id: "http-admin-password",
    service: "http",
    username: "admin",
    password: "password",
    why: "Deuxième couple par défaut le plus répandu des interfaces d'administration web.",
  },
  {
    id: "http-root-root",
    service: "http",
    username: "root",
    password: "root",
    why: "Compte par défaut d'équipements sous Linux embarqué.",
  },
];

const entries = (service: DefaultCredential["service"]) =>
  defaultCredentials.filter((c) => c.service === service);

function where(service: OpenService): string {
  return `${service.host ? `${service.host} (${service.ip})` : service.ip}, port ${service.port}/${service.transport}`;
}

function target(service: OpenService, name: string): ScanFinding["target"] {
  return {
    ip: service.ip,
    port: service.port,
    transport: service.transport,
    service: name,
    ...(service.host ? { host: service.host } : {}),
  };
}

const printable = (text: string) => text.replace(/[^\x20-\x7e\u00a0-\u00ff]/g, "").slice(0, 120);

/* ---------------------------------------------------------------- FTP */

/** Lines of one FTP reply read at most. */
const MAX_FTP_REPLY_LINES = 100;

async function ftpReply(connection: ProbeConnection): Promise<{ code: number; text: string } | null> {
  const first = await connection.readLine();
  if (first === null) return null;
  const match = /^(\d{3})([ -])(.*)$/.exec(first);
  if (!match) return null;
  let line = first;
  let lines = 1;
  while (match[2] === "-" && !line.startsWith(`${match[1]} `)) {
    // a real multi-line reply is a few lines: an endless one is not an FTP server to log into
    if (++lines > MAX_FTP_REPLY_LINES) return null;
    const next = await connection.readLine();
    if (next === null) return null;
    line = next;
  }
  return { code: Number(match[1]), text: printable(match[3] ?? "") };
}

/** USER/PASS; true when the server logged the account in. */
async function ftpLogin(
  ctx: ScanContext,
  service: OpenService,
  entry: DefaultCredential,
): Promise<boolean | null> {
  return withConnection(ctx, service.ip, service.port, async (connection) => {
    const greeting = await ftpReply(connection);
    if (greeting?.code !== 220) return null;
    connection.write(`USER ${entry.username}\r\n`);
    let reply = await ftpReply(connection);
    if (reply?.code === 331 || reply?.code === 332) {
      connection.write(`PASS ${entry.password ?? ""}\r\n`);
      reply = await ftpReply(connection);
    }
    const accepted = reply?.code === 230;
    connection.write("QUIT\r\n");
    return accepted;
  });
}

async function checkFtp(ctx: ScanContext, service: OpenService): Promise<ScanFinding | null> {
  for (const entry of entries("ftp")) {
    const accepted = await ftpLogin(ctx, service, entry);
    if (accepted === null) return null;
    if (!accepted) continue;
    const anonymous = entry.id === "ftp-anonymous";
    return {
      check: "credentials.ftp",
      category: "credentials",
      severity: anonymous ? "high" : "critical",
      title: anonymous ? "Accès FTP anonyme autorisé" : "Identifiants FTP par défaut acceptés",
      evidence: anonymous
        ? `${where(service)} : compte « anonymous » accepté (réponse 230), sans mot de passe réel.`
        : `${where(service)} : compte « ${entry.username} » accepté avec le mot de passe par défaut documenté (entrée « ${entry.id} » de la liste des identifiants par défaut).`,
      remediation: anonymous
        ? "Désactiver l'accès anonyme du serveur FTP (ou le limiter à un répertoire public en lecture seule, sans données de santé), puis remplacer FTP par SFTP ou FTPS derrière un filtrage des adresses autorisées."
        : "Changer immédiatement le mot de passe de ce compte (ou le désactiver), vérifier les journaux d'accès à la recherche de connexions illégitimes et retirer le service FTP de l'exposition sur Internet.",
      target: target(service, "ftp"),
    };
  }
  return null;
}

/* --------------------------------------------------------- PostgreSQL */

function startupMessage(user: string): Buffer {
  const params = Buffer.from(`user\0${user}\0database\0postgres\0application_name\0vigie-audit\0\0`, "utf8");
  const header = Buffer.alloc(8);
  header.writeInt32BE(params.length + 8, 0);
  header.writeInt32BE(196_608, 4); // protocol 3.0
  return Buffer.concat([header, params]);
}

async function checkPostgresql(ctx: ScanContext, service: OpenService): Promise<ScanFinding | null> {
  const [entry] = entries("postgresql");
  if (!entry?.username) return null;
  const user = entry.username;
  const answer = await withConnection(ctx, service.ip, service.port, async (connection) => {
    connection.write(startupMessage(user));
    const message = await connection.read((buffer) => {
      if (buffer.length < 5) return undefined;
      const length = buffer.readInt32BE(1);
      if (length < 4 || length > 65_536) return { value: null, consumed: buffer.length };
      if (buffer.length < 1 + length) return undefined;
      return {
        value: { type: String.fromCharCode(buffer[0] ?? 0), body: buffer.subarray(5, 1 + length) },
        consumed: 1 + length,
      };
    });
    const terminate = Buffer.from([0x58, 0, 0, 0, 4]);
    connection.write(terminate);
    return message;
  });
  if (answer?.type !== "R" || answer.body.length < 4 || answer.body.readInt32BE(0) !== 0) return null;
  return {
    check: "credentials.postgresql",
    category: "credentials",
    severity: "critical",
    title: "PostgreSQL accepte une connexion sans mot de passe",
    evidence: `${where(service)} : compte « ${user} » accepté sans mot de passe (AuthenticationOk reçu dès le message de démarrage : méthode trust).`,
    remediation:
      "Remplacer la méthode trust par scram-sha-256 dans pg_hba.conf pour toute adresse distante, donner un mot de passe robuste au compte postgres, recharger la configuration et retirer la base de l'exposition sur Internet.",
    target: target(service, "postgresql"),
  };
}

/* -------------------------------------------------------------- Redis */

async function checkRedis(ctx: ScanContext, service: OpenService): Promise<ScanFinding | null> {
  const reply = await withConnection(ctx, service.ip, service.port, async (connection) => {
    connection.write("*1\r\n$4\r\nPING\r\n");
    const line = await connection.readLine();
    connection.write("*1\r\n$4\r\nQUIT\r\n");
    return line;
  });
  if (reply !== "+PONG") return null;
  return {
    check: "credentials.redis",
    category: "credentials",
    severity: "critical",
    title: "Redis accessible sans authentification",
    evidence: `${where(service)} : commande PING acceptée sans authentification (réponse +PONG) ; toute commande, y compris la lecture des données et la modification de la configuration, est possible.`,
    remediation:
      "Exiger une authentification (ACL ou requirepass avec un secret robuste), lier Redis à l'adresse interne (bind), garder le mode protégé et retirer le service de l'exposition sur Internet.",
    target: target(service, "redis"),
  };
}

/* ---------------------------------------------------------- HTTP Basic */

interface HttpAnswer {
  status: number;
  challenge?: string;
}

async function httpGet(
  ctx: ScanContext,
  service: OpenService,
  authorization?: string,
): Promise<HttpAnswer | null> {
  ctx.guard.assertIp(service.ip);
  await ctx.limiter.acquire(service.ip);
  const client = service.tls ? https : http;
  const hostHeader = service.host ?? service.ip;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: HttpAnswer | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(answer);
    };
    // `timeout` is an idle timeout: a peer dripping one byte at a time would never reach it
    const deadline = setTimeout(() => {
      request.destroy();
      finish(null);
    }, CONNECTION_DEADLINE_TIMEOUTS * ctx.timeoutMs);
    const request = client.request(
      {
        host: service.ip,
        port: service.port,
        path: "/",
        method: "GET",
        agent: false,
        headers: {
          Host: hostHeader,
          "User-Agent": ctx.userAgent,
          Connection: "close",
          ...(authorization ? { Authorization: authorization } : {}),
        },
        ...(service.tls ? { rejectUnauthorized: false, servername: service.host } : {}),
        timeout: ctx.timeoutMs,
        signal: ctx.signal,
      },
      (response) => {
        const challenge = response.headers["www-authenticate"];
        // the status and the challenge are all that is needed: the body is never read
        response.destroy();
        finish({ status: response.statusCode ?? 0, ...(challenge ? { challenge: String(challenge) } : {}) });
      },
    );
    request.on("timeout", () => request.destroy());
    request.on("error", () => finish(null));
    request.on("close", () => finish(null));
    request.end();
  });
}

async function checkHttpBasic(ctx: ScanContext, service: OpenService): Promise<ScanFinding | null> {
  const first = await httpGet(ctx, service);
  if (first?.status !== 401 || !first.challenge || !/^\s*basic\b/i.test(first.challenge)) return null;
  const realm = /realm="([^"]*)"/i.exec(first.challenge)?.[1];
  for (const entry of entries("http")) {
    const token = Buffer.from(`${entry.username}:${entry.password}`, "utf8").toString("base64");
    const answer = await httpGet(ctx, service, `Basic ${token}`);
    if (!answer) return null;
    if (answer.status === 401 || answer.status === 403 || answer.status >= 500) continue;
    return {
      check: "credentials.http",
      category: "credentials",
      severity: "critical",
      title: "Identifiants par défaut acceptés par une authentification HTTP",
      evidence: `${where(service)} : authentification HTTP Basic${realm ? ` (domaine « ${printable(realm)} »)` : ""} ; compte « ${entry.username} » accepté avec le mot de passe par défaut documenté (entrée « ${entry.id} » de la liste des identifiants par défaut), réponse HTTP ${answer.status}.`,
      remediation:
        "Changer immédiatement le mot de passe de ce compte, désactiver les comptes par défaut, retirer l'interface d'administration de l'exposition sur Internet (VPN avec authentification multifacteur) et n'utiliser l'authentification Basic que sur HTTPS.",
      target: target(service, service.service ?? (service.tls ? "https" : "http")),
    };
  }
  return null;
}

/** Kind of credential check a service gets, if any. */
export function credentialCheckOf(
  service: OpenService,
  name: string | null,
): DefaultCredential["service"] | null {
  if (service.transport !== "tcp") return null;
  if (name === "ftp" || name === "postgresql" || name === "redis") return name;
  const s = (service.service ?? "").toLowerCase();
  if (s === "http" || s === "https" || s.startsWith("http-") || s === "https-alt") return "http";
  return null;
}

/**
 * Tries the documented default credentials on one service. Does nothing at all unless the
 * structure opted in (`ctx.allowDefaultCredentials`).
 */
export async function checkDefaultCredentials(
  ctx: ScanContext,
  service: OpenService,
  name: string | null,
): Promise<ScanFinding | null> {
  if (!ctx.allowDefaultCredentials) return null;
  switch (credentialCheckOf(service, name)) {
    case "ftp":
      return checkFtp(ctx, service);
    case "postgresql":
      return checkPostgresql(ctx, service);
    case "redis":
      return checkRedis(ctx, service);
    case "http":
      return checkHttpBasic(ctx, service);
    default:
      return null;
  }
}
