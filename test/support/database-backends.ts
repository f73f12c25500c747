import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, type Database } from '../../src/storage/index.js';
import { createTestPostgresDatabase } from './postgres.js';

/** A fresh, migrated database of one dialect for one test file. */
export interface OpenedTestDatabase {
  database: Database;
  /** Another connection (pool) to the same database, as a second process would have. */
  connectAgain: () => Promise<Database>;
  /** Closes every connection and deletes the database. */
  release: () => Promise<void>;
}

export interface DatabaseBackend {
  name: 'SQLite' | 'PostgreSQL';
  open(options?: { poolSize?: number }): Promise<OpenedTestDatabase>;
}

/** The two dialects every storage contract runs on (PostgreSQL must be reachable: no skipping). */
export const databaseBackends: DatabaseBackend[] = [
  {
    name: 'SQLite',
    async open() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-db-'));
      const file = path.join(dir, 'cadre.db');
      return track(
        () => createDatabase({ kind: 'sqlite', file }),
        () => fs.rmSync(dir, { recursive: true, force: true }),
      );
    },
  },
  {
    name: 'PostgreSQL',
    async open(options = {}) {
      const server = await createTestPostgresDatabase();
      return track(
        () => createDatabase({ kind: 'postgres', url: server.url, ...options }),
        () => server.drop(),
      );
    },
  },
];

async function track(
  connect: () => Promise<Database>,
  remove: () => unknown,
): Promise<OpenedTestDatabase> {
  const connections = [await connect()];
  return {
    database: connections[0]!,
    connectAgain: async () => {
      const database = await connect();
      connections.push(database);
      return database;
    },
    release: async () => {
      for (const database of connections) await database.close();
      await remove();
    },
  };
}
