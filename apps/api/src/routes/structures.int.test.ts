import { withFinessCheckDigit } from "@vigie/core";
import {
  createStructure,
  createTestApp,
  createUser,
  type SessionHeaders,
  signIn,
  type TestApp,
} from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let t: TestApp;
let structureA: Awaited<ReturnType<typeof createStructure>>;
let structureB: Awaited<ReturnType<typeof createStructure>>;
let structureAra: Awaited<ReturnType<typeof createStructure>>;
const as: Record<"declarant" | "ars" | "authority" | "analyst" | "lead", SessionHeaders> = {
  declarant: {},
  ars: {},
  authority: {},
  analyst: {},
  lead: {},
};

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  structureA = await createStructure(db, { name: "Centre hospitalier Alpha", regionCode: "11" });
  structureB = await createStructure(db, { name: "Centre hospitalier Beta", regionCode: "11" });
  structureAra = await createStructure(db, {
    name: "Centre hospitalier de Lyon test",
    regionCode: "84",
    departmentCode: "69",
    town: "LYON",
  });
  as.declarant = await signIn(t, await createUser(db, "declarant", { structureIds: [structureA.id] }));
  as.ars = await signIn(t, await createUser(db, "ars", { regionCode: "11" }));
  as.authority = await signIn(t, await createUser(db, "authority", { authority: "anssi" }));
  as.analyst = await signIn(t, await createUser(db, "cert_analyst"));
  as.lead = await signIn(t, await createUser(db, "cert_lead"));
});
afterAll(async () => {
  await t?.close();
});

function get(url: string, headers: SessionHeaders) {
  return t.app.inject({ method: "GET", url, headers });
}

function patch(id: string, headers: SessionHeaders, payload: unknown) {
  return t.app.inject({ method: "PATCH", url: `/api/structures/${id}`, headers, payload: payload as object });
}

async function deniedAudits(objectId: string) {
  return t.database.db
    .selectFrom("audit_log")
    .select(["action", "outcome", "actor_label"])
    .where("action", "=", "permission.denied")
    .where("object_id", "=", objectId)
    .execute();
}

describe("scope of the directory", () => {
  it("shows a declarant only their own structures", async () => {
    const list = await get("/api/structures?pageSize=100", as.declarant);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ total: 1, page: 1, pageSize: 100 });
    expect(list.json().items.map((s: { id: string }) => s.id)).toEqual([structureA.id]);

    const own = await get(`/api/structures/${structureA.id}`, as.declarant);
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({
      id: structureA.id,
      name: "Centre hospitalier Alpha",
      regionName: "Île-de-France",
    });

    const other = await get(`/api/structures/${structureB.id}`, as.declarant);
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe("NOT_FOUND");
    expect(await deniedAudits(structureB.id)).toEqual([
      expect.objectContaining({ action: "permission.denied", outcome: "denied" }),
    ]);
  });

  it("shows an ARS its region and never another one", async () => {
    const list = await get("/api/structures?pageSize=100", as.ars);
    const ids = list.json().items.map((s: { id: string }) => s.id);
    expect(ids).toEqual(expect.arrayContaining([structureA.id, structureB.id]));
    expect(ids).not.toContain(structureAra.id);
    expect(list.json().items.every((s: { regionCode: string }) => s.regionCode === "11")).toBe(true);

    const filtered = await get("/api/structures?region=84", as.ars);
    expect(filtered.json()).toMatchObject({ total: 0, items: [] });

    const searched = await get("/api/structures?q=lyon", as.ars);
    expect(searched.json().total).toBe(0);

    const other = await get(`/api/structures/${structureAra.id}`, as.ars);
    expect(other.statusCode).toBe(404);
    expect(await deniedAudits(structureAra.id)).toHaveLength(1);
  });

  it("refuses the directory records to an authority", async () => {
    const list = await get("/api/structures", as.authority);
    expect(list.statusCode).toBe(403);
    expect(list.json().error.code).toBe("FORBIDDEN");
    expect((await get(`/api/structures/${structureA.id}`, as.authority)).statusCode).toBe(403);
  });

  it("shows the CERT everything, with filters and pages", async () => {
    const all = await get("/api/structures?pageSize=2", as.analyst);
    expect(all.json()).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(all.json().items).toHaveLength(2);
    const page2 = await get("/api/structures?pageSize=2&page=2", as.analyst);
    expect(page2.json().items).toHaveLength(1);
    const names = [...all.json().items, ...page2.json().items].map((s: { name: string }) => s.name);
    expect(names).toEqual([...names].sort());

    const ara = await get("/api/structures?region=84", as.analyst);
    expect(ara.json().items.map((s: { id: string }) => s.id)).toEqual([structureAra.id]);
    const beta = await get(`/api/structures?q=${encodeURIComponent("BETA")}`, as.analyst);
    expect(beta.json().items.map((s: { id: string }) => s.id)).toEqual([structureB.id]);
  });

  it("refuses the records to anonymous callers, not the public autocomplete", async () => {
    expect((await get("/api/structures", {})).statusCode).toBe(401);
    // The autocomplete is public (open FINESS data, needed to register); records are not.
    const anonymousSearch = await get(`/api/structures/search?q=${structureAra.finessEt}`, {});
    expect(anonymousSearch.statusCode).toBe(200);
    expect(anonymousSearch.json().items.map((h: { finessEt: string }) => h.finessEt)).toEqual([
      structureAra.finessEt,
    ]);
  });
});

