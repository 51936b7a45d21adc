/**
 * Posts a JSON body (e.g. an on-call page to a paging service's webhook) and throws unless the
 * receiver answers 2xx; a slow receiver is abandoned after `timeoutMs`.
 */
export function createJsonPoster(options: { timeoutMs?: number } = {}) {
  const timeoutMs = options.timeoutMs ?? 5000;
  return async (url: string, body: unknown): Promise<void> => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "Vigie (CERT Santé)" },
      body: JSON.stringify(body),
      redirect: "error",
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Drain the body so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`webhook answered HTTP ${response.status}`);
  };
}
