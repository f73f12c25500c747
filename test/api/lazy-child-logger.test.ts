import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { LazyChildLogger } from '../../src/http/lazy-child-logger.js';
import { createLogger } from '../../src/main/create-logger.js';

function capturedLogger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  const logger = createLogger(level, stream);
  return { logger, lines, child: vi.spyOn(logger, 'child') };
}

describe('a request’s lazy logger', () => {
  it('makes no child logger while nothing logs through it', () => {
    const { logger, child } = capturedLogger('debug');
    const lazy = new LazyChildLogger(logger, { reqId: 'req_1' }, {});
    expect(lazy.level).toBe('debug');
    expect(typeof lazy.info).toBe('function');
    expect(child).not.toHaveBeenCalled();
  });

  it('writes its lines through one child with the bindings, redacted like any line', async () => {
    const { logger, lines, child } = capturedLogger('info');
    const lazy = new LazyChildLogger(logger, { reqId: 'req_2' }, {});
    lazy.warn({ headers: { authorization: 'Bearer pk_live_secret' } }, 'first %s', 'line');
    lazy.error(new Error('boom'));
    lazy.debug('below the level');
    lazy.child({ taskId: 'task_1' }).info('from a grandchild');
    await vi.waitFor(() => expect(lines).toHaveLength(3));
    // pino's children inherit the spied method: one call for the request, one for the grandchild.
    expect(child.mock.calls.map(([bindings]) => bindings)).toEqual([
      { reqId: 'req_2' },
      { taskId: 'task_1' },
    ]);
    expect(lines[0]).toMatchObject({
      level: 40,
      reqId: 'req_2',
      msg: 'first line',
      headers: { authorization: '[redacted]' },
    });
    expect(lines[1]).toMatchObject({ level: 50, reqId: 'req_2', err: { message: 'boom' } });
    expect(lines[2]).toMatchObject({ reqId: 'req_2', taskId: 'task_1', msg: 'from a grandchild' });
  });

  it('takes the level given to it, and a level set later', async () => {
    const { logger, lines } = capturedLogger('info');
    const lazy = new LazyChildLogger(logger, { reqId: 'req_3' }, { level: 'error' });
    expect(lazy.level).toBe('error');
    lazy.warn('dropped');
    lazy.level = 'debug';
    lazy.debug('kept');
    await vi.waitFor(() => expect(lines).toHaveLength(1));
    expect(lines[0]).toMatchObject({ level: 20, msg: 'kept' });
    expect(lazy.level).toBe('debug');
  });
});
