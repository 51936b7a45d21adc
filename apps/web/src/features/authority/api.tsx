import Badge from "@codegouvfr/react-dsfr/Badge";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import {
  type AuthorityCasePage,
  type AuthorityCaseView,
  authorityLabels,
  type StructureType,
  structureTypeLabels,
  tlp,
} from "@vigie/contracts";
import type { z } from "zod";
import { api } from "../../app/api.ts";
import type { SessionUser } from "../../app/auth.tsx";

export type AuthorityCasePageData = z.infer<typeof AuthorityCasePage>;
export type AuthorityCaseData = z.infer<typeof AuthorityCaseView>;
type Tlp = (typeof tlp.values)[number];

/** The authority's list of the cases sent to its body. */
export const AUTHORITY_CASES_PATH = "/autorite/alertes";
export const authorityCasePath = (id: string): string => `${AUTHORITY_CASES_PATH}/${encodeURIComponent(id)}`;
export const AUTHORITY_CASES_LABEL = "Alertes reçues";

/** A page of the cases the CERT told the signed-in authority about, the most recent first. */
export function useAuthorityCases(page: number) {
  return useQuery({
    queryKey: ["authority-cases", { page }],
    queryFn: ({ signal }) =>
      api.get<AuthorityCasePageData>("/api/authority/cases", { page: page > 1 ? page : undefined }, signal),
    placeholderData: keepPreviousData,
  });
}

/** One case as the authority knows it: every message it received and the current status. */
export function useAuthorityCase(id: string) {
  return useQuery({
    queryKey: ["authority-case", id],
    queryFn: ({ signal }) =>
      api.get<AuthorityCaseData>(`/api/authority/cases/${encodeURIComponent(id)}`, undefined, signal),
    retry: false,
  });
}

/** « votre organisme (FSSI des ministères sociaux) » — no article to agree with the body's name. */
export function bodyName(user: SessionUser | null): string {
  return user?.authority ? `votre organisme (${authorityLabels[user.authority]})` : "votre organisme";
}

/** The structure type in words (the code itself for an unknown one). */
export function structureTypeLabel(code: string): string {
  return structureTypeLabels[code as StructureType] ?? code;
}

const tlpSeverity: Record<Tlp, "info" | "success" | "warning" | "error"> = {
  clear: "info",
  green: "success",
  amber: "warning",
  amber_strict: "warning",
  red: "error",
};

/** The marking a message was sent under: « TLP:AMBER », its meaning as a tooltip-free suffix for screen readers. */
export function TlpBadge({ value }: { value: Tlp }) {
  const [short, meaning] = tlp.labels[value].split(" — ");
  return (
    <Badge as="span" small noIcon severity={tlpSeverity[value]}>
      {short ?? value}
      {meaning ? <span className="fr-sr-only"> — {meaning}</span> : null}
    </Badge>
  );
}

/** The case's current status, in the CERT's words. */
export function CaseStatusBadge({ status }: { status: string }) {
  return (
    <Badge as="span" small noIcon severity="new">
      {status}
    </Badge>
  );
}
