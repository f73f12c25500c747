export type {
  JsonSchema,
  ParameterLocation,
  HttpBinding,
  ResponseSample,
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
  NO_REGISTERED_TOOLKITS,
  type CatalogScope,
  type RegisteredToolkitSource,
} from './tool-catalog.js';
export { CatalogView, type CatalogEntry, type CatalogToolkit } from './catalog-view.js';
export {
  NO_DIRECTORY,
  type CatalogDirectory,
  type DirectoryToolkitInfo,
  type DirectorySource,
  type DirectoryState,
  type DirectoryStatus,
} from './catalog-directory.js';
export {
  toolIndexFields,
  toolkitIndexFields,
  type ToolkitLabel,
  type ToolkitProfile,
} from './catalog-fields.js';
export {
  DomainSelector,
  ACTIVE_TOOL_LIMIT,
  type SelectedTool,
  type DomainSelection,
  type SelectDomainOptions,
  type DomainSelectorOptions,
} from './domain-selector.js';
export {
  createOpenAiEmbeddingClient,
  EmbeddingError,
  type EmbeddingClient,
  type OpenAiEmbeddingOptions,
} from './embedding/embedding-client.js';
export {
  HybridRanker,
  type HybridRankerOptions,
  type RankedCandidate,
} from './embedding/hybrid-ranker.js';
export type { WarningKind } from './selection/domain-warnings.js';
export {
  CatalogSearch,
  type FoundTool,
  type FoundToolkit,
  type ToolSearchOptions,
} from './catalog-search.js';
export type { ChosenService, ServiceReason } from './selection/chosen-service.js';
export { builtinToolkits, UTILITY_TOOLKITS } from './builtins/builtin-toolkits.js';
export { createToolDispatcher, type BuiltinToolHandler } from './tool-dispatcher.js';
export {
  createSandboxExecutor,
  SIMULATED_NOTE_PREFIX,
  type SandboxExecutorOptions,
} from './sandbox/create-sandbox-executor.js';
export type { ResponseSamples } from './sandbox/response-samples.js';
