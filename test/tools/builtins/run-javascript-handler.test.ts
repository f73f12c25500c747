import { describe, expect, it } from 'vitest';
import { createGuardedFetch } from '../../../src/outbound/index.js';
import { createBuiltinHandlers } from '../../../src/tools/builtins/index.js';
import { ToolError } from '../../../src/tools/tool-error.js';
import { createToolCallContext } from './create-tool-call-context.js';

const handlers = createBuiltinHandlers({
  fetch: createGuardedFetch({ dangerouslyAllowPrivateHosts: [] }),
  codeTimeLimitMs: 1000,
});
const runJavaScript = handlers['code.run_javascript']!;

function run(code: string, input?: unknown) {
  return runJavaScript(input === undefined ? { code } : { code, input }, createToolCallContext());
}

async function failure(code: string): Promise<ToolError> {
  const error: unknown = await run(code).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

describe('code.run_javascript', () => {
  it('returns the value the snippet returns', async () => {
    const { output } = await run('return [1, 2, 3].map((n) => n * 2);');
    expect(output).toEqual({ result: [2, 4, 6], logs: [] });
  });

  it('passes the input to the snippet as `input`', async () => {
    const { output } = await run('return input.items.filter((item) => item.ok).length;', {
      items: [{ ok: true }, { ok: false }, { ok: true }],
    });
    expect(output).toEqual({ result: 2, logs: [] });
  });

  it('runs snippets that await their own promises', async () => {
    const { output } = await run('const value = await Promise.resolve(41); return value + 1;');
    expect(output).toEqual({ result: 42, logs: [] });
  });

  it('returns null when the snippet returns nothing', async () => {
    const { output } = await run('const x = 1;');
    expect(output).toEqual({ result: null, logs: [] });
  });

  it('captures console output with its level', async () => {
    const { output, note } = await run(
      'console.log("count", 2, { a: 1 }); console.error("bad", new Error("boom")); return true;',
    );
    expect(output).toEqual({
      result: true,
      logs: ['count 2 {"a":1}', '[error] bad Error: boom'],
    });
    expect(note).toBe('returned boolean, 2 log lines');
  });

  it('caps the number of captured log lines', async () => {
    const { output } = await run('for (let i = 0; i < 500; i++) console.log(i); return 1;');
    const { logs } = output as { logs: string[] };
    expect(logs).toHaveLength(101);
    expect(logs[0]).toBe('0');
    expect(logs[100]).toBe('… 400 more lines not shown');
  });

  it('stops an infinite loop with code_timeout', async () => {
    const error = await failure('while (true) {}');
    expect(error.code).toBe('code_timeout');
    expect(error.retryable).toBe(false);
  });

  it('stops an endless chain of awaits with code_timeout', async () => {
    const error = await failure('for (;;) { await null; }');
    expect(error.code).toBe('code_timeout');
  });

  it('stops a memory bomb with code_memory_limit', async () => {
    const error = await failure(
      'const parts = []; while (true) parts.push(new ArrayBuffer(1 << 20));',
    );
    expect(error.code).toBe('code_memory_limit');
    expect(error.retryable).toBe(false);
  });

  it('stops a memory bomb of many small objects with code_memory_limit', async () => {
    const error = await failure(
      'const a = []; for (let i = 0; ; i++) a.push({ i, s: "y".repeat(100) + i });',
    );
    expect(error.code).toBe('code_memory_limit');
  });

  it('bounds the total memory of a run, not only single allocations', async () => {
    const { output } = await run(`
      const parts = [];
      try { while (parts.length < 200) parts.push(new ArrayBuffer(1 << 20)); }
      catch (error) { return parts.length; }
      return parts.length;
    `);
    expect((output as { result: number }).result).toBeLessThan(48);
  });

  it('keeps working after a run ran out of memory', async () => {
    await failure('const parts = []; while (true) parts.push("x".repeat(1 << 20) + parts.length);');
    const { output } = await run('return "still alive";');
    expect(output).toEqual({ result: 'still alive', logs: [] });
  });

  it('reports deep recursion as a code error', async () => {
    const error = await failure('function f(n) { return f(n + 1) + 1; } return f(0);');
    expect(error.code).toBe('code_error');
    expect(error.message).toContain('stack overflow');
  });

  it('has no process, require, fetch or timers', async () => {
    const { output } = await run(
      'return [typeof process, typeof require, typeof fetch, typeof setTimeout, typeof globalThis.process];',
    );
    expect(output).toEqual({
      result: ['undefined', 'undefined', 'undefined', 'undefined', 'undefined'],
      logs: [],
    });
  });

  it('does not reach the host through the Function constructor', async () => {
    const { output } = await run(
      'return [(function () {}).constructor("return typeof process")(), await (async () => {}).constructor("return typeof require")()];',
    );
    expect(output).toEqual({ result: ['undefined', 'undefined'], logs: [] });
  });

  it('reports a syntax error with its message and line', async () => {
    const error = await failure('const a = 1;\nconst b = ;\nreturn a;');
    expect(error.code).toBe('code_error');
    expect(error.message).toMatch(/^SyntaxError: .+\(line 2\)$/);
  });

  it('reports a runtime error with its message and line', async () => {
    const error = await failure('const a = 1;\nconst b = 2;\nreturn null.length;');
    expect(error.code).toBe('code_error');
    expect(error.message).toBe("TypeError: cannot read property 'length' of null (line 3)");
  });

  it('reports a thrown non-error value', async () => {
    const error = await failure('throw "plain string";');
    expect(error.message).toBe('Uncaught "plain string"');
  });

  it('reports a result that is not JSON-serializable', async () => {
    const error = await failure('const o = {}; o.self = o; return o;');
    expect(error.code).toBe('code_error');
    expect(error.message).toContain('not JSON-serializable');
  });

  it('reports a promise that can never settle', async () => {
    const error = await failure('return new Promise(() => {});');
    expect(error.code).toBe('code_error');
    expect(error.message).toContain('never settles');
  });

  it('does not let one run see globals from another', async () => {
    await run('globalThis.leftover = 1; return 1;');
    const { output } = await run('return typeof leftover;');
    expect(output).toEqual({ result: 'undefined', logs: [] });
  });

  it('rejects a missing snippet as invalid input', async () => {
    await expect(runJavaScript({}, createToolCallContext())).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});
