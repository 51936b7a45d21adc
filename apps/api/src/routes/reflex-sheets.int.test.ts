import { randomUUID } from "node:crypto";
import { seedReflexSheets } from "@vigie/core";
import {
  createStructure,
  createTestApp,
  createUser,
  type SessionHeaders,
  signIn,
  type TestApp,
  type TestUser,
} from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let t: TestApp;
let lead: SessionHeaders;
let analyst: SessionHeaders;
let declarant: SessionHeaders;
let declarantUser: TestUser;
let finess: string;

const sheetBody = (marker: string) =>
  `- Débranchez le poste du réseau sans l'éteindre.\n- Prévenez le service informatique. (${marker})`;

async function createSheet(payload: Record<string, unknown>) {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/reflex-sheets",
    headers: lead,
    payload: { category: "malware", body: sheetBody("v1"), ...payload },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; currentVersion: number; slug: string };
}

/** A declaration made by the declarant through the portal, with the types they propose. */
async function declare(contactEmail: string, maliciousTypes: string[]): Promise<string> {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/declarations",
    headers: declarant,
    payload: {
      idempotencyKey: randomUUID(),
      finess: [finess],
      declarant: { fullName: "Claire Martin", email: contactEmail, phone: "+33 1 23 45 67 89" },
      title: "Chiffrement des serveurs de fichiers",
      description: "Message de rançon affiché sur les serveurs de fichiers, partages inaccessibles.",
      detectedAt: new Date(Date.now() - 3_600_000).toISOString(),
      proposedOrigin: "malicious",
      proposedMaliciousTypes: maliciousTypes,
      operationalImpact: "degraded_support",
      stateAtDeclaration: "in_progress",
      supportRequested: true,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return (response.json() as { id: string }).id;
}

function sendings(incidentId: string) {
  return t.database.db
    .selectFrom("reflex_sheet_sendings")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .execute();
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const structure = await createStructure(db, { regionCode: "11", name: "Centre hospitalier de Meaux" });
  finess = structure.finessEt;
  declarantUser = await createUser(db, "declarant", { structureIds: [structure.id] });
  const [leadUser, analystUser] = [await createUser(db, "cert_lead"), await createUser(db, "cert_analyst")];
  lead = await signIn(t, leadUser);
  analyst = await signIn(t, analystUser);
  declarant = await signIn(t, declarantUser);
  expect(await seedReflexSheets(db, t.clock.now)).toBe(6);
});
afterAll(async () => {
  await t?.close();
});

