import { assertNever } from '../errors/index.js';
import type { CompiledWrite, Database } from '../storage/index.js';
import { toJson } from '../storage/index.js';
import { listSealedSecrets, mapSealedSecrets } from './map-sealed-secrets.js';
import { looseDatabase, rowIdOf, scanSealedRows, type SealedRow } from './scan-sealed-rows.js';
import { SEALED_TABLES, type SealedTable } from './sealed-columns.js';
import type { SecretBox } from './secret-box.js';

/** What a reseal did to one table's rows that hold sealed secrets. */
export interface TableResealReport {
  table: SealedTable['table'];
  /** Rows sealed again with the current key. */
  resealed: number;
  /** Rows whose every secret was already sealed with the current key. */
  current: number;
  /** Rows another writer changed between read and write: left alone, the next run takes them. */
  changed: number;
  /** Rows holding a secret no configured key opens (or damaged JSON): left untouched. */
  unreadable: number;
  unreadableRows: { id: string; reason: string }[];
}

export interface ResealOptions {
  /** Rows read, and written in one transaction, at a time. */
  batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 200;

type RowPlan =
  | { kind: 'none' | 'current' }
  | { kind: 'unreadable'; reason: string }
  | { kind: 'reseal'; values: Record<string, string>; previous: Record<string, string> };

/**
 * Seals again, with `secretBox`'s current key, every stored secret sealed with another key
 * (one it can still open: a previous key). Reads each table in pages and writes each page in
 * one transaction; a row is only rewritten if its sealed columns still hold what was read.
 * Running it again changes nothing. Rows it cannot open are reported and left as they are.
 */
export async function resealSecrets(
  database: Database,
  secretBox: SecretBox,
  options: ResealOptions = {},
): Promise<TableResealReport[]> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const reports: TableResealReport[] = [];
  for (const spec of SEALED_TABLES) {
    const report: TableResealReport = {
      table: spec.table,
      resealed: 0,
      current: 0,
      changed: 0,
      unreadable: 0,
      unreadableRows: [],
    };
    for await (const rows of scanSealedRows(database, spec, batchSize)) {
      const writes: CompiledWrite[] = [];
      for (const row of rows) {
        const plan = planRow(spec, row, secretBox);
        switch (plan.kind) {
          case 'none':
            break;
          case 'current':
            report.current += 1;
            break;
          case 'unreadable':
            report.unreadable += 1;
            report.unreadableRows.push({ id: rowIdOf(spec, row), reason: plan.reason });
            break;
          case 'reseal':
            writes.push(compileUpdate(database, spec, row, plan.values, plan.previous));
            break;
          default:
            assertNever(plan, 'reseal plan');
        }
      }
      const changes = await database.writeCompiledBatch(writes);
      for (const count of changes) {
        if (count > 0) report.resealed += 1;
        else report.changed += 1;
      }
    }
    reports.push(report);
  }
  return reports;
}

function planRow(spec: SealedTable, row: SealedRow, secretBox: SecretBox): RowPlan {
  const values: Record<string, string> = {};
  const previous: Record<string, string> = {};
  let holdsSecrets = false;
  for (const column of spec.columns) {
    const text = row[column.name];
    if (typeof text !== 'string') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { kind: 'unreadable', reason: `${column.name} is not valid JSON` };
    }
    const secrets = listSealedSecrets(parsed);
    if (secrets.length === 0) continue;
    holdsSecrets = true;
    if (secrets.every((secret) => secret.kid === secretBox.currentKeyId)) continue;
    let resealed: unknown;
    try {
      resealed = mapSealedSecrets(parsed, (secret) =>
        secret.kid === secretBox.currentKeyId ? secret : secretBox.seal(secretBox.open(secret)),
      );
    } catch (error) {
      return {
        kind: 'unreadable',
        reason: `${column.name}: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    values[column.name] = toJson(resealed);
    previous[column.name] = text;
    if (column.kidColumn !== undefined) values[column.kidColumn] = secretBox.currentKeyId;
  }
  if (!holdsSecrets) return { kind: 'none' };
  return Object.keys(previous).length === 0
    ? { kind: 'current' }
    : { kind: 'reseal', values, previous };
}

/** The update of one row, guarded by the sealed values it was planned from. */
function compileUpdate(
  database: Database,
  spec: SealedTable,
  row: SealedRow,
  values: Record<string, string>,
  previous: Record<string, string>,
): CompiledWrite {
  const compiled = looseDatabase(database)
    .updateTable(spec.table)
    .set(values)
    .where((where) =>
      where.and([
        ...spec.key.map((name) => where(name, '=', row[name] ?? null)),
        ...Object.entries(previous).map(([name, text]) => where(name, '=', text)),
      ]),
    )
    .compile();
  return { sql: compiled.sql, parameters: compiled.parameters };
}
