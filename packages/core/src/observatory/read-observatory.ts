import { AppError, type ObservatoryDocument } from "@vigie/contracts";
import type { Executor } from "@vigie/db";
import { type Actor, assertPermission } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { assertRegionCode, computeObservatory } from "./compute.ts";

/**
 * The region an actor may read the observatory for (decision 0010): the CERT and the national
 * authorities any region or the nation (`null`); an ARS only its own region — a request without
 * region is answered for it, another region is refused.
 */
export function observatoryRegionFor(actor: Actor, requested: string | null): string | null {
  if (requested !== null) assertRegionCode(requested);
  if (actor.role !== "ars") return requested;
  if (!actor.regionCode) {
    throw new AppError("FORBIDDEN", {
      message:
        "Votre compte ARS n'est rattaché à aucune région : l'observatoire ne peut pas vous être présenté.",
    });
  }
  if (requested !== null && requested !== actor.regionCode) {
    throw new AppError("FORBIDDEN", {
      message: `Une ARS ne consulte l'observatoire que pour sa région (${actor.regionCode}), pas pour la région ${requested}.`,
    });
  }
  return actor.regionCode;
}

/**
 * Checks `observatory:read` and returns the region the request is answered for
 * (`observatoryRegionFor`); a refusal of the region is audited under `action` before it is thrown.
 */
export async function authorizeObservatoryRegion(
  db: Executor,
  actor: Actor | null,
  query: { year: number; region?: string | null },
  audit: { action: string; details?: Record<string, unknown>; now?: Date; ip?: string | null },
): Promise<string | null> {
  assertPermission(actor, "observatory:read");
  try {
    return observatoryRegionFor(actor, query.region ?? null);
  } catch (error) {
    if (error instanceof AppError && error.code === "FORBIDDEN") {
      await recordAudit(
        db,
        {
          actor,
          action: audit.action,
          outcome: "denied",
          ip: audit.ip ?? null,
          details: { year: query.year, region: query.region ?? null, ...audit.details },
        },
        audit.now,
      );
    }
    throw error;
  }
}

/**
 * The observatory document of a year, within what the actor may read (`observatory:read`); an
 * ARS asking for another region is refused, and the refusal audited.
 */
export async function readObservatory(
  db: Executor,
  actor: Actor | null,
  query: { year: number; region?: string | null },
  context: { now?: Date; ip?: string | null } = {},
): Promise<ObservatoryDocument> {
  const region = await authorizeObservatoryRegion(db, actor, query, {
    action: "observatory.read",
    ...context,
  });
  return computeObservatory(db, { year: query.year, region });
}
