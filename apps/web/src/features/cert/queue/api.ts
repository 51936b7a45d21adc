import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { CertPerson, DeclarationPage, SavedView } from "@vigie/contracts";
import type { z } from "zod";
import { api, apiRequest, isApiError, listOf } from "../../../app/api.ts";

export type QueuePage = z.infer<typeof DeclarationPage>;
export type QueueItem = QueuePage["items"][number];
export type Analyst = z.infer<typeof CertPerson>;
export type View = z.infer<typeof SavedView>;

/** The queue's query keys; every key starts with "declarations" so changes to a case refresh it. */
export const queueKeys = {
  page: (query: string, page: number) => ["declarations", "queue", query, page] as const,
  views: ["cases", "views"] as const,
  analysts: ["cases", "analysts"] as const,
};

/** One page of the queue for the filters' query string (the API's own parameters). */
export function useQueue(query: string, page: number) {
  return useQuery({
    queryKey: queueKeys.page(query, page),
    queryFn: ({ signal }) => {
      const params = new URLSearchParams(query);
      if (page > 1) params.set("page", String(page));
      const qs = params.toString();
      return apiRequest<QueuePage>(`/api/declarations${qs ? `?${qs}` : ""}`, { signal });
    },
    placeholderData: keepPreviousData,
  });
}

/**
 * Who can be assigned a case. When the list cannot be read (route missing on an older server,
 * network), the queue still offers « Mes cas » and « Non assignées ».
 */
export function useAnalysts() {
  return useQuery({
    queryKey: queueKeys.analysts,
    queryFn: async () => listOf<Analyst>(await api.get<unknown>("/api/cases/analysts"), "items"),
    staleTime: 5 * 60_000,
    retry: (count, error) => !isApiError(error, "NOT_FOUND", "FORBIDDEN") && count < 2,
  });
}

/** The reader's saved views, by name. */
export function useSavedViews() {
  return useQuery({
    queryKey: queueKeys.views,
    queryFn: async () => listOf<View>(await api.get<unknown>("/api/cases/views"), "items"),
  });
}
