import {
  createStructure,
  createTestApp,
  createUser,
  type SessionHeaders,
  signIn,
  type TestApp,
} from "@vigie/test-kit";
import { type DovecotServer, startDovecot } from "@vigie/test-kit/targets/dovecot";
import { type KnotServer, startKnot } from "@vigie/test-kit/targets/knot";
import { startTestMx, type TestMxServer } from "@vigie/test-kit/targets/smtp-starttls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let knot: KnotServer | undefined;
let weakMx: TestMxServer | undefined;
let relay: TestMxServer | undefined;
let imap: DovecotServer | undefined;
let t: TestApp | undefined;
const as = {} as Record<"declarant" | "other" | "cert", SessionHeaders>;
let structureId = "";
let otherStructureId = "";

function app(): TestApp {
  if (!t) throw new Error("application absente");
  return t;
}

/** A request to the API as one of the test's users. */
function call(who: keyof typeof as, method: "GET" | "POST", url: string, payload?: object) {
  return app().app.inject({ method, url, headers: as[who], payload });
}

beforeAll(async () => {
  weakMx = await startTestMx({ name: "mx.faible.test" });
  relay = await startTestMx({ port: 0 });
  knot = await startKnot({
    zones: [
      {
        origin: "faible.test",
        records: [
          "@ IN MX 10 mx",
          `mx IN A ${weakMx.address}`,
          '@ IN TXT "v=spf1 +all"',
          '_dmarc IN TXT "v=DMARC1; p=none"',
        ].join("\n"),
      },
    ],
  });
  t = await createTestApp({
    AUDIT_DNS_SERVERS: knot.server,
    AUDIT_TIMEOUT_MS: "2000",
    MAIL_TEST_SMTP_URL: relay.url,
    MAIL_FROM: "Vigie <filtrage@vigie.example>",
  });
  const db = t.database.db;
  const structure = await createStructure(db, { name: "CH de Faible", mailDomains: ["faible.test"] });
  const other = await createStructure(db, { name: "Clinique Voisine" });
  structureId = structure.id;
  otherStructureId = other.id;
  // the perimeter lists the loopback range: the test MX lives there
  await db
    .insertInto("audit_perimeters")
    .values({
      structure_id: structure.id,
      domains: ["faible.test"],
      networks: ["127.0.0.0/8"],
      filtering_mailbox: "boite.test@prestataire.example",
      status: "draft",
      updated_at: new Date(),
    })
    .execute();
  const declarant = await createUser(db, "declarant", { structureIds: [structure.id] });
  const otherDeclarant = await createUser(db, "declarant", { structureIds: [other.id] });
  const cert = await createUser(db, "cert_analyst");
  as.declarant = await signIn(t, declarant);
  as.other = await signIn(t, otherDeclarant);
  as.cert = await signIn(t, cert);
});

afterAll(async () => {
  await t?.close();
  await Promise.all([knot?.stop(), weakMx?.close(), relay?.close(), imap?.stop()]);
});

