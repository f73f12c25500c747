import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTurnBatchedOutput } from '../../src/main/turn-batched-output.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Runs a TypeScript snippet in a fresh Node process (tsx), from the project root. */
function runScript(source: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], {
    cwd: ROOT,
    encoding: 'utf8',
  });
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('turn-batched log output', () => {
  let dir: string;
  let file: string;
  let fd: number;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-log-'));
    file = path.join(dir, 'out.log');
    fd = fs.openSync(file, 'a');
  });
  afterEach(() => {
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the lines of one turn together, in order, when the turn ends', async () => {
    const output = createTurnBatchedOutput(fd);
    const lines = Array.from({ length: 50 }, (_, index) => `{"line":${index}}\n`);
    for (const line of lines) output.write(line);
    expect(fs.readFileSync(file, 'utf8')).toBe('');
    await nextTurn();
    expect(fs.readFileSync(file, 'utf8')).toBe(lines.join(''));

    output.write('{"line":"next turn"}\n');
    await nextTurn();
    expect(fs.readFileSync(file, 'utf8')).toBe(`${lines.join('')}{"line":"next turn"}\n`);
  });

  it('writes a burst larger than the batch at once, and flush writes what is pending', async () => {
    const output = createTurnBatchedOutput(fd);
    const line = `${JSON.stringify({ filler: 'x'.repeat(1000) })}\n`;
    for (let index = 0; index < 100; index += 1) output.write(line);
    const written = fs.readFileSync(file, 'utf8');
    expect(written.length).toBeGreaterThanOrEqual(64 * 1024);
    expect(written.length % line.length).toBe(0);
    output.flush();
    expect(fs.readFileSync(file, 'utf8')).toBe(line.repeat(100));
    await nextTurn();
    expect(fs.readFileSync(file, 'utf8')).toBe(line.repeat(100));
  });

  it('writes pending lines when the process exits mid-turn, normally or on an uncaught error', () => {
    const logged = runScript(`
      import { createLogger } from './src/main/create-logger.ts';
      const logger = createLogger('info');
      logger.info({ n: 1 }, 'first');
      logger.info({ n: 2 }, 'second');
      process.exit(0);
    `);
    expect(logged.status).toBe(0);
    const messages = logged.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; n: number });
    expect(messages.map((line) => [line.msg, line.n])).toEqual([
      ['first', 1],
      ['second', 2],
    ]);

    const crashed = runScript(`
      import { createLogger } from './src/main/create-logger.ts';
      createLogger('info').warn('before the crash');
      throw new Error('boom');
    `);
    expect(crashed.status).toBe(1);
    expect(crashed.stderr).toContain('boom');
    expect(JSON.parse(crashed.stdout)).toMatchObject({ msg: 'before the crash' });
  });

  it('keeps the order of lines from several loggers on stdout, with secrets redacted', () => {
    const run = runScript(`
      import { createLogger } from './src/main/create-logger.ts';
      const first = createLogger('info');
      const second = createLogger('info');
      first.info('a');
      second.info({ authorization: 'Bearer pk_live_secret' }, 'b');
      first.info('c');
      setTimeout(() => second.info('d'), 5);
    `);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([
      'a',
      'b',
      'c',
      'd',
    ]);
    expect(run.stdout).not.toContain('pk_live_secret');
  });
});
