import {
  AlertNotificationView,
  AuthorityContactInput,
  AuthorityContactView,
  CaseAlerts,
  DismissAlertRequest,
  DryRunRequest,
  DryRunResult,
  RuleSetInput,
  RuleSetView,
  SendAlertRequest,
} from "@vigie/contracts";
import {
  addAuthorityContact,
  assertPermission,
  createRuleSetDraft,
  deleteAuthorityContact,
  dismissAlert,
  dryRunRules,
  getCaseAlerts,
  getCurrentRuleSet,
  listAuthorityContacts,
  listRuleSets,
  publishRuleSet,
  retryAlertDelivery,
  sendAlert,
  updateRuleSetDraft,
} from "@vigie/core";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";

const VersionParams = z.object({
  version: z.coerce
    .number({ error: "Numéro de version invalide." })
    .int({ error: "Numéro de version invalide." })
    .min(0, { error: "Numéro de version invalide." }),
});
const ContactParams = z.object({ id: z.uuid({ error: "Identifiant d'adresse invalide." }) });
const CaseParams = z.object({ id: z.uuid({ error: "Identifiant de déclaration invalide." }) });
const NotificationParams = CaseParams.extend({
  notificationId: z.uuid({ error: "Identifiant d'alerte invalide." }),
});
const RULES_TAGS = ["Alerte des autorités"];

/**
 * Alerting the authorities (decision 0009): versioned routing rules (drafts, publication by a
 * CERT lead, dry run over past cases), the authorities' addresses, and a case's alerts.
 */
