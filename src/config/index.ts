export { loadConfig, ConfigError } from './load-config.js';
export type { Config, ModelConfig, RuntimeLimits, OutboundConfig } from './config.js';
