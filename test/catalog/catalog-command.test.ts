import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../support/cadre-process.js';

describe('cadre catalog (child process)', () => {
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'cadre-catalog-cli-'));
    env = {
      CADRE_DATA_DIR: dataDir,
      CADRE_CATALOG_DIR: inject('directoryCatalogDir'),
      CADRE_LOG_LEVEL: 'silent',
    };
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints ranked tools for a query: rank, score, name, route, description and matched words', () => {
    const { status, stdout } = runCli(
      ['catalog', 'search', 'refund a Stripe charge', '--limit', '3'],
      env,
    );
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(
      /^ 1 +[\d.]+ +stripe__PostChargesChargeRefund +POST \/v1\/charges\/\{charge\}\/refund$/,
    );
    expect(lines[1]).toMatch(/\[refund, Stripe, charge\]$/);
    expect(lines[2]).toMatch(/^ 2 /);
  });

  it('prints the same results as JSON with --json, and searches one toolkit with --toolkit', () => {
    const json = runCli(
      ['catalog', 'search', 'list contacts', '--toolkit', 'apideck-crm', '--json'],
      env,
    );
    const tools = JSON.parse(json.stdout) as { name: string; toolkit: string }[];
    expect(tools[0]?.name).toBe('apideck-crm__contactsAll');
    expect(tools.every((tool) => tool.toolkit === 'apideck-crm')).toBe(true);
  });

  it('ranks toolkits, and reports the directory ready', () => {
    const toolkits = runCli(['catalog', 'toolkits', 'Google Calendar', '--limit', '1'], env);
    expect(toolkits.stdout).toMatch(/^ 1 +[\d.]+ +google-calendar +\d+ tools +Calendar API\n$/);
    const status = JSON.parse(runCli(['catalog', 'status'], env).stdout) as {
      directory: { state: string; toolkits: number };
    };
    expect(status.directory).toMatchObject({ state: 'ready' });
    expect(status.directory.toolkits).toBeGreaterThan(2000);
  });

  it('searches only the built-ins with the directory off, and exits 1 with usage on bad arguments', () => {
    const off = runCli(['catalog', 'search', 'fetch a web page', '--limit', '1'], {
      ...env,
      CADRE_DIRECTORY: 'off',
    });
    expect(off.stdout).toMatch(/http__fetch/);
    const bad = runCli(['catalog', 'search'], env);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('Usage');
    expect(runCli(['catalog', 'search', 'x', '--limit', '0'], env).status).toBe(1);
  });
});
