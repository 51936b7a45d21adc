import type { AppDeps, TypedApp } from "../app.ts";
import { accountRoutes } from "./account.ts";
import { alertingRoutes } from "./alerting.ts";
import { attachmentRoutes } from "./attachments.ts";
import { auditRoutes } from "./audit.ts";
import { authRoutes } from "./auth.ts";
import { authorityViewRoutes } from "./authority-views.ts";
import { caseJournalRoutes } from "./case-journal.ts";
import { caseRoutes } from "./cases.ts";
import { clockRoutes } from "./clocks.ts";
import { declarationRoutes } from "./declarations.ts";
import { declarationV1Routes } from "./declarations-v1.ts";
import { eventRoutes } from "./events.ts";
import { indicatorRoutes } from "./indicators.ts";
import { oidcRoutes } from "./oidc.ts";
import { oncallRoutes } from "./oncall.ts";
import { outboxRoutes } from "./outbox.ts";
import { reflexSheetRoutes } from "./reflex-sheets.ts";
import { registrationRoutes } from "./registration.ts";
import { savedViewRoutes } from "./saved-views.ts";
import { structureRoutes } from "./structures.ts";
import { tokenRoutes } from "./tokens.ts";
import { usersRoutes } from "./users.ts";

/** Every /api route module, registered under the /api prefix. */
export async function apiRoutes(app: TypedApp, deps: AppDeps): Promise<void> {
  accountRoutes(app, deps);
  alertingRoutes(app, deps);
  attachmentRoutes(app, deps);
  auditRoutes(app, deps);
  authRoutes(app, deps);
  authorityViewRoutes(app, deps);
  caseRoutes(app, deps);
  caseJournalRoutes(app, deps);
  clockRoutes(app, deps);
  declarationRoutes(app, deps);
  declarationV1Routes(app, deps);
  eventRoutes(app, deps);
  indicatorRoutes(app, deps);
  oidcRoutes(app, deps);
  oncallRoutes(app, deps);
  outboxRoutes(app, deps);
  reflexSheetRoutes(app, deps);
  registrationRoutes(app, deps);
  savedViewRoutes(app, deps);
  structureRoutes(app, deps);
  tokenRoutes(app, deps);
  usersRoutes(app, deps);
}
