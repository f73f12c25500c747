import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareStatement, type Database } from '../../src/storage/index.js';
import { databaseBackends } from '../support/database-backends.js';

describe.each(databaseBackends)('writeCompiledBatch on $name', (backend) => {
  let database: Database;
  let release: () => Promise<void>;
  let insertProject: (...args: unknown[]) => { sql: string; parameters: readonly unknown[] };
  let renameProject: (...args: unknown[]) => { sql: string; parameters: readonly unknown[] };

  beforeAll(async () => {
    ({ database, release } = await backend.open());
    insertProject = prepareStatement(database, (db, arg) =>
      db.insertInto('projects').values({ id: arg(0), name: arg(1), created_at: arg(2) }),
    );
    renameProject = prepareStatement(database, (db, arg) =>
      db
        .updateTable('projects')
        .set({ name: arg(0) })
        .where('id', '=', arg(1)),
    );
  });
  afterAll(() => release?.());

  const names = async () =>
    (await database.db.selectFrom('projects').select('name').orderBy('name').execute()).map(
      (row) => row.name,
    );

  it('commits every statement and reports the rows each one changed', async () => {
    const changes = await database.writeCompiledBatch([
      insertProject('p_1', 'alpha', 1),
      insertProject('p_2', 'beta', 2),
      renameProject('gamma', 'p_2'),
      renameProject('delta', 'p_missing'),
    ]);
    expect(changes).toEqual([1, 1, 1, 0]);
    expect(await names()).toEqual(['alpha', 'gamma']);
  });

  it('rolls back the whole batch when one statement fails', async () => {
    const before = await names();
    await expect(
      database.writeCompiledBatch([
        insertProject('p_3', 'epsilon', 3),
        renameProject('zeta', 'p_1'),
        // Duplicate primary key: fails, and takes the two writes above with it.
        insertProject('p_3', 'eta', 4),
      ]),
    ).rejects.toThrow();
    expect(await names()).toEqual(before);
  });

  it('keeps concurrent batches and single writes independent of a failing batch', async () => {
    const results = await Promise.allSettled([
      database.writeCompiledBatch([insertProject('p_4', 'iota', 5)]),
      database.writeCompiledBatch([insertProject('p_5', 'kappa', 6), insertProject('p_5', 'x', 7)]),
      database.writeCompiled(
        insertProject('p_6', 'lambda', 8).sql,
        insertProject('p_6', 'lambda', 8).parameters,
      ),
      database.writeCompiledBatch([insertProject('p_7', 'mu', 9), renameProject('nu', 'p_7')]),
    ]);
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect(await names()).toEqual(expect.arrayContaining(['iota', 'lambda', 'nu']));
    expect(await names()).not.toContain('kappa');
  });
});
