import type { PGlite } from "@electric-sql/pglite";
import { Mutex } from "async-mutex";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from "kysely";

/**
 * PGlite has a single session: two interleaved transactions would share it and a rolled-back
 * one could still see its rows committed by the other. Every connection therefore holds this
 * mutex from acquire to release, so transactions run one after another.
 */
export class SerialisedPGlite {
  readonly mutex = new Mutex();
  constructor(readonly pg: PGlite) {}

  /** Runs raw SQL outside Kysely (pg-boss), under the same lock as every connection. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> {
    return this.mutex.runExclusive(() => runRaw(this.pg, text, values));
  }
}

async function runRaw<R = unknown>(
  pg: PGlite,
  text: string,
  values?: readonly unknown[],
): Promise<{ rows: R[]; affectedRows?: number }> {
  if (values && values.length > 0) {
    return pg.query<R>(text, values as unknown[]);
  }
  // Without parameters the text may hold several statements (migrations, pg-boss): the
  // simple query protocol runs them all; the last statement's result is returned.
  const results = await pg.exec(text);
  const last = results.at(-1);
  return {
    rows: (last?.rows ?? []) as R[],
    ...(last?.affectedRows !== undefined ? { affectedRows: last.affectedRows } : {}),
  };
}

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pg: PGlite) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await runRaw<R>(this.pg, compiled.sql, compiled.parameters);
    const isWrite = /^\s*(insert|update|delete|merge)/i.test(compiled.sql);
    return {
      rows: result.rows,
      ...(isWrite && result.affectedRows !== undefined
        ? { numAffectedRows: BigInt(result.affectedRows) }
        : {}),
    };
  }

  // biome-ignore lint/correctness/useYield: streaming is not offered by PGlite
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("streamQuery is not supported on PGlite");
  }
}

class PGliteDriver implements Driver {
  private readonly releases = new WeakMap<DatabaseConnection, () => void>();
  constructor(private readonly serialised: SerialisedPGlite) {}

  async init(): Promise<void> {
    await this.serialised.pg.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.serialised.mutex.acquire();
    const connection = new PGliteConnection(this.serialised.pg);
    this.releases.set(connection, release);
    return connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const level = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : "";
    await connection.executeQuery(CompiledQuery.raw(`begin${level}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.releases.get(connection)?.();
    this.releases.delete(connection);
  }

  async destroy(): Promise<void> {
    await this.serialised.mutex.runExclusive(() => this.serialised.pg.close());
  }
}

/** Kysely dialect over a serialised PGlite instance. */
export class SerialisedPGliteDialect implements Dialect {
  constructor(private readonly serialised: SerialisedPGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.serialised);
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}
