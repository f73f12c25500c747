export {
  createMcpToolExecutor,
  type McpToolExecutor,
  type McpToolExecutorOptions,
} from './create-mcp-tool-executor.js';
export { inspectMcpServer, MAX_MCP_TOOLS, type McpServerListing } from './inspect-mcp-server.js';
export type { McpClientInfo } from './connect-mcp-client.js';
export type { McpTool } from './list-mcp-tools.js';
export { McpConnectError, isMcpConnectError, type McpConnectFailure } from './mcp-connect-error.js';
export {
  sealMcpServerTarget,
  type McpServerSettings,
  type McpServerTarget,
} from './mcp-server-settings.js';
export { urlWithoutQuery } from './describe-mcp-server.js';
export { isStdioCommandAllowed } from './is-stdio-command-allowed.js';
