import type { AttachmentView, DeclarationInput, DraftView } from "@vigie/contracts";
import type { z } from "zod";
import { api } from "../../app/api.ts";
import { type DeclarationFormValues, withDefaults } from "./model.ts";

export type Attachment = z.infer<typeof AttachmentView>;

/**
 * Everything needed to resume a declaration: the answers, the idempotency key (which is also
 * the key the attachments wait under and the server draft's key), the attachments already
 * uploaded, the step reached, and the last payload sent (to recover a receipt after a conflict).
 */
export interface Draft {
  version: 1;
  key: string;
  step: number;
  values: DeclarationFormValues;
  attachments: Attachment[];
  lastSubmitted: DeclarationInput | null;
  savedAt: string;
}

/**
 * Where the browser copy of the current draft is kept: one per account (or one for anonymous
 * declarants), and apart from it the one an analyst records on someone's behalf.
 */
export function storageKey(userId: string | null, recorded = false): string {
  return recorded
    ? `vigie:brouillon-saisie-cert:${userId ?? "sans-compte"}`
    : `vigie:brouillon-declaration:${userId ?? "sans-compte"}`;
}

export function newDraft(values: DeclarationFormValues): Draft {
  return {
    version: 1,
    key: crypto.randomUUID(),
    step: 0,
    values,
    attachments: [],
    lastSubmitted: null,
    savedAt: new Date().toISOString(),
  };
}

/** Reads a stored draft object (local or server), tolerating older or partial shapes. */
export function parseDraft(raw: unknown, fallbackKey?: string): Draft | null {
  if (!raw || typeof raw !== "object") return null;
  const data = raw as Partial<Draft>;
  const key = typeof data.key === "string" ? data.key : fallbackKey;
  if (!key || !/^[0-9a-f-]{36}$/i.test(key)) return null;
  return {
    version: 1,
    key,
    step: typeof data.step === "number" && data.step >= 0 && data.step <= 4 ? data.step : 0,
    values: withDefaults(data.values),
    attachments: Array.isArray(data.attachments) ? data.attachments : [],
    lastSubmitted: data.lastSubmitted ?? null,
    savedAt: typeof data.savedAt === "string" ? data.savedAt : new Date().toISOString(),
  };
}

export function readLocalDraft(storage: string): Draft | null {
  try {
    const text = window.localStorage.getItem(storage);
    return text ? parseDraft(JSON.parse(text)) : null;
  } catch {
    return null;
  }
}

/** Saves the draft in this browser; false when storage is full or disabled (private mode). */
export function writeLocalDraft(storage: string, draft: Draft): boolean {
  try {
    window.localStorage.setItem(storage, JSON.stringify(draft));
    return true;
  } catch {
    return false;
  }
}

export function clearLocalDraft(storage: string): void {
  try {
    window.localStorage.removeItem(storage);
  } catch {
    // Storage disabled: nothing was kept.
  }
}

/** The signed-in declarant's most recent server draft, if any. */
export async function fetchServerDraft(): Promise<Draft | null> {
  const answer = await api.get<{ items: z.infer<typeof DraftView>[] }>("/api/declarations/drafts");
  const latest = [...(answer.items ?? [])].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
  return latest ? parseDraft(latest.data, latest.key) : null;
}

export async function saveServerDraft(draft: Draft): Promise<void> {
  await api.put(`/api/declarations/drafts/${draft.key}`, { data: draft });
}

export async function deleteServerDraft(key: string): Promise<void> {
  await api.delete(`/api/declarations/drafts/${key}`);
}
