import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteRowReader } from '../../src/storage/sqlite-row-reader.js';

describe('createSqliteRowReader', () => {
  const connection = new BetterSqlite3(':memory:');
  afterEach(() => connection.exec('drop table if exists t'));

  it('returns the rows the driver’s object mode returns, column for column', () => {
    connection.exec(
      'create table t (id text primary key, n integer, x real, b blob, j text, z text)',
    );
    const insert = connection.prepare('insert into t values (?, ?, ?, ?, ?, ?)');
    insert.run('a', 1, 1.5, Buffer.from([1, 2]), '{"k":1}', null);
    insert.run('b', 2 ** 40, -0.25, null, '[]', 'z');
    const read = createSqliteRowReader(connection);
    const sql = 'select * from t where n >= ? order by id';
    expect(read(sql, [0])).toEqual(connection.prepare(sql).all(0));
    expect(read(sql, [2])).toEqual(connection.prepare(sql).all(2));
    expect(read('select * from t where id = ?', ['none'])).toEqual([]);
  });

  it('keeps any column name, quotes and all, and the last of repeated names', () => {
    const read = createSqliteRowReader(connection);
    const [row] = read(`select 1 as "we""ird\\ name", 2 as "a", 3 as "a", 4 as "__proto__"`, []);
    expect(row?.['we"ird\\ name']).toBe(1);
    expect(row?.a).toBe(3);
    expect(Object.hasOwn(row ?? {}, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.keys(row ?? {})).toEqual(['we"ird\\ name', 'a', '__proto__']);
  });

  it('reads the new columns of a star select after another connection changes the schema', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-row-reader-'));
    const file = path.join(dir, 'rows.db');
    const reader = new BetterSqlite3(file);
    const migrator = new BetterSqlite3(file);
    try {
      migrator.exec(
        "create table t (id text primary key, a text, b text); insert into t values ('x', 'ay', 'bee')",
      );
      const read = createSqliteRowReader(reader);
      expect(read('select * from t', [])).toEqual([{ id: 'x', a: 'ay', b: 'bee' }]);
      expect(read('select "t".* from t', [])).toEqual([{ id: 'x', a: 'ay', b: 'bee' }]);
      expect(read('select id, b from t', [])).toEqual([{ id: 'x', b: 'bee' }]);
      migrator.exec("alter table t drop column a; alter table t add column c text default 'sea'");
      expect(read('select * from t', [])).toEqual([{ id: 'x', b: 'bee', c: 'sea' }]);
      expect(read('select "t".* from t', [])).toEqual([{ id: 'x', b: 'bee', c: 'sea' }]);
      expect(read('select id, b from t', [])).toEqual([{ id: 'x', b: 'bee' }]);
      expect(read('select count(*) as n from t', [])).toEqual([{ n: 1 }]);
    } finally {
      reader.close();
      migrator.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prepares each statement once and keeps at most its capacity', () => {
    connection.exec('create table t (id integer)');
    const read = createSqliteRowReader(connection, 2);
    for (let index = 0; index < 5; index += 1) {
      expect(read(`select ${index} as v from t`, [])).toEqual([]);
    }
    connection.exec('insert into t values (7)');
    expect(read('select id from t', [])).toEqual([{ id: 7 }]);
  });
});
