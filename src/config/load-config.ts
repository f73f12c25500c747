import path from 'node:path';
import { EnvSchema } from './config-schema.js';
import type { Config, ModelConfig } from './config.js';

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
    toolkitEnvVars: splitList(values.CADRE_TOOLKIT_ENV_VARS),
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
