import { invalidInputError } from './invalid-input-error.js';

export const MAX_EXPRESSION_LENGTH = 10_000;

/** Validates `{data, expression}` for the JSON query tools. */
export function parseExpressionInput(input: Record<string, unknown>): {
  data: unknown;
  expression: string;
} {
  if (!('data' in input) || input.data === undefined) {
    throw invalidInputError('`data` is required: the JSON value to query.');
  }
  const { expression } = input;
  if (typeof expression !== 'string' || expression.trim() === '') {
    throw invalidInputError('`expression` is required: a non-empty string.');
  }
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw invalidInputError(`\`expression\` is longer than ${MAX_EXPRESSION_LENGTH} characters.`);
  }
  return { data: input.data, expression };
}
