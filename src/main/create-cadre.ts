import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { Logger } from 'pino';
import {
  TaskJournal,
  TaskRunner,
  TaskWorker,
  defaultRetryPolicy,
  type RetryPolicy,
} from '../agent/index.js';
import { createLanguageModel } from '../models/index.js';
import { createTableTaskQueue } from '../queue/index.js';
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
import {
  createToolkitService,
  createToolkitStore,
  registerToolkitRoutes,
} from '../toolkits/index.js';
import { registerTraceRoutes } from '../traces/index.js';
import { DomainSelector, ToolCatalog } from '../tools/index.js';
import { createLogger } from './create-logger.js';
import { createToolExecutor } from './create-tool-executor.js';
import { startMaintenance } from './start-maintenance.js';
import { CADRE_VERSION } from './version.js';

export type Role = 'all' | 'api' | 'worker';

export interface CadreOptions {
  role?: Role;
  clock?: Clock;
  logger?: Logger;
  /** A scripted model (tests, benchmarks); otherwise built from CADRE_MODEL. */
  model?: LanguageModelV3;
  /** Environment for toolkit `env_var` secrets; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Retry policy for transient tool failures. */
  retry?: RetryPolicy;
  worker?: { pollIntervalMs?: number; heartbeatIntervalMs?: number };
}

export interface Cadre {
  config: Config;
  database: Database;
  apiKeys: ApiKeyStore;
  events: EventBus;
  /** The HTTP app (absent for the worker role). */
  app: App | undefined;
  /** The task worker (absent for the api role). */
  worker: TaskWorker | undefined;
  close(): Promise<void>;
}

/** The composition root: picks implementations from the config and wires every module. */
export async function createCadre(config: Config, options: CadreOptions = {}): Promise<Cadre> {
  const role = options.role ?? 'all';
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const secretKey = resolveSecretKey(config.secretKey, config.dataDir);
  const database = await createDatabase(
    config.database.kind === 'postgres'
      ? {
          ...config.database,
          onIdleError: (error) => logger.warn({ err: error }, 'idle database connection failed'),
        }
      : config.database,
  );
  const redis =
    config.redisUrl === undefined
      ? undefined
      : new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  redis?.on('error', (error: Error) => logger.warn({ err: error }, 'redis connection error'));
  const closers: (() => Promise<unknown>)[] = [];

  const apiKeys = createApiKeyStore({
    database,
    hashKey: deriveSubkey(secretKey, 'api-key-hash'),
    clock,
  });
  const events = createMemoryEventBus();
  const secretBox = createSecretBox(secretKey);
  const allowedEnvVars: ReadonlySet<string> = new Set(config.toolkitEnvVars);
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

  let worker: TaskWorker | undefined;
  if (role !== 'api') {
    const model =
      options.model ?? (config.model === undefined ? undefined : createLanguageModel(config.model));
    const runner = new TaskRunner({
      database,
      journal: new TaskJournal(database, clock),
      subagents,
      selector,
      executor: createToolExecutor({
        outbound: config.outbound,
        secretBox,
        env: options.env ?? process.env,
        allowedEnvVars,
      }),
      model,
      clock,
      limits: config.runtime,
      retry: options.retry ?? defaultRetryPolicy,
      logger,
    });
    worker = new TaskWorker({
      queue: createTableTaskQueue({ database, clock, leaseMs: config.worker.leaseMs }),
      runner,
      events,
      logger,
      concurrency: config.worker.concurrency,
      leaseMs: config.worker.leaseMs,
      ...options.worker,
    });
    worker.start();
    const running = worker;
    closers.push(() => running.close());
  }

  let app: App | undefined;
  if (role !== 'worker') {
    const rateLimiter: RateLimiter =
      redis === undefined
        ? createMemoryRateLimiter(config.rateLimit, clock)
        : createRedisRateLimiter(config.rateLimit, redis, clock);
    const idempotency = createIdempotencyStore(database, 60_000);
    app = await createHttpServer({
      logger,
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
    registerToolkitRoutes(
      app,
      createToolkitService({ store: toolkitStore, secretBox, clock, allowedEnvVars }),
    );
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
    worker,
    async close() {
      for (const close of closers.reverse()) await close();
      await events.close();
      if (redis !== undefined) await redis.quit();
      await database.close();
    },
  };
}
