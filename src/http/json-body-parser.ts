import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/index.js';

/**
 * Every request body is JSON, whatever Content-Type the client sent (curl's `-d` sends
 * form-encoded by default). An empty body counts as no body.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      done(
        new AppError({
          code: 'invalid_request',
          message: `The request body is not valid JSON: ${(error as Error).message}`,
        }),
        undefined,
      );
      return;
    }
    if (nestingDepth(value) > MAX_NESTING_DEPTH) {
      done(
        new AppError({
          code: 'invalid_request',
          message: `The request body is nested more than ${MAX_NESTING_DEPTH} levels deep.`,
        }),
        undefined,
      );
      return;
    }
    done(null, value);
  });
}

/** Deeper bodies would overflow the stack of recursive code downstream (JSON.stringify). */
const MAX_NESTING_DEPTH = 100;

function nestingDepth(root: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[root, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, depth] = next;
    if (value === null || typeof value !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_NESTING_DEPTH) return deepest;
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  return deepest;
}