describe("the mail posture test API", () => {
  let testId = "";

  it("runs the test of a domain of the structure and stores it", async () => {
    const response = await call("declarant", "POST", "/api/mail-security/tests", {
      structureId,
      domain: "Faible.test.",
    });
    expect(response.statusCode, response.body).toBe(201);
    const view = response.json();
    testId = view.id;
    expect(view).toMatchObject({
      structureId,
      structureName: "CH de Faible",
      domain: "faible.test",
      status: "succeeded",
    });
    const status = (code: string) => view.controls.find((c: { code: string }) => c.code === code)?.status;
    expect(status("spf.all")).toBe("fail");
    expect(status("dmarc.policy")).toBe("fail");
    expect(status("starttls.offered.mx.faible.test")).toBe("fail");
    expect(status("dnssec.signed")).toBe("fail");
    expect(view.counts.fail).toBe(
      view.controls.filter((c: { status: string }) => c.status === "fail").length,
    );
    expect(view.counts.fail).toBeGreaterThanOrEqual(4);
  });

  it("refuses a domain that is not the structure's, naming the field", async () => {
    const response = await call("declarant", "POST", "/api/mail-security/tests", {
      structureId,
      domain: "autre-domaine.test",
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields[0].field).toBe("domain");
    expect(response.json().error.message).toMatch(/n'appartient pas à la structure/);
  });

  it("shows a test to its structure and the CERT only", async () => {
    const own = await call("declarant", "GET", `/api/mail-security/tests/${testId}`);
    expect(own.statusCode).toBe(200);
    const cert = await call("cert", "GET", `/api/mail-security/tests/${testId}`);
    expect(cert.statusCode).toBe(200);
    const other = await call("other", "GET", `/api/mail-security/tests/${testId}`);
    expect(other.statusCode).toBe(404);
    const otherList = await call("other", "GET", "/api/mail-security/tests");
    expect(otherList.json()).toEqual([]);
    const list = await call("cert", "GET", `/api/mail-security/tests?structureId=${structureId}`);
    expect(list.json().map((v: { id: string }) => v.id)).toEqual([testId]);
    const launch = await call("other", "POST", "/api/mail-security/tests", {
      structureId,
      domain: "faible.test",
    });
    expect(launch.statusCode).toBe(404);
  });
});

describe("the filtering campaign API", () => {
  let campaignId = "";
  let tokens: { token: string; category: string }[] = [];

  it("refuses a mailbox outside the structure's domains", async () => {
    const response = await call("declarant", "POST", "/api/mail-security/campaigns", {
      structureId,
      mailbox: "quelquun@ailleurs.example",
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields[0].field).toBe("mailbox");
  });

  it("builds, stores and sends the battery to the structure's mailbox", async () => {
    const before = relay?.received.length ?? 0;
    const response = await call("declarant", "POST", "/api/mail-security/campaigns", {
      structureId,
      mailbox: "filtrage@faible.test",
    });
    expect(response.statusCode, response.body).toBe(201);
    const view = response.json();
    campaignId = view.id;
    tokens = view.messages;
    expect(view.status).toBe("sent");
    expect(view.error).toBeNull();
    expect(view.messages.length).toBeGreaterThanOrEqual(100);
    expect(view.messages.every((m: { arrived: unknown }) => m.arrived === null)).toBe(true);
    expect(view.byCategory.reduce((n: number, c: { sent: number }) => n + c.sent, 0)).toBe(
      view.messages.length,
    );
    const received = (relay?.received ?? []).slice(before);
    expect(received.length).toBe(view.messages.length);
    expect(
      received.every((m) => m.to[0] === "filtrage@faible.test" && m.from === "filtrage@vigie.example"),
    ).toBe(true);
    // the mailbox designated in the perimeter is accepted too
    const designated = await call("cert", "POST", "/api/mail-security/campaigns", {
      structureId,
      mailbox: "boite.test@prestataire.example",
    });
    expect(designated.statusCode).toBe(201);
    const audit = await app()
      .database.db.selectFrom("audit_log")
      .select(["action", "object_id"])
      .where("action", "=", "mail_security.campaign.send")
      .execute();
    expect(audit.map((a) => a.object_id)).toContain(campaignId);
  });

  it("counts the reported arrivals by category and refuses unknown references", async () => {
    const links = tokens.filter((m) => m.category === "link").slice(0, 3);
    const malware = tokens.filter((m) => m.category === "malware").slice(0, 1);
    const unknown = await call("declarant", "POST", `/api/mail-security/campaigns/${campaignId}/arrivals`, {
      arrivedTokens: [links[0]?.token, "VIGIE-00000000-999"],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields[0]).toMatchObject({ field: "arrivedTokens" });
    expect(unknown.json().error.message).toContain("VIGIE-00000000-999");

    const foreign = await call("other", "POST", `/api/mail-security/campaigns/${campaignId}/arrivals`, {
      arrivedTokens: [],
    });
    expect(foreign.statusCode).toBe(404);

    const response = await call("declarant", "POST", `/api/mail-security/campaigns/${campaignId}/arrivals`, {
      arrivedTokens: [...links, ...malware].map((m) => m.token),
    });
    expect(response.statusCode, response.body).toBe(200);
    const view = response.json();
    expect(view.status).toBe("reported");
    expect(view.reportedVia).toBe("structure");
    const count = (category: string) =>
      view.byCategory.find((c: { category: string }) => c.category === category);
    expect(count("link")).toMatchObject({
      arrived: 3,
      label: "Liens vers des adresses IP et des domaines ressemblants",
    });
    expect(count("malware").arrived).toBe(1);
    expect(count("archive").arrived).toBe(0);
    expect(view.messages.filter((m: { arrived: boolean }) => m.arrived).length).toBe(4);

    const read = await call("cert", "GET", `/api/mail-security/campaigns/${campaignId}`);
    expect(read.json().byCategory).toEqual(view.byCategory);
    const list = await call("declarant", "GET", "/api/mail-security/campaigns");
    expect(list.json().map((c: { id: string }) => c.id)).toContain(campaignId);
    const otherList = await call(
      "other",
      "GET",
      `/api/mail-security/campaigns?structureId=${otherStructureId}`,
    );
    expect(otherList.json()).toEqual([]);
  });

  it("finds the arrived messages over IMAP in every folder, the password used once", async () => {
    imap = await startDovecot();
    const mine = new Set(tokens.map((m) => m.token));
    const sent = (relay?.received ?? [])
      .map((m) => ({ raw: m.raw, token: /X-Vigie-Test: (\S+)/.exec(m.raw.toString("latin1"))?.[1] ?? "" }))
      .filter((m) => mine.has(m.token));
    const inbox = sent
      .filter((m) => tokens.find((x) => x.token === m.token)?.category === "sender")
      .slice(0, 4);
    const junk = sent
      .filter((m) => tokens.find((x) => x.token === m.token)?.category === "headers")
      .slice(0, 2);
    for (const m of inbox) await imap.deliver(m.raw);
    for (const m of junk) await imap.deliver(m.raw, "Junk");

    const refused = await call("declarant", "POST", `/api/mail-security/campaigns/${campaignId}/imap-check`, {
      host: imap.address,
      port: imap.port,
      secure: false,
      user: imap.user,
      password: "Mauvais-Secret-1234",
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields[0].field).toBe("host");
    expect(refused.body).not.toContain("Mauvais-Secret-1234");

    const response = await call(
      "declarant",
      "POST",
      `/api/mail-security/campaigns/${campaignId}/imap-check`,
      {
        host: imap.address,
        port: imap.port,
        secure: false,
        user: imap.user,
        password: imap.password,
      },
    );
    expect(response.statusCode, response.body).toBe(200);
    const view = response.json();
    expect(view.reportedVia).toBe("imap");
    const count = (category: string) =>
      view.byCategory.find((c: { category: string }) => c.category === category);
    expect(count("sender").arrived).toBe(4);
    expect(count("headers").arrived).toBe(2);
    expect(count("link").arrived).toBe(0);
    const stored = await app()
      .database.db.selectFrom("audit_log")
      .select("details")
      .where("action", "=", "mail_security.campaign.imap_check")
      .execute();
    expect(stored.length).toBe(1);
    expect(JSON.stringify(stored)).not.toContain(imap.password);
  });
});
