import { runDueAudits } from "@vigie/core";
import {
  createStructure,
  createTestApp,
  createUser,
  type SessionHeaders,
  signIn,
  type TestApp,
} from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The audit routes through app.inject. The scan itself is replaced by fixed results (no
// network here): the real probes are exercised by core's run-audit.int.test.ts.

let t: TestApp;
const as = {} as Record<"declarant" | "other" | "analyst", SessionHeaders>;
let structureId: string;
let finess: string;
let otherId: string;

function multipart(file: { name: string; data: string }) {
  const boundary = `----vigie${Math.random().toString(16).slice(2)}`;
  const body =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
    `Content-Type: application/json\r\n\r\n${file.data}\r\n--${boundary}--\r\n`;
  return {
    payload: Buffer.from(body),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date("2026-06-01T08:00:00Z");
  const db = t.database.db;
  const structure = await createStructure(db, { name: "CH Routes" });
  structureId = structure.id;
  finess = structure.finessEt;
  otherId = (await createStructure(db, { name: "Clinique Autre" })).id;
  as.declarant = await signIn(t, await createUser(db, "declarant", { structureIds: [structureId] }));
  as.other = await signIn(t, await createUser(db, "declarant", { structureIds: [otherId] }));
  as.analyst = await signIn(t, await createUser(db, "cert_analyst"));
});
afterAll(async () => {
  await t?.close();
});

describe("audit routes", () => {
  it("a declarant declares and submits its perimeter, errors named by field", async () => {
    const bad = await t.app.inject({
      method: "PUT",
      url: `/api/audits/perimeters/${structureId}`,
      headers: as.declarant,
      payload: {
        domains: ["ch-routes.fr", "pas un nom"],
        networks: ["192.0.2.0/4"],
        defaultCredentialsOptIn: false,
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { field: string }) => f.field)).toEqual([
      "domains.1",
      "networks.0",
    ]);
    expect(bad.json().error.fields[0].message).toContain("« pas un nom »");

    const saved = await t.app.inject({
      method: "PUT",
      url: `/api/audits/perimeters/${finess}`,
      headers: as.declarant,
      payload: { domains: ["CH-Routes.fr"], networks: ["192.0.2.16/28"], defaultCredentialsOptIn: true },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({
      status: "draft",
      domains: ["ch-routes.fr"],
      defaultCredentialsOptIn: true,
    });
    const submitted = await t.app.inject({
      method: "POST",
      url: `/api/audits/perimeters/${structureId}/submit`,
      headers: as.declarant,
    });
    expect(submitted.json().status).toBe("submitted");
  });

  it("another structure's member gets NOT_FOUND, a declarant cannot authorise", async () => {
    for (const [method, url] of [
      ["GET", `/api/audits/perimeters/${structureId}`],
      ["POST", `/api/audits/perimeters/${structureId}/submit`],
      ["GET", `/api/audits?structureId=${structureId}`],
    ] as const) {
      const response = await t.app.inject({ method, url, headers: as.other });
      expect(response.statusCode, url).toBe(404);
    }
    const refused = await t.app.inject({
      method: "POST",
      url: `/api/audits/perimeters/${structureId}/authorise`,
      headers: as.declarant,
      payload: { validUntil: "2027-01-01", reference: "x" },
    });
    expect(refused.statusCode).toBe(403);
  });

  it("the CERT lists, authorises, launches; the structure imports CT names and reads the report", async () => {
    const toReview = await t.app.inject({
      method: "GET",
      url: "/api/audits/perimeters?status=submitted",
      headers: as.analyst,
    });
    expect(toReview.json().items.map((p: { structureId: string }) => p.structureId)).toEqual([structureId]);
    const authorised = await t.app.inject({
      method: "POST",
      url: `/api/audits/perimeters/${structureId}/authorise`,
      headers: as.analyst,
      payload: { validUntil: "2027-05-31", reference: "Convention 2026-17" },
    });
    expect(authorised.statusCode).toBe(200);
    expect(authorised.json()).toMatchObject({
      status: "validated",
      authorisation: { reference: "Convention 2026-17", inForce: true, defaultCredentials: true },
    });

    const upload = multipart({
      name: "crt.json",
      data: JSON.stringify([{ name_value: "*.ch-routes.fr\nvpn.ch-routes.fr\nx.ailleurs.fr" }]),
    });
    const ct = await t.app.inject({
      method: "POST",
      url: `/api/audits/perimeters/${structureId}/ct-import`,
      headers: { ...as.declarant, ...upload.headers },
      payload: upload.payload,
    });
    expect(ct.statusCode).toBe(201);
    expect(ct.json()).toEqual({ kept: 2, ignored: 1, read: 3 });

    const launched = await t.app.inject({
      method: "POST",
      url: "/api/audits",
      headers: as.analyst,
      payload: { structureId },
    });
    expect(launched.statusCode).toBe(201);
    const auditId = launched.json().id as string;
    expect(launched.json()).toMatchObject({ status: "scheduled", counts: null });

    // the worker's run, with fixed scan results
    const report = await runDueAudits(
      t.database.db,
      { ...(await import("@vigie/config")).loadConfig({ NODE_ENV: "test", VIGIE_NO_DEMO: "true" }) },
      t.clock.now,
      {
        phases: {
          passive: async () => ({
            hosts: [{ name: "www.ch-routes.fr", ips: ["192.0.2.20"], inPerimeter: true }],
            outOfPerimeter: [{ name: "site.ch-routes.fr", ip: "203.0.113.9" }],
            findings: [],
          }),
          ports: async () => ({
            engine: "builtin",
            services: [
              {
                ip: "192.0.2.20",
                host: "www.ch-routes.fr",
                port: 8080,
                transport: "tcp",
                service: "http",
                tls: false,
                banner: "<b>HTTP/1.1 200</b>",
              },
            ],
          }),
          services: async (_ctx, services) => ({ findings: [], services }),
          tls: async () => ({ findings: [] }),
          http: async () => ({
            findings: [
              {
                check: "http.https_redirect",
                category: "http",
                severity: "medium",
                title: "Site accessible en HTTP sans redirection",
                evidence: "GET http://www.ch-routes.fr:8080/ → 200 <script>",
                remediation: "Rediriger vers HTTPS.",
                target: { host: "www.ch-routes.fr", ip: "192.0.2.20", port: 8080 },
              },
            ],
            products: [],
          }),
        },
      },
    );
    expect(report.audits.map((a) => a.status)).toEqual(["succeeded"]);

    const list = await t.app.inject({ method: "GET", url: "/api/audits", headers: as.declarant });
    expect(list.json()).toMatchObject({ total: 1, page: 1, items: [{ id: auditId, status: "succeeded" }] });
    const detail = await t.app.inject({
      method: "GET",
      url: `/api/audits/${auditId}`,
      headers: as.declarant,
    });
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({
      counts: { openPorts: 1, hosts: 1, new: 1, outOfPerimeter: 1 },
      outOfPerimeter: [{ name: "site.ch-routes.fr", ip: "203.0.113.9" }],
      exposure: [{ name: "www.ch-routes.fr", ips: ["192.0.2.20"] }],
      findings: [{ checkCode: "http.https_redirect", change: "new", severity: "medium" }],
    });
    expect(detail.json().findings[0].ticketId).toEqual(expect.any(String));
    expect(
      (await t.app.inject({ method: "GET", url: `/api/audits/${auditId}`, headers: as.other })).statusCode,
    ).toBe(404);

    const html = await t.app.inject({
      method: "GET",
      url: `/api/audits/${auditId}/report.html`,
      headers: as.declarant,
    });
    expect(html.statusCode).toBe(200);
    expect(html.headers["content-type"]).toContain("text/html");
    expect(html.headers["content-disposition"]).toContain("attachment");
    expect(html.body).toContain("Cartographie de l'exposition");
    expect(html.body).toContain("→ 200 &lt;script&gt;");
    expect(html.body).not.toContain("<script>");
    expect(
      (await t.app.inject({ method: "GET", url: `/api/audits/${auditId}/report.html`, headers: as.other }))
        .statusCode,
    ).toBe(404);

    const stats = await t.app.inject({
      method: "GET",
      url: "/api/audits/stats?year=2026",
      headers: as.analyst,
    });
    expect(stats.json()).toMatchObject({
      year: 2026,
      audits: 1,
      structuresAudited: 1,
      progress: { validatedPerimeters: 1 },
    });
    expect(
      (await t.app.inject({ method: "GET", url: "/api/audits/stats", headers: as.declarant })).statusCode,
    ).toBe(403);

    const revoked = await t.app.inject({
      method: "POST",
      url: `/api/audits/perimeters/${structureId}/revoke`,
      headers: as.analyst,
    });
    expect(revoked.json()).toMatchObject({ status: "draft", authorisation: { inForce: false } });
    const again = await t.app.inject({
      method: "POST",
      url: "/api/audits",
      headers: as.analyst,
      payload: { structureId },
    });
    expect(again.statusCode).toBe(409);
  });
});
