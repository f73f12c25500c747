import type { Kysely } from 'kysely';
import type { Database } from '../storage/index.js';
import type { SealedTable } from './sealed-columns.js';

/** The key, sealed and kid columns of one row, as stored (JSON as text). */
export type SealedRow = Record<string, string | number | null>;

/** Tables seen through their SealedTable description; the column names are checked there. */
type LooseSchema = Record<string, SealedRow>;

/** The same database, for queries whose table and columns come from a SealedTable. */
export function looseDatabase(database: Database): Kysely<LooseSchema> {
  return database.db as unknown as Kysely<LooseSchema>;
}

export function columnsOf(spec: SealedTable): string[] {
  return [
    ...spec.key,
    ...spec.columns.flatMap((column) =>
      column.kidColumn === undefined ? [column.name] : [column.name, column.kidColumn],
    ),
  ];
}

/** `a/b/c` for a composite key: how reports name a row. */
export function rowIdOf(spec: SealedTable, row: SealedRow): string {
  return spec.key.map((name) => String(row[name])).join('/');
}

/**
 * The rows of one table in pages of `batchSize`, in primary-key order. Each page starts after
 * the last key of the one before (not at an offset), so rows written meanwhile shift nothing.
 */
export async function* scanSealedRows(
  database: Database,
  spec: SealedTable,
  batchSize: number,
): AsyncGenerator<SealedRow[]> {
  const db = looseDatabase(database);
  let last: SealedRow | undefined;
  for (;;) {
    const after = last;
    let query = db.selectFrom(spec.table).select(columnsOf(spec)).limit(batchSize);
    for (const name of spec.key) query = query.orderBy(name, 'asc');
    if (after !== undefined) {
      // (k1, k2, …) > (v1, v2, …), spelled out so both dialects read it the same way.
      query = query.where((where) =>
        where.or(
          spec.key.map((name, index) =>
            where.and([
              ...spec.key
                .slice(0, index)
                .map((before) => where(before, '=', after[before] ?? null)),
              where(name, '>', after[name] ?? null),
            ]),
          ),
        ),
      );
    }
    const rows = await query.execute();
    if (rows.length > 0) yield rows;
    if (rows.length < batchSize) return;
    last = rows.at(-1);
  }
}
