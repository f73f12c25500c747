import { AppError } from '../errors/index.js';
import type { RateLimitDecision, RateLimitPolicy } from '../rate-limit/index.js';

/** The IETF `RateLimit` / `RateLimit-Policy` fields of one policy, and its refusal. */
export interface RateLimitFields {
  /** The `RateLimit-Policy` value: the same on every response. */
  policy: string;
  /** The `RateLimit` value after a decision. */
  limit(decision: RateLimitDecision): string;
  /** The 429 for a refused decision. */
  refusal(decision: RateLimitDecision): AppError;
}

export function rateLimitFields({ requestsPerSecond, burst }: RateLimitPolicy): RateLimitFields {
  const windowSeconds = Math.max(1, Math.ceil(burst / requestsPerSecond));
  return {
    policy: `"default";q=${burst};w=${windowSeconds}`,
    limit: (decision) => `"default";r=${decision.remaining};t=${decision.resetSeconds}`,
    refusal: (decision) =>
      new AppError({
        code: 'rate_limit_exceeded',
        message: `Too many requests for this API key (${requestsPerSecond}/s, bursts of ${burst}). Retry after ${decision.retryAfterSeconds} s.`,
        headers: { 'Retry-After': String(decision.retryAfterSeconds) },
      }),
  };
}
