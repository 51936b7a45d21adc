import { auditRepo } from "@vigie/db";
import { createTestDatabase, type TestDatabase } from "@vigie/test-kit";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recordAudit } from "./record-audit.ts";
import { verifyAuditChain } from "./verify-audit-chain.ts";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.destroy();
});

/** Ids of the chain in order, after a fresh set of entries (some written concurrently). */
let ids: string[];

beforeEach(async () => {
  const db = database.db;
  await sql`truncate audit_log restart identity`.execute(db);
  await sql`delete from audit_head`.execute(db);
  await recordAudit(db, { actorLabel: "système", action: "test.first", details: { n: 0 } });
  await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      recordAudit(db, {
        actorLabel: `agent-${i}@test.vigie.localhost`,
        action: "test.concurrent",
        objectType: "thing",
        objectId: String(i),
        details: { n: i + 1 },
      }),
    ),
  );
  await db.transaction().execute((trx) => recordAudit(trx, { action: "test.last", details: { n: 7 } }));
  ids = (await auditRepo.auditPage(db, null, 100)).map((r) => String(r.id));
});

describe("verifyAuditChain", () => {
  it("accepts an untouched chain, written concurrently, as one linear chain", async () => {
    const rows = await auditRepo.auditPage(database.db, null, 100);
    expect(rows).toHaveLength(8);
    // Linear: each entry points to the one before it, and no two entries share a predecessor.
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.prev_hash).toBe(rows[i - 1]?.hash);
    expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(rows.length);
    const progress: number[] = [];
    const result = await verifyAuditChain(database.db, (n) => progress.push(n), 3);
    expect(result).toEqual({ ok: true, checked: 8, problems: [] });
    expect(progress.at(-1)).toBe(8);
  });

  it("detects an entry altered after it was written", async () => {
    const target = ids[3];
    await sql`update audit_log set details = ${JSON.stringify({ n: 999 })}::jsonb where id = ${target}`.execute(
      database.db,
    );
    const result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(false);
    expect(result.checked).toBe(8);
    expect(result.problems).toEqual([
      { id: target, kind: "altered", message: expect.stringContaining("contenu modifié") },
    ]);
  });

  it("detects a deleted middle entry as a broken link on the next one", async () => {
    await sql`delete from audit_log where id = ${ids[4]}`.execute(database.db);
    const result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(false);
    expect(result.checked).toBe(7);
    expect(result.problems).toEqual([
      { id: ids[5], kind: "broken_link", message: expect.stringContaining("lien avec l'entrée précédente") },
    ]);
  });

  it("detects the deletion of the last entry through the head", async () => {
    await sql`delete from audit_log where id = ${ids.at(-1)}`.execute(database.db);
    const result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      { id: ids.at(-1), kind: "head_mismatch", message: expect.stringContaining("fin du journal") },
    ]);
  });

  it("detects an emptied log", async () => {
    await sql`delete from audit_log`.execute(database.db);
    const result = await verifyAuditChain(database.db);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.kind)).toEqual(["head_mismatch"]);
  });
});
