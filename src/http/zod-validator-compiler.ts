import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { AppError } from '../errors/index.js';

const PROMPT_LIMIT_PARAMS = new Set(['prompt']);

/**
 * Validates with zod and turns the first problem into an AppError that names the param,
 * so every route reports bad input the same way.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  return (data: unknown) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    return { error: toAppError(result.error, httpPart) };
  };
};

function toAppError(error: z.ZodError, httpPart: string | undefined): AppError {
  const issue = error.issues[0];
  if (issue === undefined) {
    return new AppError({ code: 'invalid_request', message: 'The request is not valid.' });
  }
  const param = issue.path.map(String).join('.');
  const where = httpPart === 'querystring' ? 'query parameter' : 'field';
  if (param === '') {
    const what = httpPart === 'body' ? 'The request body' : `The ${httpPart ?? 'request'}`;
    return new AppError({
      code: 'invalid_request',
      message: `${what} must be a JSON object.`,
    });
  }
  if (httpPart === 'body' && issue.code === 'too_big' && PROMPT_LIMIT_PARAMS.has(param)) {
    return new AppError({
      code: 'prompt_too_long',
      message: `\`${param}\` exceeds the maximum of ${String(issue.maximum)} characters.`,
      param,
    });
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return new AppError({
      code: 'invalid_request',
      message: `Missing required ${where} \`${param}\`.`,
      param,
    });
  }
  return new AppError({
    code: 'invalid_request',
    message: `Invalid ${where} \`${param}\`: ${issue.message}.`,
    param,
  });
}
