import net from "node:net";
import { exposureAuditsRepo } from "@vigie/db";
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
const as = {} as Record<"declarant" | "other" | "cert" | "draft", SessionHeaders>;
let structureId = "";
let otherStructureId = "";
let draftStructureId = "";
/** A loopback host the draft perimeter would reach: it counts every connection it receives. */
const trapAddress = `127.26.${process.pid % 250}.1`;
const trapPorts = [25, 443, 143];
const trapServers: net.Server[] = [];
let trapConnections = 0;

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
      {
        // a structure whose draft perimeter lists private and loopback ranges, never authorised
        origin: "prive.test",
        records: [
          "@ IN MX 10 mx",
          "@ IN MX 20 mx2",
          "mx IN A 10.0.0.25",
          `mx2 IN A ${trapAddress}`,
          `mta-sts IN A ${trapAddress}`,
          '_mta-sts IN TXT "v=STSv1; id=2024"',
        ].join("\n"),
      },
    ],
  });
  for (const port of trapPorts) {
    const server = net.createServer((socket) => {
      trapConnections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, trapAddress, () => resolve());
    });
    trapServers.push(server);
  }
  t = await createTestApp({
    // the test servers live on the loopback
    MAIL_TEST_ALLOW_NON_PUBLIC: "true",
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
  const draft = await createStructure(db, { name: "CH du Brouillon", mailDomains: ["prive.test"] });
  draftStructureId = draft.id;
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
  // the draft perimeter a declarant saves without review: it must never open these ranges
  await db
    .insertInto("audit_perimeters")
    .values({
      structure_id: draft.id,
      domains: ["prive.test"],
      networks: ["10.0.0.0/8", "127.0.0.0/8"],
      status: "draft",
      updated_at: new Date(),
    })
    .execute();
  const declarant = await createUser(db, "declarant", { structureIds: [structure.id] });
  const otherDeclarant = await createUser(db, "declarant", { structureIds: [other.id] });
  const draftDeclarant = await createUser(db, "declarant", { structureIds: [draft.id] });
  const cert = await createUser(db, "cert_analyst");
  // the CERT's authorisation in force lists the loopback range: the test MX lives there
  await exposureAuditsRepo.insertAuthorisation(db, {
    structure_id: structure.id,
    domains: ["faible.test"],
    networks: ["127.0.0.0/8"],
    default_credentials: false,
    reference: "MANDAT-TEST-1",
    granted_by_user_id: cert.id,
    granted_at: new Date(),
    valid_until: "2999-12-31",
  });
  as.draft = await signIn(t, draftDeclarant);
  as.declarant = await signIn(t, declarant);
  as.other = await signIn(t, otherDeclarant);
  as.cert = await signIn(t, cert);
});

afterAll(async () => {
  await t?.close();
  await Promise.all([
    knot?.stop(),
    weakMx?.close(),
    relay?.close(),
    imap?.stop(),
    ...trapServers.map((server) => new Promise((resolve) => server.close(resolve))),
  ]);
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

  it("never sends the IMAP password in clear: a server without STARTTLS is refused", async () => {
    imap = await startDovecot();
    const refused = await call("declarant", "POST", `/api/mail-security/campaigns/${campaignId}/imap-check`, {
      host: imap.address,
      port: imap.port,
      secure: false,
      user: imap.user,
      password: imap.password,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields[0].field).toBe("host");
    expect(refused.json().error.message).toMatch(/ne propose pas STARTTLS/);
    expect(refused.body).not.toContain(imap.password);
    const read = await call("declarant", "GET", `/api/mail-security/campaigns/${campaignId}`);
    expect(read.json().reportedVia).toBe("structure");
  });
});

describe("a draft perimeter never opens private networks to the mail test", () => {
  it("does not connect to an MX or MTA-STS server in the draft ranges, and says why", async () => {
    const response = await call("draft", "POST", "/api/mail-security/tests", {
      structureId: draftStructureId,
      domain: "prive.test",
    });
    expect(response.statusCode, response.body).toBe(201);
    const controls: { code: string; status: string; explanation: string; evidence: string | null }[] =
      response.json().controls;
    const mx = controls.find((c) => c.code === "starttls.offered.mx.prive.test");
    const mx2 = controls.find((c) => c.code === "starttls.offered.mx2.prive.test");
    expect(mx).toMatchObject({ status: "info", evidence: "10.0.0.25" });
    expect(mx?.explanation).toMatch(/adresse privée ou réservée/);
    expect(mx2).toMatchObject({ status: "info", evidence: trapAddress });
    const policy = controls.find((c) => c.code === "mta_sts.policy");
    expect(policy?.status).toBe("fail");
    expect(policy?.evidence).toContain("privée(s) ou réservée(s)");
    expect(trapConnections).toBe(0);
  });

  it("does not connect to an IMAP server in the draft ranges", async () => {
    const campaign = await call("draft", "POST", "/api/mail-security/campaigns", {
      structureId: draftStructureId,
      mailbox: "filtrage@prive.test",
    });
    expect(campaign.statusCode, campaign.body).toBe(201);
    const response = await call(
      "draft",
      "POST",
      `/api/mail-security/campaigns/${campaign.json().id}/imap-check`,
      {
        host: trapAddress,
        port: 143,
        secure: false,
        user: "filtrage@prive.test",
        password: "Secret-De-Test-1234",
      },
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields[0].field).toBe("host");
    expect(response.json().error.message).toMatch(/adresse privée ou réservée/);
    expect(trapConnections).toBe(0);
  });
});
