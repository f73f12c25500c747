import type { Clock } from '../clock/index.js';
import { decide, type RateLimiter, type RateLimitPolicy } from './rate-limiter.js';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Token buckets in process memory: the embedded default (one API process). */
export function createMemoryRateLimiter(policy: RateLimitPolicy, clock: Clock): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const idleMs = Math.ceil((policy.burst / Math.max(policy.requestsPerSecond, 1)) * 1000);
  let lastSweep = clock.now();

  function sweep(now: number): void {
    if (now - lastSweep < 60_000) return;
    lastSweep = now;
    for (const [key, bucket] of buckets) {
      if (now - bucket.updatedAt > idleMs) buckets.delete(key);
    }
  }

  return {
    policy,
    consume(key) {
      const now = clock.now();
      sweep(now);
      const bucket = buckets.get(key) ?? { tokens: policy.burst, updatedAt: now };
      const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
      bucket.tokens = Math.min(
        policy.burst,
        bucket.tokens + elapsedSeconds * policy.requestsPerSecond,
      );
      bucket.updatedAt = now;
      const allowed = bucket.tokens >= 1;
      if (allowed) bucket.tokens -= 1;
      buckets.set(key, bucket);
      return decide(policy, bucket.tokens, allowed);
    },
    close: () => Promise.resolve(),
  };
}
