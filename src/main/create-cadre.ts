import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import { Redis } from 'ioredis';
import { createApiKeyStore, type ApiKeyStore } from '../api-keys/index.js';
import { systemClock, type Clock } from '../clock/index.js';
import type { Config } from '../config/index.js';
import { createMemoryEventBus, type EventBus } from '../events/index.js';
import type { App } from '../http/app-types.js';
import { createHttpServer } from '../http/create-http-server.js';
import { createIdempotencyStore } from '../http/idempotency-store.js';
import {
  createMemoryRateLimiter,
  createRedisRateLimiter,
  type RateLimiter,
} from '../rate-limit/index.js';
import { deriveSubkey, resolveSecretKey, createSecretBox } from '../secrets/index.js';
import { createDatabase, type Database } from '../storage/index.js';
import {
  createSubagentService,
  createSubagentStore,
  registerSubagentRoutes,
} from '../subagents/index.js';
import { createTaskService, createTaskStore, registerTaskRoutes } from '../tasks/index.js';
import { createToolkitStore } from '../toolkits/index.js';
import { registerTraceRoutes } from '../traces/index.js';
import { DomainSelector, ToolCatalog } from '../tools/index.js';
import { createLogger } from './create-logger.js';
import { startMaintenance } from './start-maintenance.js';
import { CADRE_VERSION } from './version.js';

export type Role = 'all' | 'api' | 'worker';

export interface CadreOptions {
  role?: Role;
  clock?: Clock;
  logger?: Logger;
}

export interface Cadre {
  config: Config;
  database: Database;
  apiKeys: ApiKeyStore;
  events: EventBus;
  /** The HTTP app (absent for the worker role). */
  app: App | undefined;
  close(): Promise<void>;
}

/** The composition root: picks implementations from the config and wires every module. */
export async function createCadre(config: Config, options: CadreOptions = {}): Promise<Cadre> {
  const role = options.role ?? 'all';
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const secretKey = resolveSecretKey(config.secretKey, config.dataDir);
  const database = await createDatabase(config.database);
  const redis = config.redisUrl === undefined ? undefined : new Redis(config.redisUrl);
  const closers: (() => Promise<unknown>)[] = [];

  const apiKeys = createApiKeyStore({
    database,
    hashKey: deriveSubkey(secretKey, 'api-key-hash'),
    clock,
  });
  const events = createMemoryEventBus();
  const secretBox = createSecretBox(secretKey);
  void secretBox;
  const toolkitStore = createToolkitStore(database);
  const catalog = new ToolCatalog(toolkitStore.source);
  const selector = new DomainSelector(catalog, config.selection.toolCap);
  const subagents = createSubagentService({
    store: createSubagentStore(database),
    selector,
    clock,
  });
  const tasks = createTaskService({
    store: createTaskStore(database),
    subagents,
    selector,
    events,
    clock,
    taskDeadlineMs: config.runtime.taskDeadlineMs,
    isModelConfigured: config.model !== undefined,
  });

  let app: App | undefined;
  if (role !== 'worker') {
    const rateLimiter: RateLimiter =
      redis === undefined
        ? createMemoryRateLimiter(config.rateLimit, clock)
        : createRedisRateLimiter(config.rateLimit, redis, clock);
    const idempotency = createIdempotencyStore(database, 60_000);
    app = await createHttpServer({
      logger: logger as FastifyBaseLogger,
      bodyLimitBytes: config.http.bodyLimitBytes,
      apiKeys,
      rateLimiter,
      idempotency,
      clock,
      version: CADRE_VERSION,
    });
    registerSubagentRoutes(app, subagents);
    registerTaskRoutes(app, tasks);
    registerTraceRoutes(app, tasks, database);
    await app.ready();
    const api = app;
    closers.push(() => api.close());
    closers.push(startMaintenance({ idempotency, clock, logger }));
  }

  return {
    config,
    database,
    apiKeys,
    events,
    app,
    async close() {
      for (const close of closers.reverse()) await close();
      await events.close();
      if (redis !== undefined) await redis.quit();
      await database.close();
    },
  };
}
