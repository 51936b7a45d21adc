import { createTestDatabase, type TestDatabase } from "@vigie/test-kit";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  await sql`create table tx_probe (id serial primary key, label text not null)`.execute(database.db);
});
afterAll(() => database.destroy());

describe(`transactions (${process.env.VIGIE_TEST_DATABASE ?? "pglite"})`, () => {
  it("two concurrent transactions, one rolled back, leave exactly the other's rows", async () => {
    let releaseFirst!: () => void;
    const firstMayFinish = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const failing = database.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("tx_probe" as never)
        .values({ label: "rolled-back" } as never)
        .execute();
      await firstMayFinish;
      throw new Error("rollback on purpose");
    });
    const succeeding = database.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("tx_probe" as never)
        .values({ label: "committed-1" } as never)
        .execute();
      await trx
        .insertInto("tx_probe" as never)
        .values({ label: "committed-2" } as never)
        .execute();
    });
    // Let both start before the first one fails.
    setTimeout(releaseFirst, 20);
    const [first, second] = await Promise.allSettled([failing, succeeding]);
    expect(first.status).toBe("rejected");
    expect(second.status).toBe("fulfilled");
    const rows = await sql<{ label: string }>`select label from tx_probe order by id`.execute(database.db);
    expect(rows.rows.map((r) => r.label)).toEqual(["committed-1", "committed-2"]);
  });

  it("a failed statement inside a transaction rolls back its earlier writes", async () => {
    await expect(
      database.db.transaction().execute(async (trx) => {
        await trx
          .insertInto("tx_probe" as never)
          .values({ label: "before-error" } as never)
          .execute();
        await sql`select * from table_that_does_not_exist`.execute(trx);
      }),
    ).rejects.toThrow();
    const rows = await sql<{
      n: string;
    }>`select count(*) as n from tx_probe where label = 'before-error'`.execute(database.db);
    expect(rows.rows[0]?.n).toBe("0");
  });
});
