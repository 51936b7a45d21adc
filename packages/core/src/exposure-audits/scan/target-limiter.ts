/**
 * Per-target rate limit: at most `perSecond` new connections per second to one address, spread
 * evenly (a slot every 1000/perSecond ms). Probes call `acquire(ip)` before each connection.
 */
export class TargetLimiter {
  readonly #intervalMs: number;
  readonly #next = new Map<string, number>();

  constructor(perSecond: number) {
    this.#intervalMs = 1000 / perSecond;
  }

  async acquire(ip: string): Promise<void> {
    const now = performance.now();
    const slot = Math.max(now, this.#next.get(ip) ?? now);
    this.#next.set(ip, slot + this.#intervalMs);
    const wait = slot - now;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
