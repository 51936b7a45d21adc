import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import {
  AppError,
  FilteringArrivalsInput,
  FilteringCampaignInput,
  type FilteringCampaignView,
  type FilteringCategory,
  FilteringImapCheckInput,
  filteringCategories,
  filteringCategoryLabels,
} from "@vigie/contracts";
import { type Executor, type MailFilterCampaignRow, mailSecurityRepo } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { canReachStructure, inventoryScope, resolveInventoryStructure } from "../watch/assets/access.ts";
import { buildFilteringBattery } from "./filtering/battery.ts";
import { campaignTag } from "./filtering/compose.ts";
import { findArrivedTokens } from "./filtering/imap-check.ts";
import { addressOf, sendFilteringBattery } from "./filtering/send-battery.ts";
import { MailGuard } from "./mail-guard.ts";
import { assertStructureMailbox, mailScopeOf } from "./scope.ts";

/** A message of a campaign as stored (never the raw message). */
export interface StoredBatteryMessage {
  token: string;
  code: string;
  category: FilteringCategory;
  title: string;
}

/** What sending and checking need from the configuration. */
export interface FilteringSettings {
  /** `MAIL_TEST_SMTP_URL`, else `SMTP_URL`; null: sending impossible. */
  transportUrl: string | null;
  /** `MAIL_FROM`: the envelope sender; its domain is the platform's. */
  mailFrom: string;
  timeoutMs: number;
  /** CA certificates trusted for IMAP over TLS (tests only). */
  trustedCa?: string[];
  /** Tests only: the authorised networks may be loopback or private (see `MailGuard`). */
  allowNonPublic?: boolean;
}

export function campaignView(row: MailFilterCampaignRow): FilteringCampaignView {
  const messages = (row.messages as StoredBatteryMessage[]) ?? [];
  const arrived = row.arrived_tokens ? new Set(row.arrived_tokens) : null;
  const byCategory = filteringCategories.map((category) => {
    const inCategory = messages.filter((m) => m.category === category);
    return {
      category,
      label: filteringCategoryLabels[category],
      sent: inCategory.length,
      arrived: arrived ? inCategory.filter((m) => arrived.has(m.token)).length : 0,
    };
  });
  return {
    id: row.id,
    structureId: row.structure_id,
    structureName: row.structure_name,
    mailbox: row.mailbox,
    status: row.status,
    createdAt: new Date(row.created_at).toISOString(),
    sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null,
    reportedAt: row.reported_at ? new Date(row.reported_at).toISOString() : null,
    reportedVia: row.reported_via,
    messages: messages.map((m) => ({ ...m, arrived: arrived ? arrived.has(m.token) : null })),
    byCategory,
    error: row.error,
  };
}

function notFound(): AppError {
  return new AppError("NOT_FOUND", { message: "Campagne de test de filtrage introuvable." });
}

async function readCampaign(db: Executor, actor: Actor | null, id: string): Promise<MailFilterCampaignRow> {
  const row = await mailSecurityRepo.findFilterCampaign(db, id);
  if (!row || !canReachStructure(actor, row.structure_id)) throw notFound();
  return row;
}

/**
 * Builds the battery for a mailbox of the structure, stores it (tokens, codes, categories,
 * titles — never the messages), sends it through the test relay and records the outcome.
 */
