import path from 'node:path';
import { EnvSchema, type Env } from './config-schema.js';
import type { Config, EmbeddingConfig, ModelConfig, WebhookConfig } from './config.js';
import { parseDurationList } from './parse-duration-list.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; throws a ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const values = parsed.data;
  if (values.CADRE_MODEL?.startsWith('openai-compatible:') && !values.CADRE_MODEL_BASE_URL) {
    throw new ConfigError([
      'CADRE_MODEL_BASE_URL: required for openai-compatible models (e.g. http://127.0.0.1:11434/v1)',
    ]);
  }
  const webhookProblems: string[] = [];
  const webhooks = parseWebhooks(values, webhookProblems);
  if (webhookProblems.length > 0) throw new ConfigError(webhookProblems);
  const dataDir = path.resolve(values.CADRE_DATA_DIR);
  const host = values.CADRE_HOST;
  const port = values.CADRE_PORT;
  return {
    http: {
      host,
      port,
      publicUrl: (values.CADRE_PUBLIC_URL ?? `http://${formatHost(host)}:${port}`).replace(
        /\/+$/,
        '',
      ),
      bodyLimitBytes: values.CADRE_BODY_LIMIT_BYTES,
    },
    dataDir,
    database: parseDatabase(values.CADRE_DATABASE_URL, dataDir),
    redisUrl: values.CADRE_REDIS_URL,
    model: parseModel(values),
    secretKey: values.CADRE_SECRET_KEY,
    previousSecretKeys: values.CADRE_PREVIOUS_SECRET_KEYS,
    logLevel: values.CADRE_LOG_LEVEL,
    rateLimit: {
      requestsPerSecond: values.CADRE_RATE_LIMIT_RPS,
      burst: values.CADRE_RATE_LIMIT_BURST,
    },
    worker: {
      concurrency: values.CADRE_WORKER_CONCURRENCY,
      leaseMs: values.CADRE_TASK_LEASE_MS,
    },
    runtime: {
      toolTimeoutMs: values.CADRE_TOOL_TIMEOUT_MS,
      maxSteps: values.CADRE_MAX_STEPS,
      taskDeadlineMs: values.CADRE_TASK_DEADLINE_MS,
    },
    outbound: {
      dangerouslyAllowPrivateHosts: splitList(values.CADRE_ALLOW_PRIVATE_HOSTS).map((entry) =>
        entry.toLowerCase(),
      ),
    },
    selection: { toolCap: values.CADRE_SUBAGENT_TOOL_CAP },
    catalog: {
      dir: path.resolve(values.CADRE_CATALOG_DIR ?? path.join(dataDir, 'catalog')),
      directory: values.CADRE_DIRECTORY === 'on',
      embedding: parseEmbedding(values),
    },
    toolkitEnvVars: splitList(values.CADRE_TOOLKIT_ENV_VARS),
    mcp: { dangerouslyAllowStdioCommands: splitList(values.CADRE_MCP_STDIO_COMMANDS) },
    webhooks,
  };
}

const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]+={0,2}$/;
const MIN_WEBHOOK_SECRET_BYTES = 24;

function parseWebhooks(values: Env, problems: string[]): WebhookConfig {
  const url = values.CADRE_WEBHOOK_URL;
  const secret = values.CADRE_WEBHOOK_SECRET;
  if (url !== undefined && secret === undefined) {
    problems.push(
      'CADRE_WEBHOOK_SECRET: required with CADRE_WEBHOOK_URL (e.g. whsec_$(openssl rand -base64 32))',
    );
  }
  if (secret !== undefined && url === undefined) {
    problems.push('CADRE_WEBHOOK_URL: required with CADRE_WEBHOOK_SECRET');
  }
  // Standard Webhooks keys are the base64 after `whsec_`; verifiers decode it the same way.
  if (
    secret !== undefined &&
    (!WEBHOOK_SECRET_PATTERN.test(secret) ||
      Buffer.from(secret.slice('whsec_'.length), 'base64').length < MIN_WEBHOOK_SECRET_BYTES)
  ) {
    problems.push(
      `CADRE_WEBHOOK_SECRET: expected whsec_ followed by the base64 of at least ${MIN_WEBHOOK_SECRET_BYTES} random bytes (e.g. whsec_$(openssl rand -base64 32))`,
    );
  }
  let retryDelaysMs: number[] = [];
  try {
    retryDelaysMs = parseDurationList(values.CADRE_WEBHOOK_RETRY_DELAYS);
  } catch (error) {
    problems.push(`CADRE_WEBHOOK_RETRY_DELAYS: ${(error as Error).message}`);
  }
  return {
    endpoint: url !== undefined && secret !== undefined ? { url, secret } : undefined,
    timeoutMs: values.CADRE_WEBHOOK_TIMEOUT_MS,
    retryDelaysMs,
    disableAfterMs: values.CADRE_WEBHOOK_DISABLE_AFTER_MS,
    concurrency: values.CADRE_WEBHOOK_CONCURRENCY,
    progressIntervalMs: values.CADRE_WEBHOOK_PROGRESS_INTERVAL_MS,
  };
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function formatHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function parseDatabase(url: string | undefined, dataDir: string): Config['database'] {
  if (url === undefined) return { kind: 'sqlite', file: path.join(dataDir, 'cadre.db') };
  if (url.startsWith('postgres')) return { kind: 'postgres', url };
  const file = url.replace(/^(sqlite:|file:)(\/\/)?/, '');
  return { kind: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
}

function parseModel(values: {
  CADRE_MODEL?: string | undefined;
  CADRE_MODEL_BASE_URL?: string | undefined;
  CADRE_MODEL_API_KEY?: string | undefined;
  OPENAI_API_KEY?: string | undefined;
  ANTHROPIC_API_KEY?: string | undefined;
}): ModelConfig | undefined {
  if (values.CADRE_MODEL === undefined) return undefined;
  const separator = values.CADRE_MODEL.indexOf(':');
  const provider = values.CADRE_MODEL.slice(0, separator) as ModelConfig['provider'];
  const modelId = values.CADRE_MODEL.slice(separator + 1);
  const providerKey =
    provider === 'anthropic'
      ? values.ANTHROPIC_API_KEY
      : provider === 'openai'
        ? values.OPENAI_API_KEY
        : undefined;
  return {
    provider,
    modelId,
    baseUrl: values.CADRE_MODEL_BASE_URL,
    apiKey: values.CADRE_MODEL_API_KEY ?? providerKey,
  };
}

function parseEmbedding(values: Env): EmbeddingConfig | undefined {
  const spec = values.CADRE_EMBEDDING_MODEL;
  if (spec === undefined) return undefined;
  const separator = spec.indexOf(':');
  const provider = spec.slice(0, separator) as EmbeddingConfig['provider'];
  if (provider === 'openai-compatible' && values.CADRE_EMBEDDING_BASE_URL === undefined) {
    throw new ConfigError([
      'CADRE_EMBEDDING_BASE_URL: required for openai-compatible embedding models (e.g. http://127.0.0.1:11434/v1)',
    ]);
  }
  return {
    provider,
    modelId: spec.slice(separator + 1),
    baseUrl: values.CADRE_EMBEDDING_BASE_URL,
    apiKey:
      values.CADRE_EMBEDDING_API_KEY ?? (provider === 'openai' ? values.OPENAI_API_KEY : undefined),
  };
}
