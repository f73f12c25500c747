import { ToolError } from '../tool-error.js';

/** The model sent arguments the tool cannot use; it should correct them, not retry. */
export function invalidInputError(message: string): ToolError {
  return new ToolError({ code: 'invalid_input', message });
}
