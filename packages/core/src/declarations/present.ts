import type {
  AttachmentView,
  DeclarationSummary,
  DeclarationView,
  MessageView,
  StatusChangeView,
} from "@vigie/contracts";
import type {
  AttachmentRow,
  EventRow,
  IncidentMessageRow,
  IncidentRow,
  IncidentStatusChangeRow,
} from "@vigie/db";
import type { z } from "zod";
import { toAttachmentView } from "../attachments/attachment-view.ts";
import { sharedAnalysisOf } from "../events/shared-analysis.ts";
import { snapshotOf } from "./snapshot.ts";

export type DeclarationSummaryData = z.infer<typeof DeclarationSummary>;
export type DeclarationViewData = z.infer<typeof DeclarationView>;
export type MessageViewData = z.infer<typeof MessageView>;
type AttachmentViewData = z.infer<typeof AttachmentView>;

/** How the CERT's people are named to declarants: the team, not the analyst. */
export const CERT_PUBLIC_NAME = "CERT Santé";

const iso = (value: Date | string | null): string | null => (value ? new Date(value).toISOString() : null);

/** A line of the declarations list. */
export function toDeclarationSummary(row: IncidentRow): DeclarationSummaryData {
  const snapshot = snapshotOf(row);
  return {
    id: row.id,
    reference: row.reference,
    title: row.title,
    status: row.status,
    channel: row.channel,
    structure: { id: snapshot.id, finessEt: snapshot.finessEt, name: snapshot.name, town: snapshot.town },
    declaredAt: new Date(row.declared_at).toISOString(),
    supportRequested: row.support_requested,
    operationalImpact: row.operational_impact as DeclarationSummaryData["operationalImpact"],
    awaitingAnswer: row.status === "waiting_declarant",
  };
}

/** Everything that was declared, in the shape of the declaration form (`DeclarationInput`). */
export function declaredData(row: IncidentRow): Record<string, unknown> {
  const snapshot = snapshotOf(row);
  return {
    finess: snapshot.structures.map((s) => s.finessEt),
    declarant: row.declarant_contact,
    title: row.title,
    description: row.description,
    detectedAt: iso(row.detected_at),
    startedAt: iso(row.started_at),
    proposedOrigin: row.proposed_origin,
    proposedMaliciousTypes: row.proposed_malicious_types,
    proposedNonMaliciousTypes: row.proposed_non_malicious_types,
    affectedSystems: row.affected_systems,
    operationalImpact: row.operational_impact,
    degradedSince: iso(row.degraded_since),
    degradedModeHours: row.degraded_mode_hours === null ? null : Number(row.degraded_mode_hours),
    patientEndangerment: row.patient_endangerment,
    patientEndangermentDetails: row.patient_endangerment_details,
    dataImpacts: row.data_impacts,
    dataTypes: row.data_types,
    personsAffected: row.persons_affected,
    otherStructuresAffected: row.other_structures_affected,
    stateAtDeclaration: row.state_at_declaration,
    measuresTaken: row.measures_taken,
    supportRequested: row.support_requested,
    filings: row.filings,
    providerName: row.provider_name,
    tlp: row.tlp,
    channel: row.channel,
  };
}

/** What a declaration page is built from. */
export interface DeclarationParts {
  incident: IncidentRow;
  messages: IncidentMessageRow[];
  statusChanges: IncidentStatusChangeRow[];
  attachments: AttachmentRow[];
  /** The events the declaration and its messages name (its event, those messages were sent through). */
  events?: readonly EventRow[];
}

/** How the page is shown: to the CERT (names of analysts), or to the declarant's side. */
export interface PresentationOptions {
  audience: "cert" | "declarant";
  /** Download link of an attachment (the signed-in route, or the follow link's). */
  downloadUrl?: (row: AttachmentRow) => string;
}

/** A declaration page: what was declared, its thread, history and attachments. */
export function toDeclarationView(
  parts: DeclarationParts,
  options: PresentationOptions,
): DeclarationViewData {
  const { incident } = parts;
  const snapshot = snapshotOf(incident);
  const events = new Map((parts.events ?? []).map((e) => [e.id, e]));
  const attachment = (row: AttachmentRow): AttachmentViewData =>
    options.downloadUrl ? toAttachmentView(row, options.downloadUrl(row)) : toAttachmentView(row);
  return {
    ...toDeclarationSummary(incident),
    data: declaredData(incident),
    structures: snapshot.structures,
    standing: incident.standing,
    outOfHours: incident.out_of_hours,
    oncallPaged: incident.oncall_paged_at !== null,
    messages: parts.messages.map((m) =>
      toMessageView(
        m,
        parts.attachments.filter((a) => a.message_id === m.id),
        options,
        m.event_id ? (events.get(m.event_id)?.reference ?? null) : null,
      ),
    ),
    statusHistory: parts.statusChanges.map((c) => toStatusChangeView(c, options)),
    // The files sent with the declaration itself; those of a message are listed with it.
    attachments: parts.attachments.filter((a) => a.message_id === null).map(attachment),
    sharedAnalysis: incident.event_id ? sharedAnalysisOf(events.get(incident.event_id)) : null,
  };
}

/** One message of the thread. */
export function toMessageView(
  row: IncidentMessageRow,
  attachments: readonly AttachmentRow[],
  options: PresentationOptions,
  /** The reference of the event the message was sent through. */
  eventReference: string | null = null,
): MessageViewData {
  return {
    id: row.id,
    authorKind: row.author_kind,
    authorName:
      row.author_kind === "cert" && options.audience === "declarant" ? CERT_PUBLIC_NAME : row.author_name,
    kind: row.kind,
    body: row.body,
    createdAt: new Date(row.created_at).toISOString(),
    attachments: attachments.map((a) =>
      options.downloadUrl ? toAttachmentView(a, options.downloadUrl(a)) : toAttachmentView(a),
    ),
    tlp: row.tlp as MessageViewData["tlp"],
    eventReference,
  };
}

/** The history label of a change made by someone of the CERT: the team, then the person. */
export function certLabel(fullName: string): string {
  return `${CERT_PUBLIC_NAME} (${fullName})`;
}

function toStatusChangeView(
  row: IncidentStatusChangeRow,
  options: PresentationOptions,
): z.infer<typeof StatusChangeView> {
  const byCert = row.changed_by_label.startsWith(CERT_PUBLIC_NAME);
  return {
    from: row.from_status as z.infer<typeof StatusChangeView>["from"],
    to: row.to_status as z.infer<typeof StatusChangeView>["to"],
    at: new Date(row.changed_at).toISOString(),
    by: byCert && options.audience === "declarant" ? CERT_PUBLIC_NAME : row.changed_by_label,
    comment: row.comment,
  };
}
