import type { Clock } from '../../src/clock/index.js';

/** A clock the test moves by hand: the only kind of time the conventions allow to script. */
export interface ScriptedClock extends Clock {
  advance(ms: number): void;
  set(epochMs: number): void;
}

export function createScriptedClock(startMs = Date.parse('2025-06-15T10:00:00Z')): ScriptedClock {
  let current = startMs;
  return {
    now: () => current,
    advance(ms) {
      current += ms;
    },
    set(epochMs) {
      current = epochMs;
    },
  };
}
