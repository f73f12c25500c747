import crypto from 'node:crypto';
import { randomBase62 } from '../ids/index.js';

const SEQUENCE_WIDTH = 7;
const SEQUENCE_SPACE = 36 ** SEQUENCE_WIDTH;
// A random start hides how many ids this process has made.
let sequence = crypto.randomInt(0, SEQUENCE_SPACE / 2);

/**
 * A prefixed id whose text order follows creation order within this process: a fixed-width
 * lowercase base36 counter (ordered the same under every collation), then 12 random base62
 * characters. Lists ordered by `created_at DESC, id DESC` thus show rows created in the same
 * millisecond newest first.
 */
export function newSortableId(prefix: string): string {
  sequence = (sequence + 1) % SEQUENCE_SPACE;
  return `${prefix}_${sequence.toString(36).padStart(SEQUENCE_WIDTH, '0')}${randomBase62(12)}`;
}
