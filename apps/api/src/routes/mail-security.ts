import type { Config } from "@vigie/config";
import {
  FilteringArrivalsInput,
  FilteringCampaignInput,
  FilteringCampaignView,
  FilteringImapCheckInput,
  MailSecurityTestInput,
  MailSecurityTestView,
} from "@vigie/contracts";
import {
  type Actor,
  assertPermission,
  checkFilteringArrivalsByImap,
  type FilteringSettings,
  getFilteringCampaign,
  getMailSecurityTest,
  launchFilteringCampaign,
  listFilteringCampaigns,
  listMailSecurityTests,
  type MailScanSettings,
  reportFilteringArrivals,
  runMailSecurityTest,
} from "@vigie/core";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";

const TAGS = ["Test de sécurité de la messagerie"];
const IdParams = z.object({ id: z.uuid({ error: "Identifiant invalide." }) });
const ListQuery = z.object({
  structureId: z.uuid({ error: "Identifiant de structure invalide." }).optional(),
});

/** The posture test's settings, from the audits' configuration. */
export function mailScanSettings(config: Config): MailScanSettings {
  return {
    dnsServers: config.AUDIT_DNS_SERVERS,
    timeoutMs: config.AUDIT_TIMEOUT_MS,
    ratePerSecond: config.AUDIT_RATE_PER_SECOND,
    userAgent: config.auditUserAgent,
    allowNonPublic: config.MAIL_TEST_ALLOW_NON_PUBLIC,
  };
}

/** The filtering campaign's settings: the test relay, else the platform's. */
export function filteringSettings(config: Config): FilteringSettings {
  return {
    transportUrl: config.MAIL_TEST_SMTP_URL ?? config.SMTP_URL ?? null,
    mailFrom: config.MAIL_FROM,
    timeoutMs: Math.max(config.AUDIT_TIMEOUT_MS, 10_000),
    allowNonPublic: config.MAIL_TEST_ALLOW_NON_PUBLIC,
  };
}

/** The list (`?structureId=`) and the detail (`/:id`) of one kind of test, for `watch:read`. */
function readRoutes<T>(
  app: TypedApp,
  spec: {
    path: string;
    view: z.ZodType<T>;
    listSummary: string;
    getSummary: string;
    list: (actor: Actor, structureId: string | undefined) => Promise<T[]>;
    get: (actor: Actor, id: string) => Promise<T>;
  },
): void {
  app.get(
    spec.path,
    {
      config: { access: "watch:read" },
      schema: {
        tags: TAGS,
        summary: spec.listSummary,
        querystring: ListQuery,
        response: { 200: z.array(spec.view) },
      },
    },
    async (request) => {
      assertPermission(request.actor, "watch:read");
      return spec.list(request.actor, request.query.structureId);
    },
  );

  app.get(
    `${spec.path}/:id`,
    {
      config: { access: "watch:read" },
      schema: {
        tags: TAGS,
        summary: spec.getSummary,
        params: IdParams,
        // Fastify cannot resolve a generic reply type: `spec.get` is typed against `spec.view` instead.
        response: { 200: spec.view as z.ZodType },
      },
    },
    async (request) => {
      assertPermission(request.actor, "watch:read");
      return spec.get(request.actor, request.params.id);
    },
  );
}

/**
 * The mail security test (decision 0012): a domain's posture (SPF, DKIM, DMARC, MTA-STS, TLS-RPT,
 * STARTTLS, DANE, DNSSEC) and the filtering battery sent to a mailbox of the structure.
 */
export function mailSecurityRoutes(app: TypedApp, deps: AppDeps): void {
  app.post(
    "/mail-security/tests",
    {
      config: { access: "watch:manage", rateLimit: routeRateLimit(deps, 10, "1 minute") },
      schema: {
        tags: TAGS,
        summary: "Tester la posture de messagerie d'un domaine",
        description:
          "Le domaine doit appartenir à la structure (périmètre d'audit, domaines de messagerie ou actifs). " +
          "Le test est mené aussitôt (quelques secondes) et son résultat renvoyé : points de contrôle " +
          "conforme / à améliorer / non conforme / information, chacun expliqué.",
        body: MailSecurityTestInput,
        response: { 201: MailSecurityTestView },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "watch:manage");
      const view = await runMailSecurityTest(deps.database.db, request.actor, request.body, {
        now: deps.clock(),
        ip: request.ip,
        settings: mailScanSettings(deps.config),
      });
      return reply.status(201).send(view);
    },
  );

  readRoutes(app, {
    path: "/mail-security/tests",
    view: MailSecurityTestView,
    listSummary: "Lister les tests de messagerie",
    getSummary: "Consulter un test de messagerie",
    list: (actor, structureId) => listMailSecurityTests(deps.database.db, actor, { structureId }),
    get: (actor, id) => getMailSecurityTest(deps.database.db, actor, id),
  });

  app.post(
    "/mail-security/campaigns",
    {
      config: { access: "watch:manage", rateLimit: routeRateLimit(deps, 3, "1 minute") },
      schema: {
        tags: TAGS,
        summary: "Envoyer la batterie de test du filtrage",
        description:
          "Plus de cent messages inoffensifs (expéditeurs usurpés, en-têtes malformés, encodages, pièces " +
          "jointes dangereuses, archives, EICAR, macros, liens) envoyés à une boîte de la structure par le " +
          "relais de test. Chaque message porte une référence dans son objet et l'en-tête X-Vigie-Test.",
        body: FilteringCampaignInput,
        response: { 201: FilteringCampaignView },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "watch:manage");
      const view = await launchFilteringCampaign(deps.database.db, request.actor, request.body, {
        now: deps.clock(),
        ip: request.ip,
        settings: filteringSettings(deps.config),
      });
      return reply.status(201).send(view);
    },
  );

  readRoutes(app, {
    path: "/mail-security/campaigns",
    view: FilteringCampaignView,
    listSummary: "Lister les campagnes de test du filtrage",
    getSummary: "Consulter une campagne de test du filtrage",
    list: (actor, structureId) => listFilteringCampaigns(deps.database.db, actor, { structureId }),
    get: (actor, id) => getFilteringCampaign(deps.database.db, actor, id),
  });

  app.post(
    "/mail-security/campaigns/:id/arrivals",
    {
      config: { access: "watch:manage" },
      schema: {
        tags: TAGS,
        summary: "Déclarer les messages arrivés dans la boîte",
        description:
          "Les références des messages trouvés ; une référence inconnue de la campagne est refusée.",
        params: IdParams,
        body: FilteringArrivalsInput,
        response: { 200: FilteringCampaignView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "watch:manage");
      return reportFilteringArrivals(deps.database.db, request.actor, request.params.id, request.body, {
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );

  app.post(
    "/mail-security/campaigns/:id/imap-check",
    {
      config: { access: "watch:manage", rateLimit: routeRateLimit(deps, 5, "1 minute") },
      schema: {
        tags: TAGS,
        summary: "Relever les messages arrivés par IMAP",
        description:
          "Connexion en lecture seule à la boîte : les messages de la campagne sont cherchés dans tous les " +
          "dossiers. Le mot de passe ne sert qu'à cette vérification : il n'est ni enregistré ni journalisé.",
        params: IdParams,
        body: FilteringImapCheckInput,
        response: { 200: FilteringCampaignView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "watch:manage");
      return checkFilteringArrivalsByImap(deps.database.db, request.actor, request.params.id, request.body, {
        now: deps.clock(),
        ip: request.ip,
        settings: filteringSettings(deps.config),
      });
    },
  );
}
