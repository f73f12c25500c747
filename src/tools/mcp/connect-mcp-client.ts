import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { scopedTimeout } from '../../abort/index.js';
import { createStderrTail, type StderrTail } from './create-stderr-tail.js';
import { describeMcpServer } from './describe-mcp-server.js';
import { mcpTargetSecrets, type McpServerTarget } from './mcp-server-settings.js';
import { toMcpConnectError } from './to-mcp-connect-error.js';

export interface McpClientInfo {
  name: string;
  version: string;
}

export interface McpConnectOptions {
  /** Cadre's SSRF-guarded fetch: Streamable HTTP servers are reached through it. */
  fetch: FetchLike;
  clientInfo: McpClientInfo;
  /** Budget for starting the server and completing the MCP handshake. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** An initialized MCP session. */
export interface McpClientConnection {
  readonly client: Client;
  /** Names the server in messages without its secrets: the command line or the URL. */
  readonly label: string;
  /** Values its output and errors must not show (environment and header values). */
  readonly secrets: readonly string[];
  /** True once the session ended: the server exited, the transport failed or `close` ran. */
  readonly closed: boolean;
  /** The end of what a stdio server wrote on stderr (empty for HTTP servers). */
  stderrTail(): string;
  onClose(listener: () => void): void;
  close(): Promise<void>;
}

// Ending an HTTP session politely must not hold up shutdown when the server is gone.
const TERMINATE_SESSION_MS = 2_000;

/**
 * The SDK's stdio transport, except that every `close()` waits for the same shutdown of the
 * server process. The client closes a failed handshake itself without awaiting it, and a
 * second `close()` would return at once: a server ignoring stdin could then outlive Cadre.
 */
class SettledCloseStdioTransport extends StdioClientTransport {
  private closing: Promise<void> | undefined;

  override close(): Promise<void> {
    this.closing ??= super.close();
    return this.closing;
  }
}

/**
 * Starts (stdio) or reaches (Streamable HTTP) an MCP server and completes the handshake.
 * Throws an McpConnectError saying precisely what failed, or the caller's abort reason.
 */
export async function connectMcpClient(
  target: McpServerTarget,
  options: McpConnectOptions,
): Promise<McpClientConnection> {
  const label = describeMcpServer(target);
  const secrets = mcpTargetSecrets(target);
  const client = new Client(options.clientInfo, { capabilities: {} });
  let stderr: StderrTail | undefined;
  let transport: SettledCloseStdioTransport | StreamableHTTPClientTransport;
  if (target.transport === 'stdio') {
    const stdio = new SettledCloseStdioTransport({
      command: target.command,
      args: target.args,
      env: target.env,
      ...(target.cwd === undefined ? {} : { cwd: target.cwd }),
      stderr: 'pipe',
    });
    stderr = createStderrTail(stdio.stderr);
    transport = stdio;
  } else {
    transport = new StreamableHTTPClientTransport(new URL(target.url), {
      fetch: options.fetch,
      requestInit: { headers: target.headers },
    });
  }

  let closed = false;
  const listeners: (() => void)[] = [];
  client.onclose = () => {
    closed = true;
    for (const listener of listeners.splice(0)) listener();
  };
  // Transport errors also surface as the failure of the request they broke; the rest (a
  // dropped standalone SSE stream, say) need no action until the next call finds out. The
  // last one is kept for the message when the handshake fails (e.g. non-JSON on stdout).
  let lastTransportError: Error | undefined;
  client.onerror = (error) => {
    lastTransportError = error;
  };

  const timeout = scopedTimeout(options.signal ?? new AbortController().signal, options.timeoutMs);
  try {
    await client.connect(transport, { signal: timeout.signal, timeout: options.timeoutMs });
  } catch (error) {
    await client.close().catch(() => undefined);
    if (options.signal?.aborted === true) throw options.signal.reason;
    // The exit can be seen before the last stderr chunk has been read: let it arrive.
    await new Promise((resolve) => setImmediate(resolve));
    throw toMcpConnectError(error, {
      target,
      label,
      phase: 'handshake',
      timedOut: timeout.timedOut,
      timeoutMs: options.timeoutMs,
      stderr: stderr?.text() ?? '',
      secrets,
      ...(lastTransportError === undefined ? {} : { transportError: lastTransportError }),
    });
  } finally {
    timeout.dispose();
  }

  return {
    client,
    label,
    secrets,
    get closed() {
      return closed;
    },
    stderrTail: () => stderr?.text() ?? '',
    onClose(listener) {
      if (closed) listener();
      else listeners.push(listener);
    },
    async close() {
      if (closed) return;
      if (transport instanceof StreamableHTTPClientTransport) {
        const terminated = transport.terminateSession().catch(() => undefined);
        const timer = new Promise((resolve) => setTimeout(resolve, TERMINATE_SESSION_MS).unref());
        await Promise.race([terminated, timer]);
      }
      await client.close();
    },
  };
}
