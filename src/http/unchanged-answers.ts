/**
 * Bodies of hot reads, kept while the database is unchanged: a poll of a task that has not
 * moved since the last poll skips the read and the serialization. Entries are labelled with
 * the database's change counter (SQLite's `data_version`) read *before* their read, so a
 * body is at least as new as its label; any commit, by any connection or process, moves the
 * counter on, and every body labelled with an earlier value is dropped. Within the limits
 * (keys and bodies counted), the least recently used body makes room for a new one.
 */
export interface UnchangedAnswers {
  /** The body stored under `key` while the counter read `changes`. */
  get(key: string, changes: number): Buffer | undefined;
  /** Keeps a body read after the counter read `changes`. */
  set(key: string, changes: number, body: Buffer): void;
  /** Bodies answered from here. */
  hits(): number;
}

export function createUnchangedAnswers(
  limits: { entries: number; bytes: number } = { entries: 1_000, bytes: 8 * 1024 * 1024 },
): UnchangedAnswers {
  const bodies = new Map<string, Buffer>();
  // The counter value the kept bodies were read at, and their total size.
  let keptAt: number | undefined;
  let bytes = 0;
  let hits = 0;

  /**
   * Whether `changes` is the value the kept bodies were read at, after dropping them if it is
   * later. An earlier value (a request that read the counter before a commit another request
   * has already seen) neither finds nor keeps anything.
   */
  function isCurrent(changes: number): boolean {
    if (changes === keptAt) return true;
    if (keptAt !== undefined && isEarlier(changes, keptAt)) return false;
    bodies.clear();
    bytes = 0;
    keptAt = changes;
    return true;
  }

  return {
    get(key, changes) {
      if (!isCurrent(changes)) return undefined;
      const body = bodies.get(key);
      if (body === undefined) return undefined;
      hits += 1;
      // Most recently used last: Map keeps insertion order.
      bodies.delete(key);
      bodies.set(key, body);
      return body;
    },
    set(key, changes, body) {
      // A read that began before the latest commit seen may be older than it: not kept.
      const size = sizeOf(key, body);
      if (changes !== keptAt || bodies.has(key) || size > limits.bytes) return;
      for (const [oldest, kept] of bodies) {
        if (bodies.size < limits.entries && bytes + size <= limits.bytes) break;
        bodies.delete(oldest);
        bytes -= sizeOf(oldest, kept);
      }
      bodies.set(key, body);
      bytes += size;
    },
    hits: () => hits,
  };
}

/** A key and its body, in bytes (a key's characters counted at two). */
function sizeOf(key: string, body: Buffer): number {
  return key.length * 2 + body.length;
}

/**
 * Whether counter value `a` comes before `b`. SQLite's `data_version` is a 32-bit counter that
 * only moves forward and wraps around, so this is serial-number arithmetic: `a` is earlier if
 * it is less than half the range behind `b`.
 */
export function isEarlier(a: number, b: number): boolean {
  const behind = (b - a) >>> 0;
  return behind !== 0 && behind < 2 ** 31;
}
