import type { RouteOptions } from 'fastify';
import { ErrorResponseSchema } from './common-schemas.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Adds to a route's documented responses the errors the shared hooks can answer on it, so the
 * OpenAPI document lists every status a client can get: 400/401/429 (auth, validation, rate
 * limit), 413/415 (any body), and 409/422 (Idempotency-Key on POST).
 */
export function documentCrossCuttingErrors(route: RouteOptions): void {
  const schema = route.schema;
  if (schema?.response === undefined || route.config?.isPublic === true) return;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const extra: Record<number, typeof ErrorResponseSchema> = {
    400: ErrorResponseSchema,
    401: ErrorResponseSchema,
    429: ErrorResponseSchema,
  };
  if (methods.some((method) => BODY_METHODS.has(method))) {
    extra[413] = ErrorResponseSchema;
    extra[415] = ErrorResponseSchema;
  }
  if (methods.includes('POST')) {
    extra[409] = ErrorResponseSchema;
    extra[422] = ErrorResponseSchema;
  }
  schema.response = { ...extra, ...(schema.response as Record<number, unknown>) };
}
