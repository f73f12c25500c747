export { registerSubagentRoutes } from './subagent-routes.js';
export { createSubagentService, type SubagentService } from './subagent-service.js';
export { createSubagentStore, type SubagentRow, type Scope } from './subagent-store.js';
export { prebuiltSubagents } from './prebuilt-subagents.js';
export { PROMPT_MAX_LENGTH } from './subagent-schemas.js';
