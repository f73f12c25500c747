import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { scopedTimeout } from '../../abort/index.js';
import type { SecretBox } from '../../secrets/index.js';
import type { Toolkit, ToolDefinition } from '../tool-definition.js';
import { ToolError } from '../tool-error.js';
import type { ToolCallContext, ToolCallResult, ToolExecutor } from '../tool-executor.js';
import { connectMcpClient, type McpClientInfo } from './connect-mcp-client.js';
import { createMcpConnectionPool } from './create-mcp-connection-pool.js';
import { isStdioCommandAllowed } from './is-stdio-command-allowed.js';
import { isMcpConnectError } from './mcp-connect-error.js';
import { openMcpServerSettings, type McpServerSettings } from './mcp-server-settings.js';
import { readMcpCallResult } from './read-mcp-call-result.js';
import { toMcpCallError } from './to-mcp-call-error.js';

export interface McpToolExecutorOptions {
  /** The stored transport settings of a toolkit, or undefined when it no longer exists. */
  readServerSettings: (toolkitId: string) => Promise<McpServerSettings | undefined>;
  secretBox: SecretBox;
  /** Cadre's SSRF-guarded fetch, for Streamable HTTP servers. */
  fetch: FetchLike;
  /** CADRE_MCP_STDIO_COMMANDS, checked again before every start (it may have changed). */
  dangerouslyAllowStdioCommands: readonly string[];
  clientInfo: McpClientInfo;
  /** Budget for starting a server and completing the handshake. */
  connectTimeoutMs: number;
  /** A connection unused this long is closed (default 5 minutes). */
  idleMs?: number;
}

/** Runs MCP-bound tools; `close` ends every session (and stops every stdio server). */
export interface McpToolExecutor extends ToolExecutor {
  close(): Promise<void>;
}

const DEFAULT_IDLE_MS = 5 * 60_000;

/**
 * Calls tools on MCP servers through a pool of sessions, one per toolkit: connected on first
 * use, reused, reconnected after the server goes away, closed when idle and on shutdown.
 * Failures become ToolErrors whose `retryable` flag tells the runner whether to try again.
 */
export function createMcpToolExecutor(options: McpToolExecutorOptions): McpToolExecutor {
  const pool = createMcpConnectionPool({
    idleMs: options.idleMs ?? DEFAULT_IDLE_MS,
    closedError: () =>
      new ToolError({
        code: 'tool_unavailable',
        message: 'The server is shutting down; MCP tools cannot be called now.',
        retryable: true,
      }),
    async connect(toolkitId) {
      const settings = await options.readServerSettings(toolkitId);
      if (settings === undefined) {
        throw new ToolError({
          code: 'tool_unavailable',
          message: 'This MCP toolkit has been deleted.',
        });
      }
      if (
        settings.transport === 'stdio' &&
        !isStdioCommandAllowed(settings.command, options.dangerouslyAllowStdioCommands)
      ) {
        throw new ToolError({
          code: 'tool_unavailable',
          message: `The operator no longer allows the command '${settings.command}' for MCP servers (CADRE_MCP_STDIO_COMMANDS).`,
        });
      }
      try {
        return await connectMcpClient(openMcpServerSettings(settings, options.secretBox), {
          fetch: options.fetch,
          clientInfo: options.clientInfo,
          timeoutMs: options.connectTimeoutMs,
        });
      } catch (error) {
        if (!isMcpConnectError(error)) throw error;
        throw new ToolError({
          code: 'mcp_unavailable',
          message: error.message,
          retryable: error.retryable,
          cause: error,
        });
      }
    },
  });

  return {
    async execute(
      toolkit: Toolkit,
      tool: ToolDefinition,
      input: Record<string, unknown>,
      context: ToolCallContext,
    ): Promise<ToolCallResult> {
      const { binding } = tool;
      if (binding.kind !== 'mcp') {
        throw new ToolError({
          code: 'tool_unavailable',
          message: `${tool.toolkit}__${tool.action} is not an MCP tool.`,
        });
      }
      return pool.run(toolkit.id, context.signal, async (connection) => {
        const timeout = scopedTimeout(context.signal, context.timeoutMs);
        try {
          // `callTool` would also admit the pre-2024-11 `toolResult` shape in its type, which
          // this schema never yields; asking for the schema keeps the result type exact.
          const result = await connection.client.request(
            { method: 'tools/call', params: { name: binding.toolName, arguments: input } },
            CallToolResultSchema,
            { signal: timeout.signal, timeout: context.timeoutMs },
          );
          return readMcpCallResult(result, {
            toolName: binding.toolName,
            secrets: connection.secrets,
          });
        } catch (error) {
          const failure = toMcpCallError(error, {
            connection,
            toolName: binding.toolName,
            callerSignal: context.signal,
            timedOut: timeout.timedOut,
            timeoutMs: context.timeoutMs,
          });
          if (failure.discardConnection) pool.discard(toolkit.id, connection);
          throw failure.error;
        } finally {
          timeout.dispose();
        }
      });
    },

    close: () => pool.closeAll(),
  };
}
