import {
  AppError,
  careAffected,
  type DeclarantStanding,
  type DeclarationData,
  type DeclarationReceipt,
  type FieldIssue,
} from "@vigie/contracts";
import {
  declarationsRepo,
  draftsRepo,
  type Executor,
  type IncidentRow,
  type StructureRow,
  usersRepo,
} from "@vigie/db";
import stringify from "safe-stable-stringify";
import type { z } from "zod";
import { type Actor, hasPermission } from "../access/policy.ts";
import { claimPendingAttachments } from "../attachments/claim.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { sha256 } from "../auth/secrets.ts";
import { caseDeadlines } from "../cases/deadlines.ts";
import { isValidFiness } from "../directory/finess.ts";
import { queueMails } from "../mail/queue-mail.ts";
import { openOncallPage, pageMailFor } from "../oncall/page-oncall.ts";
import { isBusinessHours } from "../time/business-hours.ts";
import { parisLocalTime } from "../time/paris-time.ts";
import { declarationReceivedMail } from "./mails.ts";
import { certLabel } from "./present.ts";
import { type DeclarationSettings, followToken, followUrl } from "./settings.ts";
import { takeSnapshot } from "./snapshot.ts";

export type DeclarationReceiptData = z.infer<typeof DeclarationReceipt>;
type Standing = z.infer<typeof DeclarantStanding>;

/** How a declaration arrives: the portal form, a structure's tool (API v1), or an analyst recording it. */
export type SubmissionMode = "portal" | "api" | "recorded";

/** Who submits and in what context. */
export interface SubmitOptions {
  /** The signed-in user or API token; null for a declaration made without an account. */
  actor: Actor | null;
  mode: SubmissionMode;
  ip?: string | null;
  now: Date;
  settings: DeclarationSettings;
}

/** Channels an analyst may record a declaration under (the portal is the declarant's own). */
export const RECORDED_CHANNELS = ["phone_oncall", "email", "other"] as const;

/** Canonical hash of a submitted declaration: the same key with another payload is a conflict. */
export function declarationRequestHash(input: DeclarationData): string {
  return sha256(stringify(input) ?? "");
}

/** The reference of a declaration: CS-<Paris year>-<6 digits>. */
export function referenceFormat(year: number): { prefix: string; width: number } {
  return { prefix: `CS-${year}-`, width: 6 };
}

/** True when a declaration made at that time with those answers needs the on-call analyst now. */
export function needsOncall(input: {
  outOfHours: boolean;
  supportRequested: boolean;
  operationalImpact: string;
}): boolean {
  return (
    input.outOfHours &&
    (input.supportRequested || careAffected(input.operationalImpact as Parameters<typeof careAffected>[0]))
  );
}

/** The receipt of a stored declaration (the same one for the first answer and every replay). */
export function receiptOf(
  incident: IncidentRow,
  settings: DeclarationSettings,
  replayed: boolean,
): DeclarationReceiptData {
  const urgent = needsOncall({
    outOfHours: incident.out_of_hours,
    supportRequested: incident.support_requested,
    operationalImpact: incident.operational_impact,
  });
  return {
    id: incident.id,
    reference: incident.reference,
    declaredAt: new Date(incident.declared_at).toISOString(),
    outOfHours: incident.out_of_hours,
    oncallPhone: urgent ? settings.oncallPhone : null,
    oncallPaged: incident.oncall_paged_at !== null,
    followUrl: followUrl(incident, settings),
    replayed,
  };
}

/** Thrown inside the transaction when a concurrent submission with the same key committed first. */
class LostIdempotencyRace extends Error {}

/**
 * Stores a declaration and acknowledges it, in one transaction: idempotency (a retried
 * submission gets its original receipt, another payload under the same key is a conflict), the
 * structures by FINESS, the yearly reference, the declarant's standing, the pending
 * attachments, the first status, the audit entry, the acknowledgment e-mail and, out of
 * business hours when help is needed, the page to the on-call analyst. Never refused because of
 * the declarant's account: an unknown or unlinked declarant is recorded with its standing.
 */
