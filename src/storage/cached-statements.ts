import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { statementCache } from './statement-cache.js';

/**
 * Wraps a better-sqlite3 database so that Kysely's per-query `prepare` reuses compiled
 * statements. Kysely runs one query at a time on the connection, so sharing is safe.
 */
export function withCachedStatements(
  database: BetterSqlite3.Database,
  capacity = 500,
): SqliteDatabase {
  const prepare = statementCache(
    (sql) => database.prepare(sql) as unknown as SqliteStatement,
    capacity,
  );
  return { close: () => database.close(), prepare };
}
