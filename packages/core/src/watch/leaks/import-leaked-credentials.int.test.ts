import { AppError } from "@vigie/contracts";
import type { Executor } from "@vigie/db";
import { createBoss } from "@vigie/jobs";
import { createStructure, createTestDatabase, createUser, type TestDatabase } from "@vigie/test-kit";
import { sql } from "kysely";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../access/policy.ts";
import { notifyStructures } from "../notifications/notify-structures.ts";
import { importLeakedCredentials, LEAKED_ACCOUNT_ACTION } from "./import-leaked-credentials.ts";
import { listLeakImports } from "./list-leak-imports.ts";

// The passwords and hashes of the list: none of them may ever reach the database.
const PLAINTEXT = "Zebulon-Tr0ub4dor-Quokka-9931";
const BCRYPT = "$2y$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
const SHA1 = "b1b3773a05c0ed0176787a4f1574ff0075f7521e";
const SHA1_UPPER = SHA1.toUpperCase();
const OTHER_PASSWORD = "Velociraptor-Papillon-5517";
const SECRETS = [PLAINTEXT, BCRYPT, SHA1, SHA1_UPPER, OTHER_PASSWORD];
/** An address of no structure: counted, never stored. */
const UNMATCHED = "personne@ailleurs-inconnu.example";

const LIST = [
  `agent.un@CH-Alpha.fr:${PLAINTEXT}`,
  `agent.deux@mail.ch-alpha.fr;${BCRYPT}`,
  `secretariat@clinique-beta.fr\t${SHA1}`,
  `compta@clinique-beta.fr,${SHA1_UPPER}`,
  `${UNMATCHED}:${OTHER_PASSWORD}`,
  `${PLAINTEXT}`,
  `pas-une-adresse@:${OTHER_PASSWORD}`,
  "",
  `Agent.Un@ch-alpha.fr:${OTHER_PASSWORD}`,
].join("\n");

let database: TestDatabase;
let boss: PgBoss;
let actor: Actor;
let alphaId: string;
let betaId: string;
let gammaId: string;
const day1 = new Date("2026-11-16T09:00:00Z");
const day2 = new Date("2026-11-17T09:00:00Z");

beforeAll(async () => {
  database = await createTestDatabase();
  // pg-boss's own schema is part of what is scanned below.
  boss = createBoss(database);
  // the test database is dropped with its connections at the end: a cut connection is expected
  boss.on("error", () => {});
  await boss.start();
  const db = database.db;
  alphaId = (await createStructure(db, { name: "CH Alpha", mailDomains: ["CH-Alpha.fr"] })).id;
  betaId = (await createStructure(db, { name: "Clinique Bêta" })).id;
  gammaId = (await createStructure(db, { name: "GHT Gamma", mailDomains: ["ght-gamma.fr"] })).id;
  await db
    .insertInto("assets")
    .values({
      structure_id: betaId,
      kind: "domain",
      domain: "clinique-beta.fr",
      source: "manual",
      created_at: day1,
      updated_at: day1,
    })
    .execute();
  for (const id of [alphaId, betaId]) {
    await db
      .updateTable("structures")
      .set({ contact_emails: [`rssi@${id === alphaId ? "ch-alpha.fr" : "clinique-beta.fr"}`] })
      .where("id", "=", id)
      .execute();
  }
  const user = await createUser(db, "cert_analyst");
  actor = {
    userId: user.id,
    email: user.email,
    role: "cert_analyst",
    regionCode: null,
    authority: null,
    structureIds: [],
    via: "session",
  };
});
afterAll(async () => {
  await boss?.stop({ graceful: false, wait: true });
  await database?.destroy();
});

/**
 * Every column of every table of every schema (public, pgboss…) that holds one of `needles`:
 * text, JSON and arrays through their text form, bytea byte for byte.
 */
