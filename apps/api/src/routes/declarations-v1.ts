import { DeclarationInput, DeclarationReceipt } from "@vigie/contracts";
import { assertPermission, submitDeclaration } from "@vigie/core";
import { jsonSchemaTransform } from "fastify-type-provider-zod";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";
import { declarationSettings } from "./declarations.ts";

/** A minimal declaration, as the OpenAPI page shows it to integrators. */
const example = {
  idempotencyKey: "0b6f3c5e-8d1a-4f2b-9c47-2e5d8a1f6b30",
  finess: ["750100125"],
  declarant: {
    fullName: "Claire Martin",
    jobTitle: "RSSI",
    email: "rssi@ch-exemple.fr",
    phone: "+33 1 23 45 67 89",
  },
  title: "Chiffrement des serveurs de fichiers",
  description: "Message de rançon affiché sur les serveurs de fichiers à 6 h 40, partages inaccessibles.",
  detectedAt: "2026-03-14T06:40:00+01:00",
  operationalImpact: "degraded_care",
  stateAtDeclaration: "support_needed",
  supportRequested: true,
  proposedOrigin: "malicious",
  proposedMaliciousTypes: ["ransomware"],
  tlp: "amber",
};

/**
 * The zod transform keeps only registered schemas' metadata, so the example is added to the
 * generated body schema here (OpenAPI 3.1 shows it as the request's example).
 */
const withExample: typeof jsonSchemaTransform = (input) => {
  const transformed = jsonSchemaTransform(input);
  const body = transformed.schema.body as Record<string, unknown> | undefined;
  if (body) body.examples = [example];
  return transformed;
};

/** Versioned declaration endpoint for the structures' own tooling (API tokens). */
export function declarationV1Routes(app: TypedApp, deps: AppDeps): void {
  const settings = declarationSettings(deps);

  app.post(
    "/v1/declarations",
    {
      config: {
        access: "declarations:create",
        rateLimit: routeRateLimit(deps, 30, "1 minute"),
        swaggerTransform: withExample,
      },
      schema: {
        tags: ["API v1"],
        summary: "Déclarer un incident depuis un outil de la structure (jeton d'API)",
        description:
          "Authentification : `Authorization: Bearer vig_…`, jeton portant l'autorisation " +
          "`declarations:create`. Même contenu que le formulaire ; seuls les champs du minimum légal " +
          "sont obligatoires. Rejouer la même `idempotencyKey` renvoie l'accusé d'origine " +
          "(`replayed: true`, 200) sans créer de doublon ; la même clé avec un autre contenu renvoie 409.",
        security: [{ bearer: [] }],
        body: DeclarationInput,
        response: { 200: DeclarationReceipt, 201: DeclarationReceipt },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "declarations:create");
      const receipt = await submitDeclaration(deps.database.db, request.body, {
        actor: request.actor,
        mode: "api",
        ip: request.ip,
        now: deps.clock(),
        settings,
      });
      return reply.status(receipt.replayed ? 200 : 201).send(receipt);
    },
  );
}
