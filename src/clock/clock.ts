/** The one source of time; tests may script it. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** ISO 8601 UTC with second precision, as the Ploton API renders timestamps. */
export function toIsoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function toIsoOrNull(epochMs: number | null): string | null {
  return epochMs === null ? null : toIsoSeconds(epochMs);
}