describe("autocomplete", () => {
  it("lets a declarant find any structure, with public fields only", async () => {
    const res = await get(`/api/structures/search?q=${structureAra.finessEt}`, as.declarant);
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0]).toEqual({
      id: structureAra.id,
      finessEt: structureAra.finessEt,
      name: "Centre hospitalier de Lyon test",
      town: "LYON",
      departmentCode: "69",
      structureType: "es_public",
    });
  });

  it("explains a too-short query in French", async () => {
    const res = await get("/api/structures/search?q=a", as.declarant);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: [{ field: "q", message: "Saisissez au moins 2 caractères." }],
    });
  });
});

describe("CERT corrections", () => {
  it("lets a CERT analyst complete a structure", async () => {
    const res = await patch(structureB.id, as.analyst, {
      ghtCode: "IDF-01",
      oiv: true,
      mailDomains: ["Beta-Hopital.fr"],
      contactEmails: ["rssi@beta-hopital.fr"],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      ghtCode: "IDF-01",
      oiv: true,
      ose: false,
      mailDomains: ["beta-hopital.fr"],
      contactEmails: ["rssi@beta-hopital.fr"],
    });
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select(["details"])
      .where("action", "=", "structure.update")
      .where("object_id", "=", structureB.id)
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ before: { oiv: false, ght_code: null }, after: { oiv: true } });
  });

  it("refuses corrections to a declarant, even of their own structure", async () => {
    const res = await patch(structureA.id, as.declarant, { oiv: true });
    expect(res.statusCode).toBe(403);
    const row = await t.database.db
      .selectFrom("structures")
      .select("oiv")
      .where("id", "=", structureA.id)
      .executeTakeFirstOrThrow();
    expect(row.oiv).toBe(false);
  });

  it("names the invalid field in French", async () => {
    const res = await patch(structureB.id, as.analyst, { mailDomains: ["pas un domaine"] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual([
      { field: "mailDomains.0", message: "Nom de domaine invalide." },
    ]);
    expect((await patch("pas-un-uuid", as.analyst, { oiv: true })).json().error.fields[0].field).toBe("id");
  });

  it("requires the CSRF token with a session cookie", async () => {
    const res = await patch(structureB.id, { cookie: as.analyst.cookie ?? "" }, { ose: true });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe("CSRF_INVALID");
  });
});

describe("regions", () => {
  it("lists the 18 regions to any signed-in user", async () => {
    const res = await get("/api/regions", as.authority);
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(18);
    expect(res.json().items).toContainEqual({
      code: "84",
      name: "Auvergne-Rhône-Alpes",
      iso: "FR-ARA",
      arsName: "ARS Auvergne-Rhône-Alpes",
      metropolitan: true,
    });
  });
});

describe("POST /api/directory/import", () => {
  const finess = withFinessCheckDigit("69777001");
  const file = [
    "nofinesset,nofinessej,rs_courte,rs_longue,telephone,departement_code,departement_nom,ville_cp,categorie_libelle,categorie_groupe_libelle,statut_juridique_lib,siret",
    `${finess},,CLINIQUE IMPORTÉE,,0478000000,69,RHONE,69003 LYON,Autre Etablissement Loi Hospitalière,Autres Etablissements Relevant de la Loi Hospitalière,Non concerné,`,
    "123456789,,CLE FAUSSE,,,69,RHONE,69003 LYON,,,,",
  ].join("\n");

  function upload(headers: SessionHeaders, body: string | Buffer, contentType = "text/csv", query = "") {
    return t.app.inject({
      method: "POST",
      url: `/api/directory/import${query}`,
      headers: { ...headers, "content-type": contentType },
      payload: body,
    });
  }

  it("imports a Latin-1 file for a CERT lead and reports every line", async () => {
    const res = await upload(as.lead, Buffer.from(file, "latin1"), "application/octet-stream");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      read: 2,
      inserted: 1,
      updated: 0,
      unchanged: 0,
      rejected: [{ line: 3, finess: "123456789", reason: expect.stringContaining("clé de contrôle") }],
    });
    const search = await get("/api/structures/search?q=clinique%20importee", as.declarant);
    expect(search.json().items).toEqual([
      expect.objectContaining({
        finessEt: finess,
        name: "CLINIQUE IMPORTÉE",
        structureType: "es_private_forprofit",
      }),
    ]);
    const again = await upload(as.lead, file);
    expect(again.json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
  });

  it("is reserved to the roles allowed to import", async () => {
    expect((await upload(as.analyst, file)).statusCode).toBe(403);
    expect((await upload(as.declarant, file)).statusCode).toBe(403);
  });

  it("explains an unknown format or a forced format that does not match", async () => {
    const unknown = await upload(as.lead, "nom;ville\nCH;Lyon");
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toMatch(/Format de fichier non reconnu/);
    const forced = await upload(as.lead, file, "text/csv", "?format=extrait-finess");
    expect(forced.statusCode).toBe(400);
    expect(forced.json().error.message).toMatch(/format « csv »/);
    const json = await t.app.inject({
      method: "POST",
      url: "/api/directory/import",
      headers: as.lead,
      payload: { fichier: "x" },
    });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.code).toBe("VALIDATION_FAILED");
    const badFormat = await upload(as.lead, file, "text/csv", "?format=xls");
    expect(badFormat.json().error.fields).toEqual([
      { field: "format", message: "Format attendu : auto, csv ou extrait-finess." },
    ]);
  });

  it("documents the directory routes in OpenAPI", async () => {
    const spec = (await t.app.inject({ method: "GET", url: "/api/docs/json" })).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        "/api/structures/search",
        "/api/structures",
        "/api/structures/{id}",
        "/api/regions",
        "/api/directory/import",
      ]),
    );
  });
});
