import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectionStore } from '../../src/connections/index.js';
import {
  countSealedSecrets,
  createSecretBox,
  resealSecrets,
  type TableResealReport,
} from '../../src/secrets/index.js';
import { startTestCadre, type TestCadre } from '../support/start-test-cadre.js';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '../support/postgres.js';
import { createScriptedClock } from '../support/scripted-clock.js';
import {
  KEY_A,
  KEY_B,
  KEY_C,
  keyIdOf,
  openSeededSecrets,
  seedSealedSecrets,
  type SeededSecrets,
} from './secret-fixtures.js';

const byTable = (reports: TableResealReport[]) =>
  Object.fromEntries(reports.map(({ table, ...counts }) => [table, counts]));

describe.each(['sqlite', 'postgres'] as const)('resealSecrets on %s', (dialect) => {
  let api: TestCadre;
  let postgres: TestPostgresDatabase | undefined;
  let seeded: SeededSecrets;
  const boxA = createSecretBox(KEY_A);
  const rotating = createSecretBox(KEY_B, [KEY_A]);
  const onlyB = createSecretBox(KEY_B);

  beforeAll(async () => {
    postgres = dialect === 'postgres' ? await createTestPostgresDatabase() : undefined;
    api = await startTestCadre({
      CADRE_SECRET_KEY: KEY_A,
      ...(postgres === undefined ? {} : { CADRE_DATABASE_URL: postgres.url }),
    });
    seeded = await seedSealedSecrets(api, boxA);
  });
  afterAll(async () => {
    await api?.close();
    await postgres?.drop();
  });

  it('starts with every stored secret sealed with key A, which key B alone cannot open', async () => {
    expect(api.cadre.database.dialect).toBe(dialect);
    for (const table of await countSealedSecrets(api.cadre.database)) {
      expect(Object.keys(table.secretsByKid), table.table).toEqual([keyIdOf(KEY_A)]);
    }
    await expect(openSeededSecrets(api.cadre.database, onlyB, seeded)).rejects.toThrow(
      /No secret key with id/,
    );
  });

  it('reseals every row sealed with a previous key, in batches, and counts them per table', async () => {
    const reports = await resealSecrets(api.cadre.database, rotating, { batchSize: 2 });
    const zero = { current: 0, changed: 0, unreadable: 0, unreadableRows: [] };
    expect(byTable(reports)).toEqual({
      connections: { ...zero, resealed: 3 },
      toolkit_auth_configs: { ...zero, resealed: 3 },
      oauth_sessions: { ...zero, resealed: 1 },
      toolkits: { ...zero, resealed: 2 },
      webhook_endpoints: { ...zero, resealed: 1 },
    });
  });

  it("leaves every stored secret under key B's id, mirrored in the kid columns", async () => {
    const kidB = keyIdOf(KEY_B);
    for (const table of await countSealedSecrets(api.cadre.database)) {
      expect(table.secretsByKid, table.table).toEqual({
        [kidB]: expect.any(Number),
      });
    }
    const connectionKids = await api.cadre.database.db
      .selectFrom('connections')
      .select('secret_kid')
      .execute();
    expect(connectionKids.map((row) => row.secret_kid)).toEqual([kidB, kidB, kidB]);
    const clientKids = await api.cadre.database.db
      .selectFrom('toolkit_auth_configs')
      .select(['toolkit', 'secret_kid'])
      .orderBy('toolkit')
      .execute();
    expect(clientKids).toEqual([
      { toolkit: 'crm-0', secret_kid: kidB },
      { toolkit: 'crm-1', secret_kid: kidB },
      { toolkit: 'crm-2', secret_kid: kidB },
      { toolkit: 'public-client', secret_kid: null },
    ]);
  });

  it('keeps every value: each opens with key B alone to the same plaintext', async () => {
    expect(await openSeededSecrets(api.cadre.database, onlyB, seeded)).toEqual(seeded);
  });

  it('changes nothing when run again', async () => {
    const before = await api.cadre.database.db.selectFrom('toolkits').selectAll().execute();
    const reports = await resealSecrets(api.cadre.database, rotating);
    expect(reports.map((report) => report.resealed)).toEqual([0, 0, 0, 0, 0]);
    expect(byTable(reports)).toMatchObject({
      connections: { current: 3 },
      toolkit_auth_configs: { current: 3 },
      oauth_sessions: { current: 1 },
      toolkits: { current: 2 },
      webhook_endpoints: { current: 1 },
    });
    const after = await api.cadre.database.db.selectFrom('toolkits').selectAll().execute();
    expect(after).toEqual(before);
  });

  it('reports a row no configured key opens, with its id, and leaves it untouched', async () => {
    const database = api.cadre.database;
    const stranger = createConnectionStore({
      database,
      secretBox: createSecretBox(KEY_C),
      clock: createScriptedClock(),
    });
    const row = await stranger.save(
      seeded.scope,
      { userId: 'sealed-elsewhere', toolkit: 'crm' },
      { kind: 'api_key', api_key: 'sk_unknown_key' },
      { scopes: [], expiresAt: undefined },
    );
    await database.db
      .updateTable('oauth_sessions')
      .set({ code_verifier: '{not json' })
      .where('id', '=', seeded.oauthSession.id)
      .execute();

    const reports = byTable(await resealSecrets(database, rotating));
    expect(reports.connections).toEqual({
      resealed: 0,
      current: 3,
      changed: 0,
      unreadable: 1,
      unreadableRows: [
        { id: row.id, reason: expect.stringContaining(`No secret key with id ${keyIdOf(KEY_C)}`) },
      ],
    });
    expect(reports.oauth_sessions).toMatchObject({
      unreadable: 1,
      unreadableRows: [{ id: seeded.oauthSession.id, reason: 'code_verifier is not valid JSON' }],
    });
    expect(reports.toolkits).toMatchObject({ current: 2, unreadable: 0 });
    const stored = await database.db
      .selectFrom('connections')
      .select(['secret', 'secret_kid'])
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ secret: row.secret, secret_kid: keyIdOf(KEY_C) });
  });
});
