import type { AppDeps } from "../app.ts";

/**
 * A route's per-IP rate limit, on top of the per-account lockout. `RATE_LIMIT_SCALE` lets a test
 * suite, which signs in dozens of times from 127.0.0.1, raise every limit at once.
 */
export function routeRateLimit(deps: AppDeps, max: number, timeWindow: string) {
  return { max: Math.ceil(max * deps.config.RATE_LIMIT_SCALE), timeWindow };
}
