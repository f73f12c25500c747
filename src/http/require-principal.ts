import type { FastifyRequest } from 'fastify';
import type { Principal } from '../api-keys/index.js';
import { AppError } from '../errors/index.js';

/** The authenticated principal of a request on a non-public route. */
export function requirePrincipal(request: FastifyRequest): Principal {
  const { principal } = request;
  if (principal === undefined) {
    throw new AppError({ code: 'missing_api_key', message: 'No API key was provided.' });
  }
  return principal;
}
