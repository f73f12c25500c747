import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCadre, type Cadre } from '../../src/main/create-cadre.js';
import { createLogger } from '../../src/main/create-logger.js';
import { createRedisRateLimiter, type RateLimiter } from '../../src/rate-limit/index.js';
import { startApiCadre, type ApiHarness } from '../support/api-harness.js';
import { parseRateLimit, parseRetryAfter } from '../support/rate-limit-headers.js';
import { createScriptedClock } from '../support/scripted-clock.js';

const REDIS_URL = process.env.CADRE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A connection that fails fast and loudly: Redis is required, never skipped. */
async function connectRedis(): Promise<Redis> {
  const redis = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `Redis is required for the rate-limit tests but is not reachable at ${REDIS_URL}: ${(lastError ?? (error as Error)).message}. Start it (e.g. \`service redis-server start\`) and rerun.`,
    );
  }
  return redis;
}

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

describe('Redis rate limiter', () => {
  const prefix = `cadre-test:${crypto.randomBytes(6).toString('hex')}:`;
  const clock = createScriptedClock();
  const policy = { requestsPerSecond: 1, burst: 4 };
  let first: Redis;
  let second: Redis;
  let limiterOne: RateLimiter;
  let limiterTwo: RateLimiter;

  beforeAll(async () => {
    first = await connectRedis();
    second = await connectRedis();
    limiterOne = createRedisRateLimiter(policy, first, clock, prefix);
    limiterTwo = createRedisRateLimiter(policy, second, clock, prefix);
  });
  afterAll(async () => {
    if (first !== undefined) {
      await deleteKeys(first, `${prefix}*`);
      await first.quit();
    }
    await second?.quit();
  });

  it('shares one budget between two limiters on two connections', async () => {
    const decisions = [];
    for (let index = 0; index < 8; index += 1) {
      const limiter = index % 2 === 0 ? limiterOne : limiterTwo;
      decisions.push(await limiter.consume('shared-key'));
    }
    expect(decisions.map((decision) => decision.allowed)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    expect(decisions.map((decision) => decision.remaining)).toEqual([3, 2, 1, 0, 0, 0, 0, 0]);
    for (const denied of decisions.slice(4))
      expect(denied.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it('lets a request through once Retry-After has passed, on either connection', async () => {
    for (let index = 0; index < policy.burst; index += 1) await limiterOne.consume('retry-key');
    const denied = await limiterTwo.consume('retry-key');
    expect(denied.allowed).toBe(false);
    clock.advance(denied.retryAfterSeconds * 1000 - 1);
    expect((await limiterOne.consume('retry-key')).allowed).toBe(false);
    clock.advance(1);
    expect((await limiterTwo.consume('retry-key')).allowed).toBe(true);
  });

  it('keeps separate budgets for separate keys', async () => {
    for (let index = 0; index < policy.burst; index += 1) {
      expect((await limiterOne.consume('key-a')).allowed).toBe(true);
    }
    expect((await limiterOne.consume('key-a')).allowed).toBe(false);
    expect((await limiterTwo.consume('key-b')).allowed).toBe(true);
  });

  it('never reports negative remaining or reset, whatever the interleaving', async () => {
    for (let index = 0; index < 50; index += 1) {
      clock.advance((index * 337) % 1_300);
      const decision = await (index % 3 === 0 ? limiterOne : limiterTwo).consume('mixed-key');
      expect(decision.remaining).toBeGreaterThanOrEqual(0);
      expect(decision.resetSeconds).toBeGreaterThanOrEqual(0);
      expect(decision.allowed ? 0 : decision.retryAfterSeconds).toBeGreaterThanOrEqual(
        decision.allowed ? 0 : 1,
      );
    }
  });

  it('expires idle buckets instead of keeping them forever', async () => {
    await limiterOne.consume('ttl-key');
    const ttl = await first.pttl(`${prefix}ttl-key`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual((policy.burst / policy.requestsPerSecond) * 1000 + 1000);
  });
});

describe('two API instances on one Redis', () => {
  const clock = createScriptedClock();
  let api: ApiHarness;
  let twin: Cadre;
  let redis: Redis;
  let keyIds: string[] = [];

  beforeAll(async () => {
    redis = await connectRedis();
    api = await startApiCadre(
      { CADRE_REDIS_URL: REDIS_URL, CADRE_RATE_LIMIT_RPS: '1', CADRE_RATE_LIMIT_BURST: '6' },
      { role: 'api', clock },
    );
    twin = await createCadre(api.base.cadre.config, {
      role: 'api',
      clock,
      logger: createLogger('silent'),
    });
    keyIds = (await api.base.cadre.apiKeys.listKeys()).map((key) => key.id);
  });
  afterAll(async () => {
    await twin?.close();
    await api?.close();
    if (redis !== undefined) {
      for (const id of keyIds) await redis.del(`cadre:ratelimit:${id}`);
      await redis.quit();
    }
  });

  it('shares a key’s budget across both instances', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 10; index += 1) {
      const app = index % 2 === 0 ? api.app : twin.app!;
      const response = await app.inject({
        method: 'GET',
        url: '/v1/subagents',
        headers: { authorization: `Bearer ${api.keys.live}` },
      });
      statuses.push(response.statusCode);
      expect(parseRateLimit(response.headers.ratelimit).remaining).toBeGreaterThanOrEqual(0);
      if (response.statusCode === 429) {
        expect(parseRetryAfter(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429, 429, 429]);
  });
});
