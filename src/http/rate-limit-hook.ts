import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../errors/index.js';
import type { RateLimitDecision, RateLimiter } from '../rate-limit/index.js';

/**
 * Per-key token bucket with the IETF `RateLimit` / `RateLimit-Policy` fields on every
 * authenticated response. Runs after auth, so bad keys never spend anyone's quota. The
 * in-process limiter answers within the hook; a shared one (Redis) is awaited.
 */
export function registerRateLimitHook(app: FastifyInstance, limiter: RateLimiter): void {
  const { requestsPerSecond, burst } = limiter.policy;
  if (requestsPerSecond === 0) return;
  const windowSeconds = Math.max(1, Math.ceil(burst / requestsPerSecond));
  const policyHeader = `"default";q=${burst};w=${windowSeconds}`;

  /** Sets the fields; the error to answer with when the bucket is empty. */
  const apply = (reply: FastifyReply, decision: RateLimitDecision): AppError | undefined => {
    reply.header('RateLimit-Policy', policyHeader);
    reply.header('RateLimit', `"default";r=${decision.remaining};t=${decision.resetSeconds}`);
    if (decision.allowed) return undefined;
    return new AppError({
      code: 'rate_limit_exceeded',
      message: `Too many requests for this API key (${requestsPerSecond}/s, bursts of ${burst}). Retry after ${decision.retryAfterSeconds} s.`,
      headers: { 'Retry-After': String(decision.retryAfterSeconds) },
    });
  };

  app.addHook('onRequest', (request, reply, done) => {
    const { principal } = request;
    if (principal === undefined) {
      done();
      return;
    }
    // The shared store (Redis) is down: serve the request rather than fail it.
    const allowAnyway = (error: unknown) => {
      request.log.warn({ err: error }, 'rate limiter unavailable; request allowed');
      done();
    };
    let decision;
    try {
      decision = limiter.consume(principal.keyId);
    } catch (error) {
      allowAnyway(error);
      return;
    }
    if (decision instanceof Promise) {
      decision.then((settled) => done(apply(reply, settled)), allowAnyway);
    } else {
      done(apply(reply, decision));
    }
  });
}
