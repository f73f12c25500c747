import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cadre-process.js';
import { startTestCadre, type TestCadre } from '../support/start-test-cadre.js';
import { KEY_A, KEY_B, KEY_C, keyIdOf } from './secret-fixtures.js';
import { plotonCrmDefinition } from '../toolkits/fixtures/ploton-crm-definition.js';

describe('cadre secrets', () => {
  let api: TestCadre;

  // The CLI works on the SQLite file in the data dir; the in-process server shares it.
  beforeAll(async () => {
    api = await startTestCadre({ CADRE_SECRET_KEY: KEY_A });
    const toolkit = await api.request({
      method: 'POST',
      url: '/v1/toolkits',
      body: {
        ...plotonCrmDefinition,
        name: 'bearer-crm',
        auth: { type: 'bearer', token: 'bearer-token-0123456789' },
      },
    });
    expect(toolkit.status).toBe(201);
    const endpoint = await api.request({
      method: 'POST',
      url: '/v1/webhook_endpoints',
      body: { url: 'https://hooks.example.com/cli' },
    });
    expect(endpoint.status).toBe(201);
  });
  afterAll(() => api?.close());

  const cadre = (args: string[], env: Record<string, string>) =>
    runCli(['secrets', ...args], {
      CADRE_DATA_DIR: api.dataDir,
      CADRE_LOG_LEVEL: 'silent',
      CADRE_PREVIOUS_SECRET_KEYS: '',
      ...env,
    });
  const rotating = { CADRE_SECRET_KEY: KEY_B, CADRE_PREVIOUS_SECRET_KEYS: ` ${KEY_A} ` };

  /** The numbers of one table's line: resealed, already current, unreadable. */
  const countsOf = (stdout: string, table: string) =>
    stdout
      .split('\n')
      .find((line) => line.startsWith(`${table} `))
      ?.trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);

  it('shows how many stored secrets each key sealed', () => {
    const { stdout, status } = cadre(['status'], rotating);
    expect(status).toBe(0);
    expect(stdout).toContain(`Current key ${keyIdOf(KEY_B)}; previous keys: ${keyIdOf(KEY_A)}.`);
    expect(stdout).toMatch(new RegExp(`toolkits +${keyIdOf(KEY_A)} +1 +previous`));
    expect(stdout).toMatch(new RegExp(`webhook_endpoints +${keyIdOf(KEY_A)} +1 +previous`));
  });

  it('rotates: reseals with the new key, prints counts per table and exits 0', () => {
    const { stdout, stderr, status } = cadre(['rotate'], rotating);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/table +resealed +already current +unreadable/);
    expect(countsOf(stdout, 'toolkits')).toEqual([1, 0, 0]);
    expect(countsOf(stdout, 'webhook_endpoints')).toEqual([1, 0, 0]);
    expect(countsOf(stdout, 'connections')).toEqual([0, 0, 0]);
    expect(stdout).toContain(`Every stored secret is sealed with key ${keyIdOf(KEY_B)}.`);
    expect(stdout).toContain('CADRE_PREVIOUS_SECRET_KEYS');
    for (const output of [stdout, stderr]) {
      expect(output).not.toContain(KEY_A);
      expect(output).not.toContain(KEY_B);
    }

    const after = cadre(['status'], rotating);
    expect(after.stdout).toMatch(new RegExp(`toolkits +${keyIdOf(KEY_B)} +1 +current`));
    expect(after.stdout).not.toContain(`${keyIdOf(KEY_A)} `);
  });

  it('reseals nothing the second time', () => {
    const { stdout, status } = cadre(['rotate'], rotating);
    expect(status).toBe(0);
    expect(countsOf(stdout, 'toolkits')).toEqual([0, 1, 0]);
    expect(countsOf(stdout, 'webhook_endpoints')).toEqual([0, 1, 0]);
  });

  it('exits 1 and names the rows when no configured key opens them', () => {
    const { stdout, stderr, status } = cadre(['rotate'], { CADRE_SECRET_KEY: KEY_C });
    expect(status).toBe(1);
    expect(stdout).toContain('previous keys: none (CADRE_PREVIOUS_SECRET_KEYS is empty)');
    expect(countsOf(stdout, 'toolkits')).toEqual([0, 0, 1]);
    expect(stderr).toContain('2 row(s) hold a secret no configured key opens');
    expect(stderr).toMatch(/toolkits tk_\w+: auth: No secret key with id/);
    expect(stderr).toMatch(/webhook_endpoints we_\w+: secret: No secret key with id/);
    // Nothing was rewritten: the right key still reads everything.
    expect(countsOf(cadre(['rotate'], rotating).stdout, 'toolkits')).toEqual([0, 1, 0]);
  });

  it('refuses a previous key shorter than 32 characters without printing it', () => {
    const { stderr, status } = cadre(['rotate'], {
      CADRE_SECRET_KEY: KEY_B,
      CADRE_PREVIOUS_SECRET_KEYS: `${KEY_A},too-short-secret`,
    });
    expect(status).toBe(2);
    expect(stderr).toContain('CADRE_PREVIOUS_SECRET_KEYS: key 2: must be at least 32 characters');
    expect(stderr).not.toContain('too-short-secret');
  });

  it('prints its usage and exits 1 without an action', () => {
    const { stderr, status } = cadre([], rotating);
    expect(status).toBe(1);
    expect(stderr).toContain('cadre secrets rotate');
  });
});
