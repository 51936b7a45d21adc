import {
  AppError,
  type AuthorisationInput,
  type AuthorisationView,
  type FieldIssue,
  type PerimeterInput,
  type PerimeterStatus,
  type PerimeterView,
} from "@vigie/contracts";
import {
  type AuthorisationRow,
  assetsRepo,
  type Executor,
  type PerimeterRow,
  exposureAuditsRepo as repo,
  type StructureRow,
} from "@vigie/db";
import ipaddr from "ipaddr.js";
import { type Actor, assertPermission } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { parisLocalTime } from "../time/paris-time.ts";
import { resolveInventoryStructure, seesOwners } from "../watch/assets/access.ts";
import { displayNetwork, normaliseDomain, normaliseNetwork } from "../watch/assets/validate-asset.ts";

/** Context of a change: when, from where, and who acts without an actor (the command line). */
export interface PerimeterChangeContext {
  now: Date;
  ip?: string | null;
  actorLabel?: string;
  /**
   * Accept loopback ranges (127.0.0.0/8, ::1): only the tests' local targets, never from the API.
   */
  allowLoopback?: boolean;
}

/** The longest an authorisation may run, in days (three years). */
export const AUTHORISATION_MAX_DAYS = 3 * 366;

const notFound = () =>
  new AppError("NOT_FOUND", {
    message: "Structure introuvable ou hors de votre périmètre.",
    fields: [{ field: "structure", message: "Structure introuvable ou hors de votre périmètre." }],
  });

const iso = (value: Date | string | null) =>
  value === null ? null : (value instanceof Date ? value : new Date(value)).toISOString();

/** Today's date in Paris (`YYYY-MM-DD`). */
export function parisToday(now: Date): string {
  return parisLocalTime(now).date;
}

/** The API's view of an authorisation. */
export function presentAuthorisation(row: AuthorisationRow, now: Date): AuthorisationView {
  const validUntil = String(row.valid_until).slice(0, 10);
  return {
    id: row.id,
    domains: row.domains,
    networks: row.networks.map(displayNetwork),
    defaultCredentials: row.default_credentials,
    reference: row.reference,
    grantedBy: row.granted_by_email,
    grantedAt: iso(row.granted_at) as string,
    validUntil,
    revokedAt: iso(row.revoked_at),
    inForce: row.revoked_at === null && validUntil >= parisToday(now),
  };
}

