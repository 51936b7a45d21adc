import { useQuery } from "@tanstack/react-query";
import type { RegionView } from "@vigie/contracts";
import type { z } from "zod";
import { api, listOf } from "./api.ts";

export type Region = z.infer<typeof RegionView>;

/** The regions and their ARS (rarely change: cached for the session). */
export function useRegions(enabled = true) {
  return useQuery({
    queryKey: ["regions"],
    queryFn: async () => listOf<Region>(await api.get<unknown>("/api/regions"), "items"),
    staleTime: Number.POSITIVE_INFINITY,
    enabled,
  });
}

/** "Île-de-France (11)", or the bare code while the list loads. */
export function regionLabel(regions: Region[] | undefined, code: string | null | undefined): string {
  if (!code) return "—";
  const region = regions?.find((r) => r.code === code);
  return region ? region.name : `Région ${code}`;
}
