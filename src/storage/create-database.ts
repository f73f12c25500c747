import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseSchema } from './database-schema.js';
import { migrationList } from './migrations/migration-list.js';
import { withCachedStatements } from './cached-statements.js';
import type { CompiledWrite } from './compiled-write.js';
import { startSqliteCheckpointer } from './sqlite-checkpointer.js';
import { createSqliteGroupCommit } from './sqlite-group-commit.js';
import { createSqliteRowReader } from './sqlite-row-reader.js';

export type DatabaseOptions =
  | { kind: 'sqlite'; file: string }
  | {
      kind: 'postgres';
      url: string;
      poolSize?: number;
      /** Errors of idle pooled connections (e.g. the server restarted); they are not fatal. */
      onIdleError?: (error: Error) => void;
    };

export type Dialect = 'sqlite' | 'postgres';

/** The application database: one Kysely instance, with the dialect it speaks. */
export interface Database {
  db: Kysely<DatabaseSchema>;
  dialect: Dialect;
  /**
   * Runs a read-only query that Kysely compiled, straight on the driver (a separate read
   * connection on SQLite, the pool on PostgreSQL). Hot read paths use it via `prepareRead`.
   */
  readCompiled(sql: string, parameters: readonly unknown[]): Promise<unknown[]>;
  /**
   * Runs a compiled write and returns the number of rows it changed. On SQLite, writes of one
   * event-loop turn commit together (group commit); the promise resolves after the commit.
   */
  writeCompiled(sql: string, parameters: readonly unknown[]): Promise<number>;
  /**
   * Runs compiled writes as one all-or-nothing unit and returns the rows each changed: a state
   * change and the rows that must exist with it (an event, its outbox entries) commit together
   * or not at all. A statement that matches no row is not a failure; an error rolls back all.
   * On SQLite the batch joins the group commit inside a savepoint; on PostgreSQL it is one
   * transaction on one pooled connection.
   */
  writeCompiledBatch(statements: readonly CompiledWrite[]): Promise<number[]>;
  /**
   * A number that changes whenever any connection commits a change (SQLite's
   * `data_version`, seen from the read connection). Lets a process cache what it read and
   * still see the very next change, even one made by another process. Absent on PostgreSQL.
   */
  changeCounter?: () => number;
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
  tuneForReads(sqlite);
  const writerStatements = withCachedStatements(sqlite);
  const db = new Kysely<DatabaseSchema>({
    dialect: new SqliteDialect({ database: writerStatements }),
  });
  // WAL lets a second connection read committed data while the writer works; an in-memory
  // database exists only on its own connection, so it reads there.
  const reader = file === ':memory:' ? sqlite : new BetterSqlite3(file);
  if (reader !== sqlite) {
    reader.pragma('busy_timeout = 5000');
    reader.pragma('query_only = ON');
    tuneForReads(reader);
  }
  const readRows = createSqliteRowReader(reader);
  const dataVersion = reader.prepare('PRAGMA data_version').pluck();
  const checkpointer = file === ':memory:' ? undefined : startSqliteCheckpointer(sqlite, file);
  const groupCommit = createSqliteGroupCommit(sqlite, writerStatements, () =>
    checkpointer?.committed(),
  );
  return {
    db,
    dialect: 'sqlite',
    readCompiled: (sql, parameters) => Promise.resolve(readRows(sql, parameters)),
    writeCompiled: groupCommit.write,
    writeCompiledBatch: groupCommit.writeBatch,
    // The writer's own commits are invisible to its data_version; the reader sees them all.
    ...(reader === sqlite ? {} : { changeCounter: () => dataVersion.get() as number }),
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
      if (reader !== sqlite) reader.close();
    },
  };
}

/**
 * A larger page cache: fewer system calls per indexed lookup. No memory-mapped I/O: a
 * connection drops its map whenever another connection commits, and the unmap stops every
 * thread of the process to flush its TLB (decision 11: PRAGMA data_version after a commit
 * took 80 µs with a map, 10 µs without).
 */
function tuneForReads(connection: BetterSqlite3.Database): void {
  connection.pragma('mmap_size = 0');
  connection.pragma('cache_size = -65536');
  connection.pragma('temp_store = MEMORY');
}

function openPostgres(options: {
  url: string;
  poolSize?: number;
  onIdleError?: (error: Error) => void;
}): Database {
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
  // Without a listener, an idle connection dropped by the server would crash the process.
  pool.on('error', (error) => options.onIdleError?.(error));
  const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    readCompiled: async (sql, parameters) =>
      (await pool.query<Record<string, unknown>>(sql, [...parameters])).rows,
    writeCompiled: async (sql, parameters) =>
      (await pool.query(sql, [...parameters])).rowCount ?? 0,
    writeCompiledBatch: async (statements) => {
      if (statements.length === 0) return [];
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const changes: number[] = [];
        for (const statement of statements) {
          changes.push(
            (await client.query(statement.sql, [...statement.parameters])).rowCount ?? 0,
          );
        }
        await client.query('COMMIT');
        return changes;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          // The connection itself failed: drop it from the pool rather than reuse it.
          broken = true;
        }
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => db.destroy(),
  };
}

async function migrateToLatest(db: Kysely<DatabaseSchema>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrationList) },
    // Migration names were reserved per feature (0002 landed after 0003): a database that
    // already ran 0003 must still run 0002 instead of refusing to start.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed`, { cause: error });
  }
}
