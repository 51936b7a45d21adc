import type { operationalImpact, patientEndangerment } from "@vigie/contracts";
import {
  type Executor,
  type IncidentRow,
  type OncallPageRow,
  type OncallShiftWithUser,
  oncallRepo,
} from "@vigie/db";
import { oncallPageMail } from "../declarations/mails.ts";
import { DECLARATION_PATHS } from "../declarations/settings.ts";
import type { StructureSnapshot } from "../declarations/snapshot.ts";
import { type MailToQueue, queueMail } from "../mail/queue-mail.ts";
import type { MailContent } from "../mail/templates.ts";
import { whoIsOnCall } from "./manage-shifts.ts";
import type { OncallSettings } from "./settings.ts";

type Impact = keyof typeof operationalImpact.labels;
type Endangerment = keyof typeof patientEndangerment.labels;

/** What a page says about a declaration, read from its stored row (first page and escalations alike). */
export interface PageFacts {
  reference: string;
  structureName: string;
  finessEt: string;
  declarantName: string;
  callbackPhone: string;
  operationalImpact: Impact;
  patientEndangerment: Endangerment | null;
  supportRequested: boolean;
  link: string;
}

/** The facts of a page, from the declaration as stored. */
export function pageFacts(incident: IncidentRow, settings: Pick<OncallSettings, "publicUrl">): PageFacts {
  const snapshot = incident.structure_snapshot as unknown as StructureSnapshot;
  const contact = incident.declarant_contact as { fullName?: string; phone?: string };
  return {
    reference: incident.reference,
    structureName: snapshot.name,
    finessEt: snapshot.finessEt,
    declarantName: contact.fullName ?? "",
    callbackPhone: contact.phone ?? "",
    operationalImpact: incident.operational_impact as Impact,
    patientEndangerment: (incident.patient_endangerment as Endangerment | null) ?? null,
    supportRequested: incident.support_requested,
    link: `${settings.publicUrl}${DECLARATION_PATHS.declaration(incident.id)}`,
  };
}

/** The page e-mail of a level (the declaration portal's template; escalations say so first). */
export function pageMail(facts: PageFacts, level: number): MailContent {
  const mail = oncallPageMail(facts);
  const ack = "\nAccusez réception dans Vigie (Astreinte) pour arrêter l'escalade vers le rang suivant.\n";
  if (level === 1) return { subject: mail.subject, text: mail.text + ack };
  return {
    subject: `ESCALADE niveau ${level} — ${mail.subject}`,
    text: `Escalade : la personne d'astreinte précédente n'a pas accusé réception.\n\n${mail.text}${ack}`,
  };
}

/** Who a page goes to: a person on call, or the fallback address. */
export interface PageTarget {
  userId: string | null;
  email: string;
}

/** The person paged first: the lowest position on call at that time, else the fallback address. */
export function firstTarget(onCall: readonly OncallShiftWithUser[], fallbackEmail: string): PageTarget {
  const [first] = onCall;
  return first ? { userId: first.user_id, email: first.email } : { userId: null, email: fallbackEmail };
}

/** Records a page row and queues its e-mail, in the caller's transaction. */
export async function recordPage(
  trx: Executor,
  incident: IncidentRow,
  target: PageTarget,
  level: number,
  now: Date,
  settings: Pick<OncallSettings, "publicUrl">,
): Promise<OncallPageRow | undefined> {
  const page = await oncallRepo.insertPageOnce(trx, {
    incident_id: incident.id,
    shift_user_id: target.userId,
    target_email: target.email,
    level,
    created_at: now,
  });
  if (!page) return undefined;
  await queueMail(trx, { to: target.email, ...pageMail(pageFacts(incident, settings), level) }, now);
  return page;
}

/**
 * Opens the level-1 page of a declaration in the submission's transaction, before it is
 * numbered: the first person on call at `now` (the fallback address when nobody is scheduled).
 * Its e-mail, which quotes the reference, is built afterwards with `pageMailFor`. No network: the
 * webhook and the escalation are the `oncall.dispatch` job's. Undefined if already paged.
 */
export async function openOncallPage(
  trx: Executor,
  incidentId: string,
  now: Date,
  settings: Pick<OncallSettings, "oncallEmail">,
): Promise<{ page: OncallPageRow; target: PageTarget } | undefined> {
  const target = firstTarget(await whoIsOnCall(trx, now), settings.oncallEmail);
  const page = await oncallRepo.insertPageOnce(trx, {
    incident_id: incidentId,
    shift_user_id: target.userId,
    target_email: target.email,
    level: 1,
    created_at: now,
  });
  return page ? { page, target } : undefined;
}

/** The e-mail of a page, once the declaration has its reference. */
export function pageMailFor(
  incident: IncidentRow,
  target: PageTarget,
  level: number,
  settings: Pick<OncallSettings, "publicUrl">,
): MailToQueue {
  return { to: target.email, ...pageMail(pageFacts(incident, settings), level) };
}
