import type { DatabaseHandle } from "@vigie/db";
import PgBoss from "pg-boss";

/** A pg-boss instance on the platform's database (PostgreSQL or embedded PGlite). */
export function createBoss(handle: DatabaseHandle): PgBoss {
  if (handle.kind === "postgres" && handle.url) {
    return new PgBoss({ connectionString: handle.url, schema: "pgboss", max: 4 });
  }
  // On PGlite pg-boss shares the serialised session through executeSql.
  return new PgBoss({ db: { executeSql: handle.executeSql }, schema: "pgboss", supervise: true });
}
