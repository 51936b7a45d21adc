import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  AckLinkResult,
  AckLinkView,
  NotificationPage,
  TicketDetail,
  TicketPage,
  TicketStatus,
  TicketSummary,
  TicketTransitionResult,
  TicketUrgency,
  WatchStats,
} from "@vigie/contracts";
import { api } from "../../app/api.ts";

export type Ticket = TicketSummary;
export type { AckLinkResult, AckLinkView, NotificationPage, TicketDetail, TicketPage, WatchStats };

const enc = encodeURIComponent;

export const WATCH_PATH = "/veille";
export const CERT_WATCH_PATH = "/cert/veille";
export const ticketPath = (id: string) => `/veille/tickets/${enc(id)}`;

/** The list filters, with the API's own parameter names (kept in the page's address). */
export interface TicketFilters {
  status?: string;
  kind?: string;
  urgency?: string;
  structureId?: string;
  cve?: string;
  q?: string;
  page?: number;
}

export const watchKeys = {
  all: ["watch"] as const,
  tickets: (filters: TicketFilters) => ["watch", "tickets", filters] as const,
  ticket: (id: string) => ["watch", "ticket", id] as const,
  notifications: (page: number) => ["watch", "notifications", page] as const,
  stats: (year: number) => ["watch", "stats", year] as const,
  ack: (token: string) => ["watch", "ack", token] as const,
};

export function useTickets(filters: TicketFilters) {
  return useQuery({
    queryKey: watchKeys.tickets(filters),
    queryFn: ({ signal }) => api.get<TicketPage>("/api/watch/tickets", { ...filters }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useTicket(id: string) {
  return useQuery({
    queryKey: watchKeys.ticket(id),
    queryFn: ({ signal }) => api.get<TicketDetail>(`/api/watch/tickets/${enc(id)}`, undefined, signal),
  });
}

export function useNotifications(page: number) {
  return useQuery({
    queryKey: watchKeys.notifications(page),
    queryFn: ({ signal }) =>
      api.get<NotificationPage>("/api/watch/notifications", { page: page > 1 ? page : undefined }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useWatchStats(year: number) {
  return useQuery({
    queryKey: watchKeys.stats(year),
    queryFn: ({ signal }) => api.get<WatchStats>("/api/watch/stats", { year }, signal),
  });
}

export function useAckLink(token: string) {
  return useQuery({
    queryKey: watchKeys.ack(token),
    queryFn: ({ signal }) => api.get<AckLinkView>(`/api/watch/ack/${enc(token)}`, undefined, signal),
    retry: false,
  });
}

/** Every ticket change: refetches every watch view afterwards. */
export function useTicketActions() {
  const queryClient = useQueryClient();
  const done = async <T>(promise: Promise<T>): Promise<T> => {
    const result = await promise;
    await queryClient.invalidateQueries({ queryKey: watchKeys.all });
    return result;
  };
  return {
    acknowledge: (ids: string[]) =>
      done(api.post<TicketTransitionResult>("/api/watch/tickets/acknowledge", { ticketIds: ids })),
    fix: (id: string, note?: string) =>
      done(api.post<TicketTransitionResult>(`/api/watch/tickets/${enc(id)}/fix`, note ? { note } : {})),
    falsePositive: (id: string, reason: string, until: string) =>
      done(
        api.post<TicketTransitionResult>(`/api/watch/tickets/${enc(id)}/false-positive`, { reason, until }),
      ),
    reopen: (id: string, note?: string) =>
      done(api.post<TicketTransitionResult>(`/api/watch/tickets/${enc(id)}/reopen`, note ? { note } : {})),
  };
}

export const ackByLink = (token: string) => api.post<AckLinkResult>(`/api/watch/ack/${enc(token)}`);

const statusSeverity: Record<TicketStatus, "new" | "info" | "success" | "warning" | "error"> = {
  new: "new",
  notified: "warning",
  acknowledged: "info",
  fixed: "success",
  false_positive: "info",
  reopened: "error",
};
export function statusSeverityOf(status: TicketStatus) {
  return statusSeverity[status];
}
const urgencySeverity: Record<TicketUrgency, "info" | "warning" | "error"> = {
  normal: "info",
  high: "warning",
  critical: "error",
};
export function urgencySeverityOf(urgency: TicketUrgency) {
  return urgencySeverity[urgency];
}

/** Where the ticket is: IP, domain or host, port and service; or the account of a leak. */
export function ticketWhere(ticket: Ticket): string {
  if (ticket.kind === "leaked_credential") return ticket.email ?? "—";
  const place = [ticket.ip, ticket.domain ?? (ticket.host !== ticket.ip ? ticket.host : null)]
    .filter(Boolean)
    .join(" — ");
  const port =
    ticket.port !== null
      ? `port ${ticket.port}${ticket.service ? ` (${ticket.service})` : ""}`
      : ticket.service;
  return [place, port].filter(Boolean).join(", ") || "—";
}