async function presentPerimeter(
  db: Executor,
  structure: Pick<StructureRow, "id" | "name">,
  row: PerimeterRow | undefined,
  now: Date,
): Promise<PerimeterView> {
  const authorisation =
    (await repo.findAuthorisationInForce(db, structure.id, parisToday(now))) ??
    (await repo.findLatestAuthorisation(db, structure.id));
  return {
    structureId: structure.id,
    structureName: row?.structure_name ?? structure.name,
    status: row?.status ?? "draft",
    domains: row?.domains ?? [],
    networks: (row?.networks ?? []).map(displayNetwork),
    defaultCredentialsOptIn: row?.default_credentials_opt_in ?? false,
    filteringMailbox: row?.filtering_mailbox ?? null,
    submittedAt: iso(row?.submitted_at ?? null),
    reviewNote: row?.review_note ?? null,
    authorisation: authorisation ? presentAuthorisation(authorisation, now) : null,
    ctNames: row?.ct_names ?? 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Validation

/** A perimeter as stored: names in punycode, ranges by their network address (`/32` for one). */
export interface NormalisedPerimeter {
  domains: string[];
  networks: string[];
  defaultCredentialsOptIn: boolean;
  filteringMailbox: string | null;
}

function loopbackNetwork(typed: string): string | null {
  const [address = "", prefix] = typed.split("/");
  if (!ipaddr.isValid(address)) return null;
  const parsed = ipaddr.parse(address);
  if (parsed.range() !== "loopback") return null;
  const full = parsed.kind() === "ipv4" ? 32 : 128;
  const bits = prefix === undefined ? full : Number(prefix);
  if (!Number.isInteger(bits) || bits < (full === 32 ? 8 : 120) || bits > full) return null;
  const network =
    parsed.kind() === "ipv4"
      ? ipaddr.IPv4.networkAddressFromCIDR(`${address}/${bits}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${address}/${bits}`);
  return network.toString() === parsed.toString() ? `${network.toString()}/${bits}` : null;
}

const MAILBOX = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Checks and normalises a perimeter as typed: domains (IDN → punycode, lower case, no trailing
 * dot, valid host names), ranges (valid CIDR by their network address, nothing wider than a /8
 * or an IPv6 /16, no loopback, link-local or multicast). Each problem names its field
 * (`domains.2`) and the value typed. Duplicates are dropped.
 */
export function normalisePerimeter(
  input: PerimeterInput,
  options: { allowLoopback?: boolean } = {},
): { ok: true; perimeter: NormalisedPerimeter } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const domains: string[] = [];
  input.domains.forEach((typed, i) => {
    const value = typed.trim().replace(/^\*\./, "");
    const domain = normaliseDomain(value);
    if (!domain.ok) {
      issues.push({ field: `domains.${i}`, message: `« ${typed} » : ${domain.message}` });
      return;
    }
    if (!domains.includes(domain.value)) domains.push(domain.value);
  });
  const networks: string[] = [];
  input.networks.forEach((typed, i) => {
    const loopback = options.allowLoopback ? loopbackNetwork(typed.trim()) : null;
    if (loopback) {
      if (!networks.includes(loopback)) networks.push(loopback);
      return;
    }
    const network = normaliseNetwork(typed);
    if (!network.ok) {
      issues.push({ field: `networks.${i}`, message: `« ${typed} » : ${network.message}` });
      return;
    }
    if (!networks.includes(network.value.network)) networks.push(network.value.network);
  });
  const mailbox = input.filteringMailbox?.trim().toLowerCase() || null;
  if (mailbox && !MAILBOX.test(mailbox)) {
    issues.push({
      field: "filteringMailbox",
      message: `« ${input.filteringMailbox} » : adresse de messagerie invalide, par exemple test-filtrage@ch-exemple.fr.`,
    });
  }
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    perimeter: {
      domains,
      networks,
      defaultCredentialsOptIn: input.defaultCredentialsOptIn,
      filteringMailbox: mailbox,
    },
  };
}

/**
 * Refuses (CONFLICT) ranges overlapping another structure's: its validated perimeter or
 * authorisation in force, or its inventory's addresses and ranges, each problem named by its
 * field (`fieldOf`, `networks.<i>` by default). The other structure is named to the CERT only.
 * Call under `repo.lockPerimeters`.
 */
async function assertNoOverlap(
  db: Executor,
  actor: Actor | null,
  structureId: string,
  networks: readonly string[],
  now: Date,
  fieldOf: (index: number) => string = (i) => `networks.${i}`,
): Promise<void> {
  const issues: FieldIssue[] = [];
  const today = parisToday(now);
  for (const [i, network] of networks.entries()) {
    const perimeters = await repo.findOverlappingPerimeterRanges(db, network, structureId, today);
    const assets = (await assetsRepo.findOverlappingNetworks(db, network)).filter(
      (a) => a.structure_id !== structureId,
    );
    const other = perimeters[0] ?? assets[0];
    if (!other) continue;
    const named = seesOwners(actor)
      ? ` : ${displayNetwork(other.network ?? "")} (${other.structure_name}, FINESS ${other.structure_finess})`
      : "";
    issues.push({
      field: fieldOf(i),
      message: `« ${displayNetwork(network)} » chevauche une plage d'une autre structure${named}. Contactez le CERT Santé si elle est la vôtre.`,
    });
  }
  if (issues.length > 0) throw new AppError("CONFLICT", { message: issues[0]?.message, fields: issues });
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");
}

