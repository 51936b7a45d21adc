/** Why a feed could not be downloaded, in French (recorded as the failed run's problem). */
export class FeedFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FeedFetchError";
  }
}

/** Downloads a feed: a function of its URL giving its bytes. */
export type FeedFetcher = (url: string) => Promise<Uint8Array>;

/**
 * Builds a feed downloader: GET with a timeout, following redirects, refusing a non-2xx answer
 * and a body larger than `maxBytes` (read as a stream, so a huge answer is cut off early).
 */
export function createFeedFetcher(options: { timeoutMs?: number; maxBytes?: number } = {}): FeedFetcher {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  return async (url: string): Promise<Uint8Array> => {
    let response: Response;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      response = await fetch(url, {
        headers: {
          "user-agent": "Vigie (CERT Santé)",
          accept: "application/json, application/rss+xml, application/xml, text/xml;q=0.9, */*;q=0.5",
        },
        redirect: "follow",
        signal,
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      if (signal.aborted)
        throw new FeedFetchError(`Téléchargement abandonné après ${timeoutMs / 1000} s sans réponse.`);
      throw new FeedFetchError(`Serveur injoignable${cause ? ` (${cause})` : ""}.`);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new FeedFetchError(`Le serveur a répondu HTTP ${response.status} : flux non téléchargé.`);
    }
    const declared = Number(response.headers.get("content-length") ?? "0");
    if (declared > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new FeedFetchError(`Flux trop volumineux (${declared} octets, ${maxBytes} au plus).`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body ?? []) {
        size += chunk.byteLength;
        if (size > maxBytes) {
          throw new FeedFetchError(
            `Flux trop volumineux (plus de ${maxBytes} octets) : téléchargement interrompu.`,
          );
        }
        chunks.push(chunk);
      }
    } catch (error) {
      if (error instanceof FeedFetchError) throw error;
      if (signal.aborted) throw new FeedFetchError(`Téléchargement abandonné après ${timeoutMs / 1000} s.`);
      throw new FeedFetchError("Téléchargement interrompu : le flux reçu est incomplet.");
    }
    return Buffer.concat(chunks);
  };
}