export async function launchFilteringCampaign(
  db: Executor,
  actor: Actor | null,
  input: z.input<typeof FilteringCampaignInput>,
  runtime: { now: Date; ip?: string | null; settings: FilteringSettings },
): Promise<FilteringCampaignView> {
  assertPermission(actor, "watch:manage");
  const body = FilteringCampaignInput.parse(input);
  const structure = await resolveInventoryStructure(db, actor, body.structureId, "structureId");
  const mailbox = assertStructureMailbox(await mailScopeOf(db, structure.id, runtime.now), body.mailbox);
  const transportUrl = runtime.settings.transportUrl;
  if (!transportUrl) {
    throw new AppError("SERVICE_UNAVAILABLE", {
      message:
        "Aucun relais SMTP n'est configuré (MAIL_TEST_SMTP_URL ou SMTP_URL) : la campagne ne peut pas être envoyée.",
    });
  }
  const created = await mailSecurityRepo.insertFilterCampaign(db, {
    structure_id: structure.id,
    mailbox,
    status: "sending",
    created_by_user_id: actor.userId,
    created_at: runtime.now,
    messages: "[]",
  });
  const senderAddress = addressOf(runtime.settings.mailFrom);
  const battery = await buildFilteringBattery({
    campaignId: created.id,
    to: mailbox,
    senderDomain: senderAddress.split("@")[1] ?? "vigie.localhost",
    targetDomain: mailbox.split("@")[1] ?? "",
    now: runtime.now,
  });
  const stored: StoredBatteryMessage[] = battery.map(({ token, code, category, title }) => ({
    token,
    code,
    category,
    title,
  }));
  await mailSecurityRepo.updateFilterCampaign(db, created.id, { messages: JSON.stringify(stored) });
  await recordAudit(
    db,
    {
      actor,
      action: "mail_security.campaign.send",
      objectType: "mail_filter_campaign",
      objectId: created.id,
      ip: runtime.ip ?? null,
      details: { structureId: structure.id, mailbox, messages: stored.length },
    },
    runtime.now,
  );
  let status: "sent" | "failed" = "failed";
  let error: string | null = null;
  try {
    const report = await sendFilteringBattery(
      transportUrl,
      battery,
      { from: senderAddress, to: mailbox },
      { timeoutMs: runtime.settings.timeoutMs },
    );
    status = report.sent.length > 0 ? "sent" : "failed";
    if (report.failed.length > 0) {
      error = `${report.failed.length} message(s) refusé(s) par le relais : ${report.failed
        .slice(0, 5)
        .map((f) => `${f.token} (${f.error})`)
        .join(" ; ")}`.slice(0, 1000);
    }
  } catch (err) {
    error = `Envoi impossible : ${(err as Error).message}`.slice(0, 1000);
  }
  await mailSecurityRepo.updateFilterCampaign(db, created.id, {
    status,
    sent_at: status === "sent" ? new Date() : null,
    error,
  });
  return getFilteringCampaign(db, actor, created.id);
}

export async function getFilteringCampaign(
  db: Executor,
  actor: Actor | null,
  id: string,
): Promise<FilteringCampaignView> {
  assertPermission(actor, "watch:read");
  return campaignView(await readCampaign(db, actor, id));
}

export async function listFilteringCampaigns(
  db: Executor,
  actor: Actor | null,
  filter: { structureId?: string | undefined },
): Promise<FilteringCampaignView[]> {
  assertPermission(actor, "watch:read");
  const rows = await mailSecurityRepo.listFilterCampaigns(db, {
    structureIds: inventoryScope(actor),
    structureId: filter.structureId,
    limit: 200,
  });
  return rows.map(campaignView);
}

async function storeArrivals(
  db: Executor,
  actor: Actor,
  row: MailFilterCampaignRow,
  tokens: readonly string[],
  via: "structure" | "imap",
  runtime: { now: Date; ip?: string | null },
): Promise<FilteringCampaignView> {
  await db.transaction().execute(async (trx) => {
    await mailSecurityRepo.updateFilterCampaign(trx, row.id, {
      status: "reported",
      arrived_tokens: [...new Set(tokens)].sort(),
      reported_at: runtime.now,
      reported_via: via,
      reported_by_user_id: actor.userId,
    });
    await recordAudit(
      trx,
      {
        actor,
        action: via === "imap" ? "mail_security.campaign.imap_check" : "mail_security.campaign.arrivals",
        objectType: "mail_filter_campaign",
        objectId: row.id,
        ip: runtime.ip ?? null,
        details: { structureId: row.structure_id, arrived: new Set(tokens).size },
      },
      runtime.now,
    );
  });
  return getFilteringCampaign(db, actor, row.id);
}

