import type { Compilable, InferResult, Kysely } from 'kysely';
import type { Database } from './create-database.js';
import type { DatabaseSchema } from './database-schema.js';

const SENTINEL = '\u0000cadre-arg-';

/**
 * Compiles a Kysely read query once (for whichever dialect is configured) and returns a
 * function that runs it with new arguments, skipping query building on every call. The
 * builder receives `arg(i)` placeholders where the call's i-th argument goes.
 */
export function prepareRead<Query extends Compilable>(
  database: Database,
  build: (db: Kysely<DatabaseSchema>, arg: (index: number) => never) => Query,
): (...args: unknown[]) => Promise<InferResult<Query>> {
  const compiled = build(database.db, (index) => `${SENTINEL}${index}` as never).compile();
  // For each SQL parameter: the call argument it takes (-1 for a constant of the query).
  const argIndex = compiled.parameters.map((value) =>
    typeof value === 'string' && value.startsWith(SENTINEL)
      ? Number(value.slice(SENTINEL.length))
      : -1,
  );
  return async (...args) => {
    const parameters = argIndex.map((index, position) =>
      index === -1 ? compiled.parameters[position] : args[index],
    );
    return (await database.readCompiled(compiled.sql, parameters)) as InferResult<Query>;
  };
}
