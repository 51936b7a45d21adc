import { resolve } from "node:path";
import { type Config, ConfigError, loadConfig } from "@vigie/config";
import { AppError } from "@vigie/contracts";
import { type DatabaseHandle, migrateToLatest, openDatabase } from "@vigie/db";

/** Opens the configured database: PostgreSQL when DATABASE_URL is set, else PGlite in the data folder. */
export function openConfigured(config: Config): Promise<DatabaseHandle> {
  return openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATABASE_URL ? undefined : resolve(config.VIGIE_DATA_DIR, "pgdata"),
  });
}

/** Opens the configured database and migrates it. */
export async function openConfiguredDatabase(config: Config): Promise<DatabaseHandle> {
  const database = await openConfigured(config);
  await migrateToLatest(database.db);
  return database;
}

/**
 * Runs a command body with the configuration and a migrated database, closes the database,
 * and turns every failure into a French message on stderr and a non-zero exit code.
 */
export async function withDatabase(
  body: (ctx: { config: Config; database: DatabaseHandle }) => Promise<void>,
): Promise<void> {
  let database: DatabaseHandle | undefined;
  try {
    const config = loadConfig();
    database = await openConfiguredDatabase(config);
    await body({ config, database });
  } catch (error) {
    fail(error);
  } finally {
    await database?.close();
  }
}

/** Prints an error in French and sets a failing exit code. */
export function fail(error: unknown): void {
  if (error instanceof ConfigError || error instanceof AppError) {
    console.error(`Erreur : ${error.message}`);
    if (error instanceof AppError && error.fields) {
      for (const f of error.fields) console.error(`  - ${f.field} : ${f.message}`);
    }
  } else if (error instanceof Error) {
    console.error(`Erreur : ${error.message}`);
  } else {
    console.error(`Erreur : ${String(error)}`);
  }
  process.exitCode = 1;
}
