import { createStructure, createTestDatabase, type TestDatabase } from "@vigie/test-kit";
import { Migrator, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrations } from "./index.ts";

// 0008 backfills the search documents of incidents declared before it, thread included.
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
});
afterAll(() => database.destroy());

const migrator = () => new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });

async function matches(q: string): Promise<number> {
  const result = await sql<{ n: string }>`
    select count(*) as n from incident_search where document @@ to_tsquery('simple', ${q})`.execute(
    database.db,
  );
  return Number(result.rows[0]?.n);
}

describe(`0008_case_queue (${process.env.VIGIE_TEST_DATABASE ?? "pglite"})`, () => {
  it("backfills existing incidents and keeps new messages searchable", async () => {
    const before = await migrator().migrateTo("0007_reflex_sheets");
    expect(before.error).toBeUndefined();
    const structure = await createStructure(database.db, { name: "Hôpital Saint-Étienne" });
    const snapshot = { id: structure.id, finessEt: structure.finessEt, name: structure.name, town: "PARIS" };
    const at = new Date("2026-03-10T09:00:00Z");
    const incident = await database.db
      .insertInto("incidents")
      .values({
        reference: "CS-2026-000001",
        idempotency_key: crypto.randomUUID(),
        request_hash: "h",
        channel: "portal",
        structure_id: structure.id,
        structure_snapshot: JSON.stringify({ ...snapshot, structures: [snapshot] }),
        standing: "anonymous",
        declarant_contact: JSON.stringify({}),
        title: "Rançongiciel",
        description: "Serveurs chiffrés, sauvegardes épargnées.",
        detected_at: at,
        declared_at: at,
        state_at_declaration: "in_progress",
        support_requested: false,
        operational_impact: "none",
        out_of_hours: false,
        created_at: at,
        updated_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto("incident_messages")
      .values({
        incident_id: incident.id,
        author_kind: "cert",
        author_name: "CERT",
        kind: "question",
        body: "Le PACS est-il touché ?",
        created_at: at,
      })
      .execute();

    const after = await migrator().migrateToLatest();
    expect(after.error).toBeUndefined();
    expect(await matches("rancongiciel")).toBe(1);
    expect(await matches("saint & etienne")).toBe(1);
    // References are matched on their column, not in the document (see listIncidents).
    expect(await matches("000001")).toBe(0);
    expect(await matches("pacs")).toBe(1);
    expect(await matches("epargnees")).toBe(1);

    await database.db
      .insertInto("incident_messages")
      .values({
        incident_id: incident.id,
        author_kind: "declarant",
        author_name: "Claire",
        kind: "answer",
        body: "Oui, l'imagerie est arrêtée.",
        created_at: new Date("2026-03-10T10:00:00Z"),
      })
      .execute();
    expect(await matches("arretee & imagerie")).toBe(1);
    // Editing the incident rebuilds its document from its fields and its whole thread.
    await database.db
      .updateTable("incidents")
      .set({ title: "Cryptolocker" })
      .where("id", "=", incident.id)
      .execute();
    expect(await matches("cryptolocker & pacs & imagerie")).toBe(1);
    expect(await matches("rancongiciel")).toBe(0);
  });
});
