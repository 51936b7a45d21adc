import { useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  CaseView,
  CertPerson,
  ComplementRequestView,
  JournalEntry,
  ReflexSheetSuggestions,
  ReflexSheetSummary,
  SupportActionView,
} from "@vigie/contracts";
import { useCallback } from "react";
import type { z } from "zod";
import { api, listOf } from "../../../app/api.ts";

export type Case = z.infer<typeof CaseView>;
export type Person = z.infer<typeof CertPerson>;
export type Journal = z.infer<typeof JournalEntry>;
export type ComplementRequest = z.infer<typeof ComplementRequestView>;
export type SupportAction = z.infer<typeof SupportActionView>;
export type Suggestions = z.infer<typeof ReflexSheetSuggestions>;
export type SheetSummary = z.infer<typeof ReflexSheetSummary>;

const enc = encodeURIComponent;

export const caseKeys = {
  case: (id: string) => ["case", id] as const,
  journal: (id: string) => ["case", id, "journal"] as const,
  suggestions: (id: string) => ["case", id, "reflex-sheets"] as const,
};

export const casePath = (id: string, rest = "") => `/api/cases/${enc(id)}${rest}`;
export const declarationPath = (id: string, rest = "") => `/api/declarations/${enc(id)}${rest}`;

export function useCase(id: string) {
  return useQuery({ queryKey: caseKeys.case(id), queryFn: () => api.get<Case>(casePath(id)) });
}

export function useJournal(id: string) {
  return useQuery({
    queryKey: caseKeys.journal(id),
    queryFn: async () => listOf<Journal>(await api.get<unknown>(casePath(id, "/journal")), "items"),
  });
}

export function useAnalysts() {
  return useQuery({
    queryKey: ["cases", "analysts"],
    queryFn: async () => listOf<Person>(await api.get<unknown>("/api/cases/analysts"), "items"),
    staleTime: 5 * 60_000,
  });
}

/** After an action: the case, its journal and the queue are read again. */
export function useRefreshCase(id: string) {
  const queryClient = useQueryClient();
  return useCallback(
    async (next?: Case) => {
      if (next) queryClient.setQueryData(caseKeys.case(id), next);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: caseKeys.case(id) }),
        queryClient.invalidateQueries({ queryKey: ["declarations"] }),
        queryClient.invalidateQueries({ queryKey: ["declaration", id] }),
      ]);
    },
    [queryClient, id],
  );
}
