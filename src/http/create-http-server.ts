import type http from 'node:http';
import fastifySwagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { ApiKeyStore } from '../api-keys/index.js';
import type { Clock } from '../clock/index.js';
import type { RateLimiter } from '../rate-limit/index.js';
import type { App } from './app-types.js';
import { registerAuthHook } from './auth-hook.js';
import { createHotReads, type HotReads, type RequestHandler } from './hot-reads.js';
import { documentCrossCuttingErrors } from './cross-cutting-error-responses.js';
import { handleFrameworkError, registerErrorHandlers } from './error-handler.js';
import './fastify-augmentation.js';
import { registerIdempotencyHooks } from './idempotency-hook.js';
import type { IdempotencyStore } from './idempotency-store.js';
import { registerJsonBodyParser } from './json-body-parser.js';
import { registerRateLimitHook } from './rate-limit-hook.js';
import { LazyChildLogger } from './lazy-child-logger.js';
import { createRequestLog } from './request-log.js';
import { requestIdOf } from './request-id.js';
import { zodValidatorCompiler } from './zod-validator-compiler.js';

export interface HttpServerOptions {
  logger: FastifyBaseLogger;
  bodyLimitBytes: number;
  apiKeys: ApiKeyStore;
  rateLimiter: RateLimiter;
  idempotency: IdempotencyStore;
  clock: Clock;
  version: string;
  /** The database's change counter, where it has one (see `Database.changeCounter`). */
  changeCounter: (() => number) | undefined;
}

/**
 * The Fastify instance with the cross-cutting contract: request ids, JSON bodies, error
 * envelope, auth, rate limits, idempotency and the OpenAPI document. Features add routes.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<App> {
  const requestLog = createRequestLog(options.logger);
  const hotReads = createHotReads({
    apiKeys: options.apiKeys,
    rateLimiter: options.rateLimiter,
    requestLog,
    logger: options.logger,
    changeCounter: options.changeCounter,
  });
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimitBytes,
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    genReqId: (request) => requestIdOf(request.headers),
    childLoggerFactory: (logger, bindings, childOptions) =>
      new LazyChildLogger(logger, bindings, childOptions),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    frameworkErrors: handleFrameworkError,
  }).withTypeProvider<ZodTypeProvider>();
  putHotReadsFirst(app.server, hotReads);
  app.decorate('hotReads', hotReads);
  app.addHook('preClose', (done) => {
    hotReads.stop();
    done();
  });

  app.setValidatorCompiler(zodValidatorCompiler);
  // Responses are built by typed view functions; serialize without re-validating them.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  registerJsonBodyParser(app);
  registerErrorHandlers(app);

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('X-Request-Id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    requestLog({
      reqId: request.id,
      method: request.method,
      url: request.routeOptions.url ?? request.url.split('?')[0] ?? '',
      statusCode: reply.statusCode,
      durationMs: reply.elapsedTime,
      keyId: request.principal?.keyId,
    });
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

/**
 * Node's request event goes to the hot reads first; Fastify answers everything else. (Fastify's
 * `serverFactory` would do the same, but then Fastify no longer listens on every address of a
 * host name such as `localhost`. A server Fastify adds for such a second address answers
 * everything through Fastify.)
 */
function putHotReadsFirst(server: http.Server, hotReads: HotReads): void {
  const listeners = server.listeners('request') as RequestHandler[];
  const [fastifyHandler] = listeners;
  if (fastifyHandler === undefined || listeners.length !== 1) {
    throw new Error(`expected Fastify's one request listener, found ${listeners.length}`);
  }
  server.removeListener('request', fastifyHandler);
  server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
    if (!hotReads.handle(request, response, fastifyHandler)) fastifyHandler(request, response);
  });
}
