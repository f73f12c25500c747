const JITTER_RATIO = 0.1;
/** A receiver's Retry-After is honoured up to this long; beyond it the schedule decides. */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * The wait before the next attempt after `attempt` (1-based) failed, or undefined when the
 * attempts are used up. The schedule's delay gets ±10 % jitter so endpoints that failed
 * together do not retry in lockstep; a `Retry-After` longer than that wins.
 */
export function nextAttemptDelay(options: {
  attempt: number;
  attemptLimit: number;
  retryDelaysMs: readonly number[];
  retryAfterMs: number | undefined;
  random: () => number;
}): number | undefined {
  if (options.attempt >= options.attemptLimit) return undefined;
  const scheduled =
    options.retryDelaysMs[Math.min(options.attempt, options.retryDelaysMs.length) - 1] ?? 0;
  const jittered = Math.round(scheduled * (1 - JITTER_RATIO + 2 * JITTER_RATIO * options.random()));
  return Math.max(jittered, Math.min(options.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}
