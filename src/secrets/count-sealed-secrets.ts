import type { Database } from '../storage/index.js';
import { listSealedSecrets } from './map-sealed-secrets.js';
import { scanSealedRows } from './scan-sealed-rows.js';
import { SEALED_TABLES, type SealedTable } from './sealed-columns.js';

export interface TableKeyCounts {
  table: SealedTable['table'];
  /** Sealed secrets per key id. */
  secretsByKid: Record<string, number>;
  /** Values that are not valid JSON. */
  malformed: number;
}

/** How many stored secrets each key id sealed, per table (nothing is decrypted). */
export async function countSealedSecrets(
  database: Database,
  options: { batchSize?: number } = {},
): Promise<TableKeyCounts[]> {
  const counts: TableKeyCounts[] = [];
  for (const spec of SEALED_TABLES) {
    const entry: TableKeyCounts = { table: spec.table, secretsByKid: {}, malformed: 0 };
    for await (const rows of scanSealedRows(database, spec, options.batchSize ?? 500)) {
      for (const row of rows) {
        for (const column of spec.columns) {
          const text = row[column.name];
          if (typeof text !== 'string') continue;
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            entry.malformed += 1;
            continue;
          }
          for (const secret of listSealedSecrets(parsed)) {
            entry.secretsByKid[secret.kid] = (entry.secretsByKid[secret.kid] ?? 0) + 1;
          }
        }
      }
    }
    counts.push(entry);
  }
  return counts;
}
