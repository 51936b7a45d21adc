import { OutboxPage, OutboxQuery } from "@vigie/contracts";
import { listOutbox } from "@vigie/core";
import type { AppDeps, TypedApp } from "../app.ts";

/** The mail outbox: without SMTP it is the platform's mailbox, read by the administrator. */
export function outboxRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    "/outbox",
    {
      config: { access: "outbox:read" },
      schema: {
        tags: ["Administration"],
        summary: "Lire les courriels émis par la plateforme (du plus récent au plus ancien)",
        description:
          "Sans serveur SMTP configuré, les courriels restent ici. La lecture est journalisée : " +
          "les messages contiennent des liens de confirmation et de réinitialisation.",
        querystring: OutboxQuery,
        response: { 200: OutboxPage },
      },
    },
    async (request) =>
      listOutbox(deps.database.db, request.actor, request.query, { ip: request.ip }, deps.clock()),
  );
}
