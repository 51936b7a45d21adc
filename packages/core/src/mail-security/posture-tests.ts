import {
  AppError,
  type MailControl,
  MailSecurityTestInput,
  type MailSecurityTestView,
} from "@vigie/contracts";
import { type Executor, type MailSecurityTestRow, mailSecurityRepo } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { TargetLimiter } from "../exposure-audits/scan/target-limiter.ts";
import type { ScanContext } from "../exposure-audits/scan/types.ts";
import { canReachStructure, inventoryScope, resolveInventoryStructure } from "../watch/assets/access.ts";
import { MailGuard } from "./mail-guard.ts";
import { testMailPosture } from "./posture/test-mail-posture.ts";
import { assertStructureDomain, mailScopeOf } from "./scope.ts";

/** What the posture test needs from the configuration. */
export interface MailScanSettings {
  dnsServers: string[];
  timeoutMs: number;
  ratePerSecond: number;
  userAgent: string;
  /** CA certificates trusted instead of the system's (tests only). */
  trustedCa?: string[];
  /** Tests only: the authorised networks may be loopback or private (see `MailGuard`). */
  allowNonPublic?: boolean;
}

export function mailTestView(row: MailSecurityTestRow): MailSecurityTestView {
  const controls = (row.controls as MailControl[] | null) ?? [];
  const counts = { pass: 0, warn: 0, fail: 0, info: 0 };
  for (const c of controls) counts[c.status] += 1;
  return {
    id: row.id,
    structureId: row.structure_id,
    structureName: row.structure_name,
    domain: row.domain,
    status: row.status,
    startedAt: new Date(row.started_at).toISOString(),
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
    counts,
    controls,
    error: row.error,
  };
}

/**
 * Runs the posture test of a domain of the structure now (it takes seconds), stores it and
 * returns it. `watch:manage`, on a structure within the actor's reach.
 */
export async function runMailSecurityTest(
  db: Executor,
  actor: Actor | null,
  input: z.input<typeof MailSecurityTestInput>,
  runtime: { now: Date; ip?: string | null; settings: MailScanSettings; dkimSelectors?: string[] },
): Promise<MailSecurityTestView> {
  assertPermission(actor, "watch:manage");
  const body = MailSecurityTestInput.parse(input);
  const structure = await resolveInventoryStructure(db, actor, body.structureId, "structureId");
  const scope = await mailScopeOf(db, structure.id, runtime.now);
  const domain = assertStructureDomain(scope, body.domain);
  const started = await mailSecurityRepo.insertMailSecurityTest(db, {
    structure_id: structure.id,
    domain,
    status: "running",
    requested_by_user_id: actor.userId,
    started_at: runtime.now,
  });
  await recordAudit(
    db,
    {
      actor,
      action: "mail_security.test.run",
      objectType: "mail_security_test",
      objectId: started.id,
      ip: runtime.ip ?? null,
      details: { structureId: structure.id, domain },
    },
    runtime.now,
  );
  const ctx: ScanContext = {
    guard: new MailGuard([domain], scope.networks, {
      allowNonPublic: runtime.settings.allowNonPublic === true,
    }),
    limiter: new TargetLimiter(runtime.settings.ratePerSecond),
    userAgent: runtime.settings.userAgent,
    dnsServers: runtime.settings.dnsServers,
    timeoutMs: runtime.settings.timeoutMs,
    allowDefaultCredentials: false,
  };
  try {
    const controls = await testMailPosture(ctx, domain, runtime.now, {
      ...(runtime.settings.trustedCa ? { trustedCa: runtime.settings.trustedCa } : {}),
      ...(runtime.dkimSelectors ? { dkimSelectors: runtime.dkimSelectors } : {}),
    });
    await mailSecurityRepo.finishMailSecurityTest(db, started.id, {
      status: "succeeded",
      finished_at: new Date(),
      controls: JSON.stringify(controls),
      error: null,
    });
  } catch (err) {
    await mailSecurityRepo.finishMailSecurityTest(db, started.id, {
      status: "failed",
      finished_at: new Date(),
      controls: null,
      error: `Le test n'a pas pu aboutir : ${(err as Error).message}`.slice(0, 500),
    });
  }
  return getMailSecurityTest(db, actor, started.id);
}

function notFound(): AppError {
  return new AppError("NOT_FOUND", { message: "Test de messagerie introuvable." });
}

export async function getMailSecurityTest(
  db: Executor,
  actor: Actor | null,
  id: string,
): Promise<MailSecurityTestView> {
  assertPermission(actor, "watch:read");
  const row = await mailSecurityRepo.findMailSecurityTest(db, id);
  if (!row || !canReachStructure(actor, row.structure_id)) throw notFound();
  return mailTestView(row);
}

/** The tests of the structures within reach (one structure when named), most recent first. */
export async function listMailSecurityTests(
  db: Executor,
  actor: Actor | null,
  filter: { structureId?: string | undefined },
): Promise<MailSecurityTestView[]> {
  assertPermission(actor, "watch:read");
  const rows = await mailSecurityRepo.listMailSecurityTests(db, {
    structureIds: inventoryScope(actor),
    structureId: filter.structureId,
    limit: 200,
  });
  return rows.map(mailTestView);
}
