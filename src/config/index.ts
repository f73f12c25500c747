export { loadConfig, ConfigError } from './load-config.js';
export type {
  Config,
  ModelConfig,
  RuntimeLimits,
  OutboundConfig,
  McpConfig,
  WebhookConfig,
  CatalogConfig,
  EmbeddingConfig,
} from './config.js';
export { parseDurationList } from './parse-duration-list.js';
