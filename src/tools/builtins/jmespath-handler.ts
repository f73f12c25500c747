import { search, type JSONValue } from '@jmespath-community/jmespath';
import type { ToolCallResult } from '../tool-executor.js';
import { ToolError } from '../tool-error.js';
import type { BuiltinHandler } from './builtin-handler.js';
import { parseExpressionInput } from './parse-expression-input.js';
import { describeJsonValue, toJsonOutput } from './to-json-output.js';

/**
 * `json.jmespath`. JMESPath has no loops or recursion, so evaluation time is bounded by the
 * data and expression sizes; no separate time limit is needed.
 */
export function createJmespathHandler(): BuiltinHandler {
  return (input) => new Promise((resolve) => resolve(runJmespath(input)));
}

function runJmespath(input: Record<string, unknown>): ToolCallResult {
  const { data, expression } = parseExpressionInput(input);
  let result: unknown;
  try {
    result = search(data as JSONValue, expression);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ToolError({
      code: 'invalid_expression',
      message: `JMESPath error: ${message}`,
      cause: error,
    });
  }
  const output = toJsonOutput(result);
  return { output: { result: output }, note: describeJsonValue(output) };
}
