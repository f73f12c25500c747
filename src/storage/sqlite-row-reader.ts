import type BetterSqlite3 from 'better-sqlite3';
import { statementCache } from './statement-cache.js';

type RowBuilder = (values: unknown[]) => Record<string, unknown>;

type PreparedRead =
  | { raw: true; statement: BetterSqlite3.Statement<unknown[], unknown[]>; toRow: RowBuilder }
  | { raw: false; statement: BetterSqlite3.Statement<unknown[], Record<string, unknown>> };

/** `select *` or `select "t".*`: columns SQLite expands anew after any schema change. */
const STAR_COLUMNS = /(?:\bselect|,)\s*(?:distinct\s+)?(?:"[^"]*"\.|\w+\.)?\*/i;

/**
 * Runs read-only SQL on a connection and returns plain row objects, like better-sqlite3's own
 * object mode but cheaper: the driver hands over each row as an array (raw mode) and a
 * constructor compiled once per statement builds the object from a literal with the columns
 * in order. The driver's object mode adds the columns one property at a time through V8's C++
 * API, which on the polling hot path (GET /v1/tasks/:id, 16 columns) cost more than the lookup.
 * Only for statements that name their columns: see `STAR_COLUMNS`.
 */
export function createSqliteRowReader(
  connection: BetterSqlite3.Database,
  capacity = 500,
): (sql: string, parameters: readonly unknown[]) => Record<string, unknown>[] {
  // Columns named in the SQL keep their names and order; a star's columns change with the
  // schema (another process may migrate it), so those rows are built by the driver.
  const prepare = statementCache((sql): PreparedRead => {
    if (STAR_COLUMNS.test(sql)) {
      return { raw: false, statement: connection.prepare<unknown[], Record<string, unknown>>(sql) };
    }
    const statement = connection.prepare<unknown[], unknown[]>(sql).raw(true);
    return { raw: true, statement, toRow: compileRowBuilder(statement.columns()) };
  }, capacity);

  return (sql, parameters) => {
    const prepared = prepare(sql);
    if (!prepared.raw) return prepared.statement.all(parameters);
    const { statement, toRow } = prepared;
    const rows = statement.all(parameters);
    const objects = new Array<Record<string, unknown>>(rows.length);
    for (let index = 0; index < rows.length; index += 1) {
      objects[index] = toRow(rows[index] as unknown[]);
    }
    return objects;
  };
}

/**
 * `(values) => ({ "id": values[0], "status": values[1], … })` for the statement's columns.
 * Names are embedded as JSON string literals, so any column name is safe; a repeated name
 * keeps its last value, as the driver's object mode does. (A column named `__proto__` becomes
 * an own property, which the driver's object mode drops.)
 */
function compileRowBuilder(columns: readonly BetterSqlite3.ColumnDefinition[]): RowBuilder {
  const fields = columns.map((column, index) => {
    const name = JSON.stringify(column.name);
    // A literal `"__proto__": v` would set the prototype; computed, it is a plain property.
    return `${column.name === '__proto__' ? `[${name}]` : name}: values[${index}]`;
  });
  // A generated literal gives every row of the statement one hidden class, built at once.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('values', `return { ${fields.join(', ')} };`) as RowBuilder;
}
