import type { Kysely } from "kysely";

/** Publications (cyberveille): written with the publication part of issue 7. */
export async function up(_db: Kysely<unknown>): Promise<void> {}

export async function down(_db: Kysely<unknown>): Promise<void> {}
