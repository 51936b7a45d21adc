import { randomUUID } from "node:crypto";
import { extractPendingIndicators } from "@vigie/core";
import { indicatorsRepo } from "@vigie/db";
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
let declarantA: TestUser;
let declarantB: TestUser;
let analyst: TestUser;
let declarantSession: SessionHeaders;
let analystSession: SessionHeaders;
let regionA: string;
let first: { id: string; reference: string };
let second: { id: string; reference: string };
let unrelated: { id: string; reference: string };

interface Indicator {
  id: string;
  kind: string;
  value: string;
  source: string;
  internal: boolean;
  correlation: { count: number; label: string | null; incidents: { id: string; reference: string }[] };
}

/** Tuesday 10 March 2026, 10:00 in Paris. */
const NOW = new Date("2026-03-10T09:00:00Z");

async function declare(
  user: TestUser,
  finess: string,
  description: string,
  title = "Connexions suspectes",
): Promise<{ id: string; reference: string }> {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/declarations",
    headers: await signIn(t, user),
    payload: {
      idempotencyKey: randomUUID(),
      finess: [finess],
      declarant: { fullName: "Claire Martin", email: "claire.martin@ch-essai.test", phone: "0123456789" },
      title,
      description,
      detectedAt: "2026-03-10T07:30:00+01:00",
      operationalImpact: "degraded_support",
      stateAtDeclaration: "in_progress",
      supportRequested: false,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function indicatorsOf(id: string, headers = analystSession): Promise<Indicator[]> {
  const response = await t.app.inject({ method: "GET", url: `/api/declarations/${id}/indicators`, headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items;
}

const find = (items: Indicator[], kind: string, value: string) =>
  items.find((i) => i.kind === kind && i.value === value);

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = NOW;
  const db = t.database.db;
  const structureA = await createStructure(db, { regionCode: "11", name: "Centre hospitalier de Meaux" });
  const structureB = await createStructure(db, {
    regionCode: "84",
    departmentCode: "69",
    name: "Clinique de Lyon",
  });
  regionA = "11";
  declarantA = await createUser(db, "declarant", { structureIds: [structureA.id] });
  declarantB = await createUser(db, "declarant", { structureIds: [structureB.id] });
  analyst = await createUser(db, "cert_analyst");
  declarantSession = await signIn(t, declarantA);
  analystSession = await signIn(t, analyst);

  first = await declare(
    declarantA,
    structureA.finessEt,
    "Le pare-feu signale des connexions du serveur 10.2.3.4 vers le C2 update-srv[.]xyz " +
      "(185.220.101[.]45). Version de l'antivirus 7.2.4, rapport joint : rapport.pdf.",
  );
  second = await declare(
    declarantB,
    structureB.finessEt,
    "Balise vers hxxp://update-srv[.]xyz/gate.php ; adresse 185.220.101.45 bloquée depuis 14:32.",
    "Rançongiciel sur les postes de la radiologie",
  );
  unrelated = await declare(declarantA, structureA.finessEt, "Panne électrique, aucun indicateur technique.");
  const report = await extractPendingIndicators(db, NOW, { batch: 50 });
  expect(report).toMatchObject({ incidents: 3 });
});
afterAll(async () => {
  await t?.close();
});

describe(`indicators of compromise (${process.env.VIGIE_TEST_DATABASE ?? "pglite"})`, () => {
  it("extracts the indicators of each declaration, refanged, without false positives", async () => {
    const items = await indicatorsOf(first.id);
    expect(items.map((i) => `${i.kind}:${i.value}`).sort()).toEqual([
      "domain:update-srv.xyz",
      "ip:10.2.3.4",
      "ip:185.220.101.45",
    ]);
    expect(find(items, "ip", "10.2.3.4")).toMatchObject({ source: "description", internal: true });
    expect(find(items, "ip", "185.220.101.45")?.internal).toBe(false);
    const row = await t.database.db
      .selectFrom("incidents")
      .select("indicators_extracted_at")
      .where("id", "=", first.id)
      .executeTakeFirstOrThrow();
    expect(row.indicators_extracted_at).toEqual(NOW);
  });

  it("correlates two declarations mentioning the same C2 domain and address", async () => {
    const mine = await indicatorsOf(first.id);
    for (const [kind, value] of [
      ["domain", "update-srv.xyz"],
      ["ip", "185.220.101.45"],
    ] as const) {
      expect(find(mine, kind, value)?.correlation).toEqual({
        count: 1,
        label: "vu dans 1 autre dossier",
        incidents: [expect.objectContaining({ id: second.id, reference: second.reference })],
      });
    }
    expect(find(mine, "ip", "10.2.3.4")?.correlation).toEqual({ count: 0, label: null, incidents: [] });

    const theirs = await indicatorsOf(second.id);
    expect(theirs.map((i) => `${i.kind}:${i.value}`).sort()).toEqual([
      "domain:update-srv.xyz",
      "ip:185.220.101.45",
      "url:http://update-srv.xyz/gate.php",
    ]);
    expect(find(theirs, "domain", "update-srv.xyz")?.correlation.incidents).toEqual([
      expect.objectContaining({ id: first.id, reference: first.reference }),
    ]);
    expect(await indicatorsOf(unrelated.id)).toEqual([]);
  });

  it("limits correlations to the incidents a visibility allows", async () => {
    const db = t.database.db;
    expect(await indicatorsRepo.listCorrelations(db, second.id, { kind: "all" })).toHaveLength(2);
    expect(
      await indicatorsRepo.listCorrelations(db, second.id, { kind: "region", regionCode: "84" }),
    ).toEqual([]);
    expect(
      await indicatorsRepo.listCorrelations(db, second.id, { kind: "region", regionCode: regionA }),
    ).toHaveLength(2);
  });

  it("refuses the indicators to a declarant (403), even on their own declaration", async () => {
    for (const [method, url, payload] of [
      ["GET", `/api/declarations/${first.id}/indicators`, undefined],
      ["POST", `/api/declarations/${first.id}/indicators`, { kind: "ip", value: "203.0.113.7" }],
      ["DELETE", `/api/declarations/${first.id}/indicators/${randomUUID()}`, undefined],
    ] as const) {
      const response = await t.app.inject({ method, url, headers: declarantSession, payload });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json().error.code).toBe("FORBIDDEN");
    }
  });

  it("refuses a hand-added invalid address, naming the field `value`", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: `/api/declarations/${first.id}/indicators`,
      headers: analystSession,
      payload: { kind: "ip", value: "999.10.1.1" },
    });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.fields).toEqual([{ field: "value", message: expect.stringMatching(/Adresse IP invalide/) }]);
  });

  it("adds an indicator by hand, normalised, audited, and refuses it twice", async () => {
    const add = () =>
      t.app.inject({
        method: "POST",
        url: `/api/declarations/${unrelated.id}/indicators`,
        headers: analystSession,
        payload: { kind: "domain", value: "Update-SRV[.]xyz" },
      });
    const response = await add();
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      kind: "domain",
      value: "update-srv.xyz",
      source: "analyst",
      addedBy: analyst.full_name,
      correlation: { count: 2, label: "vu dans 2 autres dossiers" },
    });
    const again = await add();
    expect(again.statusCode).toBe(409);
    expect(again.json().error.fields[0].field).toBe("value");
    const audit = await t.database.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "indicator.added")
      .where("object_id", "=", unrelated.id)
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("keeps a dismissed indicator dismissed after re-extraction", async () => {
    const db = t.database.db;
    const domain = find(await indicatorsOf(first.id), "domain", "update-srv.xyz");
    if (!domain) throw new Error("domain indicator missing");
    const dismissed = await t.app.inject({
      method: "DELETE",
      url: `/api/declarations/${first.id}/indicators/${domain.id}`,
      headers: analystSession,
    });
    expect(dismissed.statusCode, dismissed.body).toBe(204);
    expect(find(await indicatorsOf(first.id), "domain", "update-srv.xyz")).toBeUndefined();
    // The other declaration no longer counts the dismissed one among its correlations.
    expect(
      find(await indicatorsOf(second.id), "domain", "update-srv.xyz")?.correlation.incidents.map((i) => i.id),
    ).toEqual([unrelated.id]);

    // The declarant mentions it again, and the declaration is read again from scratch.
    const message = await t.app.inject({
      method: "POST",
      url: `/api/declarations/${first.id}/messages`,
      headers: declarantSession,
      payload: { body: "Nouvelles connexions vers update-srv[.]xyz et vers 198.51.100[.]23 cette nuit." },
    });
    expect(message.statusCode, message.body).toBe(201);
    await indicatorsRepo.resetExtraction(db, first.id);
    const report = await extractPendingIndicators(db, NOW, { batch: 50 });
    expect(report.incidents).toBe(1);
    expect(report.messages).toBeGreaterThanOrEqual(1);

    const items = await indicatorsOf(first.id);
    expect(find(items, "domain", "update-srv.xyz")).toBeUndefined();
    expect(find(items, "ip", "198.51.100.23")).toMatchObject({ source: "message" });
    const row = await db
      .selectFrom("incident_indicators")
      .selectAll()
      .where("id", "=", domain.id)
      .executeTakeFirstOrThrow();
    expect(row.deleted_at).toEqual(NOW);
    expect(row.deleted_by_user_id).toBe(analyst.id);

    const audit = await db
      .selectFrom("audit_log")
      .select("details")
      .where("action", "=", "indicator.dismissed")
      .where("object_id", "=", first.id)
      .execute();
    expect(audit.map((a) => a.details)).toEqual([expect.objectContaining({ value: "update-srv.xyz" })]);

    // Dismissing it twice, or an unknown indicator, is NOT_FOUND.
    const twice = await t.app.inject({
      method: "DELETE",
      url: `/api/declarations/${first.id}/indicators/${domain.id}`,
      headers: analystSession,
    });
    expect(twice.statusCode).toBe(404);
  });

  it("brings back a dismissed indicator when an analyst adds it by hand", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: `/api/declarations/${first.id}/indicators`,
      headers: analystSession,
      payload: { kind: "domain", value: "update-srv.xyz" },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(find(await indicatorsOf(first.id), "domain", "update-srv.xyz")).toMatchObject({
      source: "description",
    });
  });
});
