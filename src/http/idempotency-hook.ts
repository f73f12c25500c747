import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock/index.js';
import { AppError } from '../errors/index.js';
import { canonicalJson } from './canonical-json.js';
import type { IdempotencyScope, IdempotencyStore } from './idempotency-store.js';
import { requirePrincipal } from './require-principal.js';

const HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;
const claims = new WeakMap<FastifyRequest, IdempotencyScope>();

/**
 * `Idempotency-Key` on POST: the first request runs and its response is stored; a retry with
 * the same body gets that response again, a different body 422, one still running 409.
 */
export function registerIdempotencyHooks(
  app: FastifyInstance,
  store: IdempotencyStore,
  clock: Clock,
): void {
  const preHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.principal === undefined) return;
    const raw = request.headers[HEADER];
    if (raw === undefined) return;
    const key = parseKey(Array.isArray(raw) ? (raw[0] ?? '') : raw);
    const principal = requirePrincipal(request);
    const scope = { projectId: principal.projectId, environment: principal.environment, key };
    const fingerprint = crypto
      .createHash('sha256')
      .update(
        `${request.method} ${request.url.split('?')[0] ?? ''}\n${canonicalJson(request.body)}`,
      )
      .digest('hex');
    const claim = await store.claim(scope, fingerprint, clock.now());
    switch (claim.kind) {
      case 'claimed':
        claims.set(request, scope);
        return;
      case 'replay':
        return reply
          .status(claim.status)
          .header('Idempotent-Replayed', 'true')
          .header('content-type', 'application/json; charset=utf-8')
          .send(claim.body);
      case 'mismatch':
        throw new AppError({
          code: 'idempotency_key_reused',
          message:
            'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
          param: 'Idempotency-Key',
        });
      case 'in_progress':
        throw new AppError({
          code: 'idempotency_key_in_use',
          message: 'A request with this Idempotency-Key is still being processed. Retry shortly.',
          param: 'Idempotency-Key',
          headers: { 'Retry-After': '1' },
        });
    }
  };

  const onSend = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const scope = claims.get(request);
    if (scope === undefined) return payload;
    claims.delete(request);
    if (reply.statusCode >= 500 || typeof payload !== 'string') {
      await store.release(scope);
    } else {
      await store.complete(scope, reply.statusCode, payload);
    }
    return payload;
  };

  // Only POST routes take part, so reads pay nothing for this.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('POST')) return;
    route.preHandler = [...asArray(route.preHandler), preHandler];
    route.onSend = [...asArray(route.onSend), onSend];
  });
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function parseKey(value: string): string {
  const key = value.trim().replace(/^"(.*)"$/, '$1');
  if (!KEY_PATTERN.test(key)) {
    throw new AppError({
      code: 'invalid_request',
      message: 'Idempotency-Key must be 1 to 255 printable ASCII characters.',
      param: 'Idempotency-Key',
    });
  }
  return key;
}
