import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A registry's RDAP service for tests (RFC 9083, the part the audit reads): `GET /domain/<name>`
 * answers the domain object with the expiration date the test chose, 404 (RDAP error object)
 * for any other name. Listens on a loopback address (127.0.0.1 unless told), port 0.
 */

export interface RdapDomain {
  /** `expiration` event; absent: the answer has no expiration event. */
  expiresAt?: Date;
  /** Answer this HTTP status instead (e.g. 500, 503). */
  status?: number;
}

export interface RdapServer {
  /** `http://127.0.0.1:PORT`: what `AUDIT_RDAP_URL` takes. */
  url: string;
  host: string;
  port: number;
  /** Paths requested, in order. */
  readonly requests: string[];
  /** Sets or replaces what a domain answers. */
  setDomain(name: string, domain: RdapDomain): void;
  stop(): Promise<void>;
}

export async function startRdapServer(
  options: { host?: string; domains?: Record<string, RdapDomain> } = {},
): Promise<RdapServer> {
  const host = options.host ?? "127.0.0.1";
  const domains = new Map<string, RdapDomain>(
    Object.entries(options.domains ?? {}).map(([name, d]) => [name.toLowerCase(), d]),
  );
  const requests: string[] = [];
  const send = (res: http.ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { "content-type": "application/rdap+json" });
    res.end(JSON.stringify(body));
  };
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://rdap.test").pathname;
    requests.push(path);
    const match = /^\/domain\/([^/]+)$/.exec(path);
    const name = match?.[1] ? decodeURIComponent(match[1]).toLowerCase().replace(/\.$/, "") : null;
    const domain = name ? domains.get(name) : undefined;
    if (req.method !== "GET" || !name || !domain) {
      send(res, 404, { rdapConformance: ["rdap_level_0"], errorCode: 404, title: "Not Found" });
      return;
    }
    if (domain.status) {
      send(res, domain.status, {
        rdapConformance: ["rdap_level_0"],
        errorCode: domain.status,
        title: "Error",
      });
      return;
    }
    const events: { eventAction: string; eventDate: string }[] = [
      { eventAction: "registration", eventDate: "2005-03-01T00:00:00Z" },
      { eventAction: "last changed", eventDate: "2024-01-15T10:00:00Z" },
    ];
    if (domain.expiresAt)
      events.push({ eventAction: "expiration", eventDate: domain.expiresAt.toISOString() });
    send(res, 200, {
      rdapConformance: ["rdap_level_0"],
      objectClassName: "domain",
      ldhName: name,
      status: ["active"],
      events,
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    host,
    port,
    requests,
    setDomain: (name, domain) => domains.set(name.toLowerCase(), domain),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
