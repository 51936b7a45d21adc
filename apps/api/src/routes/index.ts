import type { AppDeps, TypedApp } from "../app.ts";
import { accountRoutes } from "./account.ts";
import { attachmentRoutes } from "./attachments.ts";
import { auditRoutes } from "./audit.ts";
import { authRoutes } from "./auth.ts";
import { declarationRoutes } from "./declarations.ts";
import { declarationV1Routes } from "./declarations-v1.ts";
import { indicatorRoutes } from "./indicators.ts";
import { oidcRoutes } from "./oidc.ts";
import { oncallRoutes } from "./oncall.ts";
import { outboxRoutes } from "./outbox.ts";
import { reflexSheetRoutes } from "./reflex-sheets.ts";
import { registrationRoutes } from "./registration.ts";
import { structureRoutes } from "./structures.ts";
import { tokenRoutes } from "./tokens.ts";
import { usersRoutes } from "./users.ts";

/** Every /api route module, registered under the /api prefix. */
export async function apiRoutes(app: TypedApp, deps: AppDeps): Promise<void> {
  accountRoutes(app, deps);
  attachmentRoutes(app, deps);
  auditRoutes(app, deps);
  authRoutes(app, deps);
  declarationRoutes(app, deps);
  declarationV1Routes(app, deps);
  indicatorRoutes(app, deps);
  oidcRoutes(app, deps);
  oncallRoutes(app, deps);
  outboxRoutes(app, deps);
  reflexSheetRoutes(app, deps);
  registrationRoutes(app, deps);
  structureRoutes(app, deps);
  tokenRoutes(app, deps);
  usersRoutes(app, deps);
}