async function columnsHolding(db: Executor, needles: readonly string[]): Promise<string[]> {
  const columns = await sql<{
    table_schema: string;
    table_name: string;
    column_name: string;
    data_type: string;
  }>`
    select c.table_schema, c.table_name, c.column_name, c.data_type
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where t.table_type = 'BASE TABLE' and c.table_schema not in ('pg_catalog', 'information_schema')
      and c.table_schema not like 'pg\\_%'`.execute(db);
  const schemas = new Set(columns.rows.map((c) => c.table_schema));
  expect(schemas).toContain("public");
  expect(schemas).toContain("pgboss");
  expect(columns.rows.some((c) => c.table_name === "mail_outbox")).toBe(true);
  const found: string[] = [];
  for (const c of columns.rows) {
    const column = sql.ref(`${c.table_schema}.${c.table_name}.${c.column_name}`);
    const table = sql.table(`${c.table_schema}.${c.table_name}`);
    const conditions = needles.map((needle) =>
      c.data_type === "bytea"
        ? sql`position(convert_to(${needle}::text, 'UTF8') in ${column}) > 0`
        : sql`strpos(${column}::text, ${needle}::text) > 0`,
    );
    const result = await sql<{ n: number }>`
      select count(*)::int as n from ${table} where ${sql.join(conditions, sql` or `)}`.execute(db);
    if ((result.rows[0]?.n ?? 0) > 0) found.push(`${c.table_schema}.${c.table_name}.${c.column_name}`);
  }
  return found;
}

async function leakTickets() {
  return database.db
    .selectFrom("watch_tickets")
    .select(["structure_id", "finding_key", "kind", "urgency", "confidence", "status", "asset_id", "details"])
    .where("kind", "=", "leaked_credential")
    .orderBy("finding_key")
    .execute();
}

