import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type NginxProfile, nginxConfig, siteLayout } from "./nginx/profiles.ts";

export type { NginxProfile } from "./nginx/profiles.ts";

/**
 * A web server for the HTTP probe's tests: Debian's nginx (`nginx-light`) with a prefix of its
 * own in a temporary folder (configuration, pid, logs, web root, a self-signed certificate made
 * by `openssl req -x509`), listening on a loopback address in HTTP and HTTPS.
 * `weak`: server_tokens on, autoindex on /files/, .git/, .env and backup.sql served, a fake
 * phpMyAdmin, no security header, no security.txt. `hardened`: server_tokens off, security
 * headers, a valid security.txt, dotfiles and backups refused, no listing, HTTP → HTTPS.
 */
export interface NginxServer {
  host: string;
  httpPort: number;
  httpsPort: number;
  /** The prefix folder (nginx.conf, www/, access.log…). */
  dir: string;
  /** nginx's access log: `addr "request" status "user-agent" "host"` per line. */
  accessLogPath: string;
  readAccessLog(): Promise<string[]>;
  stop(): Promise<void>;
}

export const NGINX_BINARY = "/usr/sbin/nginx";

let counter = 0;

/** A loopback address of its own for each server: 127.80.<pid>.<n>. */
export function nginxTestAddress(): string {
  counter += 1;
  return `127.80.${process.pid % 250}.${(counter % 250) + 1}`;
}

function nginxBinary(wanted?: string): string {
  const candidates = wanted ? [wanted] : [NGINX_BINARY, "nginx"];
  for (const bin of candidates) {
    if (spawnSync(bin, ["-v"]).status === 0) return bin;
  }
  throw new Error(
    `nginx est introuvable (${candidates.join(", ")}) : installez le paquet Debian nginx-light pour lancer ces tests.`,
  );
}

async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const canConnect = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

async function makeCertificate(dir: string, host: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  const result = spawnSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=hopital.test",
      "-addext",
      `subjectAltName=DNS:hopital.test,IP:${host}`,
      "-keyout",
      key,
      "-out",
      cert,
    ],
    { encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`openssl req -x509 a échoué : ${result.stderr || result.error}`);
  return { cert, key };
}

async function launch(
  bin: string,
  dir: string,
  conf: string,
): Promise<{ child: ChildProcess; output: () => string }> {
  let output = "";
  const child = spawn(bin, ["-p", dir, "-c", conf, "-g", "daemon off;"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => {
    output += String(d);
  });
  child.stderr?.on("data", (d) => {
    output += String(d);
  });
  child.once("error", (e) => {
    output += String(e);
  });
  return { child, output: () => output };
}

/** Starts nginx with the profile; resolves once both ports accept connections. */
export async function startNginx(options: {
  profile: NginxProfile;
  host?: string;
  /** Another nginx executable (default /usr/sbin/nginx, else nginx on the PATH). */
  binary?: string;
}): Promise<NginxServer> {
  const bin = nginxBinary(options.binary);
  const host = options.host ?? nginxTestAddress();
  const dir = await mkdtemp(join(tmpdir(), `vigie-nginx-${options.profile}-`));
  try {
    const root = join(dir, "www");
    for (const sub of ["tmp", "logs", "www"]) await mkdir(join(dir, sub), { recursive: true });
    for (const [path, content] of Object.entries(siteLayout(options.profile, new Date()).files)) {
      const file = join(root, path);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, content);
    }
    const { cert, key } = await makeCertificate(dir, host);
    const conf = join(dir, "nginx.conf");
    let lastError = "";
    // a port chosen free may be taken before nginx binds it: a few attempts
    for (let attempt = 0; attempt < 5; attempt++) {
      const httpPort = await freePort(host);
      let httpsPort = await freePort(host);
      while (httpsPort === httpPort) httpsPort = await freePort(host);
      await writeFile(
        conf,
        nginxConfig(options.profile, { dir, root, host, httpPort, httpsPort, cert, key }),
      );
      const { child, output } = await launch(bin, dir, conf);
      const deadline = Date.now() + 10_000;
      let ready = false;
      while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
        if ((await canConnect(host, httpPort)) && (await canConnect(host, httpsPort))) {
          ready = true;
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      if (ready) {
        const accessLogPath = join(dir, "access.log");
        return {
          host,
          httpPort,
          httpsPort,
          dir,
          accessLogPath,
          async readAccessLog() {
            return existsSync(accessLogPath)
              ? (await readFile(accessLogPath, "utf8")).split("\n").filter(Boolean)
              : [];
          },
          async stop() {
            if (child.exitCode === null && child.signalCode === null) {
              const exited = new Promise((r) => child.once("exit", r));
              child.kill("SIGTERM");
              const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
              await exited;
              clearTimeout(timer);
            }
            await rm(dir, { recursive: true, force: true });
          },
        };
      }
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGKILL");
        await exited;
      }
      const errorLog = existsSync(join(dir, "error.log"))
        ? await readFile(join(dir, "error.log"), "utf8")
        : "";
      lastError = `${output()}\n${errorLog}`.trim();
      if (!/Address already in use/i.test(lastError)) break;
    }
    throw new Error(`nginx n'a pas démarré sur ${host} :\n${lastError.slice(-2000)}`);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