// ---------------------------------------------------------------------------------------------
// Use cases

/** A structure's perimeter (an empty draft when none was declared); NOT_FOUND outside reach. */
export async function getPerimeter(
  db: Executor,
  actor: Actor | null,
  structureRef: string,
  now: Date = new Date(),
): Promise<PerimeterView> {
  if (actor) assertPermission(actor, "watch:read");
  const structure = await resolveInventoryStructure(db, actor, structureRef);
  return presentPerimeter(db, structure, await repo.findPerimeter(db, structure.id), now);
}

/** The perimeters of a status (all when none), for the CERT. */
export async function listPerimeters(
  db: Executor,
  actor: Actor | null,
  query: { status?: PerimeterStatus | undefined },
  now: Date = new Date(),
): Promise<PerimeterView[]> {
  if (actor) assertPermission(actor, "watch:handle");
  const rows = await repo.listPerimeters(db, { status: query.status });
  const views: PerimeterView[] = [];
  for (const row of rows) {
    views.push(await presentPerimeter(db, { id: row.structure_id, name: row.structure_name }, row, now));
  }
  return views;
}

/**
 * Saves a structure's perimeter as a draft; a perimeter already submitted stays submitted, and
 * a validated one whose domains, ranges or opt-in change is submitted again (the authorisation
 * in force keeps its snapshot until the CERT authorises the new one).
 */
export async function savePerimeter(
  db: Executor,
  actor: Actor | null,
  structureRef: string,
  input: PerimeterInput,
  context: PerimeterChangeContext,
): Promise<PerimeterView> {
  if (actor) assertPermission(actor, "watch:manage");
  const structure = await resolveInventoryStructure(db, actor, structureRef);
  const checked = normalisePerimeter(input, { allowLoopback: context.allowLoopback });
  if (!checked.ok) throw new AppError("VALIDATION_FAILED", { fields: checked.issues });
  const perimeter = checked.perimeter;
  return db.transaction().execute(async (trx) => {
    await repo.lockPerimeters(trx);
    await assertNoOverlap(
      trx,
      actor,
      structure.id,
      perimeter.networks,
      context.now,
      (i) => `networks.${input.networks.findIndex((n) => normaliseNetworkText(n) === perimeter.networks[i])}`,
    );
    const current = await repo.findPerimeter(trx, structure.id);
    const changed =
      !current ||
      !sameList(current.domains, perimeter.domains) ||
      !sameList(current.networks, perimeter.networks) ||
      current.default_credentials_opt_in !== perimeter.defaultCredentialsOptIn;
    let status: PerimeterStatus = current?.status ?? "draft";
    let submittedAt = current?.submitted_at ?? null;
    let submittedBy = current?.submitted_by_user_id ?? null;
    if (status === "rejected") status = "draft";
    if (status === "validated" && changed) {
      status = "submitted";
      submittedAt = context.now;
      submittedBy = actor?.userId ?? null;
    }
    await repo.savePerimeter(trx, {
      structure_id: structure.id,
      domains: perimeter.domains,
      networks: perimeter.networks,
      default_credentials_opt_in: perimeter.defaultCredentialsOptIn,
      filtering_mailbox: perimeter.filteringMailbox,
      status,
      submitted_at: submittedAt,
      submitted_by_user_id: submittedBy,
      review_note: status === current?.status ? (current?.review_note ?? null) : null,
      updated_at: context.now,
    });
    return recordChange(trx, actor, structure, context, {
      action: "audit_perimeter.saved",
      details: {
        status,
        domains: perimeter.domains,
        networks: perimeter.networks,
        defaultCredentialsOptIn: perimeter.defaultCredentialsOptIn,
      },
    });
  });
}

