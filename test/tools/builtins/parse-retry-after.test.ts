import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs } from '../../../src/tools/builtins/index.js';

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP-date as the time left until then', () => {
    expect(parseRetryAfterMs('Sun, 01 Jun 2025 12:00:30 GMT', now)).toBe(30_000);
  });

  it('treats a date in the past as no wait', () => {
    expect(parseRetryAfterMs('Sun, 01 Jun 2025 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores absent and unparseable values', () => {
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs('-5', now)).toBeUndefined();
  });
});
