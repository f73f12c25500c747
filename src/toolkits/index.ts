export {
  createToolkitStore,
  rowToToolkit,
  type ToolkitStore,
  type ToolkitRow,
  type ToolkitScope,
} from './toolkit-store.js';
export {
  createToolkitService,
  type ToolkitService,
  type ToolkitRecord,
} from './toolkit-service.js';
export { registerToolkitRoutes, type ToolkitDirectory } from './toolkit-routes.js';
export { parseOpenApiToolkit, type ParsedOpenApiToolkit } from './parse-openapi-toolkit.js';
export {
  parseCapabilitiesToolkit,
  type ParsedCapabilitiesToolkit,
} from './parse-capabilities-toolkit.js';
export type {
  OpenApiAuthScheme,
  OAuthFlow,
  OAuthFlowKind,
} from './openapi/read-openapi-auth-schemes.js';
