import { existsSync } from "node:fs";
import { sep } from "node:path";
import fastifyCookie from "@fastify/cookie";
import fastifyHelmet from "@fastify/helmet";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { Config } from "@vigie/config";
import { AppError } from "@vigie/contracts";
import type { AttachmentCipher } from "@vigie/core";
import type { DatabaseHandle } from "@vigie/db";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import type PgBoss from "pg-boss";
import { registerAuth } from "./plugins/auth.ts";
import { registerErrorHandler } from "./plugins/errors.ts";
import { registerMetrics } from "./plugins/metrics.ts";
import { registerRouteCatalogue } from "./route-catalogue.ts";
import { healthRoutes } from "./routes/health.ts";
import { apiRoutes } from "./routes/index.ts";
import "./types.ts";

/** What the API needs from the outside; tests build it with a fresh database. */
export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  boss?: PgBoss;
  /** The time, injectable so tests can move it (lockouts, expiries). */
  clock: () => Date;
  /** A pino logger (JSON logs); silent when absent. */
  logger?: FastifyBaseLogger;
  /** Folder of the built web app, served at `/` when present. */
  webRoot?: string;
  isShuttingDown?: () => boolean;
  /** Encrypts attachments at rest; without it, uploads and downloads answer 503. */
  attachmentCipher?: AttachmentCipher;
}

export type TypedApp = FastifyInstance<
  // biome-ignore lint/suspicious/noExplicitAny: the server types are Fastify's defaults
  any,
  // biome-ignore lint/suspicious/noExplicitAny: idem
  any,
  // biome-ignore lint/suspicious/noExplicitAny: idem
  any,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Builds the Fastify application without listening (tests use `app.inject`). */
export async function buildApp(deps: AppDeps): Promise<TypedApp> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    trustProxy: true,
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // HTTPS-only headers would break a plain-HTTP local run (the demo on 127.0.0.1).
  const https = deps.config.publicUrl.startsWith("https://");
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    strictTransportSecurity: https ? { maxAge: 63072000, includeSubDomains: true } : false,
    referrerPolicy: { policy: "same-origin" },
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "API Vigie",
        description: "API de la plateforme Vigie du CERT Santé : annuaire, comptes, signalements.",
        version: "1.0.0",
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "vigie_session" },
          bearer: { type: "http", scheme: "bearer", description: "Jeton d'API (vig_…)" },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/api/docs", staticCSP: true });

  registerErrorHandler(app);
  registerRouteCatalogue(app);
  registerAuth(app, deps);
  registerMetrics(app);
  healthRoutes(app, deps);
  await app.register(async (api) => apiRoutes(api as TypedApp, deps), { prefix: "/api" });

  const webRoot = deps.webRoot && existsSync(deps.webRoot) ? deps.webRoot : null;
  if (webRoot) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      // Bundles have hashed names and never change; index.html must always be revalidated.
      setHeaders: (response, filePath) => {
        response.header(
          "cache-control",
          filePath.includes(`${sep}assets${sep}`) ? "public, max-age=31536000, immutable" : "no-cache",
        );
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    // Client-side routes: an unknown page (GET outside /api) gets the app, which shows its own 404.
    if (webRoot && request.method === "GET" && !request.url.startsWith("/api/")) {
      return reply.header("cache-control", "no-cache").sendFile("index.html");
    }
    return reply.status(404).send(new AppError("NOT_FOUND").toBody());
  });
  return app;
}
