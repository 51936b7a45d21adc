import https from "node:https";
import type { AddressInfo } from "node:net";

/**
 * A static HTTPS server for tests (e.g. the MTA-STS policy host): fixed paths and bodies, on a
 * loopback address the test chooses, port 443 by default (tests run as root).
 */
export interface StaticHttpsServer {
  address: string;
  port: number;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startStaticHttps(options: {
  address: string;
  port?: number;
  certPem: string;
  keyPem: string;
  /** path → body (text/plain) */
  files: Record<string, string>;
}): Promise<StaticHttpsServer> {
  const requests: string[] = [];
  const server = https.createServer({ cert: options.certPem, key: options.keyPem }, (req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    requests.push(path);
    const body = options.files[path];
    if (body === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("introuvable");
      return;
    }
    res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 443, options.address, () => resolve());
  });
  return {
    address: options.address,
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
