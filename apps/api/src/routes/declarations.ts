import {
  AppError,
  ChangeStatusRequest,
  DeclarationInput,
  DeclarationListQuery,
  DeclarationPage,
  DeclarationPortalSettings,
  DeclarationReceipt,
  DeclarationView,
  DRAFT_MAX_BYTES,
  DraftView,
  MessageView,
  PostMessageRequest,
  SaveDraftRequest,
} from "@vigie/contracts";
import {
  type Actor,
  assertPermission,
  changeDeclarationStatus,
  type DeclarationSettings,
  declarationSettingsFrom,
  deleteDraft,
  findFollowedDeclaration,
  getDeclaration,
  getFollowedDeclaration,
  listDeclarations,
  listDrafts,
  postDeclarationMessage,
  postFollowMessage,
  readAttachmentForFollowToken,
  safeEqual,
  saveDraft,
  submitDeclaration,
} from "@vigie/core";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";
import { CSRF_HEADER } from "../plugins/auth.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";
import { sendAttachment } from "./attachments.ts";

const DeclarationParams = z.object({ id: z.uuid({ error: "Identifiant de déclaration invalide." }) });
const DraftParams = z.object({ key: z.uuid({ error: "Clé de brouillon invalide (UUID attendu)." }) });
const FollowParams = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, { error: "Lien de suivi invalide." }),
});

/**
 * Who submits on the public route. The auth plugin resolves a session there without checking
 * CSRF (a leftover cookie must not block a declaration), so a session counts only with its CSRF
 * header; without it the declaration is taken as made without an account, never refused.
 */
function portalActor(request: FastifyRequest): Actor | null {
  const actor = request.actor;
  if (!actor || actor.via === "token") return actor;
  const sent = request.headers[CSRF_HEADER];
  const csrf = request.session?.session.csrf_token;
  return typeof sent === "string" && csrf && safeEqual(sent, csrf) ? actor : null;
}

/** The on-call and link settings every declaration use case needs, read from the configuration. */
export function declarationSettings(deps: AppDeps): DeclarationSettings {
  return declarationSettingsFrom(deps.config);
}

