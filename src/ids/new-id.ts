import { randomBase62 } from './random-base62.js';

/** A prefixed random id, e.g. `task_3hF9x…`. 16 base62 characters carry ~95 bits. */
export function newId(prefix: string, length = 16): string {
  return `${prefix}_${randomBase62(length)}`;
}
