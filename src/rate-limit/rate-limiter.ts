/** Outcome of taking one request from a key's token bucket. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Whole requests left in the bucket after this one. */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds to wait before the next request can pass (0 when allowed). */
  retryAfterSeconds: number;
}

export interface RateLimitPolicy {
  /** Sustained requests per second; 0 turns limiting off. */
  requestsPerSecond: number;
  /** Bucket size: how many requests may arrive at once. */
  burst: number;
}

export interface RateLimiter {
  readonly policy: RateLimitPolicy;
  /** Takes one request from the key's bucket; an in-process limiter decides synchronously. */
  consume(key: string): RateLimitDecision | Promise<RateLimitDecision>;
  close(): Promise<void>;
}

/** Shared arithmetic of a token bucket refilled continuously at `requestsPerSecond`. */
export function decide(
  policy: RateLimitPolicy,
  tokensAfter: number,
  allowed: boolean,
): RateLimitDecision {
  const rate = policy.requestsPerSecond;
  return {
    allowed,
    remaining: Math.max(0, Math.floor(tokensAfter)),
    resetSeconds: Math.max(0, Math.ceil((policy.burst - tokensAfter) / rate)),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - tokensAfter) / rate)),
  };
}
