import { ToolError } from '../tool-error.js';
import { formatByteSize } from './format-byte-size.js';

export const MAX_OUTPUT_CHARS = 1_000_000;

/**
 * Makes a query result plain JSON (JSONata sequences become arrays, functions and `undefined`
 * disappear, "no match" becomes null) and refuses results too large to hand to a model.
 */
export function toJsonOutput(value: unknown): unknown {
  const json = JSON.stringify(value);
  if (json === undefined) return null;
  if (json.length > MAX_OUTPUT_CHARS) {
    throw new ToolError({
      code: 'output_too_large',
      message: `The result is ${formatByteSize(json.length)} of JSON, more than the ${formatByteSize(MAX_OUTPUT_CHARS)} limit. Narrow it: filter, project fewer fields or aggregate.`,
    });
  }
  return JSON.parse(json) as unknown;
}

/** A short trace note such as "array of 12 items", "object with 3 keys" or "no match". */
export function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).length;
    return `object with ${keys} key${keys === 1 ? '' : 's'}`;
  }
  return typeof value;
}
