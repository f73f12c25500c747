import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_KEY_PATTERN,
  createApiKeyStore,
  generateApiKey,
  parseApiKey,
} from '../../src/api-keys/index.js';
import { systemClock } from '../../src/clock/index.js';
import { deriveSubkey, resolveSecretKey } from '../../src/secrets/index.js';
import { createDatabase, type Database } from '../../src/storage/index.js';
import { startApiCadre, type ApiHarness } from '../support/api-harness.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const environment = fc.constantFrom('live' as const, 'test' as const);

/** A key with one character replaced by a different one (any printable ASCII). */
const mutatedKey = fc
  .tuple(environment, fc.nat(), fc.integer({ min: 0x21, max: 0x7e }))
  .map(([env, position, code]) => {
    const key = generateApiKey(env);
    const index = position % key.length;
    let replacement = String.fromCharCode(code);
    if (replacement === key[index]) replacement = replacement === 'a' ? 'b' : 'a';
    return { key, mutated: `${key.slice(0, index)}${replacement}${key.slice(index + 1)}` };
  });

describe('API key format', () => {
  it('generates keys matching ^pk_(live|test)_[0-9A-Za-z]{36}$ that parse to their environment', () => {
    fc.assert(
      fc.property(environment, (env) => {
        const key = generateApiKey(env);
        expect(key).toMatch(API_KEY_PATTERN);
        expect(key).toMatch(/^pk_(live|test)_[0-9A-Za-z]{36}$/);
        expect(key.startsWith(`pk_${env}_`)).toBe(true);
        expect(parseApiKey(key)).toEqual({ environment: env });
      }),
      { numRuns: 2_000 },
    );
  });

  it('rejects every single-character change offline, by shape or checksum', () => {
    fc.assert(
      fc.property(mutatedKey, ({ mutated }) => {
        expect(parseApiKey(mutated)).toBeUndefined();
      }),
      { numRuns: 5_000 },
    );
  });

  it('rejects every single base62-character change that keeps the shape', () => {
    fc.assert(
      fc.property(environment, fc.integer({ min: 8, max: 43 }), fc.nat(60), (env, index, shift) => {
        const key = generateApiKey(env);
        const original = BASE62.indexOf(key[index]!);
        const replacement = BASE62[(original + 1 + shift) % 62]!;
        const mutated = `${key.slice(0, index)}${replacement}${key.slice(index + 1)}`;
        expect(mutated).toMatch(API_KEY_PATTERN);
        expect(parseApiKey(mutated)).toBeUndefined();
      }),
      { numRuns: 5_000 },
    );
  });

  it('rejects random strings that only look like keys', () => {
    fc.assert(
      fc.property(
        environment,
        fc.string({ unit: fc.constantFrom(...BASE62), minLength: 36, maxLength: 36 }),
        (env, body) => {
          expect(parseApiKey(`pk_${env}_${body}`)).toBeUndefined();
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('refuses a mutated key without touching the database', async () => {
    const real = await createDatabase({ kind: 'sqlite', file: ':memory:' });
    const tripwire = () => Promise.reject(new Error('the database was queried'));
    // Compiling the lookup is fine; running any read is not.
    const database: Database = { ...real, readCompiled: tripwire };
    const store = createApiKeyStore({
      database,
      hashKey: Buffer.alloc(32, 1),
      clock: systemClock,
    });
    await fc.assert(
      fc.asyncProperty(mutatedKey, async ({ mutated }) => {
        expect(await store.authenticate(mutated)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
    await real.close();
  });
});

describe('API keys and projects over HTTP', () => {
  let api: ApiHarness;
  let otherLive: string;
  let otherTest: string;
  let liveTaskId: string;

  beforeAll(async () => {
    api = await startApiCadre({}, { role: 'api' });
    otherLive = await api.createKey({ project: 'other-project', environment: 'live' });
    otherTest = await api.createKey({ project: 'other-project', environment: 'test' });
    const deployed = await api.request({
      method: 'POST',
      url: '/v1/subagents',
      body: { name: 'crm-agent', prompt: 'Handle CRM work: pull contacts and export deals.' },
    });
    expect(deployed.status).toBe(201);
    const task = await api.request({
      method: 'POST',
      url: '/v1/tasks',
      body: { prompt: 'Export deals.', sub_agent: 'crm-agent', user_id: 'user_1' },
    });
    expect(task.status).toBe(201);
    liveTaskId = task.body.id;
  });
  afterAll(() => api.close());

  it('answers 401 invalid_api_key to single-character changes of a valid key', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(...BASE62), async (position, char) => {
        const key = api.keys.live;
        const index = 8 + (position % 36);
        if (key[index] === char) return;
        const mutated = `${key.slice(0, index)}${char}${key.slice(index + 1)}`;
        const response = await api.request({ method: 'GET', url: '/v1/tasks', key: mutated });
        expect(response.status).toBe(401);
        expect(response.body.error.code).toBe('invalid_api_key');
      }),
      { numRuns: 200 },
    );
  });

  it('stores only a keyed hash: no part of any issued key is in the database files', async () => {
    const issued = [api.keys.live, api.keys.test, otherLive, otherTest];
    for (const key of issued) {
      expect((await api.request({ method: 'GET', url: '/v1/subagents', key })).status).toBe(200);
    }
    const files = fs
      .readdirSync(api.base.dataDir)
      .filter((name) => name.startsWith('cadre.db'))
      .map((name) => fs.readFileSync(path.join(api.base.dataDir, name)).toString('latin1'));
    expect(files.join('').length).toBeGreaterThan(0);
    for (const key of issued) {
      for (let start = 0; start + 10 <= key.length; start += 1) {
        const window = key.slice(start, start + 10);
        for (const bytes of files) expect(bytes.includes(window), window).toBe(false);
      }
    }

    const rows = await api.base.cadre.database.db
      .selectFrom('api_keys')
      .select(['key_hash', 'hint'])
      .execute();
    const hashKey = deriveSubkey(resolveSecretKey(undefined, api.base.dataDir), 'api-key-hash');
    const keyed = issued.map((key) =>
      crypto.createHmac('sha256', hashKey).update(key).digest('hex'),
    );
    const plain = issued.map((key) => crypto.createHash('sha256').update(key).digest('hex'));
    const stored = rows.map((row) => row.key_hash);
    expect(stored).toEqual(expect.arrayContaining(keyed));
    for (const hash of plain) expect(stored).not.toContain(hash);
  });

  it('keeps test and live data apart', async () => {
    const fromTest = await api.request({
      method: 'GET',
      url: '/v1/subagents/crm-agent',
      key: api.keys.test,
    });
    expect(fromTest.status).toBe(404);
    const taskFromTest = await api.request({
      method: 'GET',
      url: `/v1/tasks/${liveTaskId}`,
      key: api.keys.test,
    });
    expect(taskFromTest.status).toBe(404);
    const tasks = await api.request({ method: 'GET', url: '/v1/tasks', key: api.keys.test });
    expect(tasks.body.data).toEqual([]);
    const custom = await api.request({
      method: 'GET',
      url: '/v1/subagents?type=custom',
      key: api.keys.test,
    });
    expect(custom.body.data).toEqual([]);
  });

  describe.each([
    ['another project’s live key', () => otherLive],
    ['another project’s test key', () => otherTest],
    ['the same project’s test key', () => api.keys.test],
  ])('with %s', (_who, key) => {
    it.each([
      ['GET', '/v1/subagents/crm-agent', 'subagent_not_found', undefined],
      ['PATCH', '/v1/subagents/crm-agent', 'subagent_not_found', { prompt: 'Take over.' }],
      ['DELETE', '/v1/subagents/crm-agent', 'subagent_not_found', undefined],
      ['GET', '/v1/subagents/crm-agent/tools', 'subagent_not_found', undefined],
      ['GET', '/v1/tasks/:task', 'task_not_found', undefined],
      ['POST', '/v1/tasks/:task/cancel', 'task_not_found', undefined],
      ['GET', '/v1/tasks/:task/trace', 'task_not_found', undefined],
      [
        'POST',
        '/v1/tasks',
        'subagent_not_found',
        { prompt: 'Use their agent.', sub_agent: 'crm-agent' },
      ],
    ] as const)('answers 404 to %s %s', async (method, url, code, body) => {
      const response = await api.request({
        method,
        url: url.replace(':task', liveTaskId),
        key: key(),
        ...(body === undefined ? {} : { body }),
      });
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe(code);
    });

    it('lists nothing when filtering tasks by the other project’s subagent and user', async () => {
      for (const query of ['sub_agent=crm-agent', 'user_id=user_1', '']) {
        const response = await api.request({
          method: 'GET',
          url: `/v1/tasks?${query}`,
          key: key(),
        });
        expect(response.status).toBe(200);
        expect(response.body.data).toEqual([]);
      }
    });
  });

  it('leaves the owner’s objects untouched after the other keys tried to change them', async () => {
    const agent = await api.request({ method: 'GET', url: '/v1/subagents/crm-agent' });
    expect(agent.body.prompt).toBe('Handle CRM work: pull contacts and export deals.');
    const task = await api.request({ method: 'GET', url: `/v1/tasks/${liveTaskId}` });
    expect(task.body.status).toBe('pending');
  });

  it('lets another project deploy a subagent with the same name independently', async () => {
    const response = await api.request({
      method: 'POST',
      url: '/v1/subagents',
      key: otherLive,
      body: { name: 'crm-agent', prompt: 'Their own CRM agent.' },
    });
    expect(response.status).toBe(201);
    const mine = await api.request({ method: 'GET', url: '/v1/subagents/crm-agent' });
    expect(mine.body.prompt).toBe('Handle CRM work: pull contacts and export deals.');
  });

  it('answers 401 invalid_api_key on the very next request after a revoke', async () => {
    const created = await api.base.cadre.apiKeys.createKey({ environment: 'live' });
    expect(
      (await api.request({ method: 'GET', url: '/v1/subagents', key: created.key })).status,
    ).toBe(200);
    await api.base.cadre.apiKeys.revokeKey(created.id);
    const response = await api.request({ method: 'GET', url: '/v1/subagents', key: created.key });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('invalid_api_key');
  });
});
