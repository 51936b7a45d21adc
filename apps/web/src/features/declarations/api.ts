import {
  type AttachmentUploadResult,
  attachmentLimits,
  type DeclarationInput,
  type DeclarationReceipt,
  type DeclarationView,
  type MessageView,
  type PostMessageRequest,
} from "@vigie/contracts";
import type { z } from "zod";
import { ApiError, api, isApiError } from "../../app/api.ts";

export type Receipt = z.infer<typeof DeclarationReceipt>;
export type View = z.infer<typeof DeclarationView>;
export type Message = z.infer<typeof MessageView>;
export type UploadResult = z.infer<typeof AttachmentUploadResult>;
export type MessageKind = z.input<typeof PostMessageRequest>["kind"];

/** Failures worth retrying with the same idempotency key: the declaration may not have arrived. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true;
  return error.code === "NETWORK" || error.status >= 500 || error.status === 429 || error.status === 408;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = window.setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      window.clearTimeout(timer);
      resolve();
    });
  });

/** Waits until the browser says it is online again (or the delay ran out). */
function untilOnline(ms: number, signal?: AbortSignal): Promise<void> {
  if (navigator.onLine) return sleep(ms, signal);
  return new Promise((resolve) => {
    const done = () => {
      window.removeEventListener("online", done);
      window.clearTimeout(timer);
      resolve();
    };
    const timer = window.setTimeout(done, ms);
    window.addEventListener("online", done);
    signal?.addEventListener("abort", done);
  });
}

export interface RetryState {
  attempt: number;
  /** Seconds before the next attempt. */
  waitSeconds: number;
}

/** Delays between attempts: quick at first, then every 30 s, for about five minutes. */
const RETRY_DELAYS = [1, 2, 4, 8, 15, 30, 30, 30, 30, 30, 30, 30, 30];

/**
 * Sends the declaration, retrying with the same idempotency key on network failures and server
 * errors: the server commits it once, a replay answers with the original receipt. `recorded`:
 * an analyst records it on the declarant's behalf.
 */
export async function submitDeclaration(
  input: DeclarationInput,
  onRetry: (state: RetryState) => void,
  options: { recorded?: boolean; signal?: AbortSignal } = {},
): Promise<Receipt> {
  const { recorded = false, signal } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.post<Receipt>(recorded ? "/api/declarations/recorded" : "/api/declarations", input);
    } catch (error) {
      const delay = RETRY_DELAYS[attempt - 1];
      if (!isTransient(error) || delay === undefined || signal?.aborted) throw error;
      const wait = isApiError(error) && error.retryAfter ? Math.min(error.retryAfter, 120) : delay;
      onRetry({ attempt: attempt + 1, waitSeconds: wait });
      await untilOnline(wait * 1000, signal);
      if (signal?.aborted) throw error;
    }
  }
}

/** Uploads files under a pending key (a declaration's idempotency key, or a message's own key). */
export async function uploadFiles(pendingKey: string, files: File[]): Promise<UploadResult> {
  const body = new FormData();
  for (const file of files) body.append("files", file, file.name);
  const answer = await api.post<UploadResult>("/api/attachments", body, { pendingKey });
  return { items: answer.items ?? [], rejected: answer.rejected ?? [] };
}

export async function deleteAttachment(id: string, pendingKey: string): Promise<void> {
  await api.delete(`/api/attachments/${id}`, { pendingKey });
}

/** "1,2 Mo", "340 ko". */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024)
    return `${(bytes / (1024 * 1024)).toLocaleString("fr-FR", { maximumFractionDigits: 1 })} Mo`;
  return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString("fr-FR")} ko`;
}

/** The limits, as the form states them. */
export const limitsText = `${attachmentLimits.maxFiles} fichiers et ${formatSize(attachmentLimits.maxTotalBytes)} au total, ${formatSize(attachmentLimits.maxFileBytes)} par fichier. Formats : PDF, images, ZIP, texte et journaux (.txt, .log, .csv), courriels (.eml, .msg).`;

// The receipt is kept for the session of the tab, so the acknowledgment page survives a reload
// (a declarant without an account cannot fetch it again).
const receiptKey = (id: string) => `vigie:accuse-reception:${id}`;

export function rememberReceipt(receipt: Receipt): void {
  try {
    window.sessionStorage.setItem(receiptKey(receipt.id), JSON.stringify(receipt));
  } catch {
    // Storage disabled: the page still shows the receipt passed in navigation state.
  }
}

export function recallReceipt(id: string): Receipt | null {
  try {
    const text = window.sessionStorage.getItem(receiptKey(id));
    return text ? (JSON.parse(text) as Receipt) : null;
  } catch {
    return null;
  }
}

/**
 * The in-app path of a follow URL (absolute or relative): the secret link's path is what counts,
 * whatever public address the server was configured with.
 */
export function followPath(followUrl: string): string {
  try {
    const url = new URL(followUrl, window.location.origin);
    if (url.origin === window.location.origin || /^\/(suivi|declarations)\//.test(url.pathname))
      return `${url.pathname}${url.search}`;
    return followUrl;
  } catch {
    return followUrl;
  }
}
