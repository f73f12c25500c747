import type { FastifyInstance } from 'fastify';
import type { ApiKeyStore } from '../api-keys/index.js';
import { AppError } from '../errors/index.js';

/** Authenticates every non-public route with `Authorization: Bearer <api_key>`. */
export function registerAuthHook(app: FastifyInstance, apiKeys: ApiKeyStore): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    // Unknown routes answer 404 whether or not a key is sent. (`routeOptions` is a getter
    // that builds a new object: read it once.)
    const { url, config } = request.routeOptions;
    if (url === undefined || config.isPublic === true) return;
    const header = request.headers.authorization;
    if (header === undefined || header.trim() === '') {
      throw new AppError({
        code: 'missing_api_key',
        message: 'No API key was provided. Send it as `Authorization: Bearer <api_key>`.',
      });
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const principal = match?.[1] === undefined ? undefined : await apiKeys.authenticate(match[1]);
    if (principal === undefined) {
      throw new AppError({
        code: 'invalid_api_key',
        message:
          'The API key provided is not valid. Check that it is a current pk_live_ or pk_test_ key sent as `Authorization: Bearer <api_key>`, or create a new one with `cadre keys create`.',
      });
    }
    request.principal = principal;
  });
}
