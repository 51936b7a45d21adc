import { type AddIndicatorRequest, AppError, type IndicatorView } from "@vigie/contracts";
import { type Executor, type IndicatorRow, type IndicatorWithAuthorRow, indicatorsRepo } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission, incidentScope } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { findReadableDeclaration } from "../declarations/read-declarations.ts";
import { indicatorTraits, normaliseIndicator } from "./extract.ts";

export type IndicatorViewData = z.infer<typeof IndicatorView>;

/** Context of an indicator use case. */
export interface IndicatorContext {
  now: Date;
  ip?: string | null;
}

/** « vu dans 1 autre dossier », « vu dans 3 autres dossiers », or null. */
export function correlationLabel(count: number): string | null {
  if (count === 0) return null;
  return count === 1 ? "vu dans 1 autre dossier" : `vu dans ${count} autres dossiers`;
}

function toView(
  row: IndicatorRow | IndicatorWithAuthorRow,
  others: { incident_id: string; reference: string; title: string; declared_at: Date }[],
): IndicatorViewData {
  const traits = indicatorTraits(row.kind, row.value);
  return {
    id: row.id,
    kind: row.kind,
    value: row.value,
    source: row.source,
    sourceId: row.source_id,
    firstSeenAt: new Date(row.first_seen_at).toISOString(),
    addedBy: "added_by_name" in row ? row.added_by_name : null,
    internal: traits.internal,
    hashType: traits.hashType,
    correlation: {
      count: others.length,
      label: correlationLabel(others.length),
      incidents: others.map((o) => ({
        id: o.incident_id,
        reference: o.reference,
        title: o.title,
        declaredAt: new Date(o.declared_at).toISOString(),
      })),
    },
  };
}

/**
 * A declaration's indicators of compromise (dismissed ones left out), each with the other
 * declarations within the actor's scope that hold it too. CERT only.
 */
export async function listIndicators(
  db: Executor,
  actor: Actor | null,
  incidentId: string,
  context: IndicatorContext,
): Promise<IndicatorViewData[]> {
  assertPermission(actor, "declarations:handle");
  await findReadableDeclaration(db, actor, incidentId, context);
  const rows = await indicatorsRepo.listActiveIndicators(db, incidentId);
  const correlations = await indicatorsRepo.listCorrelations(db, incidentId, incidentScope(actor));
  return rows.map((row) =>
    toView(
      row,
      correlations.filter((c) => c.kind === row.kind && c.value === row.value),
    ),
  );
}

/**
 * An analyst records an indicator by hand, validated for its kind (VALIDATION_FAILED naming
 * `value`); one dismissed earlier is brought back, one already active is a CONFLICT.
 */
export async function addIndicator(
  db: Executor,
  actor: Actor | null,
  incidentId: string,
  request: z.output<typeof AddIndicatorRequest>,
  context: IndicatorContext,
): Promise<IndicatorViewData> {
  assertPermission(actor, "declarations:handle");
  const incident = await findReadableDeclaration(db, actor, incidentId, context);
  const normalised = normaliseIndicator(request.kind, request.value);
  if (!normalised.ok) {
    throw new AppError("VALIDATION_FAILED", {
      message: normalised.message,
      fields: [{ field: "value", message: normalised.message }],
    });
  }
  const { value } = normalised;
  const row = await db.transaction().execute(async (trx) => {
    const existing = await indicatorsRepo.findIndicatorByValue(trx, incidentId, request.kind, value);
    if (existing && existing.deleted_at === null) {
      const message = "Cet indicateur figure déjà dans le dossier.";
      throw new AppError("CONFLICT", { message, fields: [{ field: "value", message }] });
    }
    const saved = existing
      ? await indicatorsRepo.restoreIndicator(trx, existing.id, actor.userId)
      : await indicatorsRepo.insertIndicator(trx, {
          incident_id: incidentId,
          kind: request.kind,
          value,
          source: "analyst",
          source_id: null,
          first_seen_at: context.now,
          added_by_user_id: actor.userId,
        });
    await recordAudit(
      trx,
      {
        actor,
        action: "indicator.added",
        objectType: "incident",
        objectId: incidentId,
        ip: context.ip ?? null,
        details: {
          reference: incident.reference,
          indicatorId: saved.id,
          kind: request.kind,
          value,
          restored: existing !== undefined,
        },
      },
      context.now,
    );
    return saved;
  });
  const [view] = (await listIndicators(db, actor, incidentId, context)).filter((i) => i.id === row.id);
  return view ?? toView(row, []);
}

/**
 * An analyst dismisses an indicator (a false positive): it is kept, hidden, and later
 * extractions do not bring it back. NOT_FOUND when it is not one of this declaration's.
 */
export async function dismissIndicator(
  db: Executor,
  actor: Actor | null,
  incidentId: string,
  indicatorId: string,
  context: IndicatorContext,
): Promise<void> {
  assertPermission(actor, "declarations:handle");
  const incident = await findReadableDeclaration(db, actor, incidentId, context);
  await db.transaction().execute(async (trx) => {
    const indicator = await indicatorsRepo.findIndicator(trx, incidentId, indicatorId);
    if (!indicator || indicator.deleted_at !== null) {
      throw new AppError("NOT_FOUND", { message: "Indicateur introuvable." });
    }
    await indicatorsRepo.dismissIndicator(trx, indicator.id, actor.userId, context.now);
    await recordAudit(
      trx,
      {
        actor,
        action: "indicator.dismissed",
        objectType: "incident",
        objectId: incidentId,
        ip: context.ip ?? null,
        details: {
          reference: incident.reference,
          indicatorId: indicator.id,
          kind: indicator.kind,
          value: indicator.value,
        },
      },
      context.now,
    );
  });
}
