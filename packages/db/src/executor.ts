import type { Kysely, Transaction } from "kysely";
import type { Database } from "./schema.ts";

/** The database or an open transaction: every repository function takes one explicitly. */
export type Executor = Kysely<Database> | Transaction<Database>;