/**
 * Records a change of the structure's perimeter in the audit log (about the structure unless
 * `event` names another object), then answers the perimeter as it now stands.
 */
async function recordChange(
  trx: Executor,
  actor: Actor | null,
  structure: Pick<StructureRow, "id" | "name">,
  context: PerimeterChangeContext,
  event: { action: string; objectType?: string; objectId?: string; details: Record<string, unknown> },
): Promise<PerimeterView> {
  await recordAudit(
    trx,
    {
      actor,
      actorLabel: context.actorLabel,
      action: event.action,
      objectType: event.objectType ?? "structure",
      objectId: event.objectId ?? structure.id,
      ip: context.ip ?? null,
      details: event.details,
    },
    context.now,
  );
  return presentPerimeter(trx, structure, await repo.findPerimeter(trx, structure.id), context.now);
}

/** The stored text of a typed range (to name the field of an overlap), or null. */
function normaliseNetworkText(typed: string): string | null {
  const network = normaliseNetwork(typed);
  if (network.ok) return network.value.network;
  return loopbackNetwork(typed.trim());
}

/** Sends the perimeter to the CERT for review. */
export async function submitPerimeter(
  db: Executor,
  actor: Actor | null,
  structureRef: string,
  context: PerimeterChangeContext,
): Promise<PerimeterView> {
  if (actor) assertPermission(actor, "watch:manage");
  const structure = await resolveInventoryStructure(db, actor, structureRef);
  return db.transaction().execute(async (trx) => {
    await repo.lockPerimeters(trx);
    const current = await repo.findPerimeter(trx, structure.id);
    if (!current || (current.domains.length === 0 && current.networks.length === 0)) {
      const message = "Déclarez au moins un nom de domaine ou une plage d'adresses avant de soumettre.";
      throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "domains", message }] });
    }
    if (current.status === "validated") {
      throw new AppError("CONFLICT", {
        message: "Ce périmètre est déjà validé par le CERT : modifiez-le pour le soumettre de nouveau.",
      });
    }
    await assertNoOverlap(trx, actor, structure.id, current.networks, context.now);
    await repo.setPerimeterStatus(trx, structure.id, {
      status: "submitted",
      review_note: null,
      updated_at: context.now,
      submitted_at: context.now,
      submitted_by_user_id: actor?.userId ?? null,
    });
    return recordChange(trx, actor, structure, context, {
      action: "audit_perimeter.submitted",
      details: { domains: current.domains, networks: current.networks },
    });
  });
}

async function reviewable(db: Executor, actor: Actor | null, structureRef: string) {
  if (actor) assertPermission(actor, "watch:handle");
  const structure = await resolveInventoryStructure(db, actor, structureRef);
  return structure;
}

/**
 * The CERT authorises the audits of the submitted perimeter until `validUntil` (inclusive,
 * Paris), on the mandate `reference`: a snapshot of the perimeter becomes the authorisation in
 * force, the perimeter is validated. Refused when a range overlaps another structure's.
 */
