/**
 * `prepare` memoized per SQL text, keeping at most `capacity` statements (the oldest one goes
 * first): queries are compiled once, and a stream of distinct SQL cannot grow it without end.
 */
export function statementCache<Prepared>(
  prepare: (sql: string) => Prepared,
  capacity = 500,
): (sql: string) => Prepared {
  const cache = new Map<string, Prepared>();
  return (sql) => {
    const cached = cache.get(sql);
    if (cached !== undefined) return cached;
    const prepared = prepare(sql);
    if (cache.size >= capacity) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(sql, prepared);
    return prepared;
  };
}
