import { seedDemoPublications } from "@vigie/core";
import {
  createStructure,
  createTestApp,
  createUser,
  type SessionHeaders,
  signIn,
  type TestApp,
} from "@vigie/test-kit";
import { SaxesParser } from "saxes";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const PUBLIC_URL = "https://vigie.cert-sante.example";

let t: TestApp;
let lead: SessionHeaders;
let analyst: SessionHeaders;
let declarant: SessionHeaders;
let admin: SessionHeaders;

interface View {
  id: string;
  reference: string | null;
  slug: string | null;
  status: string;
  tlp: string;
  title: string;
  revision: number;
  hasUnpublishedChanges: boolean;
  revisions: { revision: number; changeNote: string; publishedAt: string; publishedBy: string | null }[];
}
interface Page {
  items: { id: string; slug: string; title: string; tlp: string; reference: string }[];
  total: number;
}

const alertContent = (title: string, extra: Record<string, unknown> = {}) => ({
  kind: "alert",
  title,
  summary: "Une vulnérabilité critique permet l'exécution de code à distance sans authentification.",
  risk: "Prise de contrôle de l'équipement exposé sur Internet.",
  products: [{ vendor: "Citrix", product: "NetScaler ADC", versions: "13.1 avant 13.1-49.15" }],
  cveIds: ["cve-2023-4966"],
  exploitation: "actively_exploited",
  actions: "- Mettez à jour.\n- Fermez les sessions actives.",
  referenceUrls: ["https://support.citrix.com/article/CTX579459"],
  body: "## Contexte\n\nExploitation massive observée.",
  tlp: "clear",
  ...extra,
});

