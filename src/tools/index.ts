export type {
  JsonSchema,
  ParameterLocation,
  HttpBinding,
  BuiltinBinding,
  McpBinding,
  ToolBinding,
  ToolDefinition,
  Toolkit,
  ToolkitAuth,
  EncryptedSecret,
} from './tool-definition.js';
export { toolName, TOOL_NAME_SEPARATOR } from './tool-definition.js';
export { ToolError, isToolError } from './tool-error.js';
export type { ToolExecutor, ToolCallContext, ToolCallResult } from './tool-executor.js';
export {
  ToolCatalog,
  type CatalogScope,
  type CatalogEntry,
  type CatalogSnapshot,
  type RegisteredToolkitSource,
} from './tool-catalog.js';
export {
  DomainSelector,
  ACTIVE_TOOL_LIMIT,
  type SelectedTool,
  type DomainSelection,
} from './domain-selector.js';
export { builtinToolkits, UTILITY_TOOLKITS } from './builtins/builtin-toolkits.js';
export { createToolDispatcher, type BuiltinToolHandler } from './tool-dispatcher.js';
