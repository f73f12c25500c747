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
  /**
   * Keys used before the current one (CADRE_PREVIOUS_SECRET_KEYS): stored secrets sealed with
   * them still open, and API keys hashed with them still authenticate.
   */
  previousSecretKeys: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  rateLimit: { requestsPerSecond: number; burst: number };
  worker: {
    concurrency: number;
    leaseMs: number;
  };
  runtime: RuntimeLimits;
  outbound: OutboundConfig;
  selection: { toolCap: number };
  catalog: CatalogConfig;
  /** Environment variables toolkits may name in `auth.env_var` (operator-approved). */
  toolkitEnvVars: string[];
  mcp: McpConfig;
  webhooks: WebhookConfig;
}

export interface WebhookConfig {
  /** The endpoint CADRE_WEBHOOK_URL and CADRE_WEBHOOK_SECRET set (Ploton's dashboard setting). */
  endpoint: { url: string; secret: string } | undefined;
  /** A delivery succeeds on a 2xx within this time. */
  timeoutMs: number;
  /** The waits before the second, third, … attempt: a delivery gets `length + 1` attempts. */
  retryDelaysMs: number[];
  /** An endpoint whose every delivery has failed for this long is disabled. */
  disableAfterMs: number;
  /** Deliveries one process sends at once. */
  concurrency: number;
  /** Progress webhooks per task and endpoint go out at most once per this interval. */
  progressIntervalMs: number;
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

export interface McpConfig {
  /**
   * Commands (names or paths, matched exactly) that stdio MCP toolkits may start on this
   * machine; `*` allows any. Empty (the default) refuses stdio MCP servers.
   */
  dangerouslyAllowStdioCommands: string[];
}

export interface CatalogConfig {
  /** Where the public directory's index is built and kept (default: `<data dir>/catalog`). */
  dir: string;
  /** Whether the public OpenAPI directory is part of the catalog (`CADRE_DIRECTORY`). */
  directory: boolean;
  /** Optional embedding model for hybrid (lexical + embedding) ranking. */
  embedding: EmbeddingConfig | undefined;
}

export interface EmbeddingConfig {
  provider: 'openai' | 'openai-compatible';
  modelId: string;
  baseUrl: string | undefined;
  apiKey: string | undefined;
}