describe("the library", () => {
  it("seeds the starter sheets once, audited", async () => {
    expect(await seedReflexSheets(t.database.db, t.clock.now)).toBe(0);
    const list = await t.app.inject({ method: "GET", url: "/api/reflex-sheets", headers: analyst });
    expect(list.statusCode, list.body).toBe(200);
    const slugs = (list.json() as { items: { slug: string }[] }).items.map((i) => i.slug);
    expect(slugs).toEqual(
      expect.arrayContaining([
        "rancongiciel-premiers-gestes",
        "hameconnage-que-faire",
        "defiguration-site-web",
      ]),
    );
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select("object_id")
      .where("action", "=", "reflex_sheet.created")
      .where("actor_user_id", "is", null)
      .execute();
    expect(audit).toHaveLength(6);
  });

  it("lets the lead create then edit a sheet, keeping version 1 readable", async () => {
    const created = await createSheet({ slug: "poste-infecte", title: "Poste infecté par un virus" });
    expect(created.currentVersion).toBe(1);

    const edit = await t.app.inject({
      method: "PUT",
      url: `/api/reflex-sheets/${created.id}`,
      headers: lead,
      payload: {
        title: "Poste infecté par un logiciel malveillant",
        body: sheetBody("v2"),
        changeNote: "Titre précisé.",
        baseVersion: 1,
      },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json()).toMatchObject({
      currentVersion: 2,
      title: "Poste infecté par un logiciel malveillant",
    });

    const view = await t.app.inject({
      method: "GET",
      url: `/api/reflex-sheets/${created.id}`,
      headers: analyst,
    });
    expect(view.statusCode, view.body).toBe(200);
    const versions = (view.json() as { versions: Record<string, unknown>[] }).versions;
    expect(versions).toHaveLength(2);
    expect(versions[0]).toMatchObject({ version: 2, changeNote: "Titre précisé.", body: sheetBody("v2") });
    expect(versions[1]).toMatchObject({
      version: 1,
      title: "Poste infecté par un virus",
      body: sheetBody("v1"),
      tlp: "clear",
    });
    expect(versions[1]?.createdBy).toMatch(/^Utilisateur cert_lead/);

    // An edit made from a stale version is refused, naming the field.
    const stale = await t.app.inject({
      method: "PUT",
      url: `/api/reflex-sheets/${created.id}`,
      headers: lead,
      payload: { title: "Autre titre", body: sheetBody("v3"), changeNote: "Essai.", baseVersion: 1 },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.fields[0].field).toBe("baseVersion");

    const audit = await t.database.db
      .selectFrom("audit_log")
      .select(["action", "details"])
      .where("object_id", "=", created.id)
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["reflex_sheet.created", "reflex_sheet.updated"]);
    expect(audit[1]?.details).toMatchObject({ version: 2, changeNote: "Titre précisé." });
  });

  it("refuses a taken slug and an unknown category in French, naming the field", async () => {
    const taken = await t.app.inject({
      method: "POST",
      url: "/api/reflex-sheets",
      headers: lead,
      payload: {
        slug: "hameconnage-que-faire",
        title: "Doublon",
        category: "malicious_message",
        body: sheetBody("x"),
      },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.fields).toEqual([{ field: "slug", message: expect.stringContaining("déjà") }]);

    const unknown = await t.app.inject({
      method: "POST",
      url: "/api/reflex-sheets",
      headers: lead,
      payload: { slug: "inconnue", title: "Inconnue", category: "alien", body: sheetBody("x") },
    });
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(unknown.json().error.fields)).toContain("category");
  });

  it("filters by category, kind and words", async () => {
    const get = async (query: string) => {
      const response = await t.app.inject({
        method: "GET",
        url: `/api/reflex-sheets?${query}`,
        headers: analyst,
      });
      expect(response.statusCode, response.body).toBe(200);
      return (response.json() as { items: { slug: string }[] }).items.map((i) => i.slug);
    };
    expect(await get("category=ransomware")).toEqual(["rancongiciel-premiers-gestes"]);
    expect(await get("kind=recommendation")).toEqual(["conserver-les-traces"]);
    expect(await get("q=webshells")).toEqual(["defiguration-site-web"]);
    expect(await get("q=LOGICIEL%20MALVEILLANT")).toContain("poste-infecte");
  });

  it("keeps editing, creating and archiving to the CERT lead; declarants cannot read the library", async () => {
    const [sheet] = (
      (await t.app.inject({ method: "GET", url: "/api/reflex-sheets", headers: analyst })).json() as {
        items: { id: string }[];
      }
    ).items;
    const put = await t.app.inject({
      method: "PUT",
      url: `/api/reflex-sheets/${sheet?.id}`,
      headers: analyst,
      payload: { title: "Titre modifié", body: sheetBody("analyste"), changeNote: "Essai." },
    });
    expect(put.statusCode).toBe(403);
    expect(put.json().error.code).toBe("FORBIDDEN");
    const post = await t.app.inject({
      method: "POST",
      url: "/api/reflex-sheets",
      headers: analyst,
      payload: { slug: "par-analyste", title: "Par l'analyste", category: "general", body: sheetBody("a") },
    });
    expect(post.statusCode).toBe(403);
    const del = await t.app.inject({
      method: "DELETE",
      url: `/api/reflex-sheets/${sheet?.id}`,
      headers: analyst,
    });
    expect(del.statusCode).toBe(403);
    const read = await t.app.inject({ method: "GET", url: "/api/reflex-sheets", headers: declarant });
    expect(read.statusCode).toBe(403);
  });
});

describe("sending a sheet to a declarant", () => {
  it("suggests the ransomware sheet for a ransomware declaration, then the general ones", async () => {
    const incidentId = await declare("suggestions@ch-meaux.test", ["ransomware"]);
    const response = await t.app.inject({
      method: "GET",
      url: `/api/declarations/${incidentId}/reflex-sheets/suggestions`,
      headers: analyst,
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as {
      types: string[];
      items: { sheet: { slug: string }; matchedTypes: string[]; sentVersions: number[] }[];
    };
    expect(body.types).toEqual(["ransomware"]);
    expect(body.items.map((i) => i.sheet.slug)).toEqual([
      "rancongiciel-premiers-gestes",
      "conserver-les-traces",
    ]);
    expect(body.items[0]).toMatchObject({ matchedTypes: ["ransomware"], sentVersions: [] });

    const denied = await t.app.inject({
      method: "GET",
      url: `/api/declarations/${incidentId}/reflex-sheets/suggestions`,
      headers: declarant,
    });
    expect(denied.statusCode).toBe(403);
  });

  it("lets an analyst send a sheet: a recommendation in the declarant's thread, and an e-mail", async () => {
    const email = "envoi@ch-meaux.test";
    const incidentId = await declare(email, ["ransomware"]);
    const list = await t.app.inject({
      method: "GET",
      url: "/api/reflex-sheets?category=ransomware",
      headers: analyst,
    });
    const sheetId = (list.json() as { items: { id: string }[] }).items[0]?.id;
    const mailsBefore = await t.database.db
      .selectFrom("mail_outbox")
      .select("id")
      .where("to_address", "=", email)
      .execute();

    const send = await t.app.inject({
      method: "POST",
      url: `/api/declarations/${incidentId}/reflex-sheets`,
      headers: analyst,
      payload: { sheetId },
    });
    expect(send.statusCode, send.body).toBe(201);
    const sent = send.json() as { version: number; message: { id: string; kind: string } };
    expect(sent).toMatchObject({ version: 1, message: { kind: "recommendation" } });

    const page = await t.app.inject({
      method: "GET",
      url: `/api/declarations/${incidentId}`,
      headers: declarant,
    });
    expect(page.statusCode, page.body).toBe(200);
    const messages = (
      page.json() as { messages: { id: string; kind: string; body: string; authorName: string }[] }
    ).messages;
    const recommendation = messages.find((m) => m.id === sent.message.id);
    expect(recommendation).toMatchObject({ kind: "recommendation", authorName: "CERT Santé" });
    expect(recommendation?.body).toMatch(/^Rançongiciel : les premiers gestes\n/);
    expect(recommendation?.body).toContain("Ne payez pas la rançon");
    expect(recommendation?.body).toContain(
      "Fiche réflexe du CERT Santé « Rançongiciel : les premiers gestes » (rancongiciel-premiers-gestes), version 1.",
    );

    const mailsAfter = await t.database.db
      .selectFrom("mail_outbox")
      .selectAll()
      .where("to_address", "=", email)
      .execute();
    expect(mailsAfter.length).toBe(mailsBefore.length + 1);

    expect(await sendings(incidentId)).toEqual([
      expect.objectContaining({ sheet_id: sheetId, version: 1, message_id: sent.message.id }),
    ]);
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select(["action", "details"])
      .where("object_id", "=", incidentId)
      .where("action", "in", ["reflex_sheet.sent", "declaration.message_posted"])
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["declaration.message_posted", "reflex_sheet.sent"]);
    expect(audit[1]?.details).toMatchObject({ slug: "rancongiciel-premiers-gestes", version: 1 });

    const suggestions = await t.app.inject({
      method: "GET",
      url: `/api/declarations/${incidentId}/reflex-sheets/suggestions`,
      headers: analyst,
    });
    expect(suggestions.json().items[0]).toMatchObject({ sentVersions: [1] });
  });

  it("sends an older version when asked", async () => {
    const created = await createSheet({ slug: "version-ancienne", title: "Première rédaction" });
    const edit = await t.app.inject({
      method: "PUT",
      url: `/api/reflex-sheets/${created.id}`,
      headers: lead,
      payload: { title: "Deuxième rédaction", body: sheetBody("v2"), changeNote: "Réécriture." },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    const incidentId = await declare("ancienne@ch-meaux.test", ["malware"]);
    const send = await t.app.inject({
      method: "POST",
      url: `/api/declarations/${incidentId}/reflex-sheets`,
      headers: analyst,
      payload: { sheetId: created.id, version: 1 },
    });
    expect(send.statusCode, send.body).toBe(201);
    const body = send.json().message.body as string;
    expect(body).toContain(sheetBody("v1"));
    expect(body).toContain("« Première rédaction » (version-ancienne), version 1.");

    const missing = await t.app.inject({
      method: "POST",
      url: `/api/declarations/${incidentId}/reflex-sheets`,
      headers: analyst,
      payload: { sheetId: created.id, version: 9 },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.fields[0].field).toBe("version");
  });

  it("never sends a TLP:RED sheet to a declarant", async () => {
    const red = await createSheet({ slug: "fiche-interne", title: "Consignes internes du CERT", tlp: "red" });
    const incidentId = await declare("rouge@ch-meaux.test", ["malware"]);
    const send = await t.app.inject({
      method: "POST",
      url: `/api/declarations/${incidentId}/reflex-sheets`,
      headers: lead,
      payload: { sheetId: red.id },
    });
    expect(send.statusCode).toBe(400);
    const error = send.json().error;
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.message).toContain("TLP:RED");
    expect(error.fields[0].field).toBe("sheetId");
    expect(await sendings(incidentId)).toEqual([]);
    const messages = await t.database.db
      .selectFrom("incident_messages")
      .select("id")
      .where("incident_id", "=", incidentId)
      .execute();
    expect(messages).toEqual([]);
  });

  it("archives a sheet: no longer listed nor sent, still readable", async () => {
    const sheet = await createSheet({ slug: "a-archiver", title: "Fiche à archiver" });
    const del = await t.app.inject({
      method: "DELETE",
      url: `/api/reflex-sheets/${sheet.id}`,
      headers: lead,
    });
    expect(del.statusCode, del.body).toBe(204);
    const again = await t.app.inject({
      method: "DELETE",
      url: `/api/reflex-sheets/${sheet.id}`,
      headers: lead,
    });
    expect(again.statusCode).toBe(404);

    const list = await t.app.inject({
      method: "GET",
      url: "/api/reflex-sheets?q=archiver",
      headers: analyst,
    });
    expect(list.json().items).toEqual([]);
    const archived = await t.app.inject({
      method: "GET",
      url: "/api/reflex-sheets?q=archiver&archived=true",
      headers: analyst,
    });
    expect(archived.json().items).toEqual([expect.objectContaining({ slug: "a-archiver" })]);
    const view = await t.app.inject({
      method: "GET",
      url: `/api/reflex-sheets/${sheet.id}`,
      headers: analyst,
    });
    expect(view.json().archivedAt).not.toBeNull();

    const incidentId = await declare("archive@ch-meaux.test", ["malware"]);
    const send = await t.app.inject({
      method: "POST",
      url: `/api/declarations/${incidentId}/reflex-sheets`,
      headers: analyst,
      payload: { sheetId: sheet.id },
    });
    expect(send.statusCode).toBe(400);
    expect(send.json().error.message).toContain("archivée");
  });
});
