/** Parses `RateLimit: "default";r=N;t=N` and `RateLimit-Policy: "default";q=N;w=N` strictly. */
export function parseRateLimit(value: unknown): { remaining: number; resetSeconds: number } {
  const match = typeof value === 'string' ? /^"default";r=(\d+);t=(\d+)$/.exec(value) : null;
  if (match === null) throw new Error(`RateLimit header is malformed: ${String(value)}`);
  return { remaining: Number(match[1]), resetSeconds: Number(match[2]) };
}

export function parseRateLimitPolicy(value: unknown): { quota: number; windowSeconds: number } {
  const match = typeof value === 'string' ? /^"default";q=(\d+);w=(\d+)$/.exec(value) : null;
  if (match === null) throw new Error(`RateLimit-Policy header is malformed: ${String(value)}`);
  return { quota: Number(match[1]), windowSeconds: Number(match[2]) };
}

export function parseRetryAfter(value: unknown): number {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) {
    throw new Error(`Retry-After is not a whole number of seconds: ${String(value)}`);
  }
  return Number(value);
}
