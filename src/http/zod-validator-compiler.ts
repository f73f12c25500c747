import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { AppError } from '../errors/index.js';

const PROMPT_LIMIT_PARAMS = new Set(['prompt']);
const PARSE_OPTIONS = { reportInput: true };

/**
 * Validates with zod and turns the first problem into an AppError that names the param,
 * so every route reports bad input the same way.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  return (data: unknown) => {
    if (hasNulCharacter(data)) {
      return { error: nulError(findNulCharacter(data) ?? [], httpPart) };
    }
    const result = schema.safeParse(data, PARSE_OPTIONS);
    if (result.success) return { value: result.data };
    return { error: toAppError(result.error, httpPart) };
  };
};

/**
 * PostgreSQL text cannot hold U+0000, and SQLite can: refuse it in every input, so both
 * dialects answer the same 400 instead of one of them failing with a 500.
 */
function hasNulCharacter(data: unknown): boolean {
  // The check every request makes: no allocation but the stack (the path is found only on a hit).
  const pending = [data];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return true;
    } else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        if (key.includes('\u0000')) return true;
        pending.push((value as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}

/** Where the first NUL character is (a key's path, or a string value's). */
function findNulCharacter(data: unknown): string[] | undefined {
  // Iterative with parent links, so a deeply nested body costs neither stack nor copies.
  interface Node {
    value: unknown;
    key: string;
    parent: Node | undefined;
  }
  const pathOf = (node: Node | undefined): string[] =>
    node?.parent === undefined ? [] : [...pathOf(node.parent), node.key];
  const pending: Node[] = [{ value: data, key: '', parent: undefined }];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const { value } = node;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return pathOf(node);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        const childNode = { value: child, key, parent: node };
        if (key.includes('\u0000')) return pathOf(childNode);
        pending.push(childNode);
      }
    }
  }
  return undefined;
}

function nulError(path: string[], httpPart: string | undefined): AppError {
  const param = path.join('.');
  const where = httpPart === 'querystring' ? 'query parameter' : 'field';
  return new AppError({
    code: 'invalid_request',
    message:
      param === ''
        ? 'The request must not contain NUL (U+0000) characters.'
        : `Invalid ${where} \`${param}\`: must not contain NUL (U+0000) characters.`,
    ...(param === '' ? {} : { param }),
  });
}

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
