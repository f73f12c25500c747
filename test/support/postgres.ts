import crypto from 'node:crypto';
import pg from 'pg';

const SERVER_URL = process.env.CADRE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const MAINTENANCE_DATABASES = ['postgres', 'test'];

export interface TestPostgresDatabase {
  /** `postgres://…/<fresh database>` for CADRE_DATABASE_URL. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty PostgreSQL database for one test file. Throws (never skips) when the
 * server is unreachable, because the storage contract must hold on PostgreSQL too.
 */
export async function createTestPostgresDatabase(): Promise<TestPostgresDatabase> {
  const name = `cadre_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = await connectToMaintenanceDatabase();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: `${SERVER_URL}/${name}`,
    async drop() {
      const client = await connectToMaintenanceDatabase();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

async function connectToMaintenanceDatabase(): Promise<pg.Client> {
  const problems: string[] = [];
  for (const database of MAINTENANCE_DATABASES) {
    const client = new pg.Client({
      connectionString: `${SERVER_URL}/${database}`,
      connectionTimeoutMillis: 5_000,
    });
    try {
      await client.connect();
      return client;
    } catch (error) {
      problems.push(`${database}: ${(error as Error).message}`);
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(
    `PostgreSQL is required for the storage contract suite but is not reachable at ${SERVER_URL} ` +
      `(user postgres, trust auth). Start it (e.g. \`service postgresql start\`) and rerun. ` +
      `Problems: ${problems.join('; ')}`,
  );
}
