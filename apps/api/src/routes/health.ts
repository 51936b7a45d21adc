import { sql } from "kysely";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";

/** Liveness (`/health`) and readiness (`/ready`: database reachable and migrated). */
export function healthRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    "/health",
    {
      config: { access: "public" },
      schema: {
        tags: ["Exploitation"],
        summary: "Le processus répond",
        response: { 200: z.object({ status: z.literal("ok") }) },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/ready",
    {
      config: { access: "public" },
      schema: {
        tags: ["Exploitation"],
        summary: "La plateforme peut servir : base joignable et à jour",
        response: {
          200: z.object({ status: z.literal("ready"), database: z.string() }),
          503: z.object({ status: z.literal("not_ready"), reason: z.string() }),
        },
      },
    },
    async (_request, reply) => {
      if (deps.isShuttingDown?.())
        return reply.status(503).send({ status: "not_ready", reason: "arrêt en cours" });
      try {
        await sql`select 1 from kysely_migration limit 1`.execute(deps.database.db);
        return { status: "ready" as const, database: deps.database.kind };
      } catch {
        return reply
          .status(503)
          .send({ status: "not_ready" as const, reason: "base de données injoignable ou non migrée" });
      }
    },
  );
}
