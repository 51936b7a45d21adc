import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chownSync, existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { stopDaemon } from "./daemon.ts";

/**
 * An IMAP server for tests: Debian's Dovecot (`dovecot-imapd`) on a loopback address of its own,
 * with one user, mail in a Maildir the test fills with `deliver`. Without `tls`: plain IMAP, no
 * STARTTLS offered. With `tls`: TLS required (`ssl = required`: STARTTLS on 143, no login in
 * clear) and, when asked, implicit TLS on 993.
 */
export interface DovecotServer {
  address: string;
  /** 143: plain IMAP, with STARTTLS when started with `tls`. */
  port: number;
  /** 993 (implicit TLS) when started with `tls.implicit`, else null. */
  tlsPort: number | null;
  user: string;
  password: string;
  /** Puts a message in a folder (`INBOX` or e.g. `Junk`). */
  deliver(raw: Buffer, folder?: string): Promise<void>;
  stop(): Promise<void>;
}

let counter = 0;

function ids(name: string): { uid: number; gid: number } | null {
  const out = spawnSync("id", ["-u", name], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", name], { encoding: "utf8" });
  if (out.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(out.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Waits for the IMAP greeting (`greeting`) or, for implicit TLS, for the port to accept. */
async function waitForPort(
  address: string,
  port: number,
  child: ChildProcess,
  log: string,
  greeting = true,
): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: address, port });
      socket.once(greeting ? "data" : "connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  const text = existsSync(log) ? readFileSync(log, "utf8") : "";
  throw new Error(`dovecot n'a pas démarré sur ${address}:${port} :\n${text.slice(-2000)}`);
}

export interface DovecotTlsOptions {
  /** The server's certificate, PEM, followed by its intermediates. */
  certPem: string;
  /** Its private key, PEM (PKCS#8 or PKCS#1). */
  keyPem: string;
  /** Also listen with implicit TLS on port 993. */
  implicit?: boolean;
}

export async function startDovecot(
  options: { address?: string; user?: string; password?: string; tls?: DovecotTlsOptions } = {},
): Promise<DovecotServer> {
  if (spawnSync("dovecot", ["--version"]).status !== 0) {
    throw new Error(
      "dovecot est introuvable : installez le paquet Debian « dovecot-imapd » (apt-get install dovecot-imapd).",
    );
  }
  counter += 1;
  const address = options.address ?? `127.143.${process.pid % 250}.${(counter % 250) + 1}`;
  const port = 143;
  const user = options.user ?? "filtrage@vigie.test";
  const password = options.password ?? "Mot-de-passe-de-test-42";
  const owner = ids("dovecot") ?? { uid: userInfo().uid, gid: userInfo().gid };
  const dir = await mkdtemp(join(tmpdir(), "vigie-dovecot-"));
  // the auth and imap processes run as the dovecot user: they must reach the files
  await chmod(dir, 0o755);
  const home = join(dir, "home");
  const maildir = join(home, "Maildir");
  for (const sub of ["run", "state", home, maildir])
    await mkdir(sub.startsWith("/") ? sub : join(dir, sub), { recursive: true });
  for (const sub of ["cur", "new", "tmp"]) await mkdir(join(maildir, sub), { recursive: true });
  await writeFile(join(dir, "users"), `${user}:{PLAIN}${password}\n`);
  const tls = options.tls;
  const tlsPort = tls?.implicit ? 993 : null;
  if (tls) {
    // read by the master process (root) at start: the key stays private
    await writeFile(join(dir, "server.crt"), tls.certPem, { mode: 0o644 });
    await writeFile(join(dir, "server.key"), tls.keyPem, { mode: 0o600 });
  }
  const sslSettings = tls
    ? [
        "ssl = required",
        `ssl_cert = <${join(dir, "server.crt")}`,
        `ssl_key = <${join(dir, "server.key")}`,
        "ssl_min_protocol = TLSv1.2",
        "disable_plaintext_auth = yes",
      ]
    : ["ssl = no", "disable_plaintext_auth = no"];
  const log = join(dir, "dovecot.log");
  const config = [
    `base_dir = ${join(dir, "run")}`,
    `state_dir = ${join(dir, "state")}`,
    `log_path = ${log}`,
    "protocols = imap",
    `listen = ${address}`,
    ...sslSettings,
    "auth_mechanisms = plain login",
    // a refused login answers at once (tests of wrong passwords)
    "auth_failure_delay = 0",
    "first_valid_uid = 0",
    "first_valid_gid = 0",
    `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${join(dir, "users")}\n}`,
    `userdb {\n  driver = static\n  args = uid=${owner.uid} gid=${owner.gid} home=${home}\n}`,
    "mail_location = maildir:~/Maildir",
    "namespace inbox {\n  inbox = yes\n  separator = .\n  mailbox Junk {\n    special_use = \\Junk\n  }\n}",
    `service imap-login {\n  inet_listener imap {\n    address = ${address}\n    port = ${port}\n  }\n  inet_listener imaps {\n    ${tlsPort ? `address = ${address}\n    port = ${tlsPort}\n    ssl = yes` : "port = 0"}\n  }\n}`,
    // no growing penalty after refused logins from the same address
    "service anvil {\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}",
    "service stats {\n  unix_listener stats-reader {\n    mode = 0666\n  }\n  unix_listener stats-writer {\n    mode = 0666\n  }\n}",
    "",
  ].join("\n");
  const configFile = join(dir, "dovecot.conf");
  await writeFile(configFile, config);
  const chownAll = (path: string) => {
    try {
      chownSync(path, owner.uid, owner.gid);
    } catch {
      // not root: the files are already ours
    }
  };
  for (const p of [home, maildir, ...["cur", "new", "tmp"].map((s) => join(maildir, s))]) chownAll(p);
  const child = spawn("dovecot", ["-F", "-c", configFile], { stdio: "ignore" });
  let seq = 0;
  const stop = (): Promise<void> => stopDaemon(child, dir);
  try {
    await waitForPort(address, port, child, log);
    if (tlsPort) await waitForPort(address, tlsPort, child, log, false);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    address,
    port,
    tlsPort,
    user,
    password,
    async deliver(raw, folder = "INBOX") {
      const base = folder === "INBOX" ? maildir : join(maildir, `.${folder}`);
      for (const sub of ["", "cur", "new", "tmp"]) {
        await mkdir(join(base, sub), { recursive: true });
        chownAll(join(base, sub));
      }
      seq += 1;
      const file = join(base, "new", `${Date.now()}.${process.pid}_${seq}.vigie`);
      await writeFile(file, raw);
      chownAll(file);
    },
    stop,
  };
}
