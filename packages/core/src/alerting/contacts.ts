import { AppError, type AuthorityContactInput, type AuthorityContactView } from "@vigie/contracts";
import { type AuthorityContactRow, alertingRepo, type Executor, regionsRepo } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { AlertingContext } from "./rule-sets.ts";

export type AuthorityContactViewData = z.infer<typeof AuthorityContactView>;

function toView(row: AuthorityContactRow): AuthorityContactViewData {
  return {
    id: row.id,
    target: row.authority,
    regionCode: row.region_code,
    email: row.email,
    label: row.label,
  };
}

function invalid(field: string, message: string): AppError {
  return new AppError("VALIDATION_FAILED", { message, fields: [{ field, message }] });
}

/** Where each authority receives its alerts (the ARS: per region). */
export async function listAuthorityContacts(
  db: Executor,
  actor: Actor | null,
): Promise<AuthorityContactViewData[]> {
  assertPermission(actor, "declarations:handle");
  return (await alertingRepo.listContacts(db)).map(toView);
}

/**
 * A CERT lead adds an address of an authority: the ARS's names its region (one that exists),
 * the national authorities' never do; the same address twice for a target is refused. Audited.
 */
export async function addAuthorityContact(
  db: Executor,
  actor: Actor | null,
  input: z.output<typeof AuthorityContactInput>,
  context: AlertingContext,
): Promise<AuthorityContactViewData> {
  assertPermission(actor, "alert_rules:manage");
  const regionCode = input.regionCode ?? null;
  if (input.target === "ars") {
    if (!regionCode) throw invalid("regionCode", "Indiquez la région de l'ARS.");
    if (!(await regionsRepo.findRegion(db, regionCode))) throw invalid("regionCode", "Région inconnue.");
  } else if (regionCode) {
    throw invalid("regionCode", "Seules les adresses d'ARS se rattachent à une région.");
  }
  const { now } = context;
  return db.transaction().execute(async (trx) => {
    const row = await alertingRepo.insertContact(trx, {
      authority: input.target,
      region_code: regionCode,
      email: input.email.trim().toLowerCase(),
      label: input.label,
    });
    if (!row) {
      const message = "Cette adresse est déjà enregistrée pour ce destinataire.";
      throw new AppError("CONFLICT", { message, fields: [{ field: "email", message }] });
    }
    await recordAudit(
      trx,
      {
        actor,
        action: "alert_contact.added",
        objectType: "authority_contact",
        objectId: row.id,
        ip: context.ip ?? null,
        details: { target: row.authority, regionCode: row.region_code, email: row.email },
      },
      now,
    );
    return toView(row);
  });
}

/** A CERT lead removes an address (NOT_FOUND when it is not there). Audited. */
export async function deleteAuthorityContact(
  db: Executor,
  actor: Actor | null,
  id: string,
  context: AlertingContext,
): Promise<void> {
  assertPermission(actor, "alert_rules:manage");
  const { now } = context;
  await db.transaction().execute(async (trx) => {
    const row = await alertingRepo.deleteContact(trx, id);
    if (!row) throw new AppError("NOT_FOUND", { message: "Adresse introuvable." });
    await recordAudit(
      trx,
      {
        actor,
        action: "alert_contact.deleted",
        objectType: "authority_contact",
        objectId: row.id,
        ip: context.ip ?? null,
        details: { target: row.authority, regionCode: row.region_code, email: row.email },
      },
      now,
    );
  });
}
