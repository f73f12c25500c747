export type { RateLimiter, RateLimitDecision, RateLimitPolicy } from './rate-limiter.js';
export { createMemoryRateLimiter } from './memory-rate-limiter.js';
export { createRedisRateLimiter } from './redis-rate-limiter.js';
