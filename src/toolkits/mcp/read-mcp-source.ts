import { AppError } from '../../errors/index.js';
import {
  inspectMcpServer,
  isMcpConnectError,
  isStdioCommandAllowed,
  MAX_MCP_TOOLS,
  type McpClientInfo,
  type McpServerTarget,
} from '../../tools/mcp/index.js';
import type { ToolDefinition } from '../../tools/index.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { invalidToolkitError } from '../invalid-toolkit-error.js';
import { mcpToolsToDefinitions } from './mcp-tools-to-definitions.js';
import type { McpServerInput } from './mcp-server-input-schema.js';

/** What registering an MCP toolkit needs from the composition root. */
export interface McpRegistrationOptions {
  /** CADRE_MCP_STDIO_COMMANDS: commands stdio servers may run; empty refuses stdio. */
  dangerouslyAllowStdioCommands: readonly string[];
  /** Cadre's SSRF-guarded fetch, for Streamable HTTP servers. */
  fetch: FetchLike;
  clientInfo: McpClientInfo;
  /** Budget for the handshake, and again for listing the tools. */
  timeoutMs: number;
}

export interface McpSource {
  target: McpServerTarget;
  tools: ToolDefinition[];
  description: string;
  version: string | null;
  warnings: string[];
}

/**
 * Connects to the server the registration names, lists its tools and turns them into tool
 * definitions. A stdio command the operator has not allowed is refused before anything runs
 * (400); a server that cannot be started, reached or listed answers 422 saying why.
 */
export async function readMcpSource(
  body: {
    name: string;
    description?: string | undefined;
    version?: string | undefined;
    mcp: McpServerInput;
  },
  options: McpRegistrationOptions,
): Promise<McpSource> {
  const target = toMcpServerTarget(body.mcp);
  if (target.transport === 'stdio') assertStdioAllowed(target.command, options);
  const param = target.transport === 'stdio' ? 'mcp.command' : 'mcp.url';
  let listing;
  try {
    listing = await inspectMcpServer(target, {
      fetch: options.fetch,
      clientInfo: options.clientInfo,
      timeoutMs: options.timeoutMs,
    });
  } catch (error) {
    if (isMcpConnectError(error)) throw invalidToolkitError(error.message, param);
    throw error;
  }
  const { tools, warnings } = mcpToolsToDefinitions(listing.tools, body.name);
  if (listing.truncated) {
    warnings.push(
      `The MCP server lists more than ${MAX_MCP_TOOLS} tools; only the first ${MAX_MCP_TOOLS} were kept.`,
    );
  }
  const serverName = listing.server.title ?? listing.server.name;
  if (tools.length === 0) {
    throw invalidToolkitError(
      [`The MCP server ${serverName} lists no tools Cadre can call.`, ...warnings].join(' '),
      param,
    );
  }
  return {
    target,
    tools,
    description:
      body.description ||
      listing.server.description?.trim() ||
      `Tools of the MCP server ${serverName}.`,
    version: body.version ?? listing.server.version ?? null,
    warnings,
  };
}

export function toMcpServerTarget(input: McpServerInput): McpServerTarget {
  if (input.url !== undefined) {
    return { transport: 'streamable_http', url: input.url, headers: input.headers ?? {} };
  }
  return {
    transport: 'stdio',
    command: input.command ?? '',
    args: input.args ?? [],
    ...(input.cwd === undefined ? {} : { cwd: input.cwd }),
    env: input.env ?? {},
  };
}

function assertStdioAllowed(command: string, options: McpRegistrationOptions): void {
  if (isStdioCommandAllowed(command, options.dangerouslyAllowStdioCommands)) return;
  const how =
    'The operator allows commands with CADRE_MCP_STDIO_COMMANDS: a comma-separated list matched exactly (e.g. "npx,/opt/mcp/github-server"), or "*" for any command.';
  throw new AppError({
    code: 'invalid_request',
    message:
      options.dangerouslyAllowStdioCommands.length === 0
        ? `Stdio MCP servers are turned off on this server: they run a command on the Cadre machine, so the operator must allow it first. ${how} Streamable HTTP servers (\`mcp.url\`) need no such setting.`
        : `The command '${command}' is not allowed for stdio MCP servers on this server. ${how}`,
    param: 'mcp.command',
  });
}
