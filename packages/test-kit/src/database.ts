import { randomBytes } from "node:crypto";
import { type DatabaseHandle, migrateToLatest, openDatabase } from "@vigie/db";
import pg from "pg";

/** Where the integration suite runs: PGlite by default, PostgreSQL with VIGIE_TEST_DATABASE=postgres. */
export const testDatabaseKind = process.env.VIGIE_TEST_DATABASE === "postgres" ? "postgres" : "pglite";

/** The server used when testing on PostgreSQL (trust auth, database `test`). */
export const testPostgresUrl = process.env.VIGIE_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A fresh, migrated database, and the means to throw it away. */
export interface TestDatabase extends DatabaseHandle {
  destroy(): Promise<void>;
}

/**
 * A fresh database for one test file: an in-memory PGlite, or a new database created on the
 * PostgreSQL server and dropped at the end.
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  if (testDatabaseKind === "postgres") {
    const name = `vigie_test_${process.pid}_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: testPostgresUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(testPostgresUrl);
    url.pathname = `/${name}`;
    const handle = await openDatabase({ url: url.toString() });
    if (options.migrate !== false) await migrateToLatest(handle.db);
    return {
      ...handle,
      destroy: async () => {
        await handle.close();
        const dropper = new pg.Client({ connectionString: testPostgresUrl });
        await dropper.connect();
        await dropper.query(`drop database if exists ${name} with (force)`);
        await dropper.end();
      },
    };
  }
  const handle = await openDatabase({});
  if (options.migrate !== false) await migrateToLatest(handle.db);
  return { ...handle, destroy: () => handle.close() };
}
