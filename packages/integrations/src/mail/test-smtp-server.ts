import { createServer, type Server, type Socket } from "node:net";

/** A message the test SMTP server accepted. */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw message (headers and body) as sent after DATA. */
  data: string;
}

/** A minimal SMTP server on 127.0.0.1 for tests; `failWith` makes it refuse every message. */
export interface TestSmtpServer {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** When set, MAIL FROM is answered with this reply (e.g. "451 4.3.0 indisponible"). */
  failWith: string | null;
  close(): Promise<void>;
}

/**
 * Starts a tiny SMTP server speaking just what nodemailer needs (EHLO/HELO, MAIL, RCPT,
 * DATA, RSET, NOOP, QUIT; no TLS, no AUTH) on 127.0.0.1 and an ephemeral port. For tests
 * only: it keeps every message in memory.
 */
export async function startTestSmtpServer(): Promise<TestSmtpServer> {
  const sockets = new Set<Socket>();
  const state: TestSmtpServer = {
    url: "",
    port: 0,
    received: [],
    failWith: null,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    let buffer = "";
    let inData = false;
    let current: ReceivedMail | null = null;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply("220 vigie-test ESMTP");

    const handleCommand = (line: string) => {
      const verb = line.slice(0, 4).toUpperCase();
      switch (verb) {
        case "EHLO":
          socket.write("250-vigie-test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n");
          return;
        case "HELO":
          return reply("250 vigie-test");
        case "MAIL":
          if (state.failWith) return reply(state.failWith);
          current = {
            from:
              line
                .replace(/^MAIL FROM:\s*/i, "")
                .replace(/[<>]/g, "")
                .split(" ")[0] ?? "",
            to: [],
            data: "",
          };
          return reply("250 2.1.0 OK");
        case "RCPT":
          if (!current) return reply("503 5.5.1 MAIL d'abord");
          current.to.push(
            line
              .replace(/^RCPT TO:\s*/i, "")
              .replace(/[<>]/g, "")
              .split(" ")[0] ?? "",
          );
          return reply("250 2.1.5 OK");
        case "DATA":
          if (!current || current.to.length === 0) return reply("503 5.5.1 RCPT d'abord");
          inData = true;
          return reply("354 Fin par <CRLF>.<CRLF>");
        case "RSET":
          current = null;
          return reply("250 2.0.0 OK");
        case "NOOP":
          return reply("250 2.0.0 OK");
        case "QUIT":
          reply("221 2.0.0 Au revoir");
          socket.end();
          return;
        default:
          return reply("502 5.5.2 Commande inconnue");
      }
    };

    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end === -1) return;
          const raw = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          if (current) {
            current.data = raw.replace(/^\.\./gm, ".");
            state.received.push(current);
            current = null;
          }
          reply("250 2.0.0 Message accepté");
          continue;
        }
        const newline = buffer.indexOf("\r\n");
        if (newline === -1) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        handleCommand(line);
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("adresse du serveur SMTP de test inconnue");
  state.port = address.port;
  state.url = `smtp://127.0.0.1:${address.port}`;
  return state;
}
