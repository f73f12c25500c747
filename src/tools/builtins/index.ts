export type { BuiltinHandler } from './builtin-handler.js';
export { createBuiltinHandlers, type BuiltinHandlerOptions } from './create-builtin-handlers.js';
export { builtinToolkits, UTILITY_TOOLKITS } from './builtin-toolkits.js';
export { parseRetryAfterMs } from './parse-retry-after.js';
