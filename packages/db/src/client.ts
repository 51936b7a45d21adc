import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, Migrator, PostgresDialect } from "kysely";
import pg from "pg";
import { migrations } from "./migrations/index.ts";
import { SerialisedPGlite, SerialisedPGliteDialect } from "./pglite-dialect.ts";
import type { Database } from "./schema.ts";

export type DatabaseKind = "pglite" | "postgres";

/** An open database: the Kysely client plus raw access for pg-boss. */
export interface DatabaseHandle {
  kind: DatabaseKind;
  db: Kysely<Database>;
  /** Raw SQL for libraries that bring their own (pg-boss); serialised on PGlite. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  /** Connection string when the database is a PostgreSQL server. */
  url?: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgres://… — when set, PostgreSQL is used; otherwise embedded PGlite. */
  url?: string | undefined;
  /** Folder of the embedded database; in memory when absent. */
  dataDir?: string | undefined;
}

// Same value shapes on both drivers: int8, numeric and date stay strings (no precision loss,
// no time-zone shift on calendar dates).
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
pg.types.setTypeParser(INT8, (v) => v);
pg.types.setTypeParser(NUMERIC, (v) => v);
pg.types.setTypeParser(DATE, (v) => v);

/** Opens PostgreSQL when a URL is given, else the embedded PGlite database. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  if (options.url) {
    const pool = new pg.Pool({ connectionString: options.url, max: 10 });
    // An idle client dropped by the server (restart, failover, admin kill) must not crash the
    // process: pg-pool discards it and opens a new one on the next query.
    pool.on("error", () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      kind: "postgres",
      db,
      url: options.url,
      executeSql: async (text, values) => {
        const result: pg.QueryResult | pg.QueryResult[] = await pool.query(text, values);
        // A text of several statements yields one result each; callers want the last.
        const last = Array.isArray(result) ? result.at(-1) : result;
        return { rows: last?.rows ?? [] };
      },
      close: () => db.destroy(),
    };
  }
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const lite = await PGlite.create(options.dataDir, {
    parsers: { [INT8]: (v: string) => v, [NUMERIC]: (v: string) => v, [DATE]: (v: string) => v },
  });
  const serialised = new SerialisedPGlite(lite);
  const db = new Kysely<Database>({ dialect: new SerialisedPGliteDialect(serialised) });
  return {
    kind: "pglite",
    db,
    executeSql: (text, values) => serialised.executeSql(text, values),
    close: () => db.destroy(),
  };
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`Échec de la migration ${failed?.migrationName ?? ""} : ${cause}`);
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
