import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_ENDPOINT_ID } from '../../src/webhooks/index.js';
import { startTestCadre, type TestCadre } from '../support/start-test-cadre.js';
import { KEY_A, KEY_B, keyIdOf } from './secret-fixtures.js';

const WEBHOOK = {
  CADRE_WEBHOOK_URL: 'https://hooks.example.com/configured',
  CADRE_WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
};

// Servers one after another on one database, as a deployment restarted with a new key.
describe('a server restarted with a new CADRE_SECRET_KEY and the old one as previous', () => {
  let dir: string;
  let servers: TestCadre[] = [];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-rotated-server-'));
  });
  afterEach(async () => {
    for (const server of servers) await server.close();
    servers = [];
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function serve(name: string, env: Record<string, string>): Promise<TestCadre> {
    const server = await startTestCadre(
      { CADRE_DATABASE_URL: `sqlite:${path.join(dir, `${name}.db`)}`, ...env },
      { role: 'api' },
    );
    servers.push(server);
    return server;
  }

  it('accepts API keys created under the old key, and refuses them once it is not listed', async () => {
    const before = await serve('keys', { CADRE_SECRET_KEY: KEY_A });
    const { live, test } = before.keys;
    const after = await serve('keys', {
      CADRE_SECRET_KEY: KEY_B,
      CADRE_PREVIOUS_SECRET_KEYS: KEY_A,
    });
    for (const key of [live, test]) {
      const response = await after.request({ method: 'GET', url: '/v1/subagents', key });
      expect(response.status).toBe(200);
    }
    const without = await serve('keys', { CADRE_SECRET_KEY: KEY_B });
    const refused = await without.request({ method: 'GET', url: '/v1/subagents', key: live });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('invalid_api_key');
  });

  it('still reads the configured webhook secret sealed with the old key: no change, no grace secret', async () => {
    await serve('webhook', { CADRE_SECRET_KEY: KEY_A, ...WEBHOOK });
    const after = await serve('webhook', {
      CADRE_SECRET_KEY: KEY_B,
      CADRE_PREVIOUS_SECRET_KEYS: KEY_A,
      ...WEBHOOK,
    });
    const row = await after.cadre.database.db
      .selectFrom('webhook_endpoints')
      .select(['secret', 'previous_secret'])
      .where('id', '=', CONFIG_ENDPOINT_ID)
      .executeTakeFirstOrThrow();
    expect(row.previous_secret).toBeNull();
    expect(JSON.parse(row.secret)).toMatchObject({ kid: keyIdOf(KEY_A) });
  });
});