export async function submitDeclaration(
  db: Executor,
  input: DeclarationData,
  options: SubmitOptions,
): Promise<DeclarationReceiptData> {
  const { actor, mode } = options;
  if (actor?.via === "token" && !hasPermission(actor, "declarations:create")) {
    throw new AppError("FORBIDDEN", { details: { permission: "declarations:create" } });
  }
  if (mode !== "portal" && !actor) throw new AppError("UNAUTHENTICATED");
  if (
    mode === "recorded" &&
    !RECORDED_CHANNELS.includes(input.channel as (typeof RECORDED_CHANNELS)[number])
  ) {
    throw new AppError("VALIDATION_FAILED", {
      fields: [
        {
          field: "channel",
          message:
            "Indiquez par quel canal la déclaration a été reçue : téléphone (astreinte), courriel ou autre.",
        },
      ],
    });
  }
  const requestHash = declarationRequestHash(input);

  const replay = async (existing: IncidentRow): Promise<DeclarationReceiptData> => {
    if (existing.request_hash !== requestHash) {
      throw new AppError("CONFLICT", {
        message: "Cette clé d'idempotence a déjà servi pour une autre déclaration.",
        fields: [
          {
            field: "idempotencyKey",
            message:
              "Clé déjà utilisée pour une déclaration au contenu différent : générez une nouvelle clé pour une nouvelle déclaration.",
          },
        ],
        details: { reference: existing.reference },
      });
    }
    return receiptOf(existing, options.settings, true);
  };

  try {
    return await db.transaction().execute(async (trx) => {
      const existing = await declarationsRepo.findIncidentByIdempotencyKey(trx, input.idempotencyKey);
      if (existing) return replay(existing);
      const incident = await storeDeclaration(trx, input, requestHash, options);
      return receiptOf(incident, options.settings, false);
    });
  } catch (error) {
    if (!(error instanceof LostIdempotencyRace)) throw error;
    // The other submission committed: answer as a replay of it (its transaction is visible now).
    const existing = await declarationsRepo.findIncidentByIdempotencyKey(db, input.idempotencyKey);
    if (!existing) throw new AppError("INTERNAL", { cause: error });
    return replay(existing);
  }
}

async function resolveStructures(trx: Executor, finess: readonly string[]): Promise<StructureRow[]> {
  const rows = await declarationsRepo.findStructuresByFiness(trx, finess);
  const byFiness = new Map(rows.map((r) => [r.finess_et, r]));
  const fields: FieldIssue[] = [];
  const seen = new Set<string>();
  finess.forEach((value, index) => {
    const field = `finess.${index}`;
    if (seen.has(value)) fields.push({ field, message: `Structure ${value} indiquée deux fois.` });
    else if (!isValidFiness(value))
      fields.push({ field, message: `Numéro FINESS ${value} invalide (clé de contrôle incorrecte).` });
    else if (!byFiness.has(value))
      fields.push({
        field,
        message: `Numéro FINESS ${value} inconnu de l'annuaire : vérifiez le numéro de l'établissement (FINESS géographique).`,
      });
    seen.add(value);
  });
  if (fields.length > 0) throw new AppError("VALIDATION_FAILED", { fields });
  return finess.map((value) => byFiness.get(value) as StructureRow);
}

interface Declarant {
  userId: string | null;
  standing: Standing;
}

/** Who the declarant is for the CERT, and how sure the CERT can be of it. */
async function resolveDeclarant(
  trx: Executor,
  input: DeclarationData,
  options: SubmitOptions,
  firstStructureId: string,
): Promise<Declarant> {
  const { actor, mode } = options;
  let user = null;
  if (mode === "recorded") {
    // An analyst records on behalf of someone: that person's account, if the address has one.
    user = (await usersRepo.findUserByEmail(trx, input.declarant.email)) ?? null;
    if (user?.disabled_at) user = null;
  } else if (actor?.role === "declarant") {
    // A signed-in declarant (session or token) has a verified address — sign-in requires it —
    // and the actor already carries their active memberships: no query needed.
    return {
      userId: actor.userId,
      standing: actor.structureIds.includes(firstStructureId) ? "verified" : "pending_link",
    };
  } else if (actor) {
    user = (await usersRepo.findUserById(trx, actor.userId)) ?? null;
  }
  if (!user) return { userId: null, standing: "anonymous" };
  if (!user.email_verified_at) return { userId: user.id, standing: "unverified_account" };
  const linked = await declarationsRepo.hasActiveMembership(trx, user.id, [firstStructureId]);
  return { userId: user.id, standing: linked ? "verified" : "pending_link" };
}

