import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  AuthorisationInput,
  ExposureAuditDetail,
  ExposureAuditStats,
  ExposureAuditStatus,
  ExposureAuditSummary,
  PerimeterInput,
  PerimeterStatus,
  PerimeterView,
} from "@vigie/contracts";
import { api, listOf } from "../../app/api.ts";

export type { ExposureAuditDetail, ExposureAuditStats, ExposureAuditSummary, PerimeterView };

const enc = encodeURIComponent;

export const AUDITS_PATH = "/audits";
export const CERT_AUDITS_PATH = "/cert/audits";
/** The report page: the CERT's own address keeps its menu active. */
export const auditPath = (id: string, cert = false) => `${cert ? CERT_AUDITS_PATH : AUDITS_PATH}/${enc(id)}`;
export const reportHtmlHref = (id: string) => `/api/audits/${enc(id)}/report.html`;
export const reportPdfHref = (id: string) => `/api/audits/${enc(id)}/report.pdf`;

export interface AuditListPage {
  items: ExposureAuditSummary[];
  total: number;
  page: number;
  pageSize: number;
}

/** The list filters, with the API's own parameter names (kept in the page's address). */
export interface AuditFilters {
  structureId?: string;
  status?: ExposureAuditStatus;
  page?: number;
}

export const auditKeys = {
  all: ["exposure-audits"] as const,
  perimeter: (structureId: string) => ["exposure-audits", "perimeter", structureId] as const,
  perimeters: (status: PerimeterStatus | "") => ["exposure-audits", "perimeters", status] as const,
  list: (filters: AuditFilters) => ["exposure-audits", "list", filters] as const,
  detail: (id: string) => ["exposure-audits", "detail", id] as const,
  stats: (year: number) => ["exposure-audits", "stats", year] as const,
};

/** One structure's perimeter (a draft with nothing in it when never saved). */
export function usePerimeter(structureId: string | undefined) {
  return useQuery({
    queryKey: auditKeys.perimeter(structureId ?? ""),
    queryFn: ({ signal }) =>
      api.get<PerimeterView>(`/api/audits/perimeters/${enc(structureId ?? "")}`, undefined, signal),
    enabled: Boolean(structureId),
  });
}

/** The CERT's list of perimeters, by status. */
export function usePerimeters(status: PerimeterStatus | "", enabled = true) {
  return useQuery({
    queryKey: auditKeys.perimeters(status),
    queryFn: async ({ signal }) =>
      listOf<PerimeterView>(
        await api.get<unknown>("/api/audits/perimeters", { status: status || undefined }, signal),
        "items",
      ),
    enabled,
  });
}

export function useAudits(filters: AuditFilters, enabled = true) {
  return useQuery({
    queryKey: auditKeys.list(filters),
    queryFn: ({ signal }) => api.get<AuditListPage>("/api/audits", { ...filters }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useAudit(id: string) {
  return useQuery({
    queryKey: auditKeys.detail(id),
    queryFn: ({ signal }) => api.get<ExposureAuditDetail>(`/api/audits/${enc(id)}`, undefined, signal),
  });
}

export function useAuditStats(year: number) {
  return useQuery({
    queryKey: auditKeys.stats(year),
    queryFn: ({ signal }) => api.get<ExposureAuditStats>("/api/audits/stats", { year }, signal),
  });
}

/** Every change: refetches every audit view afterwards. */
export function useAuditActions() {
  const queryClient = useQueryClient();
  const done = async <T>(promise: Promise<T>): Promise<T> => {
    const result = await promise;
    await queryClient.invalidateQueries({ queryKey: auditKeys.all });
    return result;
  };
  const perimeter = (structureId: string) => `/api/audits/perimeters/${enc(structureId)}`;
  return {
    save: (structureId: string, input: PerimeterInput) =>
      done(api.put<PerimeterView>(perimeter(structureId), input)),
    submit: (structureId: string) => done(api.post<PerimeterView>(`${perimeter(structureId)}/submit`)),
    authorise: (structureId: string, input: AuthorisationInput) =>
      done(api.post<PerimeterView>(`${perimeter(structureId)}/authorise`, input)),
    reject: (structureId: string, reason: string) =>
      done(api.post<PerimeterView>(`${perimeter(structureId)}/reject`, { reason })),
    revoke: (structureId: string) => done(api.post<PerimeterView>(`${perimeter(structureId)}/revoke`)),
    ctImport: (structureId: string, file: File) => {
      const body = new FormData();
      body.append("file", file, file.name);
      return done(api.post<unknown>(`${perimeter(structureId)}/ct-import`, body));
    },
    launch: (structureId: string) => done(api.post<ExposureAuditSummary>("/api/audits", { structureId })),
  };
}
