import { SMTPServer } from "smtp-server";

/**
 * A test MX: the `smtp-server` package on a loopback address of its own, port 25 (tests run as
 * root), with or without STARTTLS. With TLS, it offers TLS 1.2 and 1.3 only and presents the
 * given certificate (e.g. one issued for the MX name by the test CA). Accepts every message and
 * keeps it in memory, so it also serves as the relay of the filtering battery.
 */

export interface TestMxMessage {
  from: string;
  to: string[];
  raw: Buffer;
}

export interface TestMxServer {
  address: string;
  port: number;
  /** `smtp://address:port`, what nodemailer takes. */
  url: string;
  received: TestMxMessage[];
  close(): Promise<void>;
}

export interface StartTestMxOptions {
  /** Loopback address; default 127.25.<pid>.<n>. */
  address?: string;
  /** Port; default 25. 0 picks a free one. */
  port?: number;
  /** Offer STARTTLS with this certificate (PEM, leaf then intermediates) and key. */
  tls?: { certPem: string; keyPem: string };
  /** Greeting name. */
  name?: string;
}

let counter = 0;

/** A loopback address of its own for each test MX: 127.25.<pid>.<n>. */
export function testMxAddress(): string {
  counter += 1;
  return `127.25.${process.pid % 250}.${(counter % 250) + 1}`;
}

export async function startTestMx(options: StartTestMxOptions = {}): Promise<TestMxServer> {
  const address = options.address ?? testMxAddress();
  const received: TestMxMessage[] = [];
  const server = new SMTPServer({
    name: options.name ?? "mx.vigie.test",
    banner: "Serveur de test Vigie",
    secure: false,
    authOptional: true,
    disabledCommands: options.tls ? ["AUTH"] : ["AUTH", "STARTTLS"],
    hideSTARTTLS: !options.tls,
    ...(options.tls
      ? { key: options.tls.keyPem, cert: options.tls.certPem, minVersion: "TLSv1.2" as const }
      : {}),
    size: 50 * 1024 * 1024,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  server.on("error", () => undefined);
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(options.port ?? 25, address, () => {
      const bound = server.server.address();
      resolve(typeof bound === "object" && bound ? bound.port : 0);
    });
  });
  return {
    address,
    port,
    url: `smtp://${address}:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
