import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runEvalCommand } from '../../src/eval/index.js';
import { runCli } from '../support/cadre-process.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

const TOOLS = [
  { id: 't1', name: 'get_weather', description: 'Current weather for a city.', params: 'city' },
  { id: 't2', name: 'send_email', description: 'Sends an email message.', params: '' },
  { id: 't3', name: 'list_emails', description: 'Lists the email messages in the inbox.' },
];

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runEvalCommand(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

describe('cadre eval retrieval', () => {
  let dir: string;
  let byId: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cadre-eval-'));
    byId = path.join(dir, 'by-id.json');
    // q1 finds its tool first; q2's gold (send_email) comes second after list_emails.
    await writeFile(
      byId,
      JSON.stringify({
        tools: TOOLS,
        queries: [
          { id: 'q1', query: 'weather in Paris', gold: ['t1'] },
          { id: 'q2', query: 'list my email', gold: ['t2'] },
        ],
      }),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints counts, nDCG@10, Recall@5, latency and build time for the set', async () => {
    const { code, stdout } = await run(['retrieval', byId]);
    expect(code).toBe(0);
    expect(stdout).toContain('tools      3\n');
    expect(stdout).toContain('queries    2\n');
    // (1 + 1/log2(3)) / 2 = 0.8155; both gold tools are in the top 5.
    expect(stdout).toContain('nDCG@10    81.55\n');
    expect(stdout).toContain('Recall@5   100.00\n');
    expect(stdout).toMatch(/latency {4}p50 [\d.]+ ms · p99 [\d.]+ ms\n/);
    expect(stdout).toMatch(/build {6}[\d.]+ ms\n/);
  });

  it('matches gold by name when the set says gold_by name, and warns about unknown gold', async () => {
    const file = path.join(dir, 'by-name.json');
    await writeFile(
      file,
      JSON.stringify({
        gold_by: 'name',
        tools: TOOLS,
        queries: [
          { id: 'q1', query: 'send an email', gold: ['send_email'] },
          { id: 'q2', query: 'weather', gold: ['get_forecast'] },
        ],
      }),
    );
    const { code, stdout } = await run(['retrieval', file]);
    expect(code).toBe(0);
    expect(stdout).toContain('nDCG@10    50.00\n');
    expect(stdout).toContain('warning    1 gold entries name no tool in the set');
  });

  it('exits 1 with the problem when the file is not an eval set', async () => {
    const file = path.join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ tools: [{ id: 'x' }], queries: [] }));
    const { code, stderr } = await run(['retrieval', file]);
    expect(code).toBe(1);
    expect(stderr).toContain('tools.0.name');
    expect((await run(['retrieval', path.join(dir, 'missing.json')])).stderr).toContain(
      'Cannot read',
    );
  });

  it('exits 1 with usage for a missing file argument or another kind of eval', async () => {
    expect(await run(['retrieval'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Usage'),
    });
    expect((await run(['precision', byId])).code).toBe(1);
  });

  it('is wired into the cadre CLI', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/main/cli.ts', 'eval', 'retrieval', byId],
      { cwd: ROOT, env: { ...process.env, CADRE_LOG_LEVEL: 'silent' } },
    );
    expect(stdout).toContain('nDCG@10    81.55\n');
  });
});

describe('cadre eval selection', () => {
  it('prints precision, recall, must-have recall and warnings for the labeled suite', () => {
    const { status, stdout } = runCli(['eval', 'selection'], {
      CADRE_CATALOG_DIR: inject('directoryCatalogDir'),
      CADRE_DATA_DIR: os.tmpdir(),
      CADRE_LOG_LEVEL: 'silent',
    });
    expect(status).toBe(0);
    expect(stdout).toMatch(/^ +prompts +precision +recall +must-have +warnings$/m);
    expect(stdout).toMatch(/^all +\d+ +[\d.]+ +[\d.]+ +[\d.]+ +\d+\/\d+$/m);
    expect(stdout).toMatch(/^held out +\d+ /m);
    expect(stdout).toMatch(/^latency +p50 [\d.]+ ms · p99 [\d.]+ ms per deploy$/m);
  });
});