export async function authorisePerimeter(
  db: Executor,
  actor: Actor | null,
  structureRef: string,
  input: AuthorisationInput,
  context: PerimeterChangeContext & { grantedByUserId?: string },
): Promise<PerimeterView> {
  const structure = await reviewable(db, actor, structureRef);
  const grantedBy = actor?.userId ?? context.grantedByUserId;
  if (!grantedBy) {
    throw new AppError("BAD_REQUEST", {
      message: "Indiquez le membre du CERT qui accorde l'autorisation.",
    });
  }
  const today = parisToday(context.now);
  if (input.validUntil < today) {
    const message = "La date de fin d'autorisation est passée : indiquez une date à venir.";
    throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "validUntil", message }] });
  }
  const limit = new Date(`${today}T00:00:00Z`);
  limit.setUTCDate(limit.getUTCDate() + AUTHORISATION_MAX_DAYS);
  if (input.validUntil > limit.toISOString().slice(0, 10)) {
    const message = "Une autorisation dure trois ans au plus : indiquez une date de fin plus proche.";
    throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "validUntil", message }] });
  }
  return db.transaction().execute(async (trx) => {
    await repo.lockPerimeters(trx);
    const current = await repo.findPerimeter(trx, structure.id);
    if (!current) throw notFound();
    if (current.status !== "submitted" && current.status !== "validated") {
      throw new AppError("CONFLICT", {
        message: "Seul un périmètre soumis par la structure (ou déjà validé) peut être autorisé.",
      });
    }
    if (current.domains.length === 0 && current.networks.length === 0) {
      throw new AppError("VALIDATION_FAILED", { message: "Le périmètre est vide : rien à autoriser." });
    }
    await assertNoOverlap(trx, actor, structure.id, current.networks, context.now);
    const id = await repo.insertAuthorisation(trx, {
      structure_id: structure.id,
      domains: current.domains,
      networks: current.networks,
      default_credentials: current.default_credentials_opt_in,
      reference: input.reference,
      granted_by_user_id: grantedBy,
      granted_at: context.now,
      valid_until: input.validUntil,
    });
    await repo.setPerimeterStatus(trx, structure.id, {
      status: "validated",
      review_note: null,
      updated_at: context.now,
    });
    return recordChange(trx, actor, structure, context, {
      action: "audit_perimeter.authorised",
      objectType: "audit_authorisation",
      objectId: id,
      details: {
        structureId: structure.id,
        reference: input.reference,
        validUntil: input.validUntil,
        domains: current.domains,
        networks: current.networks,
        defaultCredentials: current.default_credentials_opt_in,
      },
    });
  });
}

/** The CERT refuses the submitted perimeter, with the reason shown to the structure. */
export async function rejectPerimeter(
  db: Executor,
  actor: Actor | null,
  structureRef: string,
  input: { reason: string },
  context: PerimeterChangeContext,
): Promise<PerimeterView> {
  const structure = await reviewable(db, actor, structureRef);
  return db.transaction().execute(async (trx) => {
    const current = await repo.findPerimeter(trx, structure.id);
    if (!current) throw notFound();
    if (current.status !== "submitted") {
      throw new AppError("CONFLICT", { message: "Seul un périmètre soumis au CERT peut être refusé." });
    }
    await repo.setPerimeterStatus(trx, structure.id, {
      status: "rejected",
      review_note: input.reason,
      updated_at: context.now,
    });
    return recordChange(trx, actor, structure, context, {
      action: "audit_perimeter.rejected",
      details: { reason: input.reason },
    });
  });
}

/**
 * The CERT revokes the structure's authorisations: no audit starts any more (the waiting one
 * is cancelled); the perimeter goes back to draft with the note, to be submitted again.
 */
export async function revokeAuthorisation(
  db: Executor,
  actor: Actor | null,
  structureRef: string,
  context: PerimeterChangeContext & { reason?: string },
): Promise<PerimeterView> {
  const structure = await reviewable(db, actor, structureRef);
  return db.transaction().execute(async (trx) => {
    const revoked = await repo.revokeAuthorisations(trx, structure.id, context.now, actor?.userId ?? null);
    if (revoked === 0) {
      throw new AppError("CONFLICT", { message: "Aucune autorisation en cours pour cette structure." });
    }
    const note =
      context.reason ??
      `Autorisation révoquée par le CERT le ${new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "Europe/Paris" }).format(context.now)}.`;
    const cancelled = await repo.cancelScheduledAudits(trx, structure.id, context.now, note);
    await repo.setPerimeterStatus(trx, structure.id, {
      status: "draft",
      review_note: note,
      updated_at: context.now,
    });
    return recordChange(trx, actor, structure, context, {
      action: "audit_perimeter.revoked",
      details: { authorisations: revoked, auditsCancelled: cancelled },
    });
  });
}
