import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten';
import { isToolError, ToolError } from '../tool-error.js';
import { formatByteSize } from './format-byte-size.js';
import type { QuickJsLoader } from './create-quickjs-loader.js';
import { installSandboxConsole } from './install-sandbox-console.js';
import { describeSandboxError, sandboxFailure } from './sandbox-failure.js';
import { SandboxLogCollector } from './sandbox-log-collector.js';

export interface SandboxLimits {
  memoryLimitBytes: number;
  timeLimitMs: number;
}

export interface SandboxResult {
  result: unknown;
  logs: string[];
}

// Recursion inside QuickJS also grows the host's V8 stack. Measured on Node 20: at 512 KiB a
// deep recursion overflows V8 first (a host RangeError that leaves the WASM instance broken);
// 384 KiB still held. 256 KiB (about 1,500 frames) leaves room for a deep host call stack.
const MAX_STACK_SIZE_BYTES = 256 * 1024;
const MAX_RESULT_CHARS = 1_000_000;
const MAX_JOBS_PER_TURN = 1000;
const SNIPPET_FILE = 'snippet.js';

/**
 * Runs a snippet (a function body receiving `input`) in a fresh QuickJS runtime with memory,
 * stack and CPU-time limits. The sandbox has only the language built-ins and `console`:
 * no `fetch`, `require`, `process`, timers or I/O, so `await` can only wait on the snippet's
 * own promises. Runs synchronously on the calling thread until the time limit.
 */
export async function runInQuickJs(
  loader: QuickJsLoader,
  code: string,
  input: unknown,
  limits: SandboxLimits,
): Promise<SandboxResult> {
  const { module, heap } = await loader.load();
  heap.exhausted = false;
  const runtime = module.newRuntime();
  const deadline = Date.now() + limits.timeLimitMs;
  const clock = { deadline, interrupted: false };
  // In this build the limit only refuses single allocations above it; the total is bounded by
  // the loader's WASM memory cap (see create-quickjs-loader.ts).
  runtime.setMemoryLimit(limits.memoryLimitBytes);
  runtime.setMaxStackSize(MAX_STACK_SIZE_BYTES);
  runtime.setInterruptHandler(() => {
    if (Date.now() >= deadline) clock.interrupted = true;
    return clock.interrupted;
  });
  const context = runtime.newContext();

  let outcome: { ok: true; value: SandboxResult } | { ok: false; error: unknown };
  try {
    outcome = {
      ok: true,
      value: runSnippet({ runtime, context, code, input, limits, clock, heap }),
    };
  } catch (error) {
    outcome = { ok: false, error };
  }
  // A host-side error other than our ToolErrors means the WASM instance itself failed.
  if (!outcome.ok && !isToolError(outcome.error)) loader.discard();
  try {
    context.dispose();
    runtime.dispose();
  } catch (disposeError) {
    // QuickJS aborts the WASM instance when a handle leaked; never reuse that instance.
    loader.discard();
    if (outcome.ok) throw disposeError;
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

interface SnippetRun {
  runtime: QuickJSRuntime;
  context: QuickJSContext;
  code: string;
  input: unknown;
  limits: SandboxLimits;
  clock: { deadline: number; interrupted: boolean };
  heap: { exhausted: boolean };
}

function runSnippet(run: SnippetRun): SandboxResult {
  const { runtime, context, limits, clock, heap } = run;
  const handles: QuickJSHandle[] = [];
  const own = (handle: QuickJSHandle): QuickJSHandle => {
    handles.push(handle);
    return handle;
  };
  const fail = (errorHandle: QuickJSHandle, prefix = ''): ToolError =>
    sandboxFailure(describeSandboxError(context, own(errorHandle)), prefix, limits, {
      interrupted: clock.interrupted,
      outOfMemory: heap.exhausted,
    });
  const logs = new SandboxLogCollector();

  try {
    installSandboxConsole(context, logs, own);
    const json = own(context.getProp(context.global, 'JSON'));
    const stringify = own(context.getProp(json, 'stringify'));
    const parse = own(context.getProp(json, 'parse'));

    // The body starts on line 1 so the snippet's line numbers are the user's line numbers.
    const compiled = context.evalCode(
      `(async function (input) {"use strict";${run.code}\n})`,
      SNIPPET_FILE,
    );
    if (compiled.error) throw fail(compiled.error);
    const snippet = own(compiled.value);

    const inputText = own(context.newString(JSON.stringify(run.input) ?? 'null'));
    const parsedInput = context.callFunction(parse, json, inputText);
    if (parsedInput.error) throw fail(parsedInput.error, 'Could not pass `input`: ');
    const called = context.callFunction(snippet, context.undefined, own(parsedInput.value));
    if (called.error) throw fail(called.error);
    const promise = own(called.value);

    for (;;) {
      const jobs = runtime.executePendingJobs(MAX_JOBS_PER_TURN);
      if (jobs.error) throw fail(jobs.error);
      if (jobs.value === 0) break;
      if (Date.now() >= clock.deadline) {
        throw sandboxFailure({ message: 'interrupted' }, '', limits, {
          interrupted: true,
          outOfMemory: false,
        });
      }
    }

    const settled = context.getPromiseState(promise);
    if (settled.type === 'pending') {
      throw new ToolError({
        code: 'code_error',
        message:
          'The snippet awaited a promise that never settles. The sandbox has no timers, network or I/O; return the value directly.',
      });
    }
    if (settled.type === 'rejected') throw fail(settled.error);
    const value = own(settled.value);

    const serialized = context.callFunction(stringify, json, value);
    if (serialized.error) {
      throw fail(serialized.error, 'The returned value is not JSON-serializable: ');
    }
    const text = own(serialized.value);
    if (context.typeof(text) === 'undefined') return { result: null, logs: logs.toArray() };
    const resultJson = context.getString(text);
    if (resultJson.length > MAX_RESULT_CHARS) {
      throw new ToolError({
        code: 'code_error',
        message: `The returned value is ${formatByteSize(resultJson.length)} of JSON, more than the ${formatByteSize(MAX_RESULT_CHARS)} limit. Return less data.`,
      });
    }
    return { result: JSON.parse(resultJson) as unknown, logs: logs.toArray() };
  } finally {
    for (const handle of handles.reverse()) {
      if (handle.alive) handle.dispose();
    }
  }
}
