import fastifySwagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { ApiKeyStore } from '../api-keys/index.js';
import type { Clock } from '../clock/index.js';
import { newId } from '../ids/index.js';
import type { RateLimiter } from '../rate-limit/index.js';
import type { App } from './app-types.js';
import { registerAuthHook } from './auth-hook.js';
import { documentCrossCuttingErrors } from './cross-cutting-error-responses.js';
import { handleFrameworkError, registerErrorHandlers } from './error-handler.js';
import './fastify-augmentation.js';
import { registerIdempotencyHooks } from './idempotency-hook.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { registerJsonBodyParser } from './json-body-parser.js';
import { registerRateLimitHook } from './rate-limit-hook.js';
import { zodValidatorCompiler } from './zod-validator-compiler.js';

const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

export interface HttpServerOptions {
  logger: FastifyBaseLogger;
  bodyLimitBytes: number;
  apiKeys: ApiKeyStore;
  rateLimiter: RateLimiter;
  idempotency: IdempotencyStore;
  clock: Clock;
  version: string;
}

/**
 * The Fastify instance with the cross-cutting contract: request ids, JSON bodies, error
 * envelope, auth, rate limits, idempotency and the OpenAPI document. Features add routes.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimitBytes,
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming)
        ? incoming
        : newId('req', 20);
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    frameworkErrors: handleFrameworkError,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(zodValidatorCompiler);
  // Responses are built by typed view functions; serialize without re-validating them.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  registerJsonBodyParser(app);
  registerErrorHandlers(app);

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('X-Request-Id', request.id);
    done();
  });
  // The request line's fields are fixed and never secret, so it is written by a logger without
  // the redaction paths: their wildcards would walk every field of every line for nothing.
  // Errors and everything else still go through `request.log`, redacted.
  const requestLog = options.logger.child({}, { redact: [] });
  app.addHook('onResponse', (request, reply, done) => {
    requestLog.info(
      {
        reqId: request.id,
        method: request.method,
        url: request.routeOptions.url ?? request.url.split('?')[0],
        statusCode: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
        keyId: request.principal?.keyId,
      },
      'request',
    );
    done();
  });

  registerAuthHook(app, options.apiKeys);
  registerRateLimitHook(app, options.rateLimiter);
  registerIdempotencyHooks(app, options.idempotency, options.clock);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cadre (Ploton REST API)',
        version: options.version,
        description:
          'Self-hosted implementation of the Ploton REST API: subagents, tasks and traces.',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearerAuth: [] }],
    },
    transform: jsonSchemaTransform,
    // Emits the schemas named with `.meta({ id })` into components, so every $ref resolves.
    transformObject: jsonSchemaTransformObject,
  });

  app.addHook('onRoute', documentCrossCuttingErrors);

  app.get('/healthz', { config: { isPublic: true }, schema: { hide: true } }, () => ({
    status: 'ok',
  }));
  app.get('/v1/openapi.json', { config: { isPublic: true }, schema: { hide: true } }, () =>
    app.swagger(),
  );
  return app;
}
