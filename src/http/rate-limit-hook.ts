import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppError } from '../errors/index.js';
import type { RateLimitDecision, RateLimiter } from '../rate-limit/index.js';
import { takeHandedOverDecision } from './hot-reads.js';
import { rateLimitFields } from './rate-limit-fields.js';

/**
 * Per-key token bucket with the IETF `RateLimit` / `RateLimit-Policy` fields on every
 * authenticated response. Runs after auth, so bad keys never spend anyone's quota. The
 * in-process limiter answers within the hook; a shared one (Redis) is awaited.
 */
export function registerRateLimitHook(app: FastifyInstance, limiter: RateLimiter): void {
  if (limiter.policy.requestsPerSecond === 0) return;
  const fields = rateLimitFields(limiter.policy);

  /** Sets the fields; the error to answer with when the bucket is empty. */
  const apply = (reply: FastifyReply, decision: RateLimitDecision): AppError | undefined => {
    reply.header('RateLimit-Policy', fields.policy);
    reply.header('RateLimit', fields.limit(decision));
    return decision.allowed ? undefined : fields.refusal(decision);
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
    // Taken already when the hot path handed this request over.
    const handedOver = takeHandedOverDecision(request.raw);
    if (handedOver !== undefined) {
      done(apply(reply, handedOver));
      return;
    }
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
