import type { Redis } from 'ioredis';
import type { Clock } from '../clock/index.js';
import { decide, type RateLimiter, type RateLimitPolicy } from './rate-limiter.js';

// Token bucket in one atomic script, shared by every API process.
const TOKEN_BUCKET_SCRIPT = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 't', 'u')
local tokens = tonumber(state[1]) or burst
local updated = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (math.max(0, now - updated) / 1000) * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'u', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return {allowed, tostring(tokens)}
`;

export function createRedisRateLimiter(
  policy: RateLimitPolicy,
  redis: Redis,
  clock: Clock,
  keyPrefix = 'cadre:ratelimit:',
): RateLimiter {
  redis.defineCommand('cadreTokenBucket', { numberOfKeys: 1, lua: TOKEN_BUCKET_SCRIPT });
  const run = (
    redis as unknown as Record<string, (...args: unknown[]) => Promise<[number, string]>>
  ).cadreTokenBucket as (...args: unknown[]) => Promise<[number, string]>;
  return {
    policy,
    async consume(key) {
      const [allowed, tokens] = await run.call(
        redis,
        keyPrefix + key,
        policy.requestsPerSecond,
        policy.burst,
        clock.now(),
      );
      return decide(policy, Number(tokens), allowed === 1);
    },
    close: () => Promise.resolve(),
  };
}
