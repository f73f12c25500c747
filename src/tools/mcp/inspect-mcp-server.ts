import { scopedTimeout } from '../../abort/index.js';
import { connectMcpClient, type McpConnectOptions } from './connect-mcp-client.js';
import { McpConnectError } from './mcp-connect-error.js';
import type { McpServerTarget } from './mcp-server-settings.js';
import { listMcpTools, type McpTool } from './list-mcp-tools.js';
import { toMcpConnectError } from './to-mcp-connect-error.js';

/** What a registration learns from an MCP server. */
export interface McpServerListing {
  server: { name: string; title?: string; version?: string; description?: string };
  tools: McpTool[];
  /** The server listed more than MAX_MCP_TOOLS tools; the rest were left out. */
  truncated: boolean;
}

/** The most tools one toolkit takes from a server. */
export const MAX_MCP_TOOLS = 2_000;

/**
 * Connects, lists every tool and disconnects: what registering a toolkit needs. The handshake
 * and the listing each get `timeoutMs`. Throws an McpConnectError (or the caller's abort reason).
 */
export async function inspectMcpServer(
  target: McpServerTarget,
  options: McpConnectOptions,
): Promise<McpServerListing> {
  const connection = await connectMcpClient(target, options);
  const timeout = scopedTimeout(options.signal ?? new AbortController().signal, options.timeoutMs);
  try {
    const { client } = connection;
    if (client.getServerCapabilities()?.tools === undefined) {
      throw new McpConnectError({
        failure: 'no_tools',
        message: `The MCP server ${connection.label} offers no tools (its capabilities do not include \`tools\`).`,
      });
    }
    const listed = await listMcpTools(client, {
      maxTools: MAX_MCP_TOOLS,
      request: { signal: timeout.signal, timeout: options.timeoutMs },
    });
    const info = client.getServerVersion();
    return {
      server: {
        name: info?.name ?? 'unknown',
        ...(info?.title === undefined ? {} : { title: info.title }),
        ...(info?.version === undefined ? {} : { version: info.version }),
        ...(info?.description === undefined ? {} : { description: info.description }),
      },
      tools: listed.tools,
      truncated: listed.truncated,
    };
  } catch (error) {
    if (options.signal?.aborted === true) throw options.signal.reason;
    throw toMcpConnectError(error, {
      target,
      label: connection.label,
      phase: 'listing tools',
      timedOut: timeout.timedOut,
      timeoutMs: options.timeoutMs,
      stderr: connection.stderrTail(),
      secrets: connection.secrets,
    });
  } finally {
    timeout.dispose();
    await connection.close();
  }
}