async function reportableCampaign(
  db: Executor,
  actor: Actor | null,
  id: string,
): Promise<MailFilterCampaignRow> {
  const row = await readCampaign(db, actor, id);
  if (row.status !== "sent" && row.status !== "reported") {
    throw new AppError("CONFLICT", {
      message: "Cette campagne n'a pas été envoyée : rien ne peut être constaté.",
    });
  }
  return row;
}

/** The structure's report of what arrived: tokens ticked in the page. Unknown tokens are refused. */
export async function reportFilteringArrivals(
  db: Executor,
  actor: Actor | null,
  id: string,
  input: z.input<typeof FilteringArrivalsInput>,
  runtime: { now: Date; ip?: string | null },
): Promise<FilteringCampaignView> {
  assertPermission(actor, "watch:manage");
  const body = FilteringArrivalsInput.parse(input);
  const row = await reportableCampaign(db, actor, id);
  const known = new Set(((row.messages as StoredBatteryMessage[]) ?? []).map((m) => m.token));
  const unknown = body.arrivedTokens.filter((t) => !known.has(t));
  if (unknown.length > 0) {
    const message = `Référence(s) inconnue(s) pour cette campagne : ${unknown.slice(0, 10).join(", ")}.`;
    throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "arrivedTokens", message }] });
  }
  return storeArrivals(db, actor, row, body.arrivedTokens, "structure", runtime);
}

/**
 * Checks the mailbox over IMAP (read-only) for the campaign's messages. The password is used
 * for this connection only: never stored, never logged, never in the audit entry.
 */
export async function checkFilteringArrivalsByImap(
  db: Executor,
  actor: Actor | null,
  id: string,
  input: z.input<typeof FilteringImapCheckInput>,
  runtime: { now: Date; ip?: string | null; settings: FilteringSettings },
): Promise<FilteringCampaignView> {
  assertPermission(actor, "watch:manage");
  const body = FilteringImapCheckInput.parse(input);
  const row = await reportableCampaign(db, actor, id);
  const scope = await mailScopeOf(db, row.structure_id, runtime.now);
  const guard = new MailGuard(scope.domains, scope.networks, {
    allowNonPublic: runtime.settings.allowNonPublic === true,
  });
  let addresses: string[];
  try {
    addresses = isIP(body.host)
      ? [body.host]
      : (await lookup(body.host, { all: true })).map((a) => a.address);
  } catch {
    const message = "Ce serveur IMAP ne se résout vers aucune adresse.";
    throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "host", message }] });
  }
  const ip = addresses.find((a) => guard.allowsIp(a));
  if (!ip) {
    const message = "Ce serveur IMAP a une adresse privée ou réservée que la plateforme ne peut pas joindre.";
    throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "host", message }] });
  }
  const messages = (row.messages as StoredBatteryMessage[]) ?? [];
  let tokens: string[];
  try {
    tokens = await findArrivedTokens({
      ip,
      host: body.host,
      port: body.port,
      secure: body.secure,
      user: body.user,
      password: body.password,
      tag: `VIGIE-${campaignTag(row.id)}`,
      tokens: messages.map((m) => m.token),
      timeoutMs: runtime.settings.timeoutMs,
      ...(runtime.settings.trustedCa ? { trustedCa: runtime.settings.trustedCa } : {}),
    });
  } catch (err) {
    const failure = err as { authenticationFailed?: boolean; tlsFailed?: boolean };
    const reason = failure.authenticationFailed
      ? "identifiant ou mot de passe refusé"
      : failure.tlsFailed && !body.secure
        ? "le serveur ne propose pas STARTTLS (ou la négociation a échoué) : le mot de passe n'est jamais envoyé en clair, utilisez IMAP sur TLS (port 993) ou activez STARTTLS"
        : ((err as Error).message || "erreur inconnue").replaceAll(body.password, "***");
    const message = `Connexion IMAP impossible : ${reason}.`;
    throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "host", message }] });
  }
  return storeArrivals(db, actor, row, tokens, "imap", runtime);
}
