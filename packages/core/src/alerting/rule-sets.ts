import {
  AlertRule,
  AppError,
  DEFAULT_ALERT_RULES,
  type RuleSetInput,
  type RuleSetView,
} from "@vigie/contracts";
import { type AlertRuleSetRow, alertingRepo, type Executor } from "@vigie/db";
import { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";

export type RuleSetViewData = z.infer<typeof RuleSetView>;
type RuleSetInputData = z.output<typeof RuleSetInput>;

/** Version number of the built-in rules, which apply until a version is published. */
export const DEFAULT_RULES_VERSION = 0;

/** The rules that decide the alerts now, and their version (0: the built-in rules). */
export interface CurrentRules {
  version: number;
  rules: AlertRule[];
}

/** Context of a change. */
export interface AlertingContext {
  now: Date;
  ip?: string | null;
}

const StoredRules = z.array(AlertRule);

/** The rules of a stored version (jsonb: both drivers return it parsed; a string is parsed too). */
function rulesOf(row: AlertRuleSetRow): AlertRule[] {
  const raw: unknown = typeof row.rules === "string" ? JSON.parse(row.rules) : row.rules;
  return StoredRules.parse(raw);
}

const iso = (value: Date | string | null): string | null => (value ? new Date(value).toISOString() : null);

function toView(row: AlertRuleSetRow, names: Map<string, string>): RuleSetViewData {
  return {
    version: row.version,
    status: row.status,
    rules: rulesOf(row),
    comment: row.comment,
    createdAt: iso(row.created_at),
    createdBy: row.created_by_user_id ? (names.get(row.created_by_user_id) ?? null) : null,
    publishedAt: iso(row.published_at),
  };
}

/** The built-in rules as a version (0), current while nothing is published. */
function defaultView(current: boolean): RuleSetViewData {
  return {
    version: DEFAULT_RULES_VERSION,
    status: current ? "default" : "retired",
    rules: DEFAULT_ALERT_RULES,
    comment: "Règles intégrées à Vigie, appliquées tant qu'aucune version n'est publiée.",
    createdAt: null,
    createdBy: null,
    publishedAt: null,
  };
}

async function presentAll(db: Executor, rows: AlertRuleSetRow[]): Promise<RuleSetViewData[]> {
  const names = await alertingRepo.userNames(
    db,
    rows.flatMap((r) => (r.created_by_user_id ? [r.created_by_user_id] : [])),
  );
  return rows.map((row) => toView(row, names));
}

/** The published rules, or the built-in ones as version 0. No access check: callers check. */
export async function currentRules(db: Executor): Promise<CurrentRules> {
  const published = await alertingRepo.findPublishedRuleSet(db);
  if (!published) return { version: DEFAULT_RULES_VERSION, rules: DEFAULT_ALERT_RULES };
  return { version: published.version, rules: rulesOf(published) };
}

/** The rules of a version (0: the built-in ones), or NOT_FOUND. No access check. */
export async function rulesOfVersion(db: Executor, version: number): Promise<AlertRule[]> {
  if (version === DEFAULT_RULES_VERSION) return DEFAULT_ALERT_RULES;
  const row = await alertingRepo.findRuleSet(db, version);
  if (!row) throw versionNotFound(version);
  return rulesOf(row);
}

function versionNotFound(version: number): AppError {
  const message = `La version ${version} des règles d'alerte n'existe pas.`;
  return new AppError("NOT_FOUND", { message, fields: [{ field: "version", message }] });
}

/** The version that applies now (the built-in rules as version 0 while nothing is published). */
export async function getCurrentRuleSet(db: Executor, actor: Actor | null): Promise<RuleSetViewData> {
  assertPermission(actor, "declarations:handle");
  const published = await alertingRepo.findPublishedRuleSet(db);
  if (!published) return defaultView(true);
  const [view] = await presentAll(db, [published]);
  if (!view) throw new Error("version publiée introuvable");
  return view;
}

/** Every version, newest first, ending with the built-in rules (version 0). */
export async function listRuleSets(db: Executor, actor: Actor | null): Promise<RuleSetViewData[]> {
  assertPermission(actor, "declarations:handle");
  const rows = await alertingRepo.listRuleSets(db);
  const views = await presentAll(db, rows);
  return [...views, defaultView(!rows.some((r) => r.status === "published"))];
}

/** Creates a draft with the next version number; audited. */
export async function createRuleSetDraft(
  db: Executor,
  actor: Actor | null,
  input: RuleSetInputData,
  context: AlertingContext,
): Promise<RuleSetViewData> {
  assertPermission(actor, "declarations:handle");
  const { now } = context;
  return db.transaction().execute(async (trx) => {
    await alertingRepo.lockRuleSets(trx);
    const row = await alertingRepo.insertRuleSetDraft(trx, {
      rules: input.rules,
      comment: input.comment || null,
      createdByUserId: actor.userId,
      at: now,
    });
    await recordAudit(
      trx,
      {
        actor,
        action: "alert_rules.draft_created",
        objectType: "alert_rule_set",
        objectId: String(row.version),
        ip: context.ip ?? null,
        details: { version: row.version, rules: input.rules.map((r) => r.id) },
      },
      now,
    );
    const [view] = await presentAll(trx, [row]);
    if (!view) throw new Error("brouillon non créé");
    return view;
  });
}

/** A published or retired version never changes: a change is a new version. */
function immutable(row: AlertRuleSetRow | undefined, version: number): AppError {
  if (!row) return versionNotFound(version);
  const message =
    row.status === "published"
      ? `La version ${version} est publiée : elle ne se modifie plus. Créez une nouvelle version.`
      : `La version ${version} est retirée : elle ne se modifie plus. Créez une nouvelle version.`;
  return new AppError("CONFLICT", { message, fields: [{ field: "version", message }] });
}

/** Replaces a draft's rules and comment (only a draft: published versions are immutable); audited. */
export async function updateRuleSetDraft(
  db: Executor,
  actor: Actor | null,
  version: number,
  input: RuleSetInputData,
  context: AlertingContext,
): Promise<RuleSetViewData> {
  assertPermission(actor, "declarations:handle");
  const { now } = context;
  if (version === DEFAULT_RULES_VERSION) throw builtInImmutable();
  return db.transaction().execute(async (trx) => {
    await alertingRepo.lockRuleSets(trx);
    const row = await alertingRepo.updateRuleSetDraft(trx, version, {
      rules: input.rules,
      comment: input.comment || null,
    });
    if (!row) throw immutable(await alertingRepo.findRuleSet(trx, version), version);
    await recordAudit(
      trx,
      {
        actor,
        action: "alert_rules.draft_updated",
        objectType: "alert_rule_set",
        objectId: String(version),
        ip: context.ip ?? null,
        details: { version, rules: input.rules.map((r) => r.id) },
      },
      now,
    );
    const [view] = await presentAll(trx, [row]);
    if (!view) throw new Error("brouillon introuvable");
    return view;
  });
}

function builtInImmutable(): AppError {
  const message = "Les règles intégrées (version 0) ne se modifient pas : créez une nouvelle version.";
  return new AppError("CONFLICT", { message, fields: [{ field: "version", message }] });
}

/**
 * A CERT lead publishes a draft: it becomes the rules that apply, the version published until
 * then is retired, in one transaction with the audit entry.
 */
export async function publishRuleSet(
  db: Executor,
  actor: Actor | null,
  version: number,
  context: AlertingContext,
): Promise<RuleSetViewData> {
  assertPermission(actor, "alert_rules:manage");
  const { now } = context;
  if (version === DEFAULT_RULES_VERSION) throw builtInImmutable();
  return db.transaction().execute(async (trx) => {
    await alertingRepo.lockRuleSets(trx);
    const row = await alertingRepo.findRuleSet(trx, version);
    if (row?.status !== "draft") throw immutable(row, version);
    // Checked again: a draft stored by an earlier version of the contracts may not parse.
    rulesOf(row);
    const { published, retired } = await alertingRepo.publishRuleSet(trx, version, {
      userId: actor.userId,
      at: now,
    });
    await recordAudit(
      trx,
      {
        actor,
        action: "alert_rules.published",
        objectType: "alert_rule_set",
        objectId: String(version),
        ip: context.ip ?? null,
        details: { version, retired: retired ?? DEFAULT_RULES_VERSION },
      },
      now,
    );
    const [view] = await presentAll(trx, [published]);
    if (!view) throw new Error("version publiée introuvable");
    return view;
  });
}