export function alertingRoutes(app: TypedApp, deps: AppDeps): void {
  const context = (ip: string) => ({ now: deps.clock(), ip });

  app.get(
    "/alerting/rule-sets",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: RULES_TAGS,
        summary: "Lister les versions des règles d'alerte",
        description:
          "Les plus récentes d'abord, puis les règles intégrées (version 0), qui s'appliquent tant " +
          "qu'aucune version n'est publiée.",
        response: { 200: z.object({ items: z.array(RuleSetView) }) },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return { items: await listRuleSets(deps.database.db, request.actor) };
    },
  );

  app.get(
    "/alerting/rule-sets/current",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: RULES_TAGS,
        summary: "Consulter les règles d'alerte qui s'appliquent",
        response: { 200: RuleSetView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return getCurrentRuleSet(deps.database.db, request.actor);
    },
  );

  app.post(
    "/alerting/rule-sets",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: RULES_TAGS,
        summary: "Créer un brouillon de règles d'alerte (version suivante)",
        body: RuleSetInput,
        response: { 201: RuleSetView },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "declarations:handle");
      const view = await createRuleSetDraft(
        deps.database.db,
        request.actor,
        request.body,
        context(request.ip),
      );
      return reply.status(201).send(view);
    },
  );

  app.put(
    "/alerting/rule-sets/:version",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: RULES_TAGS,
        summary: "Modifier un brouillon de règles d'alerte",
        description: "Seul un brouillon se modifie : une version publiée ou retirée ne change plus (409).",
        params: VersionParams,
        body: RuleSetInput,
        response: { 200: RuleSetView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return updateRuleSetDraft(
        deps.database.db,
        request.actor,
        request.params.version,
        request.body,
        context(request.ip),
      );
    },
  );

  app.post(
    "/alerting/rule-sets/:version/publish",
    {
      config: { access: "alert_rules:manage" },
      schema: {
        tags: RULES_TAGS,
        summary: "Publier un brouillon de règles d'alerte",
        description: "La version publiée jusque-là est retirée. Réservé au responsable du CERT.",
        params: VersionParams,
        response: { 200: RuleSetView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "alert_rules:manage");
      return publishRuleSet(deps.database.db, request.actor, request.params.version, context(request.ip));
    },
  );

  app.post(
    "/alerting/dry-run",
    {
      config: { access: "declarations:handle", rateLimit: routeRateLimit(deps, 20, "1 minute") },
      schema: {
        tags: RULES_TAGS,
        summary: "Essayer des règles d'alerte sur les cas passés",
        description:
          "Une version enregistrée (`version`) ou des règles (`rules`) sont évaluées sur les cas les " +
          "plus récents (`limit`, 500 par défaut), comparées aux règles qui s'appliquent. Rien n'est envoyé.",
        body: DryRunRequest,
        response: { 200: DryRunResult },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return dryRunRules(deps.database.db, request.actor, request.body);
    },
  );

  app.get(
    "/alerting/contacts",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: RULES_TAGS,
        summary: "Lister les adresses des autorités (les ARS par région)",
        response: { 200: z.object({ items: z.array(AuthorityContactView) }) },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return { items: await listAuthorityContacts(deps.database.db, request.actor) };
    },
  );

  app.post(
    "/alerting/contacts",
    {
      config: { access: "alert_rules:manage" },
      schema: {
        tags: RULES_TAGS,
        summary: "Ajouter une adresse d'autorité",
        description: "Une adresse d'ARS indique sa région ; celles des autorités nationales n'en ont pas.",
        body: AuthorityContactInput,
        response: { 201: AuthorityContactView },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "alert_rules:manage");
      const view = await addAuthorityContact(
        deps.database.db,
        request.actor,
        request.body,
        context(request.ip),
      );
      return reply.status(201).send(view);
    },
  );

  app.delete(
    "/alerting/contacts/:id",
    {
      config: { access: "alert_rules:manage" },
      schema: {
        tags: RULES_TAGS,
        summary: "Supprimer une adresse d'autorité",
        params: ContactParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "alert_rules:manage");
      await deleteAuthorityContact(deps.database.db, request.actor, request.params.id, context(request.ip));
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/cases/:id/alerts",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: RULES_TAGS,
        summary: "Consulter les alertes d'un cas : propositions des règles et alertes décidées",
        params: CaseParams,
        response: { 200: CaseAlerts },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return getCaseAlerts(deps.database.db, request.actor, request.params.id, context(request.ip));
    },
  );

  app.post(
    "/cases/:id/alerts",
    {
      config: { access: "declarations:handle", rateLimit: routeRateLimit(deps, 30, "1 minute") },
      schema: {
        tags: RULES_TAGS,
        summary: "Envoyer l'alerte d'un cas à une autorité",
        description:
          "Le message proposé (ou modifié par l'analyste, marquage TLP conservé) part à chaque adresse " +
          "du destinataire. Refusé pour un cas TLP:RED ou un destinataire sans adresse.",
        params: CaseParams,
        body: SendAlertRequest,
        response: { 201: AlertNotificationView },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "declarations:handle");
      const view = await sendAlert(
        deps.database.db,
        request.actor,
        request.params.id,
        request.body,
        context(request.ip),
      );
      return reply.status(201).send(view);
    },
  );

  app.post(
    "/cases/:id/alerts/dismiss",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: RULES_TAGS,
        summary: "Ne pas envoyer l'alerte proposée à une autorité (motif requis)",
        params: CaseParams,
        body: DismissAlertRequest,
        response: { 201: AlertNotificationView },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "declarations:handle");
      const view = await dismissAlert(
        deps.database.db,
        request.actor,
        request.params.id,
        request.body,
        context(request.ip),
      );
      return reply.status(201).send(view);
    },
  );

  app.post(
    "/cases/:id/alerts/:notificationId/retry",
    {
      config: { access: "declarations:handle" },
      schema: {
        tags: RULES_TAGS,
        summary: "Renvoyer les courriels en échec d'une alerte",
        params: NotificationParams,
        response: { 200: AlertNotificationView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "declarations:handle");
      return retryAlertDelivery(
        deps.database.db,
        request.actor,
        request.params.id,
        request.params.notificationId,
        context(request.ip),
      );
    },
  );
}
