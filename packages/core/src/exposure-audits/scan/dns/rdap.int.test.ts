import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchRdapExpiration } from "./rdap.ts";

const HOST = "127.31.10.10";
let server: http.Server;
let base = "";
let followed = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url?.startsWith("/redirige/")) {
      res.writeHead(302, { location: `${base}/cible/domain/x.test` });
      res.end();
    } else if (req.url?.startsWith("/cible/")) {
      followed += 1;
      res.writeHead(200, { "content-type": "application/rdap+json" });
      res.end(JSON.stringify({ events: [{ eventAction: "expiration", eventDate: "2030-01-01T00:00:00Z" }] }));
    } else {
      // an endless body: never read whole
      res.writeHead(200, { "content-type": "application/rdap+json" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once("drain", pump);
      };
      pump();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, () => resolve()));
  const address = server.address();
  if (!address || typeof address !== "object") throw new Error("adresse d'écoute inconnue");
  base = `http://${HOST}:${address.port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const options = { timeoutMs: 5000, userAgent: "VigieScanner/1.0 (test)" };

describe("the RDAP look-up", () => {
  it("does not follow a redirect: the registry is unavailable", async () => {
    const outcome = await fetchRdapExpiration(`${base}/redirige`, "x.test", options);
    expect(outcome).toEqual({ kind: "unavailable", reason: "redirection (HTTP 302) non suivie" });
    expect(followed).toBe(0);
    const direct = await fetchRdapExpiration(`${base}/cible`, "x.test", options);
    expect(direct.kind).toBe("expiration");
  });

  it("stops reading a body past the size cap", async () => {
    const outcome = await fetchRdapExpiration(`${base}/sans-fin`, "x.test", options);
    expect(outcome).toEqual({ kind: "unavailable", reason: "réponse trop volumineuse" });
  });
});
