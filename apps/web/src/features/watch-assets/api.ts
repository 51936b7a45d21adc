import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { AssetImportReport, AssetKind, AssetListResponse, AssetView } from "@vigie/contracts";
import type { z } from "zod";
import { api } from "../../app/api.ts";

export type Asset = AssetView;
export type AssetPage = z.infer<typeof AssetListResponse>;
export type ImportReport = AssetImportReport;

export const DECLARANT_ASSETS_PATH = "/veille/actifs";
export const CERT_ASSETS_PATH = "/cert/veille/actifs";

/** What the inventory page asks the API for. */
export interface AssetFilter {
  /** Id or FINESS ET; empty: every structure within reach. */
  structure: string;
  kind: AssetKind | "";
  q: string;
  page: number;
}

export const PAGE_SIZE = 100;

export const assetKeys = {
  all: ["assets"] as const,
  list: (filter: AssetFilter) => ["assets", filter] as const,
};

/** One page of the inventory. */
export function useAssets(filter: AssetFilter, enabled = true) {
  return useQuery({
    queryKey: assetKeys.list(filter),
    queryFn: ({ signal }) =>
      api.get<AssetPage>(
        "/api/assets",
        {
          structure: filter.structure,
          kind: filter.kind,
          q: filter.q,
          page: filter.page,
          pageSize: PAGE_SIZE,
        },
        signal,
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}
