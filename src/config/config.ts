/** Cadre's parsed configuration. Subsystems receive the slice they need. */
export interface Config {
  http: {
    host: string;
    port: number;
    publicUrl: string;
    bodyLimitBytes: number;
  };
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  redisUrl: string | undefined;
  model: ModelConfig | undefined;
  /** Explicit key-encryption key; when absent one is generated into the data dir. */
  secretKey: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  rateLimit: { requestsPerSecond: number; burst: number };
  worker: {
    concurrency: number;
    leaseMs: number;
  };
  runtime: RuntimeLimits;
  outbound: OutboundConfig;
  selection: { toolCap: number };
  /** Environment variables toolkits may name in `auth.env_var` (operator-approved). */
  toolkitEnvVars: string[];
}

export interface ModelConfig {
  provider: 'openai' | 'anthropic' | 'openai-compatible';
  modelId: string;
  baseUrl: string | undefined;
  apiKey: string | undefined;
}

export interface RuntimeLimits {
  toolTimeoutMs: number;
  maxSteps: number;
  taskDeadlineMs: number;
}

export interface OutboundConfig {
  /** `host` or `host:port` entries that may resolve to private addresses. */
  dangerouslyAllowPrivateHosts: string[];
}
