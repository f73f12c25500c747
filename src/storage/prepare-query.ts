import type { Compilable, InferResult, Kysely } from 'kysely';
import type { CompiledWrite } from './compiled-write.js';
import type { Database } from './create-database.js';
import type { DatabaseSchema } from './database-schema.js';

const SENTINEL = '\u0000cadre-arg-';

type Build<Query> = (db: Kysely<DatabaseSchema>, arg: (index: number) => never) => Query;

/**
 * Compiles a Kysely query once (for whichever dialect is configured) and returns a function
 * that binds new arguments: `arg(i)` in the builder marks where the call's i-th argument goes.
 */
function compileOnce(database: Database, build: Build<Compilable>) {
  const compiled = build(database.db, (index) => `${SENTINEL}${index}` as never).compile();
  // For each SQL parameter: the call argument it takes (-1 for a constant of the query).
  const argIndex = compiled.parameters.map((value) =>
    typeof value === 'string' && value.startsWith(SENTINEL)
      ? Number(value.slice(SENTINEL.length))
      : -1,
  );
  const bind = (args: unknown[]) =>
    argIndex.map((index, position) => (index === -1 ? compiled.parameters[position] : args[index]));
  return { sql: compiled.sql, bind };
}

/** A read on the hot path, compiled once and run straight on the driver. */
export function prepareRead<Query extends Compilable>(
  database: Database,
  build: Build<Query>,
): (...args: unknown[]) => Promise<InferResult<Query>> {
  const { sql, bind } = compileOnce(database, build);
  return async (...args) => (await database.readCompiled(sql, bind(args))) as InferResult<Query>;
}

/** A write on the hot path, compiled once; resolves to the number of rows changed. */
export function prepareWrite(
  database: Database,
  build: Build<Compilable>,
): (...args: unknown[]) => Promise<number> {
  const { sql, bind } = compileOnce(database, build);
  return (...args) => database.writeCompiled(sql, bind(args));
}

/**
 * A write compiled once whose bound form is returned instead of run, so several can commit
 * together through `Database.writeCompiledBatch`.
 */
export function prepareStatement(
  database: Database,
  build: Build<Compilable>,
): (...args: unknown[]) => CompiledWrite {
  const { sql, bind } = compileOnce(database, build);
  return (...args) => ({ sql, parameters: bind(args) });
}
