import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Wraps a better-sqlite3 database so that Kysely's per-query `prepare` reuses compiled
 * statements. Kysely runs one query at a time on the connection, so sharing is safe.
 */
export function withCachedStatements(
  database: BetterSqlite3.Database,
  capacity = 500,
): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql);
      if (cached !== undefined) return cached;
      const statement = database.prepare(sql) as unknown as SqliteStatement;
      if (cache.size >= capacity) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}
