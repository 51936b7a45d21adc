import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type {
  AlertNotificationView,
  AlertProposal,
  AlertTarget,
  AuthorityContactView,
  CaseAlerts,
  ClockPage,
  ClockView,
  DryRunResult,
  RuleSetView,
} from "@vigie/contracts";
import { alertTargetLabels } from "@vigie/contracts";
import type { z } from "zod";
import { api, listOf } from "../../app/api.ts";
import { type Region, regionLabel } from "../../app/regions.ts";

export type RuleSet = z.infer<typeof RuleSetView>;
export type DryRun = z.infer<typeof DryRunResult>;
export type Proposal = z.infer<typeof AlertProposal>;
export type Notification = z.infer<typeof AlertNotificationView>;
export type CaseAlertsData = z.infer<typeof CaseAlerts>;
export type Contact = z.infer<typeof AuthorityContactView>;
export type Clock = z.infer<typeof ClockView>;
export type ClockPageData = z.infer<typeof ClockPage>;
export type ClockFilter = "open" | "due_soon" | "overdue" | "all";

const enc = encodeURIComponent;

export const RULES_PATH = "/cert/alertes/regles";
export const CONTACTS_PATH = "/cert/alertes/destinataires";
export const CLOCKS_PATH = "/cert/echeances";

export const alertingKeys = {
  ruleSets: ["alerting", "rule-sets"] as const,
  current: ["alerting", "rule-sets", "current"] as const,
  contacts: ["alerting", "contacts"] as const,
  clocks: (state: ClockFilter, page: number) => ["clocks", { state, page }] as const,
  // Under the case's key: refreshed with the case after each action.
  caseAlerts: (id: string) => ["case", id, "alerts"] as const,
  caseClocks: (id: string) => ["case", id, "clocks"] as const,
};

export const caseAlertsPath = (id: string, rest = "") => `/api/cases/${enc(id)}/alerts${rest}`;
export const caseClocksPath = (id: string, rest = "") => `/api/cases/${enc(id)}/clocks${rest}`;

export function useRuleSets() {
  return useQuery({
    queryKey: alertingKeys.ruleSets,
    queryFn: async () => listOf<RuleSet>(await api.get<unknown>("/api/alerting/rule-sets"), "items"),
  });
}

export function useCurrentRuleSet() {
  return useQuery({
    queryKey: alertingKeys.current,
    queryFn: () => api.get<RuleSet>("/api/alerting/rule-sets/current"),
    staleTime: 60_000,
  });
}

export function useContacts() {
  return useQuery({
    queryKey: alertingKeys.contacts,
    queryFn: async () => listOf<Contact>(await api.get<unknown>("/api/alerting/contacts"), "items"),
  });
}

export function useCaseAlerts(id: string) {
  return useQuery({
    queryKey: alertingKeys.caseAlerts(id),
    queryFn: () => api.get<CaseAlertsData>(caseAlertsPath(id)),
  });
}

export function useCaseClocks(id: string) {
  return useQuery({
    queryKey: alertingKeys.caseClocks(id),
    queryFn: async () => listOf<Clock>(await api.get<unknown>(caseClocksPath(id)), "items"),
  });
}

export function useClockPage(state: ClockFilter, page: number) {
  return useQuery({
    queryKey: alertingKeys.clocks(state, page),
    queryFn: ({ signal }) =>
      api.get<ClockPageData>("/api/clocks", { state, page: page > 1 ? page : undefined }, signal),
    placeholderData: keepPreviousData,
  });
}

/** « FSSI des ministères sociaux », « ARS Île-de-France » (the ARS named by its region). */
export function targetName(
  target: AlertTarget,
  regionCode: string | null | undefined,
  regions: Region[] | undefined,
): string {
  if (target !== "ars") return alertTargetLabels[target];
  if (!regionCode) return alertTargetLabels.ars;
  const region = regions?.find((r) => r.code === regionCode);
  return region ? region.arsName : `ARS — ${regionLabel(regions, regionCode)}`;
}