/** The declaration portal: submit, list and read, the thread with the CERT, status, drafts, follow links. */
export function declarationRoutes(app: TypedApp, deps: AppDeps): void {
  const settings = declarationSettings(deps);

  app.get(
    "/declarations/settings",
    {
      config: { access: "public" },
      schema: {
        tags: ["Déclarations"],
        summary: "Réglages affichés par le formulaire de déclaration (numéro d'astreinte)",
        response: { 200: DeclarationPortalSettings },
      },
    },
    async () => ({ oncallPhone: settings.oncallPhone }),
  );

  app.post(
    "/declarations",
    {
      config: { access: "public", rateLimit: routeRateLimit(deps, 30, "1 minute") },
      schema: {
        tags: ["Déclarations"],
        summary: "Déclarer un incident (avec ou sans compte)",
        description:
          "Ouvert à tous : une déclaration n'est jamais bloquée par l'administration des comptes. " +
          "Connecté, la déclaration est rattachée à votre compte ; sans compte, un lien de suivi secret " +
          "est renvoyé. Une même `idempotencyKey` renvoie l'accusé de réception d'origine " +
          "(`replayed: true`, 200) ; avec un contenu différent, 409.",
        body: DeclarationInput,
        response: { 200: DeclarationReceipt, 201: DeclarationReceipt },
      },
    },
    async (request, reply) => {
      const receipt = await submitDeclaration(deps.database.db, request.body, {
        actor: portalActor(request),
        mode: "portal",
        ip: request.ip,
        now: deps.clock(),
        settings,
      });
      return reply.status(receipt.replayed ? 200 : 201).send(receipt);
    },
  );

  app.post(
    "/declarations/recorded",
    {
      config: { access: "declarations:handle", rateLimit: routeRateLimit(deps, 60, "1 minute") },
      schema: {
        tags: ["Déclarations"],
        summary: "Saisir une déclaration reçue par téléphone ou courriel (CERT)",
        description:
          "Un analyste enregistre la déclaration pour le compte de la structure. Le canal " +
          "(`phone_oncall`, `email` ou `other`) est obligatoire ; le statut du déclarant reflète " +
          "le compte associé à son adresse électronique, s'il existe.",
        body: DeclarationInput,
        response: { 200: DeclarationReceipt, 201: DeclarationReceipt },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "declarations:handle");
      const receipt = await submitDeclaration(deps.database.db, request.body, {
        actor: request.actor,
        mode: "recorded",
        ip: request.ip,
        now: deps.clock(),
        settings,
      });
      return reply.status(receipt.replayed ? 200 : 201).send(receipt);
    },
  );

  app.get(
    "/declarations",
    {
      config: { access: "declarations:read" },
      schema: {
        tags: ["Déclarations"],
        summary: "Lister les déclarations de mon périmètre",
        description:
          "CERT : toutes ; ARS : celles de sa région, sauf TLP:RED et TLP:AMBER+STRICT ; déclarant : celles de ses structures et celles " +
          "qu'il a faites lui-même. Les plus récentes d'abord.",
        querystring: DeclarationListQuery,
        response: { 200: DeclarationPage },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:read");
      return listDeclarations(deps.database.db, request.actor, request.query, deps.clock());
    },
  );

  app.get(
    "/declarations/drafts",
    {
      config: { access: "declarations:create" },
      schema: {
        tags: ["Déclarations"],
        summary: "Lister mes brouillons de déclaration",
        response: { 200: z.object({ items: z.array(DraftView) }) },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:create");
      return { items: await listDrafts(deps.database.db, request.actor) };
    },
  );

  app.put(
    "/declarations/drafts/:key",
    {
      config: { access: "declarations:create", rateLimit: routeRateLimit(deps, 120, "1 minute") },
      bodyLimit: DRAFT_MAX_BYTES + 16 * 1024,
      schema: {
        tags: ["Déclarations"],
        summary: "Enregistrer un brouillon de déclaration (200 ko au plus)",
        description:
          "La clé est l'`idempotencyKey` de la future déclaration : l'envoi de la déclaration supprime " +
          "le brouillon.",
        params: DraftParams,
        body: SaveDraftRequest,
        response: { 200: DraftView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:create");
      return saveDraft(deps.database.db, request.actor, request.params.key, request.body.data, deps.clock());
    },
  );

  app.delete(
    "/declarations/drafts/:key",
    {
      config: { access: "declarations:create" },
      schema: {
        tags: ["Déclarations"],
        summary: "Supprimer un brouillon de déclaration",
        params: DraftParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "declarations:create");
      await deleteDraft(deps.database.db, request.actor, request.params.key);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/declarations/:id",
    {
      config: { access: "declarations:read" },
      schema: {
        tags: ["Déclarations"],
        summary: "Consulter une déclaration, ses échanges et son historique",
        description: "Une déclaration hors de votre périmètre est introuvable (404).",
        params: DeclarationParams,
        response: { 200: DeclarationView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:read");
      return getDeclaration(deps.database.db, request.actor, request.params.id, {
        now: deps.clock(),
        ip: request.ip,
        settings,
      });
    },
  );

  app.post(
    "/declarations/:id/messages",
    {
      config: { access: "declarations:message", rateLimit: routeRateLimit(deps, 60, "1 minute") },
      schema: {
        tags: ["Déclarations"],
        summary: "Écrire au CERT ou au déclarant sur une déclaration",
        description:
          "Le déclarant peut envoyer un `message` ou une `answer` (réponse à une question du CERT, qui " +
          "remet la déclaration « en cours de traitement ») ; le CERT un `message`, une `question` (la " +
          "déclaration passe « en attente de votre réponse » et le déclarant est prévenu) ou une " +
          "`recommendation`. Les pièces jointes sont déposées au préalable.",
        params: DeclarationParams,
        body: PostMessageRequest,
        response: { 201: MessageView },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "declarations:message");
      const message = await postDeclarationMessage(
        deps.database.db,
        request.actor,
        request.params.id,
        request.body,
        { now: deps.clock(), ip: request.ip, settings },
      );
      return reply.status(201).send(message);
    },
  );

  app.post(
    "/declarations/:id/status",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: ["Déclarations"],
        summary: "Changer le statut d'une déclaration (CERT)",
        description:
          "Transitions permises : reçue → en cours, en attente ou clôturée ; en cours → en attente ou " +
          "clôturée ; en attente → en cours ou clôturée ; clôturée → en cours (réouverture). " +
          "Le déclarant est prévenu par courriel.",
        params: DeclarationParams,
        body: ChangeStatusRequest,
        response: { 200: DeclarationView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return changeDeclarationStatus(deps.database.db, request.actor, request.params.id, request.body, {
        now: deps.clock(),
        ip: request.ip,
        settings,
      });
    },
  );

  app.get(
    "/follow/:token",
    {
      config: { access: "public", rateLimit: routeRateLimit(deps, 60, "1 minute") },
      schema: {
        tags: ["Déclarations"],
        summary: "Suivre une déclaration faite sans compte (lien secret)",
        params: FollowParams,
        response: { 200: DeclarationView },
      },
    },
    async (request) =>
      getFollowedDeclaration(deps.database.db, request.params.token, { now: deps.clock(), settings }),
  );

  app.get(
    "/follow/:token/attachments/:id",
    {
      config: { access: "public", rateLimit: routeRateLimit(deps, 60, "1 minute") },
      schema: {
        tags: ["Déclarations"],
        summary: "Télécharger une pièce jointe depuis le lien de suivi secret",
        description: "Toujours proposée en téléchargement ; chaque téléchargement est journalisé.",
        params: FollowParams.extend({ id: z.uuid({ error: "Identifiant de pièce jointe invalide." }) }),
      },
    },
    async (request, reply) => {
      if (!deps.attachmentCipher) {
        throw new AppError("SERVICE_UNAVAILABLE", {
          message: "Les pièces jointes ne sont pas disponibles (clé de chiffrement absente).",
        });
      }
      const incident = await findFollowedDeclaration(deps.database.db, request.params.token);
      const content = await readAttachmentForFollowToken(
        deps.database.db,
        deps.attachmentCipher,
        { id: request.params.id, incidentId: incident.id, ip: request.ip },
        deps.clock(),
      );
      return sendAttachment(reply, content);
    },
  );

  app.post(
    "/follow/:token/messages",
    {
      config: { access: "public", rateLimit: routeRateLimit(deps, 20, "1 minute") },
      schema: {
        tags: ["Déclarations"],
        summary: "Répondre au CERT depuis le lien de suivi secret",
        description: "Seuls les types `message` et `answer` sont permis.",
        params: FollowParams,
        body: PostMessageRequest,
        response: { 201: MessageView },
      },
    },
    async (request, reply) => {
      const message = await postFollowMessage(deps.database.db, request.params.token, request.body, {
        now: deps.clock(),
        ip: request.ip,
        settings,
      });
      return reply.status(201).send(message);
    },
  );
}
