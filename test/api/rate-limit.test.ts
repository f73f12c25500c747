import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiCadre, type ApiHarness } from '../support/api-harness.js';
import {
  parseRateLimit,
  parseRateLimitPolicy,
  parseRetryAfter,
} from '../support/rate-limit-headers.js';
import { createScriptedClock } from '../support/scripted-clock.js';

const RPS = 1;
const BURST = 5;

describe('rate limiting per API key', () => {
  const clock = createScriptedClock();
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiCadre(
      { CADRE_RATE_LIMIT_RPS: String(RPS), CADRE_RATE_LIMIT_BURST: String(BURST) },
      { role: 'api', clock },
    );
  });
  afterAll(() => api.close());

  const freshKey = () => api.createKey({ environment: 'live' });
  const get = (key: string | null, url = '/v1/subagents') =>
    api.request({ method: 'GET', url, key });
  /** Far enough ahead that every bucket is full again. */
  const refill = () => clock.advance(60_000);

  it('lets exactly burst requests through, then answers 429 rate_limit_exceeded with Retry-After and RateLimit fields', async () => {
    refill();
    const key = await freshKey();
    const remaining: number[] = [];
    for (let index = 0; index < BURST; index += 1) {
      const response = await get(key);
      expect(response.status).toBe(200);
      expect(parseRateLimitPolicy(response.headers['ratelimit-policy'])).toEqual({
        quota: BURST,
        windowSeconds: Math.ceil(BURST / RPS),
      });
      remaining.push(parseRateLimit(response.headers.ratelimit).remaining);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);

    const limited = await get(key);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limit_exceeded');
    expect(parseRetryAfter(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(parseRateLimit(limited.headers.ratelimit).remaining).toBe(0);
    expect(parseRateLimitPolicy(limited.headers['ratelimit-policy']).quota).toBe(BURST);
  });

  it('lets requests through again once Retry-After seconds have passed, and not a millisecond earlier', async () => {
    refill();
    const key = await freshKey();
    for (let index = 0; index < BURST; index += 1) expect((await get(key)).status).toBe(200);
    const limited = await get(key);
    const retryAfterMs = parseRetryAfter(limited.headers['retry-after']) * 1000;

    clock.advance(retryAfterMs - 1);
    expect((await get(key)).status).toBe(429);
    clock.advance(1);
    expect((await get(key)).status).toBe(200);
    expect((await get(key)).status).toBe(429);
  });

  it('refills at the configured rate', async () => {
    refill();
    const key = await freshKey();
    for (let index = 0; index < BURST; index += 1) await get(key);
    for (let second = 0; second < 3; second += 1) {
      clock.advance(1_000);
      const statuses = [];
      for (let index = 0; index < 3; index += 1) statuses.push((await get(key)).status);
      expect(statuses).toEqual([200, 429, 429]);
    }
  });

  it('gives every key its own budget', async () => {
    refill();
    const first = await freshKey();
    const second = await api.createKey({ environment: 'test' });
    for (let index = 0; index < BURST; index += 1) expect((await get(first)).status).toBe(200);
    expect((await get(first)).status).toBe(429);
    for (let index = 0; index < BURST; index += 1) expect((await get(second)).status).toBe(200);
    expect((await get(second)).status).toBe(429);
  });

  it('does not count requests answered 401 against any quota', async () => {
    refill();
    const key = await freshKey();
    const revoked = await api.base.cadre.apiKeys.createKey({ environment: 'live' });
    await api.base.cadre.apiKeys.revokeKey(revoked.id);
    for (let index = 0; index < 3 * BURST; index += 1) {
      const bad = [null, revoked.key, 'pk_live_nope'][index % 3]!;
      const response = await get(bad);
      expect(response.status).toBe(401);
      expect(response.headers.ratelimit).toBeUndefined();
    }
    for (let index = 0; index < BURST; index += 1) expect((await get(key)).status).toBe(200);
    expect((await get(key)).status).toBe(429);
  });

  it('does not limit the public health and OpenAPI routes', async () => {
    refill();
    for (let index = 0; index < 3 * BURST; index += 1) {
      expect((await get(null, '/healthz')).status).toBe(200);
    }
    expect((await get(null, '/v1/openapi.json')).status).toBe(200);
  });

  it('never lets more through than burst plus the refill, never reports r below zero, and always honours its own Retry-After', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 1_500 }), { minLength: 1, maxLength: 40 }),
        async (gapsMs) => {
          refill();
          const key = await freshKey();
          const start = clock.now();
          let allowed = 0;
          for (const gap of gapsMs) {
            clock.advance(gap);
            const response = await get(key);
            const { remaining, resetSeconds } = parseRateLimit(response.headers.ratelimit);
            expect(remaining).toBeGreaterThanOrEqual(0);
            expect(remaining).toBeLessThanOrEqual(BURST);
            expect(resetSeconds).toBeGreaterThanOrEqual(0);
            if (response.status === 200) {
              allowed += 1;
            } else {
              expect(response.status).toBe(429);
              const retryAfter = parseRetryAfter(response.headers['retry-after']);
              expect(retryAfter).toBeGreaterThanOrEqual(1);
              clock.advance(retryAfter * 1000);
              expect((await get(key)).status).toBe(200);
              allowed += 1;
            }
            const elapsedSeconds = (clock.now() - start) / 1000;
            expect(allowed).toBeLessThanOrEqual(BURST + Math.floor(elapsedSeconds * RPS));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('rate limiting when the shared store is down', () => {
  it('serves requests instead of failing them when Redis cannot be reached', async () => {
    const api = await startApiCadre(
      {
        CADRE_REDIS_URL: 'redis://127.0.0.1:1',
        CADRE_RATE_LIMIT_RPS: '10',
        CADRE_RATE_LIMIT_BURST: '10',
      },
      { role: 'api' },
    );
    try {
      const response = await api.request({ method: 'GET', url: '/v1/subagents' });
      expect(response.status).toBe(200);
    } finally {
      await api.close();
    }
  });
});
