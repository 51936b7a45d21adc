import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { Permission, SessionView } from "@vigie/contracts";
import type { z } from "zod";
import { ApiError, api, onCsrfRefresh, setCsrfToken } from "./api.ts";

export type Session = z.infer<typeof SessionView>;
export type SessionUser = Session["user"];

export const sessionQueryKey = ["session"] as const;

/** Reads the session; null when nobody is signed in (401 is an answer, not a failure). */
export async function fetchSession(): Promise<Session | null> {
  try {
    const session = await api.get<Session>("/api/auth/session");
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

onCsrfRefresh(async () => (await fetchSession())?.csrfToken ?? null);

/** The session, shared by every component through TanStack Query's cache. */
export function useSession() {
  return useQuery({
    queryKey: sessionQueryKey,
    queryFn: fetchSession,
    staleTime: 60_000,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
}

/** The fully signed-in user, or null (nobody, or MFA still pending). */
export function useCurrentUser(): SessionUser | null {
  const { data } = useSession();
  return data?.stage === "authenticated" ? data.user : null;
}

/** True when the signed-in user holds the permission (navigation follows permissions, not role names). */
export function useCan(permission: Permission): boolean {
  const user = useCurrentUser();
  return user?.permissions.includes(permission) ?? false;
}

/** Refreshes the cached session after login, logout or a profile change. */
export function useRefreshSession() {
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ queryKey: sessionQueryKey });
    return queryClient.fetchQuery({ queryKey: sessionQueryKey, queryFn: fetchSession, staleTime: 0 });
  };
}

/** Signs out and forgets every cached answer of the previous user. */
export function useLogout() {
  const queryClient = useQueryClient();
  return async () => {
    try {
      await api.post("/api/auth/logout");
    } catch {
      // Already signed out or session expired: the outcome is the same for the user.
    }
    setCsrfToken(null);
    queryClient.clear();
    queryClient.setQueryData(sessionQueryKey, null);
  };
}
