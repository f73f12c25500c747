/**
 * Bodies of hot reads, kept while the database is unchanged: a poll of a task that has not
 * moved since the last poll skips the read and the serialization. Entries are labelled with
 * the database's change counter (SQLite's `data_version`) read *before* their read, so a
 * body is at least as new as its label; any commit, by any connection or process, gives a
 * new counter value, and every body labelled with an older one is dropped. Within the limits,
 * the least recently used body makes room for a new one.
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

  /** Drops every body of an earlier counter value (values never repeat). */
  function moveTo(changes: number): void {
    if (changes === keptAt) return;
    bodies.clear();
    bytes = 0;
    keptAt = changes;
  }

  return {
    get(key, changes) {
      moveTo(changes);
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
      if (changes !== keptAt || bodies.has(key) || body.length > limits.bytes) return;
      for (const [oldest, kept] of bodies) {
        if (bodies.size < limits.entries && bytes + body.length <= limits.bytes) break;
        bodies.delete(oldest);
        bytes -= kept.length;
      }
      bodies.set(key, body);
      bytes += body.length;
    },
    hits: () => hits,
  };
}
