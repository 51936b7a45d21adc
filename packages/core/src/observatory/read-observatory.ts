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
 * The observatory document of a year, within what the actor may read (`observatory:read`); an
 * ARS asking for another region is refused, and the refusal audited.
 */
export async function readObservatory(
  db: Executor,
  actor: Actor | null,
  query: { year: number; region?: string | null },
  context: { now?: Date; ip?: string | null } = {},
): Promise<ObservatoryDocument> {
  assertPermission(actor, "observatory:read");
  let region: string | null;
  try {
    region = observatoryRegionFor(actor, query.region ?? null);
  } catch (error) {
    if (error instanceof AppError && error.code === "FORBIDDEN") {
      await recordAudit(
        db,
        {
          actor,
          action: "observatory.read",
          outcome: "denied",
          ip: context.ip ?? null,
          details: { year: query.year, region: query.region ?? null },
        },
        context.now,
      );
    }
    throw error;
  }
  return computeObservatory(db, { year: query.year, region });
}
