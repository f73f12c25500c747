import { TOOL_NAME_SEPARATOR } from '../tools/index.js';

/** Model providers accept tool names of at most 64 characters from this set. */
export const MAX_TOOL_NAME_LENGTH = 64;

export interface ActionNamer {
  /** The longest action this toolkit's tools may have. */
  readonly maxLength: number;
  /** A unique, provider-safe action from an operation id or `method path`. */
  allocate(raw: string): string;
}

/**
 * Turns operation ids into actions so that `<toolkit>__<action>` stays within
 * `[A-Za-z0-9_-]{1,64}`: other characters become `_`, long names are cut, and repeats get
 * `_2`, `_3`… (compared case-insensitively, since some providers do).
 */
export function createActionNamer(toolkit: string): ActionNamer {
  const maxLength = Math.max(8, MAX_TOOL_NAME_LENGTH - toolkit.length - TOOL_NAME_SEPARATOR.length);
  const taken = new Set<string>();
  return {
    maxLength,
    allocate(raw) {
      const base = sanitizeAction(raw).slice(0, maxLength).replace(/_+$/, '') || 'operation';
      let candidate = base;
      for (let suffix = 2; taken.has(candidate.toLowerCase()); suffix += 1) {
        const tail = `_${suffix}`;
        candidate = `${base.slice(0, maxLength - tail.length)}${tail}`;
      }
      taken.add(candidate.toLowerCase());
      return candidate;
    },
  };
}

/** `[A-Za-z0-9_-]` only, runs of anything else as one `_`, no `_` at either end. */
export function sanitizeAction(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/_{2,}/g, '_')
    .replace(/^[_-]+|_+$/g, '');
}
