import { type AssetImportReport, type AssetView, CreateAssetRequest } from "@vigie/contracts";
import { createAsset } from "@vigie/core";
import {
  createStructure,
  createTestApp,
  createUser,
  type SessionHeaders,
  signIn,
  type TestApp,
} from "@vigie/test-kit";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let t: TestApp;
let declarantA: SessionHeaders;
let declarantB: SessionHeaders;
let analyst: SessionHeaders;
let lead: SessionHeaders;
let a: { id: string; finessEt: string; name: string };
let b: { id: string; finessEt: string; name: string };
let c: { id: string; finessEt: string; name: string };

type ErrorAnswer = {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
};

function post(headers: SessionHeaders, payload: Record<string, unknown>) {
  return t.app.inject({ method: "POST", url: "/api/assets", headers, payload });
}

async function created(headers: SessionHeaders, payload: Record<string, unknown>): Promise<AssetView> {
  const response = await post(headers, payload);
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as AssetView;
}

async function list(headers: SessionHeaders, query = ""): Promise<{ items: AssetView[]; total: number }> {
  const response = await t.app.inject({ method: "GET", url: `/api/assets${query}`, headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { items: AssetView[]; total: number };
}

function importCsv(headers: SessionHeaders, structure: string, content: string) {
  return t.app.inject({
    method: "POST",
    url: "/api/assets/import",
    headers,
    payload: { structure, content },
  });
}

const countAssets = async (structureId: string) =>
  Number(
    (
      await t.database.db
        .selectFrom("assets")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("structure_id", "=", structureId)
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  a = await createStructure(db, { name: "CHU d'Essai Nord" });
  b = await createStructure(db, { name: "Clinique du Lac" });
  c = await createStructure(db, { name: "EHPAD des Tilleuls" });
  declarantA = await signIn(t, await createUser(db, "declarant", { structureIds: [a.id, c.id] }));
  declarantB = await signIn(t, await createUser(db, "declarant", { structureIds: [b.id] }));
  analyst = await signIn(t, await createUser(db, "cert_analyst"));
  lead = await signIn(t, await createUser(db, "cert_lead"));
});
afterAll(async () => {
  await t?.close();
});

describe("adding assets", () => {
  it("normalises a domain (IDN in punycode) and computes the matching names of a product", async () => {
    const domain = await created(declarantA, {
      structure: a.finessEt,
      kind: "domain",
      value: "CHU-Hôpital.example.",
    });
    expect(domain).toMatchObject({
      kind: "domain",
      value: "xn--chu-hpital-vbb.example",
      source: "manual",
      openTickets: 0,
    });
    expect(domain.structureName).toBe("CHU d'Essai Nord");

    const product = await created(declarantA, {
      structure: a.id,
      kind: "product",
      vendor: "Citrix",
      product: "NetScaler ADC",
      version: "13.1-49.14",
      host: "203.0.113.10",
      port: 443,
    });
    expect(product).toMatchObject({
      matchVendor: "citrix",
      matchProduct: "netscaler_application_delivery_controller",
      transport: "tcp",
      host: "203.0.113.10",
    });
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select(["action", "object_id"])
      .where("action", "=", "asset.created")
      .execute();
    expect(audit.map((row) => row.object_id)).toEqual(expect.arrayContaining([domain.id, product.id]));
  });

  it("refuses a range not given by its network address, naming the field and proposing the right one", async () => {
    const response = await post(declarantA, { structure: a.id, kind: "cidr", value: "192.0.2.5/24" });
    expect(response.statusCode).toBe(400);
    expect((response.json() as ErrorAnswer).error.fields).toEqual([
      {
        field: "value",
        message: "Une plage s'écrit avec l'adresse de son réseau : vouliez-vous dire 192.0.2.0/24 ?",
      },
    ]);
    const loopback = await post(declarantA, { structure: a.id, kind: "ip", value: "127.0.0.1" });
    expect(loopback.statusCode).toBe(400);
    expect((loopback.json() as ErrorAnswer).error.fields?.[0]?.message).toContain("bouclage");
  });

  it("stores /32 and /128 as addresses", async () => {
    const v4 = await created(declarantA, { structure: a.id, kind: "cidr", value: "198.51.100.77/32" });
    expect(v4).toMatchObject({ kind: "ip", value: "198.51.100.77" });
    const v6 = await created(declarantA, { structure: a.id, kind: "ip", value: "2001:DB8:AAAA::1/128" });
    expect(v6).toMatchObject({ kind: "ip", value: "2001:db8:aaaa::1" });
  });

  it("refuses duplicates within a structure", async () => {
    const again = await post(declarantA, { structure: a.id, kind: "domain", value: "chu-hôpital.example" });
    expect(again.statusCode).toBe(409);
    expect((again.json() as ErrorAnswer).error.fields?.[0]).toEqual({
      field: "value",
      message: "Ce nom de domaine est déjà dans l'inventaire de la structure.",
    });
    const sameIp = await post(declarantA, { structure: a.id, kind: "ip", value: "198.51.100.77" });
    expect(sameIp.statusCode).toBe(409);
    const sameProduct = await post(declarantA, {
      structure: a.id,
      kind: "product",
      vendor: "citrix",
      product: "netscaler adc",
      version: "13.1-49.14",
      host: "203.0.113.10",
      port: "443",
    });
    expect(sameProduct.statusCode).toBe(409);
    expect((sameProduct.json() as ErrorAnswer).error.fields?.[0]?.field).toBe("product");
  });
});

describe("ownership across structures", () => {
  it("refuses a domain owned by another structure, naming it to the CERT only", async () => {
    const toDeclarant = await post(declarantB, {
      structure: b.id,
      kind: "domain",
      value: "xn--chu-hpital-vbb.example",
    });
    expect(toDeclarant.statusCode).toBe(409);
    const message = (toDeclarant.json() as ErrorAnswer).error.fields?.[0]?.message ?? "";
    expect(message).toContain("appartient à une autre structure");
    expect(message).not.toContain("CHU d'Essai Nord");
    expect(message).not.toContain(a.finessEt);

    const toCert = await post(analyst, {
      structure: b.finessEt,
      kind: "domain",
      value: "chu-hôpital.example",
    });
    expect(toCert.statusCode).toBe(409);
    expect((toCert.json() as ErrorAnswer).error.fields?.[0]?.message).toContain(
      `CHU d'Essai Nord, FINESS ${a.finessEt}`,
    );
  });

  it("refuses addresses and ranges overlapping another structure's, IPv4 and IPv6", async () => {
    await created(declarantA, { structure: a.id, kind: "cidr", value: "203.0.113.0/25" });
    await created(declarantA, { structure: a.id, kind: "cidr", value: "2001:db8:1200::/48" });
    // Inside, containing, or one address of it: refused.
    for (const value of [
      "203.0.113.64/26",
      "203.0.113.0/24",
      "203.0.113.5",
      "2001:db8:1200:5::/64",
      "2001:db8::/32",
      "2001:db8:1200::42",
    ]) {
      const response = await post(declarantB, { structure: b.id, kind: "cidr", value });
      expect(response.statusCode, value).toBe(409);
      const message = (response.json() as ErrorAnswer).error.fields?.[0]?.message ?? "";
      expect(message, value).toContain("appartient à une autre structure");
      expect(message).not.toContain("CHU d'Essai Nord");
    }
    // Next to it: fine.
    await created(declarantB, { structure: b.id, kind: "cidr", value: "203.0.113.128/25" });
    await created(declarantB, { structure: b.id, kind: "cidr", value: "2001:db8:1201::/48" });
    // The CERT sees which range and which structure.
    const toCert = await post(lead, { structure: b.id, kind: "ip", value: "203.0.113.9" });
    expect((toCert.json() as ErrorAnswer).error.fields?.[0]?.message).toContain(
      `203.0.113.0/25 (CHU d'Essai Nord, FINESS ${a.finessEt})`,
    );
    // Within its own range, a structure may name one address.
    await created(declarantA, { structure: a.id, kind: "ip", value: "203.0.113.9", label: "Passerelle" });
  });

  it("settles two structures declaring the same range at once: one wins", async () => {
    const context = { now: t.clock.now };
    const outcomes = await Promise.allSettled([
      createAsset(
        t.database.db,
        null,
        CreateAssetRequest.parse({ structure: b.id, kind: "cidr", value: "192.0.2.0/28" }),
        context,
      ),
      createAsset(
        t.database.db,
        null,
        CreateAssetRequest.parse({ structure: c.id, kind: "cidr", value: "192.0.2.0/29" }),
        context,
      ),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: "CONFLICT" });
  });

  it("checks ownership again on update", async () => {
    const asset = await created(declarantB, {
      structure: b.id,
      kind: "domain",
      value: "clinique-du-lac.example",
    });
    const response = await t.app.inject({
      method: "PUT",
      url: `/api/assets/${asset.id}`,
      headers: declarantB,
      payload: { kind: "domain", value: "xn--chu-hpital-vbb.example" },
    });
    expect(response.statusCode).toBe(409);
    const renamed = await t.app.inject({
      method: "PUT",
      url: `/api/assets/${asset.id}`,
      headers: declarantB,
      payload: { kind: "domain", value: "www.clinique-du-lac.example", label: "Site" },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ value: "www.clinique-du-lac.example", label: "Site" });
  });
});

describe("who sees what", () => {
  it("limits a declarant to its structures; another structure's asset is NOT_FOUND", async () => {
    const own = await list(declarantB);
    expect(own.items.length).toBeGreaterThan(0);
    expect(own.items.every((item) => item.structureId === b.id)).toBe(true);

    const foreign = (await list(declarantA, `?structure=${a.id}`)).items[0] as AssetView;
    for (const request of [
      { method: "GET" as const, url: `/api/assets/${foreign.id}` },
      {
        method: "PUT" as const,
        url: `/api/assets/${foreign.id}`,
        payload: { kind: "domain", value: "vole.example" },
      },
      { method: "DELETE" as const, url: `/api/assets/${foreign.id}` },
    ]) {
      const response = await t.app.inject({ ...request, headers: declarantB });
      expect(response.statusCode, request.method).toBe(404);
      expect((response.json() as ErrorAnswer).error.code).toBe("NOT_FOUND");
    }
    expect(
      (await t.app.inject({ method: "GET", url: `/api/assets?structure=${a.finessEt}`, headers: declarantB }))
        .statusCode,
    ).toBe(404);
    expect(
      (await post(declarantB, { structure: a.id, kind: "domain", value: "intrus.example" })).statusCode,
    ).toBe(404);
    expect((await importCsv(declarantB, a.id, "type;valeur\ndomaine;intrus.example\n")).statusCode).toBe(404);
  });

  it("lets the CERT list every structure's assets, filtered by kind, words and structure", async () => {
    const all = await list(analyst, "?pageSize=200");
    const owners = await t.database.db.selectFrom("assets").select("structure_id").distinct().execute();
    expect(owners.length).toBeGreaterThanOrEqual(2);
    expect(new Set(all.items.map((item) => item.structureId))).toEqual(
      new Set(owners.map((o) => o.structure_id)),
    );
    expect(all.total).toBe(all.items.length);
    const cidrs = await list(analyst, "?kind=cidr");
    expect(cidrs.items.every((item) => item.kind === "cidr")).toBe(true);
    const words = await list(analyst, "?q=netscaler%2013.1");
    expect(words.items.map((item) => item.product)).toEqual(["NetScaler ADC"]);
    const page = await list(analyst, `?structure=${b.finessEt}&pageSize=1&page=2`);
    expect(page.items).toHaveLength(1);
    expect(page.total).toBe(await countAssets(b.id));
  });

  it("forbids the roles without the watch", async () => {
    const db = t.database.db;
    const ars = await signIn(t, await createUser(db, "ars", { regionCode: "11" }));
    expect((await t.app.inject({ method: "GET", url: "/api/assets", headers: ars })).statusCode).toBe(403);
    const admin = await signIn(t, await createUser(db, "admin"));
    expect((await post(admin, { structure: a.id, kind: "domain", value: "admin.example" })).statusCode).toBe(
      403,
    );
  });
});

describe("removing an asset", () => {
  it("fixes its open tickets with a system history row, and keeps the others", async () => {
    const asset = await created(declarantA, {
      structure: c.id,
      kind: "service",
      service: "rdp",
      host: "198.51.100.200",
    });
    expect(asset).toMatchObject({ port: 3389, transport: "tcp" });
    const now = t.clock.now;
    const [open, closed] = await t.database.db
      .insertInto("watch_tickets")
      .values(
        (["new", "fixed"] as const).map((status) => ({
          structure_id: c.id,
          asset_id: asset.id,
          kind: "sensitive_service",
          finding_key: `service:${asset.id}:${status}`,
          confidence: "confirmed",
          status,
          urgency: "high",
          details: sql`${JSON.stringify({ title: "RDP exposé", action: "Fermez le port" })}::jsonb`,
          first_seen_at: now,
          last_seen_at: now,
          created_at: now,
          updated_at: now,
        })),
      )
      .returning("id")
      .execute();
    expect((await list(declarantA, `?structure=${c.id}&kind=service`)).items[0]?.openTickets).toBe(1);

    t.clock.advance(60_000);
    const response = await t.app.inject({
      method: "DELETE",
      url: `/api/assets/${asset.id}`,
      headers: declarantA,
    });
    expect(response.statusCode, response.body).toBe(204);
    const tickets = await t.database.db
      .selectFrom("watch_tickets")
      .select(["id", "status", "fixed_at", "asset_id"])
      .where("id", "in", [open?.id ?? "", closed?.id ?? ""])
      .orderBy("status")
      .execute();
    expect(tickets.map((ticket) => [ticket.status, ticket.asset_id])).toEqual([
      ["fixed", null],
      ["fixed", null],
    ]);
    const history = await t.database.db
      .selectFrom("watch_ticket_history")
      .selectAll()
      .where("ticket_id", "=", open?.id ?? "")
      .execute();
    expect(history).toEqual([
      expect.objectContaining({
        from_status: "new",
        to_status: "fixed",
        via: "system",
        note: "Actif retiré de l'inventaire",
      }),
    ]);
    expect(
      await t.database.db
        .selectFrom("watch_ticket_history")
        .select("id")
        .where("ticket_id", "=", closed?.id ?? "")
        .execute(),
    ).toEqual([]);
  });
});

describe("CSV import", () => {
  const good = [
    "type;valeur;editeur;produit;version;cpe;hote;port;protocole;service;libelle",
    "domaine;ehpad-tilleuls.example;;;;;;;;;Site",
    "plage;198.51.100.0/26;;;;;;;;;",
    "produit;;Fortinet;FortiGate;7.2.4;;198.51.100.1;443;tcp;;VPN",
    "produit;;;;;cpe:2.3:a:ivanti:connect_secure:22.6:r2:*:*:*:*:*:*;198.51.100.2;443;;;",
    "service;;;;;;198.51.100.40;;;dicom;PACS",
    "",
  ].join("\r\n");

  it("refuses the whole file when one line is wrong, with line, column and message", async () => {
    const before = await countAssets(c.id);
    const bad = `${good}plage;198.51.100.70/26;;;;;;;;;\r\nip;203.0.113.20;;;;;;;;;\r\nservice;;;;;;198.51.100.41;99999;;rdp;\r\n`;
    const response = await importCsv(declarantA, c.finessEt, bad);
    expect(response.statusCode).toBe(422);
    const error = (response.json() as ErrorAnswer & { error: { details: { report: AssetImportReport } } })
      .error;
    expect(error.code).toBe("IMPORT_REJECTED");
    expect(error.details.report).toMatchObject({ lines: 8, added: 0, unchanged: 0, rejected: 2 });
    expect(error.details.report.problems).toEqual([
      { line: 7, column: "valeur", message: expect.stringContaining("198.51.100.64/26") },
      { line: 9, column: "port", message: "Le port est un nombre entier de 1 à 65535." },
    ]);
    expect(error.fields?.[0]?.field).toBe("ligne 7, colonne valeur");
    expect(await countAssets(c.id)).toBe(before);

    // Lines that are well-formed but owned elsewhere are refused in the same way, nothing written.
    const owned = await importCsv(declarantA, c.id, `${good}ip;203.0.113.200;;;;;;;;;\r\n`);
    expect(owned.statusCode).toBe(422);
    const report = (owned.json() as { error: { details: { report: AssetImportReport } } }).error.details
      .report;
    expect(report.problems).toEqual([
      { line: 7, column: "valeur", message: expect.stringContaining("autre structure") },
    ]);
    expect(report.problems[0]?.message).not.toContain("Clinique du Lac");
    expect(await countAssets(c.id)).toBe(before);
  });

  it("imports a good file, then changes nothing when it is imported again", async () => {
    const before = await countAssets(c.id);
    const first = await importCsv(declarantA, c.id, good);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({
      lines: 5,
      added: 5,
      unchanged: 0,
      rejected: 0,
      problems: [],
      truncated: false,
    });
    expect(await countAssets(c.id)).toBe(before + 5);

    const rows = await t.database.db
      .selectFrom("assets")
      .select(["kind", "source", "match_vendor", "match_product", "version", "port", "service"])
      .where("structure_id", "=", c.id)
      .where("source", "=", "csv")
      .orderBy("kind")
      .execute();
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: "product",
          match_vendor: "fortinet",
          match_product: "fortios",
          version: "7.2.4",
        }),
        expect.objectContaining({
          kind: "product",
          match_vendor: "ivanti",
          match_product: "connect_secure",
          version: "22.6",
        }),
        expect.objectContaining({ kind: "service", service: "dicom", port: 104 }),
      ]),
    );

    // The same file with a comma separator and a byte-order mark: the same assets, all unchanged.
    const again = await importCsv(declarantA, c.id, `\uFEFF${good.replaceAll(";", ",")}`);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ lines: 5, added: 0, unchanged: 5, rejected: 0 });
    expect(await countAssets(c.id)).toBe(before + 5);
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select("details")
      .where("action", "=", "assets.imported")
      .where("object_id", "=", c.id)
      .execute();
    expect(audit.map((row) => row.details)).toEqual([
      { lines: 5, added: 5, unchanged: 0 },
      { lines: 5, added: 0, unchanged: 5 },
    ]);
  });
});

describe("documentation", () => {
  it("describes the routes in the OpenAPI document", async () => {
    const doc = await t.app.inject({ method: "GET", url: "/api/docs/json" });
    expect(doc.statusCode, doc.body.slice(0, 500)).toBe(200);
    const paths = Object.keys((doc.json() as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(expect.arrayContaining(["/api/assets", "/api/assets/{id}", "/api/assets/import"]));
  });
});
