import { parseArgs } from 'node:util';
import { createApiKeyStore } from '../api-keys/index.js';
import { systemClock, toIsoSeconds } from '../clock/index.js';
import type { Config } from '../config/index.js';
import { deriveSubkey, resolveSecretKey } from '../secrets/index.js';
import { createDatabase } from '../storage/index.js';

/** `cadre keys create|list|revoke`, working on the configured database directly. */
export async function runKeysCommand(config: Config, args: string[]): Promise<number> {
  const [action, ...rest] = args;
  const parsed = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      test: { type: 'boolean', default: false },
      name: { type: 'string' },
      project: { type: 'string', default: 'default' },
    },
  });
  const database = await createDatabase(config.database);
  try {
    const keys = createApiKeyStore({
      database,
      hashKey: deriveSubkey(resolveSecretKey(config.secretKey, config.dataDir), 'api-key-hash'),
      clock: systemClock,
    });
    switch (action) {
      case 'create': {
        const created = await keys.createKey({
          project: parsed.values.project,
          environment: parsed.values.test ? 'test' : 'live',
          ...(parsed.values.name === undefined ? {} : { name: parsed.values.name }),
        });
        process.stdout.write(
          `Created ${created.environment} key ${created.id} for project '${created.project}'.\n` +
            'Store it now: it is shown only once.\n' +
            `${created.key}\n`,
        );
        return 0;
      }
      case 'list': {
        const rows = await keys.listKeys();
        if (rows.length === 0) {
          process.stdout.write('No API keys yet. Create one with `cadre keys create`.\n');
          return 0;
        }
        for (const row of rows) {
          const state =
            row.revokedAt === null ? 'active' : `revoked ${toIsoSeconds(row.revokedAt)}`;
          process.stdout.write(
            [
              row.id,
              `pk_${row.environment}_…${row.hint}`,
              `project=${row.project}`,
              `name=${row.name ?? '-'}`,
              `created=${toIsoSeconds(row.createdAt)}`,
              state,
            ].join('  ') + '\n',
          );
        }
        return 0;
      }
      case 'revoke': {
        const id = parsed.positionals[0];
        if (id === undefined) {
          process.stderr.write('Usage: cadre keys revoke KEY_ID (see `cadre keys list`)\n');
          return 1;
        }
        if (!(await keys.revokeKey(id))) {
          process.stderr.write(`No active key with id ${id}.\n`);
          return 1;
        }
        process.stdout.write(`Revoked ${id}.\n`);
        return 0;
      }
      default:
        process.stderr.write(
          'Usage: cadre keys create [--test] [--name NAME] | list | revoke KEY_ID\n',
        );
        return 1;
    }
  } finally {
    await database.close();
  }
}
