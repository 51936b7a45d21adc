import { AppError, type CreateShiftRequest, type ShiftView } from "@vigie/contracts";
import { type Executor, type OncallShiftWithUser, oncallRepo, usersRepo } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { PARIS_TIME_ZONE } from "../time/paris-time.ts";

export type ShiftViewData = z.infer<typeof ShiftView>;

/** Context of a rota use case. */
export interface OncallContext {
  now: Date;
  ip?: string | null;
}

/** Roles that can be on call: the CERT's analysts and leads. */
export const ONCALL_ROLES = ["cert_analyst", "cert_lead"] as const;

const parisFormat = new Intl.DateTimeFormat("fr-FR", {
  timeZone: PARIS_TIME_ZONE,
  dateStyle: "short",
  timeStyle: "short",
});

/** « 14/03/2026 20:00 », Paris time. */
export function parisLabel(at: Date): string {
  return parisFormat.format(at);
}

/** The API view of a shift. */
export function shiftView(row: OncallShiftWithUser): ShiftViewData {
  return {
    id: row.id,
    userId: row.user_id,
    fullName: row.full_name,
    email: row.email,
    startsAt: new Date(row.starts_at).toISOString(),
    endsAt: new Date(row.ends_at).toISOString(),
    position: row.position,
  };
}

/**
 * Who is on call at `at`, position 1 first (enabled accounts only). No permission check: the
 * submission path and the escalation job call it; routes go through `viewOncallNow`.
 */
export function whoIsOnCall(db: Executor, at: Date): Promise<OncallShiftWithUser[]> {
  return oncallRepo.listOnCallAt(db, at);
}

/** The rota over a period (default: from now, 14 days). CERT staff. */
export async function listShifts(
  db: Executor,
  actor: Actor | null,
  period: { from?: string | undefined; to?: string | undefined },
  context: OncallContext,
): Promise<ShiftViewData[]> {
  assertPermission(actor, "declarations:handle");
  const from = period.from ? new Date(period.from) : context.now;
  const to = period.to ? new Date(period.to) : new Date(from.getTime() + 14 * 86_400_000);
  if (to <= from) {
    const message = "La fin de la période doit être postérieure à son début.";
    throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "to", message }] });
  }
  return (await oncallRepo.listShifts(db, { from, to }, 500)).map(shiftView);
}

/**
 * A CERT lead puts a CERT analyst or lead on call over [startsAt, endsAt) at a position.
 * Refused (French message naming the field) when the end is not after the start, the person
 * is not active CERT staff, or the shift overlaps another at the same position or another
 * shift of the same person. Changes of the rota are serialised (advisory lock).
 */
export async function createShift(
  db: Executor,
  actor: Actor | null,
  request: z.output<typeof CreateShiftRequest>,
  context: OncallContext,
): Promise<ShiftViewData> {
  assertPermission(actor, "oncall:manage");
  const startsAt = new Date(request.startsAt);
  const endsAt = new Date(request.endsAt);
  if (endsAt <= startsAt) {
    const message = "La fin de l'astreinte doit être postérieure à son début.";
    throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "endsAt", message }] });
  }
  return db.transaction().execute(async (trx) => {
    const user = await usersRepo.findUserById(trx, request.userId);
    if (!user || user.disabled_at || !(ONCALL_ROLES as readonly string[]).includes(user.role)) {
      const message = "Seul un membre actif du CERT (analyste ou responsable) peut être d'astreinte.";
      throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "userId", message }] });
    }
    await oncallRepo.lockRota(trx);
    const overlaps = await oncallRepo.findOverlappingShifts(trx, {
      startsAt,
      endsAt,
      position: request.position,
      userId: request.userId,
    });
    const [other] = overlaps;
    if (other) {
      const period = `du ${parisLabel(new Date(other.starts_at))} au ${parisLabel(new Date(other.ends_at))}`;
      const samePosition = other.position === request.position;
      const message = samePosition
        ? `Ce créneau chevauche l'astreinte de ${other.full_name} au rang ${other.position} (${period}).`
        : `${other.full_name} est déjà d'astreinte au rang ${other.position} sur ce créneau (${period}).`;
      throw new AppError("CONFLICT", {
        message,
        fields: [{ field: samePosition ? "startsAt" : "userId", message }],
        details: { shiftId: other.id },
      });
    }
    const row = await oncallRepo.insertShift(trx, {
      user_id: user.id,
      starts_at: startsAt,
      ends_at: endsAt,
      position: request.position,
      created_by_user_id: actor.userId,
      created_at: context.now,
    });
    await recordAudit(
      trx,
      {
        actor,
        action: "oncall.shift_created",
        objectType: "oncall_shift",
        objectId: row.id,
        ip: context.ip ?? null,
        details: {
          userId: user.id,
          startsAt: startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
          position: row.position,
        },
      },
      context.now,
    );
    return shiftView({ ...row, full_name: user.full_name, email: user.email });
  });
}

/** A CERT lead removes a shift from the rota (NOT_FOUND when unknown). */
export async function deleteShift(
  db: Executor,
  actor: Actor | null,
  shiftId: string,
  context: OncallContext,
): Promise<void> {
  assertPermission(actor, "oncall:manage");
  await db.transaction().execute(async (trx) => {
    await oncallRepo.lockRota(trx);
    const shift = await oncallRepo.findShift(trx, shiftId);
    if (!shift) throw new AppError("NOT_FOUND", { message: "Créneau d'astreinte introuvable." });
    await oncallRepo.deleteShift(trx, shift.id);
    await recordAudit(
      trx,
      {
        actor,
        action: "oncall.shift_deleted",
        objectType: "oncall_shift",
        objectId: shift.id,
        ip: context.ip ?? null,
        details: {
          userId: shift.user_id,
          startsAt: new Date(shift.starts_at).toISOString(),
          endsAt: new Date(shift.ends_at).toISOString(),
          position: shift.position,
        },
      },
      context.now,
    );
  });
}

/** Who is on call now, for CERT staff. */
export async function viewOncallNow(
  db: Executor,
  actor: Actor | null,
  context: OncallContext,
): Promise<ShiftViewData[]> {
  assertPermission(actor, "declarations:handle");
  return (await whoIsOnCall(db, context.now)).map(shiftView);
}
