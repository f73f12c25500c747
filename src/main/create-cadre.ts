import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { Logger } from 'pino';
import {
  TaskJournal,
  TaskRunner,
  TaskWorker,
  WaitingTasks,
  defaultRetryPolicy,
  type RetryPolicy,
} from '../agent/index.js';
import { createLanguageModel } from '../models/index.js';
import { createTableTaskQueue } from '../queue/index.js';
import { Redis } from 'ioredis';
import { createApiKeyStore, type ApiKeyStore } from '../api-keys/index.js';
import { systemClock, type Clock } from '../clock/index.js';
import type { Config } from '../config/index.js';
import {
  createMemoryEventBus,
  createTaskEventLog,
  createTaskEventRecorder,
  type EventBus,
} from '../events/index.js';
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
import { createGuardedFetch, createHostAllowlist } from '../outbound/index.js';
import {
  createSubagentService,
  createSubagentStore,
  registerSubagentRoutes,
} from '../subagents/index.js';
import {
  createTaskService,
  createTaskStore,
  registerTaskEventRoutes,
  registerTaskAuthorizationRoute,
  registerTaskInputRoute,
  registerTaskRoutes,
} from '../tasks/index.js';
import {
  createToolkitService,
  createToolkitStore,
  registerToolkitRoutes,
} from '../toolkits/index.js';
import { registerTraceRoutes } from '../traces/index.js';
import {
  WebhookDispatcher,
  createWebhookDeliveryStore,
  createWebhookEndpointService,
  createWebhookEndpointStore,
  registerWebhookRoutes,
  syncConfiguredEndpoint,
} from '../webhooks/index.js';
import {
  CatalogSearch,
  DomainSelector,
  HybridRanker,
  ToolCatalog,
  builtinToolkits,
  createOpenAiEmbeddingClient,
} from '../tools/index.js';
import { catalogStatus, createToolkitDirectory, registerCatalogRoutes } from '../catalog/index.js';
import { DirectoryProvider } from '../directory/index.js';
import { createConnections } from './create-connections.js';
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
  /** Webhook dispatcher tuning for tests: poll interval, and a pinned jitter source. */
  webhooks?: { pollIntervalMs?: number; random?: () => number };
  /**
   * `background`: when the public directory's index is missing, build it in a child process
   * (`cadre serve`). Default: use it only if it is already built (tests, other commands).
   */
  directoryBuild?: 'background' | 'never';
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
  /** The webhook dispatcher (absent for the api role). */
  dispatcher: WebhookDispatcher | undefined;
  /** The public OpenAPI directory of the catalog (shared by every project). */
  directory: DirectoryProvider;
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
    previousHashKeys: config.previousSecretKeys.map((key) => deriveSubkey(key, 'api-key-hash')),
    clock,
  });
  const events = createMemoryEventBus();
  const secretBox = createSecretBox(secretKey, config.previousSecretKeys);
  // Task events commit with the state changes they report, with one pending webhook delivery
  // per subscribed endpoint (the outbox); see docs/decisions/0004.
  const recorder = createTaskEventRecorder(database, {
    progressDelayMs: config.webhooks.progressIntervalMs,
    deliveryAttempts: config.webhooks.retryDelaysMs.length + 1,
    bus: events,
  });
  const webhookAllowlist = createHostAllowlist(config.outbound.dangerouslyAllowPrivateHosts);
  const webhookEndpoints = createWebhookEndpointStore(database);
  const webhookDeliveries = createWebhookDeliveryStore(database);
  await syncConfiguredEndpoint({
    endpoints: webhookEndpoints,
    secretBox,
    allowlist: webhookAllowlist,
    clock,
    endpoint: config.webhooks.endpoint,
  });
  const allowedEnvVars: ReadonlySet<string> = new Set(config.toolkitEnvVars);
  const toolkitStore = createToolkitStore(database);
  // Opening a built index takes a few hundred ms; a missing one is built in the background
  // (serve) while the catalog answers from built-in and registered toolkits.
  const directory = new DirectoryProvider({
    catalogDir: config.catalog.dir,
    enabled: config.catalog.directory,
    reservedNames: new Set([...builtinToolkits.map((toolkit) => toolkit.name), 'model', 'cadre']),
    logger: {
      info: (message) => logger.info(message),
      warn: (message) => logger.warn(message),
    },
  });
  directory.openIfBuilt();
  if (options.directoryBuild === 'background') directory.startBackgroundBuild();
  closers.push(() => directory.close());
  const catalog = new ToolCatalog(toolkitStore.source, directory);
  const embedding = config.catalog.embedding;
  // Optional: embedding re-ranking of searches and task-time narrowing (docs/decisions/0005).
  const hybrid =
    embedding === undefined
      ? undefined
      : new HybridRanker(
          createOpenAiEmbeddingClient({
            baseUrl: embedding.baseUrl ?? 'https://api.openai.com/v1',
            apiKey: embedding.apiKey,
            model: embedding.modelId,
          }),
          { onError: (error) => logger.warn({ err: error }, 'embedding ranking failed') },
        );
  const selector = new DomainSelector(catalog, config.selection.toolCap, {
    ...(hybrid === undefined ? {} : { hybrid }),
  });
  const subagents = createSubagentService({
    store: createSubagentStore(database),
    selector,
    clock,
  });
  const tasks = createTaskService({
    store: createTaskStore(database, recorder),
    subagents,
    selector,
    events,
    clock,
    taskDeadlineMs: config.runtime.taskDeadlineMs,
    isModelConfigured: config.model !== undefined,
  });

  const waitingTasks = new WaitingTasks(database, clock, { recorder, bus: events });
  const connections = createConnections({
    database,
    secretBox,
    clock,
    logger,
    publicUrl: config.http.publicUrl,
    dangerouslyAllowPrivateHosts: config.outbound.dangerouslyAllowPrivateHosts,
    toolkitStore,
    directory,
    waitingTasks,
  });

  let worker: TaskWorker | undefined;
  let dispatcher: WebhookDispatcher | undefined;
  if (role !== 'api') {
    const model =
      options.model ?? (config.model === undefined ? undefined : createLanguageModel(config.model));
    const executor = createToolExecutor({
      outbound: config.outbound,
      mcp: config.mcp,
      secretBox,
      env: options.env ?? process.env,
      allowedEnvVars,
      readMcpServerSettings: (toolkitId) => toolkitStore.readMcpServerSettings(toolkitId),
      toolTimeoutMs: config.runtime.toolTimeoutMs,
      userCredentials: connections.credentials,
      responseSamples: directory,
    });
    // Closers run in reverse: the worker stops first, then the MCP servers it used.
    closers.push(() => executor.close());
    const runner = new TaskRunner({
      database,
      journal: new TaskJournal(database, clock, { recorder, bus: events }),
      subagents,
      selector,
      executor,
      model,
      clock,
      limits: config.runtime,
      retry: options.retry ?? defaultRetryPolicy,
      logger,
      authorizations: connections.authorizations,
    });
    worker = new TaskWorker({
      queue: createTableTaskQueue({
        database,
        clock,
        leaseMs: config.worker.leaseMs,
        recorder,
      }),
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
    dispatcher = new WebhookDispatcher({
      store: webhookDeliveries,
      secretBox,
      fetch: createGuardedFetch({
        dangerouslyAllowPrivateHosts: config.outbound.dangerouslyAllowPrivateHosts,
      }),
      clock,
      bus: events,
      logger,
      config: config.webhooks,
      userAgent: `Cadre-Webhooks/${CADRE_VERSION}`,
      ...options.webhooks,
    });
    dispatcher.start();
    const sending = dispatcher;
    closers.push(() => sending.close());
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
      changeCounter: database.changeCounter,
    });
    registerSubagentRoutes(app, subagents);
    registerTaskRoutes(app, tasks);
    registerTaskInputRoute(app, tasks, waitingTasks);
    registerTaskAuthorizationRoute(app, tasks, {
      async renewLink(scope, task) {
        const userId = task.user_id;
        if (userId === null) return 'not_waiting_for_authorization';
        const renewed = await waitingTasks.renewAuthorization(task.id, async (service) => {
          const link = await connections.authorizations.start(scope, {
            taskId: task.id,
            userId,
            toolkit: service,
          });
          return link.authUrl;
        });
        return renewed ? 'renewed' : 'not_waiting_for_authorization';
      },
    });
    registerTaskEventRoutes(app, tasks, { log: createTaskEventLog(database), bus: events });
    registerWebhookRoutes(
      app,
      createWebhookEndpointService({
        endpoints: webhookEndpoints,
        deliveries: webhookDeliveries,
        secretBox,
        allowlist: webhookAllowlist,
        clock,
        // A redelivery queued here is sent by whichever process runs a dispatcher.
        onRedeliver: () => dispatcher?.wake(),
      }),
    );
    registerTraceRoutes(app, tasks, database);
    const toolkitService = createToolkitService({
      store: toolkitStore,
      secretBox,
      clock,
      allowedEnvVars,
      mcp: {
        dangerouslyAllowStdioCommands: config.mcp.dangerouslyAllowStdioCommands,
        fetch: createGuardedFetch({
          dangerouslyAllowPrivateHosts: config.outbound.dangerouslyAllowPrivateHosts,
        }),
        clientInfo: { name: 'cadre', version: CADRE_VERSION },
        timeoutMs: config.runtime.toolTimeoutMs,
      },
    });
    const catalogSearch = new CatalogSearch(catalog, hybrid);
    registerToolkitRoutes(
      app,
      toolkitService,
      createToolkitDirectory({ search: catalogSearch, directory, toolkits: toolkitService }),
    );
    registerCatalogRoutes(app, catalogSearch, () => catalogStatus(directory));
    connections.registerRoutes(app, toolkitService);
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
    dispatcher,
    directory,
    async close() {
      for (const close of closers.reverse()) await close();
      await events.close();
      if (redis !== undefined) await redis.quit();
      await database.close();
    },
  };
}
