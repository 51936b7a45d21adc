import { isIP } from "node:net";
import { ImapFlow, type ImapFlowOptions } from "imapflow";

export interface ImapCheckOptions {
  /** The address connected to (resolved and checked by the caller). */
  ip: string;
  /** The server's name (TLS server name). */
  host: string;
  port: number;
  secure: boolean;
  user: string;
  /** Used for this connection only: never stored, never logged. */
  password: string;
  /** Token prefix of the campaign (`VIGIE-<tag>`). */
  tag: string;
  /** The campaign's tokens: only these are reported. */
  tokens: readonly string[];
  timeoutMs: number;
  /** CA certificates trusted instead of the system's (tests). */
  trustedCa?: string[];
}

const TOKEN = /VIGIE-[0-9A-F]{8}-\d{3}/g;

/**
 * The options of the IMAP client. Without implicit TLS (`secure: false`), STARTTLS is required
 * (`doSTARTTLS`): a server that does not offer it, or an attacker stripping it, gets no password
 * in clear — the connection stops before the login.
 */
export function imapSettingsOf(options: ImapCheckOptions): ImapFlowOptions & Record<string, unknown> {
  return {
    host: options.ip,
    port: options.port,
    secure: options.secure,
    ...(options.secure ? {} : { doSTARTTLS: true }),
    ...(isIP(options.host) === 0 ? { servername: options.host } : {}),
    auth: { user: options.user, pass: options.password },
    logger: false,
    // timeouts imapflow reads but does not type
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: Math.max(options.timeoutMs, 30_000),
    ...(options.trustedCa ? { tls: { ca: options.trustedCa } } : {}),
    disableAutoIdle: true,
  };
}

/**
 * Looks in every folder of the mailbox (inbox, junk, …) for the campaign's messages — by the
 * `X-Vigie-Test` header or the subject — and returns the tokens found. Read-only: nothing is
 * moved, flagged or deleted.
 */
export async function findArrivedTokens(options: ImapCheckOptions): Promise<string[]> {
  const wanted = new Set(options.tokens);
  const found = new Set<string>();
  const client = new ImapFlow(imapSettingsOf(options));
  client.on("error", () => undefined);
  await client.connect();
  try {
    const folders = await client.list();
    for (const folder of folders) {
      if (folder.flags.has("\\Noselect")) continue;
      const lock = await client.getMailboxLock(folder.path, { readOnly: true });
      try {
        const uids = await client.search(
          { or: [{ header: { "x-vigie-test": options.tag } }, { subject: options.tag }] },
          { uid: true },
        );
        if (!uids || uids.length === 0) continue;
        for await (const message of client.fetch(
          uids,
          { envelope: true, headers: ["x-vigie-test"] },
          { uid: true },
        )) {
          const text = `${message.headers?.toString("utf8") ?? ""} ${message.envelope?.subject ?? ""}`;
          for (const token of text.match(TOKEN) ?? []) if (wanted.has(token)) found.add(token);
        }
      } finally {
        lock.release();
      }
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return [...found].sort();
}
