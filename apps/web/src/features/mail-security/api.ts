import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { FilteringCampaignView, FilteringImapCheckInput, MailSecurityTestView } from "@vigie/contracts";
import type { z } from "zod";
import { api, listOf } from "../../app/api.ts";

export type { FilteringCampaignView, MailSecurityTestView };
export type ImapCheckInput = z.input<typeof FilteringImapCheckInput>;

const enc = encodeURIComponent;

export const MAIL_PATH = "/messagerie";
export const mailTestPath = (id: string) => `${MAIL_PATH}/tests/${enc(id)}`;
export const campaignPath = (id: string) => `${MAIL_PATH}/campagnes/${enc(id)}`;

export const mailKeys = {
  all: ["mail-security"] as const,
  tests: (structureId: string) => ["mail-security", "tests", structureId] as const,
  test: (id: string) => ["mail-security", "test", id] as const,
  campaigns: (structureId: string) => ["mail-security", "campaigns", structureId] as const,
  campaign: (id: string) => ["mail-security", "campaign", id] as const,
};

export function useMailTests(structureId: string) {
  return useQuery({
    queryKey: mailKeys.tests(structureId),
    queryFn: async ({ signal }) =>
      listOf<MailSecurityTestView>(
        await api.get<unknown>("/api/mail-security/tests", { structureId }, signal),
        "items",
      ),
    enabled: Boolean(structureId),
  });
}

/** A posture test; polled while it runs. */
export function useMailTest(id: string) {
  return useQuery({
    queryKey: mailKeys.test(id),
    queryFn: ({ signal }) =>
      api.get<MailSecurityTestView>(`/api/mail-security/tests/${enc(id)}`, undefined, signal),
    refetchInterval: (query) => (query.state.data?.status === "running" ? 2000 : false),
  });
}

export function useCampaigns(structureId: string) {
  return useQuery({
    queryKey: mailKeys.campaigns(structureId),
    queryFn: async ({ signal }) =>
      listOf<FilteringCampaignView>(
        await api.get<unknown>("/api/mail-security/campaigns", { structureId }, signal),
        "items",
      ),
    enabled: Boolean(structureId),
  });
}

/** A filtering campaign; polled while its messages are being sent. */
export function useCampaign(id: string) {
  return useQuery({
    queryKey: mailKeys.campaign(id),
    queryFn: ({ signal }) =>
      api.get<FilteringCampaignView>(`/api/mail-security/campaigns/${enc(id)}`, undefined, signal),
    refetchInterval: (query) => (query.state.data?.status === "sending" ? 2000 : false),
  });
}

export function useMailActions() {
  const queryClient = useQueryClient();
  const done = async <T>(promise: Promise<T>): Promise<T> => {
    const result = await promise;
    await queryClient.invalidateQueries({ queryKey: mailKeys.all });
    return result;
  };
  return {
    startTest: (structureId: string, domain: string) =>
      done(api.post<MailSecurityTestView>("/api/mail-security/tests", { structureId, domain })),
    startCampaign: (structureId: string, mailbox: string) =>
      done(api.post<FilteringCampaignView>("/api/mail-security/campaigns", { structureId, mailbox })),
    reportArrivals: (id: string, arrivedTokens: string[]) =>
      done(
        api.post<FilteringCampaignView>(`/api/mail-security/campaigns/${enc(id)}/arrivals`, {
          arrivedTokens,
        }),
      ),
    imapCheck: (id: string, input: ImapCheckInput) =>
      done(api.post<FilteringCampaignView>(`/api/mail-security/campaigns/${enc(id)}/imap-check`, input)),
  };
}
