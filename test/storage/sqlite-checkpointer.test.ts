import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSqliteCheckpointer } from '../../src/storage/sqlite-checkpointer.js';
import { createDatabase, type Database } from '../../src/storage/index.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) {
    fs.rmSync(directory, { recursive: true, force: true });
  }
});

function temporaryFile(): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-checkpoint-'));
  directories.push(directory);
  return path.join(directory, 'cadre.db');
}

/** Commits about `pages` pages of rows through the group commit, one row per write. */
async function commitPages(database: Database, pages: number): Promise<void> {
  await sql`CREATE TABLE filler (body TEXT NOT NULL)`.execute(database.db);
  const body = 'x'.repeat(3_500);
  for (let row = 0; row < pages; row += 50) {
    await Promise.all(
      Array.from({ length: 50 }, () =>
        database.writeCompiled('INSERT INTO filler (body) VALUES (?)', [body]),
      ),
    );
  }
}

describe('the SQLite checkpointer', () => {
  it('copies committed pages into the database file while the writer never checkpoints', async () => {
    const file = temporaryFile();
    const database = await createDatabase({ kind: 'sqlite', file });
    try {
      const sizeBefore = fs.statSync(file).size;
      // 600 pages: below the 1,000 at which SQLite's writer would checkpoint by itself.
      await commitPages(database, 600);
      await vi.waitFor(
        () => expect(fs.statSync(file).size - sizeBefore).toBeGreaterThan(2_000_000),
        {
          timeout: 5_000,
        },
      );
    } finally {
      await database.close();
    }
  });

  it('stops with the database, whose last connection then removes the WAL', async () => {
    const file = temporaryFile();
    const database = await createDatabase({ kind: 'sqlite', file });
    await commitPages(database, 100);
    expect(fs.existsSync(`${file}-wal`)).toBe(true);
    await database.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    const reopened = new BetterSqlite3(file, { readonly: true });
    expect(reopened.prepare('SELECT count(*) FROM filler').pluck().get()).toBe(100);
    reopened.close();
  });

  it('hands checkpoints back to the writer when its thread fails', async () => {
    const writer = new BetterSqlite3(temporaryFile());
    writer.pragma('journal_mode = WAL');
    const checkpointer = startSqliteCheckpointer(writer, path.join(temporaryFile(), 'missing.db'));
    expect(writer.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    await vi.waitFor(() =>
      expect(writer.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000),
    );
    await checkpointer.stop();
    writer.close();
  });
});
