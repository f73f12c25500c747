import jsonata from 'jsonata';
import { ToolError } from '../tool-error.js';
import type { BuiltinHandler } from './builtin-handler.js';
import { parseExpressionInput } from './parse-expression-input.js';
import { describeJsonValue, toJsonOutput } from './to-json-output.js';

const DEFAULT_TIME_LIMIT_MS = 5000;
// JSONata recursion and sequence building run on the host heap; cap both.
const MAX_DEPTH = 500;
const MAX_SEQUENCE_LENGTH = 1_000_000;

/**
 * `json.jsonata`. JSONata checks its own time and depth limits between evaluation steps, so a
 * runaway expression ends with D1011/D1012; one long regular expression match cannot be cut.
 */
export function createJsonataHandler(options: { timeLimitMs?: number } = {}): BuiltinHandler {
  return async (input, context) => {
    const { data, expression } = parseExpressionInput(input);
    const timeout = Math.min(options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS, context.timeoutMs);
    let compiled: jsonata.Expression;
    try {
      compiled = jsonata(expression, {
        timeout,
        stack: MAX_DEPTH,
        sequence: MAX_SEQUENCE_LENGTH,
      });
    } catch (error) {
      throw expressionError(error);
    }
    context.signal.throwIfAborted();
    let result: unknown;
    try {
      result = await abortable(compiled.evaluate(data), context.signal);
    } catch (error) {
      if (context.signal.aborted) throw context.signal.reason;
      throw expressionError(error);
    }
    const output = toJsonOutput(result);
    return {
      output: { result: output },
      note: result === undefined ? 'no match' : describeJsonValue(output),
    };
  };
}

function expressionError(error: unknown): ToolError {
  const details = error as Partial<jsonata.JsonataError> | undefined;
  const message = typeof details?.message === 'string' ? details.message : String(error);
  const where = [
    typeof details?.code === 'string' ? details.code : '',
    typeof details?.position === 'number' ? `at position ${details.position}` : '',
    typeof details?.token === 'string' && details.token !== '' ? `near "${details.token}"` : '',
  ]
    .filter((part) => part !== '')
    .join(' ');
  return new ToolError({
    code: 'invalid_expression',
    message: `JSONata error${where === '' ? '' : ` ${where}`}: ${message}`,
    cause: error,
  });
}

/** Stops waiting when the call is cancelled; JSONata's own timeout ends the evaluation itself. */
async function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