async function storeDeclaration(
  trx: Executor,
  input: DeclarationData,
  requestHash: string,
  options: SubmitOptions,
): Promise<IncidentRow> {
  const { actor, mode, now, settings } = options;
  const structures = await resolveStructures(trx, input.finess);
  const snapshot = takeSnapshot(structures);
  const first = structures[0] as StructureRow;
  const declarant = await resolveDeclarant(trx, input, options, first.id);
  const outOfHours = !isBusinessHours(now);
  const channel = mode === "recorded" ? (input.channel ?? "other") : "portal";
  // Declarations without an account are followed through a secret link instead of a login.
  const withFollowLink = declarant.userId === null;
  const base = { idempotency_key: input.idempotencyKey, request_hash: requestHash };
  const page = needsOncall({
    outOfHours,
    supportRequested: input.supportRequested,
    operationalImpact: input.operationalImpact,
  });
  // An analyst recording a call is already handling it: the on-call analyst is not paged again.
  const paged = page && mode !== "recorded";
  const deadlines = caseDeadlines(input, now, settings);

  const id = await declarationsRepo.insertIncidentOnce(trx, {
    ...base,
    // Provisional and unique; the yearly number is taken last (see below).
    reference: `provisoire-${input.idempotencyKey}`,
    channel,
    status: "new",
    structure_id: first.id,
    structure_snapshot: JSON.stringify(snapshot),
    declarant_user_id: declarant.userId,
    recorded_by_user_id: mode === "recorded" ? (actor?.userId ?? null) : null,
    standing: declarant.standing,
    declarant_contact: JSON.stringify(input.declarant),
    follow_token_hash: withFollowLink ? sha256(followToken(base)) : null,
    title: input.title,
    description: input.description,
    detected_at: input.detectedAt,
    started_at: input.startedAt ?? null,
    declared_at: now,
    state_at_declaration: input.stateAtDeclaration,
    support_requested: input.supportRequested,
    proposed_origin: input.proposedOrigin ?? null,
    proposed_malicious_types: input.proposedMaliciousTypes,
    proposed_non_malicious_types: input.proposedNonMaliciousTypes,
    affected_systems: input.affectedSystems,
    operational_impact: input.operationalImpact,
    degraded_since: input.degradedSince ?? null,
    degraded_mode_hours: input.degradedModeHours ?? null,
    patient_endangerment: input.patientEndangerment ?? null,
    patient_endangerment_details: input.patientEndangermentDetails ?? null,
    data_impacts: input.dataImpacts,
    data_types: input.dataTypes,
    persons_affected: input.personsAffected ?? null,
    other_structures_affected: input.otherStructuresAffected ?? null,
    measures_taken: input.measuresTaken ?? null,
    filings: input.filings,
    provider_name: input.providerName ?? null,
    tlp: input.tlp,
    out_of_hours: outOfHours,
    oncall_paged_at: paged ? now : null,
    first_response_due_at: deadlines.firstResponseDueAt,
    qualification_due_at: deadlines.qualificationDueAt,
    created_at: now,
    updated_at: now,
  });
  // Another submission with this key committed between our check and our insert: roll back
  // (the reference number too) and answer with its receipt.
  if (!id) throw new LostIdempotencyRace();

  await declarationsRepo.insertIncidentStructures(
    trx,
    id,
    structures.map((s) => s.id),
  );
  const attachments = await claimPendingAttachments(trx, input.idempotencyKey, id);
  const recorder = mode === "recorded" && actor ? await usersRepo.findUserById(trx, actor.userId) : undefined;
  await declarationsRepo.insertStatusChange(trx, {
    incident_id: id,
    from_status: null,
    to_status: "new",
    changed_by_user_id: actor?.userId ?? null,
    changed_by_label: recorder ? certLabel(recorder.full_name) : input.declarant.fullName,
    comment: null,
    changed_at: now,
  });
  if (actor && mode !== "recorded") await draftsRepo.deleteDraft(trx, actor.userId, input.idempotencyKey);
  // The page row commits with the declaration (its e-mail below); webhook and escalation are the job's.
  const oncallPage = paged ? await openOncallPage(trx, id, now, settings) : undefined;

  // The yearly counter and the audit chain are locks every declaration shares: take them last,
  // so they are held only for the few statements before the commit, not the whole transaction.
  const year = parisLocalTime(now).year;
  const incident = await declarationsRepo.assignReference(trx, id, year, referenceFormat(year));
  const receipt = receiptOf(incident, settings, false);

  const mail = declarationReceivedMail({
    fullName: input.declarant.fullName,
    reference: incident.reference,
    title: input.title,
    structureName: first.name,
    outOfHours,
    urgent: paged,
    oncallPhone: settings.oncallPhone,
    followUrl: receipt.followUrl,
    anonymous: withFollowLink,
  });
  // One statement for both e-mails: everything from here on runs under the shared locks.
  await queueMails(
    trx,
    [
      { to: input.declarant.email, ...mail },
      ...(oncallPage ? [pageMailFor(incident, oncallPage.target, 1, settings)] : []),
    ],
    now,
  );
  await recordAudit(
    trx,
    {
      actor: actor ?? null,
      actorLabel: input.declarant.email,
      action: "declaration.submitted",
      objectType: "incident",
      objectId: id,
      ip: options.ip ?? null,
      details: {
        reference: incident.reference,
        via: mode,
        channel,
        standing: declarant.standing,
        structureIds: structures.map((s) => s.id),
        outOfHours,
        oncallPaged: paged,
        oncallPageId: oncallPage?.page.id ?? null,
        attachments: attachments.length,
      },
    },
    now,
  );
  return incident;
}
