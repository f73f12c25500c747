import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { ApiKeyStore, Principal } from '../api-keys/index.js';
import type { RateLimitDecision, RateLimiter } from '../rate-limit/index.js';
import { bearerKey } from './bearer-key.js';
import { createHotRouteMatcher, type MatchableRoute, type Matched } from './hot-route-matcher.js';
import { rateLimitFields } from './rate-limit-fields.js';
import { requestIdOf } from './request-id.js';
import type { RequestLog } from './request-log.js';
import { createUnchangedAnswers } from './unchanged-answers.js';

/** A GET route that may also be answered before Fastify (see `createHotReads`). */
export interface HotRead extends MatchableRoute {
  /**
   * The 200 body. A throw (not found, anything) hands the request to the full route. It must
   * depend on nothing but its arguments and the database: while the database is unchanged,
   * its serialized body may be reused for the same project, environment and parsed request.
   */
  read(principal: Principal, params: unknown, query: unknown): Promise<unknown>;
}

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface HotReads {
  add(route: HotRead): void;
  /**
   * Takes the request if it is an ordinary authenticated GET of a hot route and answers it,
   * or hands it to `fallback` (Fastify) as soon as anything is not ordinary. Returns false
   * when it did not take the request.
   */
  handle(request: IncomingMessage, response: ServerResponse, fallback: RequestHandler): boolean;
  /** From now on every request goes to Fastify (which answers 503 while closing). */
  stop(): void;
  /**
   * Requests answered here (`reused` of them with a body kept while the database was
   * unchanged), and requests taken and then handed to Fastify.
   */
  counts(): { answered: number; reused: number; handedOver: number };
}

/** `value` passed to `next` at once, or once it resolves if it is a promise. */
function andThen<T, R>(value: T | Promise<T>, next: (value: T) => R | Promise<R>): R | Promise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** Decisions taken by the hot path for requests it then handed to Fastify. */
const handedOverDecisions = new WeakMap<IncomingMessage, RateLimitDecision>();

/**
 * The rate-limit decision already taken for a request the hot path handed over: the rate-limit
 * hook uses it instead of taking a second token.
 */
export function takeHandedOverDecision(request: IncomingMessage): RateLimitDecision | undefined {
  const decision = handedOverDecisions.get(request);
  if (decision !== undefined) handedOverDecisions.delete(request);
  return decision;
}

/**
 * The polling reads (GET /v1/tasks/:id, GET /v1/subagents) answered straight from Node's
 * request event: the same request id, key check, rate limit, schemas, read, headers and log
 * line as the Fastify route, without Fastify's per-request objects and hook chain, which cost
 * more than the read. Only a request whose answer is 200 is answered here. Anything else (no
 * or bad key, a parameter that needs decoding or fails its schema, an empty bucket, a missing
 * object, an error) is handed to the Fastify route, which answers it as it always does, with
 * the rate-limit decision already taken (see `takeHandedOverDecision`): one token a request,
 * and an empty bucket still stops a request before its read.
 */
