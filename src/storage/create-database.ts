import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseSchema } from './database-schema.js';
import { migrationList } from './migrations/migration-list.js';
import { withCachedStatements } from './cached-statements.js';

export type DatabaseOptions =
  { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; poolSize?: number };

export type Dialect = 'sqlite' | 'postgres';

/** The application database: one Kysely instance, with the dialect it speaks. */
export interface Database {
  db: Kysely<DatabaseSchema>;
  dialect: Dialect;
  close(): Promise<void>;
}

const INT8_OID = 20;

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.kind === 'sqlite' ? openSqlite(options.file) : openPostgres(options);
  await migrateToLatest(database.db);
  return database;
}

function openSqlite(file: string): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<DatabaseSchema>({
    dialect: new SqliteDialect({ database: withCachedStatements(sqlite) }),
  });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

function openPostgres(options: { url: string; poolSize?: number }): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    // Epoch-millisecond columns are int8; they fit a JS number exactly.
    types: {
      getTypeParser: (oid: number, format?: string) =>
        oid === INT8_OID
          ? (value: string) => Number(value)
          : ((pg.types.getTypeParser as (oid: number, format?: string) => unknown)(
              oid,
              format,
            ) as never),
    },
  });
  const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

async function migrateToLatest(db: Kysely<DatabaseSchema>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrationList) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed`, { cause: error });
  }
}
