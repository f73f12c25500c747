import type { Config } from '../config/index.js';
import {
  countSealedSecrets,
  createSecretBox,
  resealSecrets,
  resolveSecretKey,
  type TableResealReport,
} from '../secrets/index.js';
import { createDatabase } from '../storage/index.js';

const USAGE =
  'Usage: cadre secrets rotate   re-seal every stored secret with CADRE_SECRET_KEY\n' +
  '       cadre secrets status   count stored secrets per key id\n';
/** Unreadable rows listed one by one; past this only their number is printed. */
const MAX_LISTED_ROWS = 50;

/**
 * `cadre secrets rotate|status`, on the configured database directly. Rotate re-seals with the
 * current key everything a previous key (CADRE_PREVIOUS_SECRET_KEYS) sealed; it exits 1 when
 * some secret could not be opened with any configured key.
 */
export async function runSecretsCommand(config: Config, args: string[]): Promise<number> {
  const [action] = args;
  if (action !== 'rotate' && action !== 'status') {
    process.stderr.write(USAGE);
    return 1;
  }
  const secretKey = resolveSecretKey(config.secretKey, config.dataDir);
  const secretBox = createSecretBox(secretKey, config.previousSecretKeys);
  const previousKeyIds = config.previousSecretKeys
    .map((key) => createSecretBox(key).currentKeyId)
    .filter((kid) => kid !== secretBox.currentKeyId);
  const database = await createDatabase(config.database);
  try {
    process.stdout.write(
      `Current key ${secretBox.currentKeyId}; previous keys: ${
        previousKeyIds.length > 0
          ? previousKeyIds.join(', ')
          : config.previousSecretKeys.length === 0
            ? 'none (CADRE_PREVIOUS_SECRET_KEYS is empty)'
            : 'none'
      }.\n\n`,
    );
    if (action === 'status') {
      const label = (kid: string) =>
        kid === secretBox.currentKeyId
          ? 'current'
          : previousKeyIds.includes(kid)
            ? 'previous'
            : 'not configured';
      const rows: string[][] = [['table', 'key id', 'secrets', '']];
      for (const entry of await countSealedSecrets(database)) {
        for (const [kid, count] of Object.entries(entry.secretsByKid)) {
          rows.push([entry.table, kid, String(count), label(kid)]);
        }
        if (entry.malformed > 0) rows.push([entry.table, '-', String(entry.malformed), 'not JSON']);
      }
      process.stdout.write(rows.length === 1 ? 'No stored secrets.\n' : formatTable(rows));
      return 0;
    }
    const reports = await resealSecrets(database, secretBox);
    process.stdout.write(formatReports(reports));
    const changed = reports.reduce((total, report) => total + report.changed, 0);
    if (changed > 0) {
      process.stdout.write(
        `\n${changed} row(s) changed while this ran and were left as they were; run \`cadre secrets rotate\` again.\n`,
      );
    }
    process.stdout.write(
      '\nAPI keys are stored as hashes, which cannot be redone with the new key: a key created\n' +
        'before the rotation authenticates while its secret key stays in CADRE_PREVIOUS_SECRET_KEYS.\n' +
        'Re-create such keys (`cadre keys create`) before removing the old secret key.\n',
    );
    const unreadable = reports.flatMap((report) =>
      report.unreadableRows.map((row) => `  ${report.table} ${row.id}: ${row.reason}\n`),
    );
    if (unreadable.length === 0) {
      process.stdout.write(`\nEvery stored secret is sealed with key ${secretBox.currentKeyId}.\n`);
      return 0;
    }
    process.stderr.write(
      `\n${unreadable.length} row(s) hold a secret no configured key opens; they were left as they were:\n` +
        unreadable.slice(0, MAX_LISTED_ROWS).join('') +
        (unreadable.length > MAX_LISTED_ROWS
          ? `  … and ${unreadable.length - MAX_LISTED_ROWS} more\n`
          : '') +
        'Add the secret key that sealed them to CADRE_PREVIOUS_SECRET_KEYS and run this again, ' +
        'or delete or re-create those records.\n',
    );
    return 1;
  } finally {
    await database.close();
  }
}

function formatReports(reports: TableResealReport[]): string {
  return formatTable([
    ['table', 'resealed', 'already current', 'unreadable'],
    ...reports.map((report) => [
      report.table,
      String(report.resealed),
      String(report.current),
      String(report.unreadable),
    ]),
  ]);
}

/** Columns padded to one width: numbers right-aligned, text left-aligned. */
function formatTable(rows: string[][]): string {
  const [header = [], ...body] = rows;
  const widths = header.map((_, index) => Math.max(...rows.map((row) => row[index]?.length ?? 0)));
  const numeric = header.map((_, index) => body.every((row) => /^\d+$/.test(row[index] ?? '')));
  return rows
    .map((row) =>
      row
        .map((cell, index) =>
          numeric[index] === true
            ? cell.padStart(widths[index] ?? 0)
            : cell.padEnd(widths[index] ?? 0),
        )
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}