describe(`importLeakedCredentials (${process.env.VIGIE_TEST_DATABASE ?? "pglite"})`, () => {
  it("keeps only matched addresses as tickets and stores no password, no hash, no unmatched address", async () => {
    const report = await importLeakedCredentials(database.db, {
      source: "  Combolist Telegram 2026-11 ",
      content: LIST,
      actor,
      now: day1,
      ip: "127.0.0.1",
    });
    expect(report).toMatchObject({
      source: "Combolist Telegram 2026-11",
      format: "lines",
      lines: 8,
      addresses: 5,
      matched: 4,
      unmatched: 1,
      rejected: 2,
      structures: 2,
      tickets: { opened: 4, reopened: 0, alreadyKnown: 0 },
      problemsTruncated: false,
    });
    // Line numbers and French messages only.
    expect(report.problems).toEqual([
      { line: 6, message: "Aucune adresse de messagerie en début de ligne." },
      { line: 7, message: "Adresse de messagerie invalide." },
    ]);

    const tickets = await leakTickets();
    expect(tickets.map((t) => [t.structure_id, t.finding_key])).toEqual([
      [alphaId, "leak:agent.deux@mail.ch-alpha.fr"],
      [alphaId, "leak:agent.un@ch-alpha.fr"],
      [betaId, "leak:compta@clinique-beta.fr"],
      [betaId, "leak:secretariat@clinique-beta.fr"],
    ]);
    for (const t of tickets) {
      expect(t).toMatchObject({
        kind: "leaked_credential",
        urgency: "high",
        confidence: "confirmed",
        status: "new",
      });
      expect(t.asset_id).toBeNull();
      const email = t.finding_key.slice("leak:".length);
      expect(t.details).toEqual({
        title: `Compte de messagerie compromis : ${email}`,
        action: LEAKED_ACCOUNT_ACTION,
        email,
        source: "Combolist Telegram 2026-11",
      });
    }
    expect(tickets.some((t) => t.structure_id === gammaId)).toBe(false);

    const imports = await database.db.selectFrom("leak_imports").selectAll().execute();
    expect(imports).toMatchObject([
      {
        source: "Combolist Telegram 2026-11",
        lines: 8,
        addresses: 5,
        matched: 4,
        rejected: 2,
        imported_by_user_id: actor.userId,
      },
    ]);
    const audit = await database.db
      .selectFrom("audit_log")
      .select(["action", "details"])
      .where("action", "=", "watch.leaks.import")
      .execute();
    expect(audit).toEqual([
      {
        action: "watch.leaks.import",
        details: {
          lines: 8,
          addresses: 5,
          matched: 4,
          unmatched: 1,
          rejected: 2,
          structures: 2,
          opened: 4,
          reopened: 0,
        },
      },
    ]);

    expect(await columnsHolding(database.db, [...SECRETS, UNMATCHED, "ailleurs-inconnu"])).toEqual([]);
    // The scan does find what is stored: the matched address, in the ticket.
    expect(await columnsHolding(database.db, ["agent.un@ch-alpha.fr"])).toEqual(
      expect.arrayContaining(["public.watch_tickets.finding_key", "public.watch_tickets.details"]),
    );
  });

  it("opens nothing new when the same list is imported again", async () => {
    const again = await importLeakedCredentials(database.db, {
      source: "Combolist Telegram 2026-11 (rediffusion)",
      content: new TextEncoder().encode(LIST),
      actor,
      now: day2,
    });
    expect(again.tickets).toEqual({ opened: 0, reopened: 0, alreadyKnown: 4 });
    expect(await leakTickets()).toHaveLength(4);
    const history = await listLeakImports(database.db, actor, { limit: 10 });
    expect(history.map((h) => [h.source, h.matched])).toEqual([
      ["Combolist Telegram 2026-11 (rediffusion)", 4],
      ["Combolist Telegram 2026-11", 4],
    ]);
    expect(history[0]?.importedBy).toMatch(/Utilisateur cert_analyst/);
  });

  it("notifies the structures with the address only, and still nothing secret is stored", async () => {
    const sent = await notifyStructures(database.db, {
      now: day2,
      publicUrl: "http://127.0.0.1:8080",
      reminderDays: 7,
      ackLinkDays: 14,
    });
    expect(sent.notified).toBe(2);
    const mails = await database.db.selectFrom("mail_outbox").selectAll().execute();
    const bodies = mails.map((m) => JSON.stringify(m)).join("\n");
    expect(bodies).toContain("agent.un@ch-alpha.fr");
    expect(bodies).toContain("secretariat@clinique-beta.fr");
    expect(await columnsHolding(database.db, [...SECRETS, UNMATCHED])).toEqual([]);
    expect(await columnsHolding(database.db, ["secretariat@clinique-beta.fr"])).toEqual(
      expect.arrayContaining(["public.mail_outbox.text_body"]),
    );
  });

  it("matches subdomains of mail domains and domain assets, the most specific domain first", async () => {
    const deltaId = (
      await createStructure(database.db, { name: "Pôle Delta", mailDomains: ["delta.ght-gamma.fr"] })
    ).id;
    const report = await importLeakedCredentials(database.db, {
      source: "Liste de test",
      content: [
        "email,password",
        `x@ght-gamma.fr,${PLAINTEXT}`,
        `y@labo.delta.ght-gamma.fr,${PLAINTEXT}`,
        `z@www.clinique-beta.fr,${PLAINTEXT}`,
        `w@notclinique-beta.fr,${PLAINTEXT}`,
      ].join("\n"),
      actor,
      now: day2,
    });
    expect(report).toMatchObject({ format: "csv", addresses: 4, matched: 3, unmatched: 1, structures: 3 });
    const keys = (await leakTickets()).map((t) => [t.structure_id, t.finding_key]);
    expect(keys).toEqual(
      expect.arrayContaining([
        [gammaId, "leak:x@ght-gamma.fr"],
        [deltaId, "leak:y@labo.delta.ght-gamma.fr"],
        [betaId, "leak:z@www.clinique-beta.fr"],
      ]),
    );
    expect(keys.some(([s, k]) => s === gammaId && k === "leak:y@labo.delta.ght-gamma.fr")).toBe(false);
    expect(keys.some(([, k]) => k === "leak:w@notclinique-beta.fr")).toBe(false);
    expect(await columnsHolding(database.db, [PLAINTEXT, "notclinique-beta"])).toEqual([]);
  });

  it("refuses a list without any valid address, a missing source, and an actor without watch:handle", async () => {
    const before = await database.db
      .selectFrom("leak_imports")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirst();
    const empty = await importLeakedCredentials(database.db, {
      source: "Vide",
      content: `${PLAINTEXT}\n${BCRYPT}`,
      actor,
      now: day2,
    }).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(AppError);
    expect((empty as AppError).code).toBe("LEAK_LIST_EMPTY");
    expect(JSON.stringify((empty as AppError).toBody())).not.toContain(PLAINTEXT);
    expect(JSON.stringify((empty as AppError).toBody())).not.toContain(BCRYPT);

    const noSource = await importLeakedCredentials(database.db, {
      source: "  ",
      content: "a@ch-alpha.fr",
      actor,
      now: day2,
    }).catch((e: unknown) => e);
    expect((noSource as AppError).code).toBe("VALIDATION_FAILED");
    expect((noSource as AppError).fields?.[0]?.field).toBe("source");

    const declarant = { ...actor, role: "declarant" as const, structureIds: [alphaId] };
    const forbidden = await importLeakedCredentials(database.db, {
      source: "x",
      content: "a@ch-alpha.fr",
      actor: declarant,
      now: day2,
    }).catch((e: unknown) => e);
    expect((forbidden as AppError).code).toBe("FORBIDDEN");
    const after = await database.db
      .selectFrom("leak_imports")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirst();
    expect(after?.n).toBe(before?.n);
  });
});
