import { CreateUserRequest, UpdateUserRequest, UserListQuery, UserPage, UserView } from "@vigie/contracts";
import {
  type ChangedBy,
  createAccount,
  getAccount,
  listAccounts,
  resetAccountMfa,
  updateAccount,
} from "@vigie/core";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";

const TAG = "Comptes";
const UserIdParams = z.object({ id: z.uuid({ error: "Identifiant de compte invalide." }) });

function changedBy(request: FastifyRequest): ChangedBy {
  return { actor: request.actor, ip: request.ip };
}

/** Account administration: list, read, create, change (role, scope, structures, disabled), reset MFA. */
export function usersRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    "/users",
    {
      config: { access: "users:read" },
      schema: {
        tags: [TAG],
        summary: "Liste des comptes, filtrée par rôle et par texte (adresse, nom)",
        querystring: UserListQuery,
        response: { 200: UserPage },
      },
    },
    async (request) => listAccounts(deps.database.db, request.query),
  );

  app.get(
    "/users/:id",
    {
      config: { access: "users:read" },
      schema: { tags: [TAG], summary: "Un compte", params: UserIdParams, response: { 200: UserView } },
    },
    async (request) => getAccount(deps.database.db, request.params.id),
  );

  app.post(
    "/users",
    {
      config: { access: "users:manage" },
      schema: {
        tags: [TAG],
        summary: "Crée un compte (adresse considérée comme vérifiée)",
        description:
          "Un compte ARS demande une région, un compte d'autorité une autorité, un déclarant au moins un numéro FINESS de l'annuaire. Le mot de passe suit la politique du rôle.",
        body: CreateUserRequest,
        response: { 201: UserView },
      },
    },
    async (request, reply) => {
      const view = await createAccount(deps.database.db, request.body, changedBy(request), deps.clock());
      return reply.status(201).send(view);
    },
  );

  app.patch(
    "/users/:id",
    {
      config: { access: "users:manage" },
      schema: {
        tags: [TAG],
        summary: "Modifie un compte : nom, rôle, périmètre, structures, désactivation",
        description:
          "Désactiver un compte ou changer son rôle ferme ses sessions. Réactiver un compte lève aussi un verrouillage. Un administrateur ne peut ni se désactiver ni changer son propre rôle.",
        params: UserIdParams,
        body: UpdateUserRequest,
        response: { 200: UserView },
      },
    },
    async (request) =>
      updateAccount(deps.database.db, request.params.id, request.body, changedBy(request), deps.clock()),
  );

  app.post(
    "/users/:id/reset-mfa",
    {
      config: { access: "users:manage" },
      schema: {
        tags: [TAG],
        summary: "Réinitialise la double authentification d'un compte (téléphone perdu)",
        params: UserIdParams,
        response: { 200: UserView },
      },
    },
    async (request) => resetAccountMfa(deps.database.db, request.params.id, changedBy(request), deps.clock()),
  );
}