export function createHotReads(options: {
  apiKeys: ApiKeyStore;
  rateLimiter: RateLimiter;
  requestLog: RequestLog;
  logger: FastifyBaseLogger;
  /** The database's change counter, where it has one (SQLite on a file): bodies are reused. */
  changeCounter: (() => number) | undefined;
}): HotReads {
  const { apiKeys, rateLimiter, requestLog, logger, changeCounter } = options;
  const unchanged = changeCounter === undefined ? undefined : createUnchangedAnswers();
  const limiting = rateLimiter.policy.requestsPerSecond > 0;
  const fields = limiting ? rateLimitFields(rateLimiter.policy) : undefined;
  const matcher = createHotRouteMatcher<HotRead>();
  let stopped = false;
  let answered = 0;
  let handedOver = 0;

  /**
   * Answers the request, or returns false (nothing written) to hand it to Fastify. A decision
   * taken on the way is left in `taken`, for the hand-over to carry. Each step that has its
   * value at once (a known key, an in-process bucket, a kept body) goes on without a promise,
   * so the usual poll is answered within the request event.
   */
  function answer(
    request: IncomingMessage,
    response: ServerResponse,
    key: string,
    matched: Matched<HotRead>,
    taken: { decision?: RateLimitDecision },
  ): boolean | Promise<boolean> {
    const startedAt = performance.now();
    // Read once, before anything else is: the key check and the kept bodies both use it.
    const changes = changeCounter?.();
    return andThen(apiKeys.authenticate(key, changes), (principal) => {
      if (principal === undefined) return false;
      const decided = limiting ? rateLimiter.consume(principal.keyId) : undefined;
      return andThen(decided, (decision) => {
        if (decision !== undefined) {
          // From here on, a hand-over carries the decision: the token is taken once.
          taken.decision = decision;
          if (!decision.allowed) return false;
        }
        return andThen(body(matched, principal, changes), (payload) => {
          const requestId = requestIdOf(request.headers);
          // Lowercase names, as Fastify sends them.
          response.writeHead(200, {
            'x-request-id': requestId,
            ...(fields !== undefined && decision !== undefined
              ? { 'ratelimit-policy': fields.policy, ratelimit: fields.limit(decision) }
              : {}),
            'content-type': 'application/json; charset=utf-8',
            'content-length': payload.length,
          });
          response.end(payload);
          matcher.remember(matched);
          requestLog({
            reqId: requestId,
            method: 'GET',
            url: matched.route.url,
            statusCode: 200,
            durationMs: performance.now() - startedAt,
            keyId: principal.keyId,
          });
          return true;
        });
      });
    });
  }

  /** The 200 body, encoded: kept from an earlier read while the database is unchanged. */
  function body(
    matched: Matched<HotRead>,
    principal: Principal,
    changes: number | undefined,
  ): Buffer | Promise<Buffer> {
    const read = async () =>
      Buffer.from(
        JSON.stringify(await matched.route.read(principal, matched.params, matched.query)),
      );
    if (unchanged === undefined || changes === undefined) return read();
    // The parsed request in the principal's data.
    const key = `${principal.projectId}\n${principal.environment}\n${matched.key}`;
    const kept = unchanged.get(key, changes);
    if (kept !== undefined) return kept;
    return read().then((fresh) => {
      unchanged.set(key, changes, fresh);
      return fresh;
    });
  }

  function handOver(
    request: IncomingMessage,
    response: ServerResponse,
    fallback: RequestHandler,
    decision: RateLimitDecision | undefined,
  ) {
    handedOver += 1;
    if (decision !== undefined) handedOverDecisions.set(request, decision);
    fallback(request, response);
  }

  return {
    add: (route) => matcher.add(route),

    handle(request, response, fallback) {
      if (stopped || request.method !== 'GET' || hasBody(request)) return false;
      const matched = matcher.match(request.url ?? '');
      if (matched === undefined) return false;
      const key = bearerKey(request.headers.authorization);
      if (key === undefined) return false;
      const taken: { decision?: RateLimitDecision } = {};
      const settle = (done: boolean) => {
        if (done) answered += 1;
        else handOver(request, response, fallback, taken.decision);
      };
      const fail = (error: unknown) => {
        // Nothing is written before the last step, so the full route can still answer.
        if (!response.headersSent) handOver(request, response, fallback, taken.decision);
        else logger.error({ err: error }, 'hot read failed after answering');
      };
      /** Runs the last step; if even the hand-over fails, the connection is closed. */
      const conclude = <T>(step: (value: T) => void, value: T) => {
        try {
          step(value);
        } catch (error) {
          logger.error({ err: error }, 'hot read hand-over failed');
          response.destroy();
        }
      };
      let outcome: boolean | Promise<boolean>;
      try {
        outcome = answer(request, response, key, matched, taken);
      } catch (error) {
        conclude(fail, error);
        return true;
      }
      if (outcome instanceof Promise) {
        outcome.then(
          (done) => conclude(settle, done),
          (error: unknown) => conclude(fail, error),
        );
      } else conclude(settle, outcome);
      return true;
    },

    stop() {
      stopped = true;
    },

    counts: () => ({ answered, reused: unchanged?.hits() ?? 0, handedOver }),
  };
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return (
    (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined
  );
}
