import { randomBytes } from "node:crypto";
import type { ScanContext } from "../types.ts";
import { fetchPath, type HttpAnswer, type HttpOrigin, textOf } from "./client.ts";

/**
 * How the server answers a path that cannot exist. Many sites answer 200 with their home page or
 * a "page not found" page to everything (soft 404): a path is only "found" when its answer is
 * not that page.
 */
export interface NotFoundProfile {
  answers: { status: number; text: string; title: string | null; path: string }[];
  /** The answers as received (their headers and error pages also disclose versions). */
  raw: HttpAnswer[];
}

const titleOf = (text: string) =>
  /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim().toLowerCase() ?? null;

/** Removes the requested path (raw, without slash, encoded) so pages that echo it compare equal. */
function normalise(text: string, ...paths: string[]): string {
  let out = text;
  const forms = paths.flatMap((path) => [
    path,
    path.replace(/^\//, ""),
    encodeURI(path),
    encodeURIComponent(path),
  ]);
  for (const form of forms.sort((a, b) => b.length - a.length)) {
    if (form) out = out.split(form).join("\u0000");
  }
  // request ids, dates and counters change from one answer to the next
  return out
    .replace(/[0-9a-f]{8,}(?:-[0-9a-f]{4,})*/gi, "#")
    .replace(/\d+/g, "0")
    .replace(/\s+/g, " ")
    .trim();
}

/** Asks three random paths (bare, with a file extension, a folder) and keeps their answers. */
export async function learnNotFound(ctx: ScanContext, origin: HttpOrigin): Promise<NotFoundProfile> {
  const token = randomBytes(8).toString("hex");
  const paths = [`/vigie-${token}`, `/vigie-${token}.sql`, `/vigie-${token}/`];
  const answers: NotFoundProfile["answers"] = [];
  const raw: HttpAnswer[] = [];
  for (const path of paths) {
    const answer = await fetchPath(ctx, origin, path);
    if (!answer) continue;
    raw.push(answer);
    const text = textOf(answer);
    answers.push({ status: answer.status, text: normalise(text, path), title: titleOf(text), path });
  }
  return { answers, raw };
}

/** True when the answer looks like the server's answer to a non-existent path. */
export function looksLikeNotFound(profile: NotFoundProfile, answer: HttpAnswer, requested: string): boolean {
  const text = textOf(answer);
  const normalised = normalise(text, requested, answer.path);
  const title = titleOf(text);
  return profile.answers.some((known) => {
    if (known.status !== answer.status) return false;
    if (known.text === normalised) return true;
    // the same page with small variations (a date, a token): same title, close length
    if (known.title !== null && known.title === title) {
      const diff = Math.abs(known.text.length - normalised.length);
      return diff <= Math.max(64, known.text.length * 0.05);
    }
    return false;
  });
}
