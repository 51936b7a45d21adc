import {
  AcceptedResponse,
  DoneResponse,
  EmailOnlyRequest,
  PasswordResetConfirmRequest,
  RegisterRequest,
  VerifyEmailRequest,
} from "@vigie/contracts";
import {
  confirmPasswordReset,
  registerDeclarant,
  requestPasswordReset,
  resendVerification,
  verifyEmail,
} from "@vigie/core";
import type { FastifyRequest } from "fastify";
import type { AppDeps, TypedApp } from "../app.ts";

import { routeRateLimit } from "../plugins/rate-limit.ts";

const TAG = "Inscription et mot de passe oublié";

function context(request: FastifyRequest, deps: AppDeps) {
  return { publicUrl: deps.config.publicUrl, ip: request.ip };
}

// One answer whatever happened, so these endpoints never tell whether an address has an account.
const REGISTERED =
  "Demande enregistrée. Si cette adresse peut être utilisée, un courriel vient de vous être envoyé : " +
  "ouvrez le lien qu'il contient pour confirmer votre adresse.";
const VERIFICATION_RESENT =
  "Si un compte en attente de confirmation existe pour cette adresse, un nouveau lien vient de lui être envoyé.";
const RESET_REQUESTED =
  "Si un compte existe pour cette adresse, un lien pour choisir un nouveau mot de passe vient de lui être " +
  "envoyé. Il est valable une heure.";

/** Self-registration of declarants, e-mail verification and password reset (all public). */
export function registrationRoutes(app: TypedApp, deps: AppDeps): void {
  app.post(
    "/auth/register",
    {
      config: { access: "public", rateLimit: routeRateLimit(deps, 10, "1 hour") },
      schema: {
        tags: [TAG],
        summary: "Créer un compte déclarant (un courriel de confirmation suit)",
        description:
          "Vérifie la politique de mot de passe (WEAK_PASSWORD) et chaque numéro FINESS " +
          "(VALIDATION_FAILED, champ `finess.<rang>`). Le rattachement à une structure est actif " +
          "d'emblée quand le domaine de l'adresse est celui de la structure, sinon en attente de " +
          "validation par le CERT. Répond 202 que l'adresse ait déjà un compte ou non : dans le " +
          "premier cas, son titulaire reçoit un courriel « vous avez déjà un compte ».",
        body: RegisterRequest,
        response: { 202: AcceptedResponse },
      },
    },
    async (request, reply) => {
      await registerDeclarant(deps.database.db, request.body, context(request, deps), deps.clock());
      return reply.status(202).send({ message: REGISTERED });
    },
  );

  app.post(
    "/auth/verify-email",
    {
      config: { access: "public", rateLimit: routeRateLimit(deps, 30, "15 minutes") },
      schema: {
        tags: [TAG],
        summary: "Confirmer son adresse électronique avec le lien reçu",
        description: "Le lien ne sert qu'une fois et expire après 48 heures (TOKEN_INVALID).",
        body: VerifyEmailRequest,
        response: { 200: DoneResponse },
      },
    },
    async (request) => {
      await verifyEmail(deps.database.db, request.body.token, { ip: request.ip }, deps.clock());
      return { message: "Adresse électronique confirmée. Vous pouvez vous connecter." };
    },
  );

  app.post(
    "/auth/resend-verification",
    {
      config: { access: "public", rateLimit: routeRateLimit(deps, 5, "15 minutes") },
      schema: {
        tags: [TAG],
        summary: "Recevoir un nouveau lien de confirmation",
        description: "Répond 202 dans tous les cas, sans révéler si l'adresse a un compte.",
        body: EmailOnlyRequest,
        response: { 202: AcceptedResponse },
      },
    },
    async (request, reply) => {
      await resendVerification(deps.database.db, request.body.email, context(request, deps), deps.clock());
      return reply.status(202).send({ message: VERIFICATION_RESENT });
    },
  );

  app.post(
    "/auth/password-reset/request",
    {
      config: { access: "public", rateLimit: routeRateLimit(deps, 5, "15 minutes") },
      schema: {
        tags: [TAG],
        summary: "Demander un lien pour choisir un nouveau mot de passe",
        description: "Répond 202 dans tous les cas, sans révéler si l'adresse a un compte.",
        body: EmailOnlyRequest,
        response: { 202: AcceptedResponse },
      },
    },
    async (request, reply) => {
      await requestPasswordReset(deps.database.db, request.body.email, context(request, deps), deps.clock());
      return reply.status(202).send({ message: RESET_REQUESTED });
    },
  );

  app.post(
    "/auth/password-reset/confirm",
    {
      config: { access: "public", rateLimit: routeRateLimit(deps, 10, "15 minutes") },
      schema: {
        tags: [TAG],
        summary: "Choisir un nouveau mot de passe avec le lien reçu",
        description:
          "Politique du rôle du compte (WEAK_PASSWORD, le lien reste alors utilisable). Ferme " +
          "toutes les sessions du compte et lève un éventuel verrouillage.",
        body: PasswordResetConfirmRequest,
        response: { 200: DoneResponse },
      },
    },
    async (request) => {
      await confirmPasswordReset(deps.database.db, request.body, context(request, deps), deps.clock());
      return { message: "Mot de passe modifié. Vous pouvez vous connecter." };
    },
  );
}