async function draft(payload: Record<string, unknown>, headers = lead): Promise<View> {
  const response = await t.app.inject({ method: "POST", url: "/api/cert/publications", headers, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function publish(id: string, changeNote?: string): Promise<View> {
  const response = await t.app.inject({
    method: "POST",
    url: `/api/cert/publications/${id}/publish`,
    headers: lead,
    payload: changeNote ? { changeNote } : {},
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function list(query: string, headers: SessionHeaders = {}): Promise<Page> {
  const response = await t.app.inject({ method: "GET", url: `/api/publications${query}`, headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/**
 * Parses XML strictly (saxes throws on anything not well-formed); returns the elements with their
 * attributes and the text found directly in each.
 */
function parseXml(xml: string): {
  elements: string[];
  attributes: Record<string, string>[];
  texts: string[];
  textOf: (element: string) => string[];
} {
  const parser = new SaxesParser({ xmlns: false });
  const elements: string[] = [];
  const attributes: Record<string, string>[] = [];
  const stack: string[] = [];
  const byElement: { element: string; text: string }[] = [];
  parser.on("opentag", (tag) => {
    elements.push(tag.name);
    attributes.push(tag.attributes as Record<string, string>);
    stack.push(tag.name);
  });
  parser.on("closetag", () => stack.pop());
  const onText = (text: string) => {
    if (text.trim()) byElement.push({ element: stack.at(-1) ?? "", text });
  };
  parser.on("text", onText);
  parser.on("cdata", onText);
  parser.write(xml).close();
  return {
    elements,
    attributes,
    texts: byElement.map((t) => t.text),
    textOf: (element) => byElement.filter((t) => t.element === element).map((t) => t.text.trim()),
  };
}

let clearAlert: View;
let greenBulletin: View;
let amberAlert: View;

beforeAll(async () => {
  t = await createTestApp({ VIGIE_PUBLIC_URL: PUBLIC_URL });
  const db = t.database.db;
  const structure = await createStructure(db, { regionCode: "11" });
  lead = await signIn(t, await createUser(db, "cert_lead"));
  analyst = await signIn(t, await createUser(db, "cert_analyst"));
  declarant = await signIn(t, await createUser(db, "declarant", { structureIds: [structure.id] }));
  admin = await signIn(t, await createUser(db, "admin"));

  clearAlert = await publish(
    (await draft(alertContent("Citrix Bleed : fuite de jetons de session dans NetScaler"))).id,
  );
  greenBulletin = await publish(
    (
      await draft({
        kind: "bulletin",
        title: "Bulletin réservé : hameçonnage des établissements",
        summary: "Synthèse des campagnes d'hameçonnage observées ce mois-ci contre les hôpitaux.",
        body: "Les indicateurs détaillés sont réservés aux structures de santé.",
        tlp: "green",
      })
    ).id,
  );
  amberAlert = await publish(
    (
      await draft(
        alertContent("Compromission d'un prestataire d'infogérance", {
          cveIds: [],
          products: [{ vendor: "AnyDesk", product: "AnyDesk", versions: "" }],
          tlp: "amber",
        }),
      )
    ).id,
  );
});
afterAll(async () => {
  await t?.close();
});

describe("writing and publishing", () => {
  it("a draft is invisible until published; the first publication takes the reference and the slug", async () => {
    const created = await draft(
      alertContent("FortiOS SSL-VPN : débordement de tas", {
        products: [{ vendor: "Fortinet", product: "FortiOS", versions: "7.2.0 à 7.2.4" }],
        cveIds: ["CVE-2023-27997"],
      }),
      analyst,
    );
    expect(created).toMatchObject({ status: "draft", reference: null, slug: null, revision: 0 });
    // Nobody reads a draft, not even by guessing: there is no slug yet, and the list skips it.
    expect((await list("?q=FortiOS", declarant)).total).toBe(0);

    // An analyst writes, only a lead publishes.
    const denied = await t.app.inject({
      method: "POST",
      url: `/api/cert/publications/${created.id}/publish`,
      headers: analyst,
      payload: {},
    });
    expect(denied.statusCode).toBe(403);

    const published = await publish(created.id);
    const year = new Date().getUTCFullYear();
    expect(published.status).toBe("published");
    expect(published.reference).toMatch(new RegExp(`^VIGIE-ALE-${year}-\\d{3}$`));
    expect(published.slug).toBe(`${published.reference?.toLowerCase()}-fortios-ssl-vpn-debordement-de-tas`);
    expect(published.revisions).toEqual([
      expect.objectContaining({ revision: 1, changeNote: "Première publication." }),
    ]);
    const page = await list("?q=fortios");
    expect(page.items.map((i) => i.id)).toEqual([created.id]);
  });

  it("references are gapless per kind and year", async () => {
    const alerts = await t.database.db
      .selectFrom("publications")
      .select(["reference", "kind"])
      .where("reference", "is not", null)
      .execute();
    const numbers = (kind: string) =>
      alerts
        .filter((a) => a.kind === kind)
        .map((a) => Number(a.reference?.split("-").at(-1)))
        .sort((a, b) => a - b);
    expect(numbers("alert")).toEqual([1, 2, 3]);
    expect(numbers("bulletin")).toEqual([1]);
    expect(alerts.find((a) => a.kind === "bulletin")?.reference).toMatch(/^VIGIE-BUL-\d{4}-001$/);
  });

  it("an edit stays unpublished until the lead publishes it with a change note; each revision is kept", async () => {
    const edit = await t.app.inject({
      method: "PUT",
      url: `/api/cert/publications/${clearAlert.id}`,
      headers: analyst,
      payload: {
        ...alertContent("Citrix Bleed : fuite de jetons de session dans NetScaler — correctif disponible"),
        kind: undefined,
      },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json()).toMatchObject({ hasUnpublishedChanges: true, revision: 1 });
    // Readers still see revision 1.
    const before = await t.app.inject({ method: "GET", url: `/api/publications/${clearAlert.slug}` });
    expect(before.json()).toMatchObject({ title: clearAlert.title, revision: 1 });

    const noNote = await t.app.inject({
      method: "POST",
      url: `/api/cert/publications/${clearAlert.id}/publish`,
      headers: lead,
      payload: {},
    });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().error.fields).toEqual([
      { field: "changeNote", message: "Expliquez la modification publiée (note de modification)." },
    ]);

    t.clock.advance(3_600_000);
    const revised = await publish(clearAlert.id, "Correctif de l'éditeur disponible.");
    expect(revised).toMatchObject({ revision: 2, hasUnpublishedChanges: false, slug: clearAlert.slug });
    expect(revised.revisions.map((r) => [r.revision, r.changeNote])).toEqual([
      [2, "Correctif de l'éditeur disponible."],
      [1, "Première publication."],
    ]);
    const after = await t.app.inject({ method: "GET", url: `/api/publications/${clearAlert.slug}` });
    const view = after.json() as View & { title: string };
    expect(view.title).toContain("correctif disponible");
    // Readers get the dated history without the publishers' names.
    expect(view.revisions).toHaveLength(2);
    expect(view.revisions.every((r) => r.publishedBy === null && r.publishedAt)).toBe(true);

    // Revisions are immutable in the database itself.
    await expect(
      t.database.db
        .updateTable("publication_revisions")
        .set({ title: "réécrit" })
        .where("publication_id", "=", clearAlert.id)
        .execute(),
    ).rejects.toThrow(/append-only/);

    const audit = await t.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("object_id", "=", clearAlert.id)
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      "publication.created",
      "publication.published",
      "publication.updated",
      "publication.revised",
    ]);
  });

  it("publishing an incomplete draft names the missing fields in French", async () => {
    const bare = await draft({ kind: "alert", title: "Alerte à compléter" });
    const response = await t.app.inject({
      method: "POST",
      url: `/api/cert/publications/${bare.id}/publish`,
      headers: lead,
      payload: {},
    });
    expect(response.statusCode).toBe(400);
    const fields = (response.json().error.fields as { field: string; message: string }[]).map((f) => f.field);
    expect(fields).toEqual(["summary", "risk", "products", "actions"]);
    expect(response.json().error.fields[0].message).toBe(
      "Le résumé est obligatoire pour publier (20 caractères au moins).",
    );
  });

  it("refuses invalid input with French messages naming the field", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/cert/publications",
      headers: lead,
      payload: alertContent("Entrée invalide", {
        cveIds: ["CVE-23-1"],
        tlp: "red",
        referenceUrls: ["javascript:alert(1)"],
      }),
    });
    expect(response.statusCode).toBe(400);
    const fields = response.json().error.fields as { field: string; message: string }[];
    expect(fields).toEqual(
      expect.arrayContaining([
        {
          field: "cveIds.0",
          message:
            "Identifiant CVE invalide : « CVE-23-1 » (format attendu : CVE-AAAA-NNNN, par exemple CVE-2023-4966).",
        },
        {
          field: "tlp",
          message:
            "TLP non publiable : choisissez TLP:CLEAR, TLP:GREEN ou TLP:AMBER (TLP:AMBER+STRICT et TLP:RED ne se publient pas).",
        },
        {
          field: "referenceUrls.0",
          message: "Référence invalide : une adresse web complète est attendue (https://…).",
        },
      ]),
    );
    const amberStrict = await t.app.inject({
      method: "POST",
      url: "/api/cert/publications",
      headers: lead,
      payload: alertContent("Entrée invalide", { tlp: "amber_strict" }),
    });
    expect(amberStrict.statusCode).toBe(400);
  });

  it("only CERT writers reach the drafts; a declarant cannot write", async () => {
    for (const headers of [declarant, admin, {}]) {
      const response = await t.app.inject({ method: "GET", url: "/api/cert/publications", headers });
      expect([401, 403]).toContain(response.statusCode);
    }
    const refused = await t.app.inject({
      method: "POST",
      url: "/api/cert/publications",
      headers: declarant,
      payload: alertContent("Tentative"),
    });
    expect(refused.statusCode).toBe(403);
    const all = await t.app.inject({
      method: "GET",
      url: "/api/cert/publications?status=draft",
      headers: analyst,
    });
    expect((all.json() as Page).items.map((i) => i.title)).toContain("Alerte à compléter");
  });
});

describe("reading by TLP", () => {
  it("anonymous visitors (and accounts without publications:read) see only TLP:CLEAR", async () => {
    for (const headers of [{}, admin]) {
      const page = await list("?pageSize=100", headers);
      expect(page.items.every((i) => i.tlp === "clear")).toBe(true);
      expect(page.items.map((i) => i.id)).toContain(clearAlert.id);
      for (const hidden of [greenBulletin, amberAlert]) {
        const response = await t.app.inject({
          method: "GET",
          url: `/api/publications/${hidden.slug}`,
          headers,
        });
        expect(response.statusCode).toBe(404);
        expect(response.json().error.code).toBe("NOT_FOUND");
      }
    }
  });

  it("a signed-in declarant also sees TLP:GREEN and TLP:AMBER, marked", async () => {
    const page = await list("?pageSize=100", declarant);
    const tlps = Object.fromEntries(page.items.map((i) => [i.id, i.tlp]));
    expect(tlps[greenBulletin.id]).toBe("green");
    expect(tlps[amberAlert.id]).toBe("amber");
    const response = await t.app.inject({
      method: "GET",
      url: `/api/publications/${amberAlert.slug}`,
      headers: declarant,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ tlp: "amber", reference: amberAlert.reference });
  });

  it("an unknown slug and a hidden one answer the same NOT_FOUND", async () => {
    const unknown = await t.app.inject({ method: "GET", url: "/api/publications/vigie-ale-1999-999-rien" });
    const hidden = await t.app.inject({ method: "GET", url: `/api/publications/${amberAlert.slug}` });
    expect(unknown.statusCode).toBe(404);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.body).toBe(unknown.body);
  });

  it("search folds accents and stems French; filters by kind, product, CVE and year; paginates", async () => {
    // « débordement » typed without accents, « hameconnage » too (reserved bulletin for the declarant).
    expect((await list("?q=debordement")).items.map((i) => i.title)).toEqual([
      "FortiOS SSL-VPN : débordement de tas",
    ]);
    expect((await list("?q=HAMEÇONNAGE", declarant)).items.map((i) => i.id)).toEqual([greenBulletin.id]);
    expect((await list("?q=hameconnage")).total).toBe(0);
    // Prefix and stem: « jeton » finds « jetons ».
    expect((await list("?q=jeton")).items.map((i) => i.id)).toEqual([clearAlert.id]);

    expect((await list("?kind=bulletin", declarant)).items.map((i) => i.id)).toEqual([greenBulletin.id]);
    expect((await list("?product=netscaler")).items.map((i) => i.id)).toEqual([clearAlert.id]);
    expect((await list("?product=anydesk")).total).toBe(0);
    expect((await list("?product=anydesk", declarant)).items.map((i) => i.id)).toEqual([amberAlert.id]);
    expect((await list("?cve=cve-2023-4966")).items.map((i) => i.id)).toEqual([clearAlert.id]);
    const year = new Date().getUTCFullYear();
    expect((await list(`?year=${year}`)).total).toBe(2);
    expect((await list(`?year=${year - 5}`)).total).toBe(0);

    const first = await list("?pageSize=1&page=1");
    const second = await list("?pageSize=1&page=2");
    expect(first.total).toBe(2);
    expect(first.items).toHaveLength(1);
    expect(second.items).toHaveLength(1);
    expect(second.items[0]?.id).not.toBe(first.items[0]?.id);

    const badCve = await t.app.inject({ method: "GET", url: "/api/publications?cve=4966" });
    expect(badCve.statusCode).toBe(400);
    expect(badCve.json().error.fields[0].field).toBe("cve");
  });
});

describe("withdrawal", () => {
  it("a withdrawn item disappears for readers and stays reachable by the CERT", async () => {
    const target = await publish((await draft(alertContent("Alerte à retirer après erreur"))).id);
    const analystTry = await t.app.inject({
      method: "POST",
      url: `/api/cert/publications/${target.id}/withdraw`,
      headers: analyst,
      payload: { note: "Publiée par erreur." },
    });
    expect(analystTry.statusCode).toBe(403);
    const noNote = await t.app.inject({
      method: "POST",
      url: `/api/cert/publications/${target.id}/withdraw`,
      headers: lead,
      payload: {},
    });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().error.fields[0]).toMatchObject({ field: "note" });

    const withdrawn = await t.app.inject({
      method: "POST",
      url: `/api/cert/publications/${target.id}/withdraw`,
      headers: lead,
      payload: { note: "Publiée par erreur." },
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json()).toMatchObject({ status: "withdrawn", withdrawalNote: "Publiée par erreur." });

    for (const headers of [{}, declarant]) {
      const response = await t.app.inject({
        method: "GET",
        url: `/api/publications/${target.slug}`,
        headers,
      });
      expect(response.statusCode).toBe(404);
    }
    expect((await list("?q=retirer", declarant)).total).toBe(0);
    const forCert = await t.app.inject({
      method: "GET",
      url: `/api/publications/${target.slug}`,
      headers: analyst,
    });
    expect(forCert.json()).toMatchObject({ status: "withdrawn", withdrawalNote: "Publiée par erreur." });
    const edit = await t.app.inject({
      method: "PUT",
      url: `/api/cert/publications/${target.id}`,
      headers: lead,
      payload: alertContent("Nouvelle version"),
    });
    expect(edit.statusCode).toBe(400);
  });
});

describe("feeds", () => {
  it("RSS 2.0 is well-formed, has absolute links, and carries only TLP:CLEAR items", async () => {
    // Text that would break naive XML.
    await publish(
      (
        await draft(
          alertContent("Balises <script> & « guillemets » ]]> dans le titre", {
            summary: "Résumé avec ]]> deux fois ]]> et une esperluette & un chevron < ; fin du texte.",
          }),
        )
      ).id,
    );
    const response = await t.app.inject({ method: "GET", url: "/api/publications/rss.xml" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("application/rss+xml; charset=utf-8");
    const xml = parseXml(response.body);
    expect(xml.elements[0]).toBe("rss");
    expect(xml.attributes[0]?.version).toBe("2.0");
    const text = xml.texts.join("\n");
    expect(text).toContain(`${PUBLIC_URL}/publications/${clearAlert.slug}`);
    expect(text).toContain("Balises <script> & « guillemets »");
    expect(text).not.toContain(greenBulletin.title);
    expect(text).not.toContain(amberAlert.title);
    expect(text).not.toContain("Alerte à retirer");
    expect(text).not.toContain("Alerte à compléter");
    const links = [...xml.textOf("link"), ...xml.textOf("guid")];
    expect(links.length).toBeGreaterThan(2);
    expect(links.every((l) => l.startsWith(`${PUBLIC_URL}/publications`))).toBe(true);
    // The item titles carry the reference; a CDATA terminator in the CERT's text is neutralised.
    expect(xml.textOf("title")).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^VIGIE-ALE-\d{4}-\d{3} — Balises <script> & « guillemets » \]\] > dans le titre$/,
        ),
      ]),
    );
  });

  it("Atom is well-formed, with absolute alternate links, and never a reserved item even for a signed-in reader", async () => {
    const response = await t.app.inject({
      method: "GET",
      url: "/api/publications/atom.xml",
      headers: declarant,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("application/atom+xml; charset=utf-8");
    const xml = parseXml(response.body);
    expect(xml.elements[0]).toBe("feed");
    expect(xml.attributes[0]?.xmlns).toBe("http://www.w3.org/2005/Atom");
    const hrefs = xml.attributes.map((a) => a.href).filter((h): h is string => typeof h === "string");
    expect(hrefs).toContain(`${PUBLIC_URL}/publications/${clearAlert.slug}`);
    expect(hrefs.every((h) => h.startsWith(PUBLIC_URL))).toBe(true);
    const text = xml.texts.join("\n");
    expect(text).not.toContain(greenBulletin.title);
    expect(text).not.toContain(amberAlert.title);
  });
});

describe("demo publications", () => {
  it("seeds the demo's alerts once, at their real dates, with per-year references", async () => {
    const { database } = t;
    expect(await seedDemoPublications(database.db, t.clock.now)).toBe(5);
    expect(await seedDemoPublications(database.db, t.clock.now)).toBe(0);
    const citrix = await list("?cve=CVE-2023-4966&year=2023");
    expect(citrix.items).toEqual([
      expect.objectContaining({ reference: "VIGIE-ALE-2023-002", tlp: "clear" }),
    ]);
    expect((await list("?cve=CVE-2024-21887")).items[0]?.reference).toBe("VIGIE-ALE-2024-001");
    expect((await list("?year=2024", declarant)).items.map((i) => i.tlp).sort()).toEqual([
      "amber",
      "clear",
      "green",
    ]);
  });
});
