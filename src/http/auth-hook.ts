import type { FastifyInstance } from 'fastify';
import type { ApiKeyStore, Principal } from '../api-keys/index.js';
import { AppError } from '../errors/index.js';
import { bearerKey, hasAuthorization } from './bearer-key.js';

const missingKey = () =>
  new AppError({
    code: 'missing_api_key',
    message: 'No API key was provided. Send it as `Authorization: Bearer <api_key>`.',
  });

const invalidKey = () =>
  new AppError({
    code: 'invalid_api_key',
    message:
      'The API key provided is not valid. Check that it is a current pk_live_ or pk_test_ key sent as `Authorization: Bearer <api_key>`, or create a new one with `cadre keys create`.',
  });

/**
 * Authenticates every non-public route with `Authorization: Bearer <api_key>`. A key known
 * valid since the last commit is accepted without leaving the hook (no promise, no tick);
 * any other key is looked up.
 */
export function registerAuthHook(app: FastifyInstance, apiKeys: ApiKeyStore): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', (request, _reply, done) => {
    // Unknown routes answer 404 whether or not a key is sent. (`routeOptions` is a getter
    // that builds a new object: read it once.)
    const { url, config } = request.routeOptions;
    if (url === undefined || config.isPublic === true) {
      done();
      return;
    }
    const header = request.headers.authorization;
    if (!hasAuthorization(header)) {
      done(missingKey());
      return;
    }
    const key = bearerKey(header);
    if (key === undefined) {
      done(invalidKey());
      return;
    }
    const accept = (principal: Principal | undefined) => {
      if (principal === undefined) {
        done(invalidKey());
        return;
      }
      request.principal = principal;
      done();
    };
    const outcome = apiKeys.authenticate(key);
    if (outcome instanceof Promise) outcome.then(accept, done);
    else accept(outcome);
  });
}
