import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
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

/** A stream that keeps each chunk it is given, as the one write it was. */
function chunkSink(): { stream: Writable; chunks: string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, chunks };
}

describe('turn-batched log output', () => {
  it('hands the lines of one turn to the stream in one write, after the turn, in order', async () => {
    const sink = chunkSink();
    const output = createTurnBatchedOutput(sink.stream);
    const lines = Array.from({ length: 50 }, (_, index) => `{"line":${index}}\n`);
    for (const line of lines) output.write(line);
    await Promise.resolve();
    expect(sink.chunks).toEqual([]);
    await nextTurn();
    expect(sink.chunks).toEqual([lines.join('')]);

    output.write('{"line":"next turn"}\n');
    await nextTurn();
    expect(sink.chunks).toEqual([lines.join(''), '{"line":"next turn"}\n']);
  });

  it('hands over a burst larger than one batch at once, in order, and calls back on flush', async () => {
    const sink = chunkSink();
    const output = createTurnBatchedOutput(sink.stream);
    const lines = Array.from(
      { length: 300 },
      (_, index) => `${JSON.stringify({ index, filler: 'x'.repeat(1000) })}\n`,
    );
    for (const line of lines) output.write(line);
    // 300 KB in one turn: handed over in batches of about 64 KiB as they fill up.
    expect(sink.chunks.length).toBeGreaterThanOrEqual(4);
    expect(sink.chunks.every((chunk) => chunk.length < 70 * 1024)).toBe(true);
    const flushed = new Promise<unknown>((resolve) => output.flush(resolve));
    expect(await flushed).toBeUndefined();
    expect(sink.chunks.join('')).toBe(lines.join(''));
  });

  it('never stalls the event loop on a pipe nobody reads yet, and loses no line', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `
          import { createLogger } from './src/main/create-logger.ts';
          const logger = createLogger('info');
          for (let index = 0; index < 2000; index += 1) {
            logger.info({ index, filler: 'x'.repeat(500) }, 'line');
            if (index % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
          }
          // Only runs if the event loop goes on while the pipe is full (about 1 MB waits).
          setTimeout(() => process.stderr.write('loop alive\\n'), 20);
        `,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let errors = '';
    child.stderr.setEncoding('utf8');
    const alive = new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: string) => {
        errors += chunk;
        if (errors.includes('loop alive')) resolve();
      });
    });
    let output = '';
    let code: number | null;
    try {
      // stdout is not read until the child's loop has shown it is alive.
      await alive;
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => (output += chunk));
      [code] = (await once(child, 'exit')) as [number | null];
    } finally {
      child.kill();
    }
    expect(code, errors).toBe(0);
    const indexes = output
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { index: number }).index);
    expect(indexes).toEqual(Array.from({ length: 2000 }, (_, index) => index));
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
