import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { isOutboundBlockedError } from '../../outbound/index.js';
import { redactSecretsInText } from '../http/redact-secrets.js';
import { isToolError, ToolError } from '../tool-error.js';
import type { McpClientConnection } from './connect-mcp-client.js';
import { isMcpErrorWithCode } from './is-mcp-error-with-code.js';
import { findErrorCause } from './find-error-cause.js';

export interface CallFailureContext {
  connection: McpClientConnection;
  toolName: string;
  callerSignal: AbortSignal;
  timedOut: boolean;
  timeoutMs: number;
}

export interface CallFailure {
  /** A ToolError, or the caller's abort reason (a cancel is not the tool's failure). */
  error: unknown;
  /** The session is unusable: the next call must connect again. */
  discardConnection: boolean;
}

/**
 * Sorts what a `tools/call` threw: the caller's own abort, a timeout (retryable), a lost
 * session (server exited, transport failed: retryable on a fresh connection), or an error the
 * server answered with (not retryable: the same call would fail the same way).
 */
export function toMcpCallError(error: unknown, context: CallFailureContext): CallFailure {
  const { connection } = context;
  const redact = (text: string) => redactSecretsInText(text, connection.secrets);
  if (isToolError(error)) return { error, discardConnection: false };
  if (context.callerSignal.aborted)
    return { error: context.callerSignal.reason, discardConnection: false };
  if (context.timedOut || isMcpErrorWithCode(error, ErrorCode.RequestTimeout)) {
    return {
      error: new ToolError({
        code: 'tool_timeout',
        message: `The MCP tool ${context.toolName} did not answer within ${context.timeoutMs} ms.`,
        retryable: true,
        cause: error,
      }),
      discardConnection: false,
    };
  }
  const blocked = findErrorCause(error, isOutboundBlockedError);
  if (blocked !== undefined) {
    return {
      error: new ToolError({ code: 'outbound_blocked', message: blocked.message, cause: error }),
      discardConnection: true,
    };
  }
  if (!connection.closed && error instanceof Error && error.name === 'ZodError') {
    return {
      error: new ToolError({
        code: 'mcp_tool_error',
        message: `The MCP server ${connection.label} answered the call to ${context.toolName} with a result that is not valid MCP.`,
        cause: error,
      }),
      discardConnection: false,
    };
  }
  const lost =
    connection.closed ||
    !(error instanceof McpError) ||
    isMcpErrorWithCode(error, ErrorCode.ConnectionClosed);
  if (lost) {
    const status = error instanceof StreamableHTTPError ? error.code : undefined;
    const refused = status === 401 || status === 403;
    const stderr = connection.stderrTail();
    const detail = connection.closed
      ? `the server ${connection.label} went away (${describe(error)})${stderr === '' ? '' : `; its stderr ended with: ${clip(stderr, 400)}`}`
      : `${connection.label} failed: ${describe(error)}`;
    return {
      error: new ToolError({
        code: 'mcp_unavailable',
        message: redact(
          refused
            ? `The MCP server ${connection.label} refused the credentials (HTTP ${status}). Check the toolkit's headers.`
            : `The MCP tool ${context.toolName} could not be called: ${detail}.`,
        ),
        retryable: !refused,
        ...(status === undefined || status < 100 ? {} : { status }),
        cause: error,
      }),
      discardConnection: true,
    };
  }
  const needsUser = isMcpErrorWithCode(error, ErrorCode.UrlElicitationRequired);
  return {
    error: new ToolError({
      code: 'mcp_tool_error',
      message: redact(
        needsUser
          ? `The MCP tool ${context.toolName} needs a person to open a URL first, which a Cadre task cannot do: ${error.message}`
          : `The MCP server refused the call to ${context.toolName}: ${error.message}`,
      ),
      cause: error,
    }),
    discardConnection: false,
  };
}

function describe(error: unknown): string {
  return clip(error instanceof Error ? error.message : String(error), 300).replace(/\.$/, '');
}

function clip(text: string, maxChars: number): string {
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}
