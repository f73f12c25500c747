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
    try {
      done(null, JSON.parse(text) as unknown);
    } catch (error) {
      done(
        new AppError({
          code: 'invalid_request',
          message: `The request body is not valid JSON: ${(error as Error).message}`,
        }),
        undefined,
      );
    }
  });
}
