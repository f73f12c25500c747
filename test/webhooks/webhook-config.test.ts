import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDurationList } from '../../src/config/index.js';
import { nextAttemptDelay } from '../../src/webhooks/next-attempt-delay.js';

const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('webhook configuration', () => {
  it('defaults to 5 attempts over about a day, a 30 s timeout and disabling after 3 days', () => {
    const { webhooks } = loadConfig({});
    expect(webhooks).toEqual({
      endpoint: undefined,
      timeoutMs: 30_000,
      retryDelaysMs: [60_000, 1_200_000, 14_400_000, 64_800_000],
      disableAfterMs: 3 * 24 * 3_600_000,
      concurrency: 32,
      progressIntervalMs: 1_000,
    });
    const total = webhooks.retryDelaysMs.reduce((sum, delay) => sum + delay, 0);
    expect(total / 3_600_000).toBeCloseTo(22.35, 1);
  });

  it('reads the configured endpoint from CADRE_WEBHOOK_URL and CADRE_WEBHOOK_SECRET', () => {
    const { webhooks } = loadConfig({
      CADRE_WEBHOOK_URL: 'https://hooks.example.com/ploton',
      CADRE_WEBHOOK_SECRET: SECRET,
      CADRE_WEBHOOK_RETRY_DELAYS: '10s, 5m',
      CADRE_WEBHOOK_TIMEOUT_MS: '5000',
    });
    expect(webhooks.endpoint).toEqual({ url: 'https://hooks.example.com/ploton', secret: SECRET });
    expect(webhooks.retryDelaysMs).toEqual([10_000, 300_000]);
    expect(webhooks.timeoutMs).toBe(5_000);
  });

  it.each([
    [{ CADRE_WEBHOOK_URL: 'https://hooks.example.com/' }, /CADRE_WEBHOOK_SECRET: required/],
    [{ CADRE_WEBHOOK_SECRET: SECRET }, /CADRE_WEBHOOK_URL: required/],
    [
      { CADRE_WEBHOOK_URL: 'https://hooks.example.com/', CADRE_WEBHOOK_SECRET: 'plain-secret' },
      /CADRE_WEBHOOK_SECRET: expected whsec_/,
    ],
    [
      { CADRE_WEBHOOK_URL: 'https://hooks.example.com/', CADRE_WEBHOOK_SECRET: 'whsec_c2hvcnQ=' },
      /at least 24 random bytes/,
    ],
    [{ CADRE_WEBHOOK_URL: 'ftp://hooks.example.com/' }, /CADRE_WEBHOOK_URL/],
    [
      { CADRE_WEBHOOK_RETRY_DELAYS: '1m,soon' },
      /CADRE_WEBHOOK_RETRY_DELAYS: "soon" is not a duration/,
    ],
    [{ CADRE_WEBHOOK_TIMEOUT_MS: '10' }, /CADRE_WEBHOOK_TIMEOUT_MS/],
  ])('refuses %j, saying how to fix it', (env, message) => {
    expect(problemsOf(env).join('\n')).toMatch(message);
  });

  it('parses durations in ms, s, m, h and d, bare milliseconds, and none', () => {
    expect(parseDurationList('50ms,2s,1.5m,1h,1d,250')).toEqual([
      50, 2_000, 90_000, 3_600_000, 86_400_000, 250,
    ]);
    expect(parseDurationList('none')).toEqual([]);
    expect(() => parseDurationList('31d')).toThrow(/longer than 30 days/);
    expect(() => parseDurationList('1m,,2m')).toThrow(/not a duration/);
  });
});

describe('the wait before the next attempt', () => {
  const schedule = [60_000, 1_200_000];

  it('keeps within ±10 % of the schedule', () => {
    const at = (random: number, attempt: number) =>
      nextAttemptDelay({
        attempt,
        attemptLimit: 3,
        retryDelaysMs: schedule,
        retryAfterMs: undefined,
        random: () => random,
      });
    expect(at(0, 1)).toBe(54_000);
    expect(at(0.5, 1)).toBe(60_000);
    expect(at(1, 1)).toBe(66_000);
    expect(at(0, 2)).toBe(1_080_000);
    expect(at(1, 2)).toBe(1_320_000);
  });

  it('gives up when the attempts are used', () => {
    expect(
      nextAttemptDelay({
        attempt: 3,
        attemptLimit: 3,
        retryDelaysMs: schedule,
        retryAfterMs: 5_000,
        random: Math.random,
      }),
    ).toBeUndefined();
  });

  it('honours a longer Retry-After, up to a day', () => {
    const withRetryAfter = (retryAfterMs: number) =>
      nextAttemptDelay({
        attempt: 1,
        attemptLimit: 3,
        retryDelaysMs: schedule,
        retryAfterMs,
        random: () => 0.5,
      });
    expect(withRetryAfter(5_000)).toBe(60_000);
    expect(withRetryAfter(600_000)).toBe(600_000);
    expect(withRetryAfter(30 * 86_400_000)).toBe(86_400_000);
  });

  it('repeats the last wait for attempts beyond the schedule (a manual redelivery series)', () => {
    expect(
      nextAttemptDelay({
        attempt: 5,
        attemptLimit: 9,
        retryDelaysMs: schedule,
        retryAfterMs: undefined,
        random: () => 0.5,
      }),
    ).toBe(1_200_000);
  });
});
