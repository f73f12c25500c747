import type { BuiltinHandler } from './builtin-handler.js';
import { createQuickJsLoader } from './create-quickjs-loader.js';
import { invalidInputError } from './invalid-input-error.js';
import { runInQuickJs } from './run-in-quickjs.js';
import { describeJsonValue } from './to-json-output.js';

export interface RunJavaScriptHandlerOptions {
  memoryLimitBytes: number;
  /** Upper bound on CPU time per run; the call's own timeout lowers it further. */
  timeLimitMs: number;
}

const MAX_CODE_LENGTH = 100_000;

/** `code.run_javascript`: a snippet in a QuickJS sandbox; output `{result, logs}`. */
export function createRunJavaScriptHandler(options: RunJavaScriptHandlerOptions): BuiltinHandler {
  const loader = createQuickJsLoader({ heapLimitBytes: options.memoryLimitBytes });
  return async (input, context) => {
    const { code } = input;
    if (typeof code !== 'string' || code.trim() === '') {
      throw invalidInputError(
        '`code` is required: a function body that ends with `return <value>;`.',
      );
    }
    if (code.length > MAX_CODE_LENGTH) {
      throw invalidInputError(`\`code\` is longer than ${MAX_CODE_LENGTH} characters.`);
    }
    context.signal.throwIfAborted();
    const { result, logs } = await runInQuickJs(loader, code, input.input, {
      memoryLimitBytes: options.memoryLimitBytes,
      timeLimitMs: Math.min(options.timeLimitMs, context.timeoutMs),
    });
    const logNote =
      logs.length === 0 ? '' : `, ${logs.length} log line${logs.length === 1 ? '' : 's'}`;
    return {
      output: { result, logs },
      note: `returned ${describeJsonValue(result)}${logNote}`,
    };
  };
}
