import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY_PATTERN } from '../../src/api-keys/index.js';
import { startApiCadre, type ApiHarness } from '../support/api-harness.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

describe('cadre keys', () => {
  let api: ApiHarness;

  // The CLI works on the database in the data dir; the in-process server shares that dir.
  beforeAll(async () => {
    api = await startApiCadre({}, { role: 'api' });
  });
  afterAll(() => api.close());

  async function cadre(...args: string[]) {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/main/cli.ts', ...args],
      {
        cwd: ROOT,
        env: { ...process.env, CADRE_DATA_DIR: api.base.dataDir, CADRE_LOG_LEVEL: 'silent' },
      },
    );
    return { stdout, stderr, lines: stdout.trimEnd().split('\n') };
  }

  let liveKey: string;
  let testKey: string;

  it('prints a new live key as the last line of stdout, and it authenticates', async () => {
    const { lines } = await cadre('keys', 'create', '--name', 'ci-live');
    liveKey = lines.at(-1)!;
    expect(liveKey).toMatch(API_KEY_PATTERN);
    expect(liveKey.startsWith('pk_live_')).toBe(true);
    const response = await api.request({ method: 'GET', url: '/v1/subagents', key: liveKey });
    expect(response.status).toBe(200);
  });

  it('prints a test key with --test, which sees test data only', async () => {
    const { lines } = await cadre('keys', 'create', '--test', '--name', 'ci-test');
    testKey = lines.at(-1)!;
    expect(testKey).toMatch(/^pk_test_[0-9A-Za-z]{36}$/);
    const deployed = await api.request({
      method: 'POST',
      url: '/v1/subagents',
      key: testKey,
      body: { name: 'cli-agent', prompt: 'Transform JSON records.' },
    });
    expect(deployed.status).toBe(201);
    const fromLive = await api.request({
      method: 'GET',
      url: '/v1/subagents/cli-agent',
      key: liveKey,
    });
    expect(fromLive.status).toBe(404);
    const fromTest = await api.request({
      method: 'GET',
      url: '/v1/subagents/cli-agent',
      key: testKey,
    });
    expect(fromTest.status).toBe(200);
  });

  it('lists keys with their names and hints but never a full key', async () => {
    const { stdout } = await cadre('keys', 'list');
    expect(stdout).toContain('ci-live');
    expect(stdout).toContain('ci-test');
    for (const key of [liveKey, testKey, api.keys.live, api.keys.test]) {
      expect(stdout).not.toContain(key);
      expect(stdout).not.toContain(key.slice(8, 20));
    }
    expect(stdout).toContain(liveKey.slice(-4));
  });

  it('revokes a key so that the very next request with it answers 401 invalid_api_key', async () => {
    const { lines } = await cadre('keys', 'list');
    const line = lines.find((entry) => entry.includes('name=ci-live'));
    const id = line?.split(/\s+/)[0];
    expect(id).toMatch(/^key_/);
    expect((await api.request({ method: 'GET', url: '/v1/tasks', key: liveKey })).status).toBe(200);

    const revoked = await cadre('keys', 'revoke', id!);
    expect(revoked.stdout).toContain(id);
    const response = await api.request({ method: 'GET', url: '/v1/tasks', key: liveKey });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('invalid_api_key');
    expect((await api.request({ method: 'GET', url: '/v1/tasks', key: testKey })).status).toBe(200);

    const listed = await cadre('keys', 'list');
    expect(listed.lines.find((entry) => entry.startsWith(id!))).toMatch(/revoked/);
  });

  it('exits non-zero when revoking a key that does not exist', async () => {
    await expect(cadre('keys', 'revoke', 'key_doesNotExist')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('key_doesNotExist'),
    });
  });
});
