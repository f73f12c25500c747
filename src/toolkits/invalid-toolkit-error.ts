import { AppError } from '../errors/index.js';

/** The one error the toolkit parsers throw: the document cannot become tools. */
export function invalidToolkitError(message: string, param: string): AppError {
  return new AppError({ code: 'invalid_toolkit', message, param });
}
