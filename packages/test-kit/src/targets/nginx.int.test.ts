import { get } from "node:http";
import { describe, expect, it } from "vitest";
import { startNginx } from "./nginx.ts";

const fetchText = (url: string) =>
  new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    get(url, (res) => {
      let body = "";
      res.on("data", (d) => {
        body += String(d);
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    }).on("error", reject);
  });

describe("startNginx", () => {
  it("serves the weak site on HTTP and stops, removing its folder", async () => {
    const server = await startNginx({ profile: "weak" });
    const env = await fetchText(`http://${server.host}:${server.httpPort}/.env`);
    expect(env.status).toBe(200);
    expect(String(env.headers.server)).toMatch(/^nginx\/\d/);
    await server.stop();
    await expect(fetchText(`http://${server.host}:${server.httpPort}/`)).rejects.toThrow();
  });

  it("redirects HTTP to HTTPS in the hardened profile", async () => {
    const server = await startNginx({ profile: "hardened" });
    try {
      const root = await fetchText(`http://${server.host}:${server.httpPort}/x`);
      expect(root.status).toBe(301);
      expect(root.headers.location).toBe(`https://${server.host}:${server.httpsPort}/x`);
    } finally {
      await server.stop();
    }
  });

  it("fails clearly when nginx is missing", async () => {
    await expect(startNginx({ profile: "weak", binary: "/nonexistent/nginx" })).rejects.toThrow(
      /nginx est introuvable/,
    );
  });
});
