import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/storage/index.js';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '../support/postgres.js';

async function logicalSchema(database: Database): Promise<Record<string, string[]>> {
  const tables = await database.db.introspection.getTables();
  return Object.fromEntries(
    tables
      .map((table) => [table.name, table.columns.map((column) => column.name).sort()] as const)
      .sort(([left], [right]) => left.localeCompare(right)),
  );
}

describe('migrations', () => {
  let sqliteDir: string;
  let sqlite: Database;
  let postgresDatabase: TestPostgresDatabase;
  let postgres: Database;

  beforeAll(async () => {
    sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-schema-'));
    sqlite = await createDatabase({ kind: 'sqlite', file: path.join(sqliteDir, 'cadre.db') });
    postgresDatabase = await createTestPostgresDatabase();
    postgres = await createDatabase({ kind: 'postgres', url: postgresDatabase.url });
  });
  afterAll(async () => {
    await sqlite?.close();
    await postgres?.close();
    await postgresDatabase?.drop();
    fs.rmSync(sqliteDir, { recursive: true, force: true });
  });

  it('reach the same tables and columns on SQLite and PostgreSQL', async () => {
    const onSqlite = await logicalSchema(sqlite);
    const onPostgres = await logicalSchema(postgres);
    expect(Object.keys(onSqlite)).toEqual(
      expect.arrayContaining([
        'api_keys',
        'projects',
        'subagents',
        'tasks',
        'task_steps',
        'idempotency_keys',
      ]),
    );
    expect(onPostgres).toEqual(onSqlite);
  });

  it('are idempotent: opening a migrated database again changes nothing', async () => {
    const before = await logicalSchema(postgres);
    const reopened = await createDatabase({ kind: 'postgres', url: postgresDatabase.url });
    try {
      expect(await logicalSchema(reopened)).toEqual(before);
    } finally {
      await reopened.close();
    }
  });
});
