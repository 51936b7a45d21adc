import {
  AppError,
  type AssetInput,
  type AssetListQuery,
  type AssetView,
  type CreateAssetRequest,
  type FieldIssue,
} from "@vigie/contracts";
import {
  type AssetRow,
  type AssetWithStructureRow,
  assetsRepo,
  type Executor,
  type NewAssetRow,
} from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../../access/policy.ts";
import { isUniqueViolation } from "../../accounts/create-account.ts";
import { recordAudit } from "../../audit/record-audit.ts";
import { normaliseProduct } from "../matching/cpe.ts";
import { closeTicketsOfAsset } from "../tickets/close-tickets-of-asset.ts";
import { canReachStructure, inventoryScope, resolveInventoryStructure, seesOwners } from "./access.ts";
import { assetIdentity, displayNetwork, type NormalisedAsset, validateAsset } from "./validate-asset.ts";

/** Context of a change to an inventory. */
export interface AssetChangeContext {
  now: Date;
  ip?: string | null;
  /** Who acts when there is no actor (the command line). */
  actorLabel?: string;
}

/** The note of the history row of a ticket closed because its asset was removed. */
export const ASSET_REMOVED_NOTE = "Actif retiré de l'inventaire";

const iso = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString();

/** The API's view of an asset row. */
export function presentAsset(row: AssetWithStructureRow): AssetView {
  return {
    id: row.id,
    structureId: row.structure_id,
    structureName: row.structure_name,
    structureFiness: row.structure_finess,
    kind: row.kind as AssetView["kind"],
    value: row.domain ?? (row.network ? displayNetwork(row.network) : null),
    vendor: row.vendor,
    product: row.product,
    version: row.version,
    cpe: row.cpe,
    host: row.host,
    port: row.port,
    transport: row.transport as AssetView["transport"],
    service: row.service,
    matchVendor: row.match_vendor,
    matchProduct: row.match_product,
    label: row.label,
    source: row.source as AssetView["source"],
    openTickets: Number(row.open_tickets),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** The columns of a normalised asset, with the CPE vendor and product the matching uses. */
export function assetColumns(asset: NormalisedAsset) {
  const match = asset.product ? normaliseProduct(asset.vendor, asset.product, asset.cpe) : null;
  return {
    kind: asset.kind,
    domain: asset.domain,
    network: asset.network,
    host: asset.host,
    port: asset.port,
    transport: asset.transport,
    service: asset.service,
    vendor: asset.vendor,
    product: asset.product,
    version: asset.version,
    cpe: asset.cpe,
    label: asset.label,
    match_vendor: match?.matchVendor || null,
    match_product: match?.matchProduct || null,
  } satisfies Partial<NewAssetRow>;
}

/** The stored row as a normalised asset (to compare identities). */
export function rowAsAsset(row: AssetRow): NormalisedAsset {
  return {
    kind: row.kind as NormalisedAsset["kind"],
    domain: row.domain,
    network: row.network,
    host: row.host,
    port: row.port,
    transport: row.transport as NormalisedAsset["transport"],
    service: row.service,
    vendor: row.vendor,
    product: row.product,
    version: row.version,
    cpe: row.cpe,
    label: row.label,
  };
}

function validationFailed(issues: FieldIssue[]): AppError {
  return new AppError("VALIDATION_FAILED", { fields: issues });
}

/**
 * Why a structure may not take this asset, or null: a domain or an overlapping address range
 * owned by another structure (named to the CERT only), or the same asset already in its own
 * inventory. Call under `assetsRepo.lockOwnership`.
 */
export async function ownershipProblem(
  db: Executor,
  actor: Actor | null,
  structureId: string,
  asset: NormalisedAsset,
  exceptAssetId?: string,
): Promise<string | null> {
  const owner = (o: { structure_name: string; structure_finess: string }) =>
    seesOwners(actor) ? ` (${o.structure_name}, FINESS ${o.structure_finess})` : "";
  if (asset.kind === "domain" && asset.domain) {
    const taken = await assetsRepo.findDomainOwner(db, asset.domain);
    if (!taken || taken.id === exceptAssetId) return null;
    return taken.structure_id === structureId
      ? "Ce nom de domaine est déjà dans l'inventaire de la structure."
      : `Ce nom de domaine appartient à une autre structure${owner(taken)}. Contactez le CERT Santé s'il est le vôtre.`;
  }
  if (asset.network) {
    const overlapping = await assetsRepo.findOverlappingNetworks(db, asset.network, exceptAssetId);
    const foreign = overlapping.find((o) => o.structure_id !== structureId);
    const what = asset.kind === "ip" ? "Cette adresse" : "Cette plage";
    if (foreign) {
      const detail = seesOwners(actor) ? ` : ${displayNetwork(foreign.network ?? "")}${owner(foreign)}` : "";
      return `${what} appartient à une autre structure ou chevauche l'une de ses plages${detail}. Contactez le CERT Santé si elle est la vôtre.`;
    }
    if (overlapping.some((o) => o.network === asset.network)) {
      return `${what} est déjà dans l'inventaire de la structure.`;
    }
    return null;
  }
  const identity = assetIdentity(asset);
  const same = (await assetsRepo.listStructureAssets(db, structureId)).find(
    (row) =>
      row.id !== exceptAssetId && row.kind === asset.kind && assetIdentity(rowAsAsset(row)) === identity,
  );
  if (!same) return null;
  return asset.kind === "service"
    ? "Ce service (même hôte, port et protocole) est déjà dans l'inventaire de la structure."
    : "Ce produit (même éditeur, produit, version et hôte) est déjà dans l'inventaire de la structure.";
}

function conflict(asset: NormalisedAsset, message: string): AppError {
  const field = asset.kind === "product" ? "product" : asset.kind === "service" ? "port" : "value";
  return new AppError("CONFLICT", { message, fields: [{ field, message }] });
}

async function loadReachable(db: Executor, actor: Actor | null, id: string): Promise<AssetWithStructureRow> {
  const row = await assetsRepo.findAssetById(db, id);
  if (!row || !canReachStructure(actor, row.structure_id)) {
    throw new AppError("NOT_FOUND", { message: "Actif introuvable." });
  }
  return row;
}

function auditDetails(row: { structure_id: string } & Partial<NewAssetRow>) {
  return {
    structureId: row.structure_id,
    kind: row.kind,
    value: row.domain ?? row.network ?? null,
    vendor: row.vendor ?? null,
    product: row.product ?? null,
    version: row.version ?? null,
    host: row.host ?? null,
    port: row.port ?? null,
    service: row.service ?? null,
  };
}

/** One page of the inventory within the actor's structures (the CERT: every structure). */
export async function listAssets(
  db: Executor,
  actor: Actor | null,
  query: z.output<typeof AssetListQuery>,
): Promise<{ items: AssetView[]; total: number; page: number; pageSize: number }> {
  if (actor) assertPermission(actor, "watch:read");
  let structureIds = inventoryScope(actor);
  if (query.structure) structureIds = [(await resolveInventoryStructure(db, actor, query.structure)).id];
  const { rows, total } = await assetsRepo.listAssets(
    db,
    { structureIds, kind: query.kind, text: query.q },
    { offset: (query.page - 1) * query.pageSize, limit: query.pageSize },
  );
  return { items: rows.map(presentAsset), total, page: query.page, pageSize: query.pageSize };
}

/** One asset, NOT_FOUND outside the actor's structures. */
export async function getAsset(db: Executor, actor: Actor | null, id: string): Promise<AssetView> {
  if (actor) assertPermission(actor, "watch:read");
  return presentAsset(await loadReachable(db, actor, id));
}

/** Adds an asset to a structure's inventory (ownership and duplicates checked under one lock). */
export async function createAsset(
  db: Executor,
  actor: Actor | null,
  request: z.output<typeof CreateAssetRequest>,
  context: AssetChangeContext,
): Promise<AssetView> {
  if (actor) assertPermission(actor, "watch:manage");
  const structure = await resolveInventoryStructure(db, actor, request.structure);
  const checked = validateAsset(request);
  if (!checked.ok) throw validationFailed(checked.issues);
  const asset = checked.asset;
  try {
    return await db.transaction().execute(async (trx) => {
      await assetsRepo.lockOwnership(trx);
      const problem = await ownershipProblem(trx, actor, structure.id, asset);
      if (problem) throw conflict(asset, problem);
      const [row] = await assetsRepo.insertAssets(trx, [
        {
          ...assetColumns(asset),
          structure_id: structure.id,
          source: "manual",
          created_by_user_id: actor?.userId ?? null,
          created_at: context.now,
          updated_at: context.now,
        },
      ]);
      if (!row) throw new AppError("INTERNAL");
      await recordAudit(
        trx,
        {
          actor,
          actorLabel: context.actorLabel,
          action: "asset.created",
          objectType: "asset",
          objectId: row.id,
          ip: context.ip ?? null,
          details: auditDetails(row),
        },
        context.now,
      );
      return presentAsset(await loadReachable(trx, actor, row.id));
    });
  } catch (error) {
    // The lock makes this unlikely; the unique index on domains is the last word.
    if (isUniqueViolation(error)) throw conflict(asset, "Ce nom de domaine est déjà déclaré.");
    throw error;
  }
}

/** Replaces an asset's fields (same structure); `updated_at` tells the incremental matching. */
export async function updateAsset(
  db: Executor,
  actor: Actor | null,
  id: string,
  request: z.output<typeof AssetInput>,
  context: AssetChangeContext,
): Promise<AssetView> {
  if (actor) assertPermission(actor, "watch:manage");
  const current = await loadReachable(db, actor, id);
  const checked = validateAsset(request);
  if (!checked.ok) throw validationFailed(checked.issues);
  const asset = checked.asset;
  try {
    return await db.transaction().execute(async (trx) => {
      await assetsRepo.lockOwnership(trx);
      const problem = await ownershipProblem(trx, actor, current.structure_id, asset, id);
      if (problem) throw conflict(asset, problem);
      const row = await assetsRepo.updateAsset(trx, id, { ...assetColumns(asset), updated_at: context.now });
      if (!row) throw new AppError("NOT_FOUND", { message: "Actif introuvable." });
      await recordAudit(
        trx,
        {
          actor,
          actorLabel: context.actorLabel,
          action: "asset.updated",
          objectType: "asset",
          objectId: id,
          ip: context.ip ?? null,
          details: { before: auditDetails(current), after: auditDetails(row) },
        },
        context.now,
      );
      return presentAsset(await loadReachable(trx, actor, id));
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(asset, "Ce nom de domaine est déjà déclaré.");
    throw error;
  }
}

/** Removes an asset; its open tickets become fixed (« Actif retiré de l'inventaire »). */
export async function deleteAsset(
  db: Executor,
  actor: Actor | null,
  id: string,
  context: AssetChangeContext,
): Promise<{ ticketsClosed: number }> {
  if (actor) assertPermission(actor, "watch:manage");
  const current = await loadReachable(db, actor, id);
  return db.transaction().execute(async (trx) => {
    const ticketsClosed = await closeTicketsOfAsset(trx, id, context.now, ASSET_REMOVED_NOTE);
    if (!(await assetsRepo.deleteAsset(trx, id)))
      throw new AppError("NOT_FOUND", { message: "Actif introuvable." });
    await recordAudit(
      trx,
      {
        actor,
        actorLabel: context.actorLabel,
        action: "asset.deleted",
        objectType: "asset",
        objectId: id,
        ip: context.ip ?? null,
        details: { ...auditDetails(current), ticketsClosed },
      },
      context.now,
    );
    return { ticketsClosed };
  });
}
