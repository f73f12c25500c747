import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/index.js';
import type { RateLimiter } from '../rate-limit/index.js';

/**
 * Per-key token bucket with the IETF `RateLimit` / `RateLimit-Policy` fields on every
 * authenticated response. Runs after auth, so bad keys never spend anyone's quota.
 */
export function registerRateLimitHook(app: FastifyInstance, limiter: RateLimiter): void {
  const { requestsPerSecond, burst } = limiter.policy;
  if (requestsPerSecond === 0) return;
  const windowSeconds = Math.max(1, Math.ceil(burst / requestsPerSecond));
  const policyHeader = `"default";q=${burst};w=${windowSeconds}`;

  app.addHook('onRequest', async (request, reply) => {
    const { principal } = request;
    if (principal === undefined) return;
    let decision;
    try {
      decision = await limiter.consume(principal.keyId);
    } catch (error) {
      // The shared store (Redis) is down: serve the request rather than fail it.
      request.log.warn({ err: error }, 'rate limiter unavailable; request allowed');
      return;
    }
    reply.header('RateLimit-Policy', policyHeader);
    reply.header('RateLimit', `"default";r=${decision.remaining};t=${decision.resetSeconds}`);
    if (!decision.allowed) {
      throw new AppError({
        code: 'rate_limit_exceeded',
        message: `Too many requests for this API key (${requestsPerSecond}/s, bursts of ${burst}). Retry after ${decision.retryAfterSeconds} s.`,
        headers: { 'Retry-After': String(decision.retryAfterSeconds) },
      });
    }
  });
}
