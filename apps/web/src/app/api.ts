import { type ErrorCode, errorCatalogue, type FieldIssue } from "@vigie/contracts";

/** Codes the client adds for failures that never reached the API's error handler. */
export type ClientErrorCode = ErrorCode | "NETWORK" | "UNKNOWN";

/** An API failure, as the web app reads it: by code, never by message. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ClientErrorCode;
  readonly fields: FieldIssue[];
  readonly details: Record<string, unknown>;
  /** Seconds to wait, from the Retry-After header of a 429. */
  readonly retryAfter: number | null;

  constructor(
    status: number,
    code: ClientErrorCode,
    options: { fields?: FieldIssue[]; details?: Record<string, unknown>; retryAfter?: number | null } = {},
  ) {
    super(messageForCode(code));
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.fields = options.fields ?? [];
    this.details = options.details ?? {};
    this.retryAfter = options.retryAfter ?? null;
  }
}

/** The French message shown for a code; the API's own message text is never displayed. */
export function messageForCode(code: ClientErrorCode): string {
  if (code === "NETWORK") return "Le serveur est injoignable. Vérifiez votre connexion puis réessayez.";
  if (code === "UNKNOWN") return "Une erreur inattendue est survenue. Réessayez dans quelques instants.";
  return errorCatalogue[code]?.message ?? "Une erreur inattendue est survenue.";
}

// The CSRF token lives in memory only: it comes with the login and session answers, and is
// sent back on every state-changing request. Never in storage, so another tab's XSS-free
// origin is the only reader.
let csrfToken: string | null = null;

/** Remembers the CSRF token of the current session (from login, TOTP or session answers). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the CSRF token is rejected, to fetch a fresh one before retrying once. */
let refreshCsrf: (() => Promise<string | null>) | null = null;

/** Registers how to obtain a fresh CSRF token (the auth layer re-reads the session). */
export function onCsrfRefresh(fn: () => Promise<string | null>): void {
  refreshCsrf = fn;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
}

function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryHeader = response.headers.get("retry-after");
  const retryAfter = retryHeader && /^\d+$/.test(retryHeader) ? Number(retryHeader) : null;
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (proxy error page, empty body): fall back on the status alone.
  }
  const error = (
    body as { error?: { code?: string; fields?: FieldIssue[]; details?: Record<string, unknown> } }
  )?.error;
  const code =
    error?.code && error.code in errorCatalogue ? (error.code as ErrorCode) : fallbackCode(response);
  return new ApiError(response.status, code, {
    fields: Array.isArray(error?.fields) ? error.fields : [],
    details: error?.details ?? {},
    retryAfter,
  });
}

function fallbackCode(response: Response): ClientErrorCode {
  switch (response.status) {
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "FORBIDDEN";
    case 404:
      return "NOT_FOUND";
    case 429:
      return "RATE_LIMITED";
    case 502:
    case 503:
    case 504:
      return "SERVICE_UNAVAILABLE";
    default:
      return "UNKNOWN";
  }
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = { accept: "application/json" };
  // A FormData body (file upload) sets its own multipart content type and boundary.
  const multipart = options.body instanceof FormData;
  if (options.body !== undefined && !multipart) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body:
        options.body === undefined
          ? undefined
          : multipart
            ? (options.body as FormData)
            : JSON.stringify(options.body),
      credentials: "same-origin",
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError(0, "NETWORK");
  }
}

/** Calls the API; resolves with the parsed JSON (undefined for 204), rejects with an ApiError. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  let response = await send(path, options);
  if (!response.ok) {
    let error = await toApiError(response);
    // A stale token (session renewed in another tab): fetch the current one and retry once.
    if (error.code === "CSRF_INVALID" && refreshCsrf) {
      const fresh = await refreshCsrf().catch(() => null);
      if (fresh) {
        setCsrfToken(fresh);
        response = await send(path, options);
        if (response.ok) return parse<T>(response);
        error = await toApiError(response);
      }
    }
    throw error;
  }
  return parse<T>(response);
}

async function parse<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Shorthands. */
export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    apiRequest<T>(path, { method: "GET", query, signal }),
  post: <T>(path: string, body?: unknown, query?: Query) =>
    apiRequest<T>(path, { method: "POST", body: body ?? {}, query }),
  put: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: "PUT", body }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: "PATCH", body }),
  delete: <T>(path: string, query?: Query) => apiRequest<T>(path, { method: "DELETE", query }),
};

/** True for an ApiError with one of the given codes. */
export function isApiError(error: unknown, ...codes: ClientErrorCode[]): error is ApiError {
  return error instanceof ApiError && (codes.length === 0 || codes.includes(error.code));
}

/**
 * The array of a list answer: the API wraps lists in an object (`{items}`, `{tokens}`) so they
 * can grow fields later; a bare array is accepted too.
 */
export function listOf<T>(answer: unknown, key: string): T[] {
  if (Array.isArray(answer)) return answer as T[];
  const inner = (answer as Record<string, unknown> | null)?.[key];
  return Array.isArray(inner) ? (inner as T[]) : [];
}
