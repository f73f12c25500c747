import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { isOutboundBlockedError } from '../../outbound/index.js';
import { redactSecretsInText } from '../http/redact-secrets.js';
import { isMcpErrorWithCode } from './is-mcp-error-with-code.js';
import { findErrorCause, findSystemErrorCode } from './find-error-cause.js';
import { isMcpConnectError, McpConnectError, type McpConnectFailure } from './mcp-connect-error.js';
import type { McpServerTarget } from './mcp-server-settings.js';

export interface ConnectFailureContext {
  target: McpServerTarget;
  label: string;
  phase: 'handshake' | 'listing tools';
  timedOut: boolean;
  timeoutMs: number;
  /** The end of the server's stderr (stdio). */
  stderr: string;
  secrets: readonly string[];
  /** The last error the transport reported on the side (unparseable output, say). */
  transportError?: Error;
}

const STDERR_EXCERPT_CHARS = 600;
const HTTP_EXCERPT_CHARS = 300;
// The name does not resolve: trying again will not help, the URL must change.
const PERMANENT_NETWORK_CODES: ReadonlySet<string> = new Set(['ENOTFOUND']);

/** Says what went wrong while connecting to an MCP server and how to fix it. */
export function toMcpConnectError(error: unknown, context: ConnectFailureContext): McpConnectError {
  if (isMcpConnectError(error)) return error;
  const { failure, message, retryable } = classify(error, context);
  return new McpConnectError({
    failure,
    message: redactSecretsInText(message, context.secrets),
    ...(retryable === undefined ? {} : { retryable }),
    cause: error,
  });
}

function classify(
  error: unknown,
  context: ConnectFailureContext,
): { failure: McpConnectFailure; message: string; retryable?: boolean } {
  const { target, label } = context;
  const stderr = `${transportErrorSentence(context)}${stderrSentence(context)}`;
  const blocked = findErrorCause(error, isOutboundBlockedError);
  if (blocked !== undefined) {
    return {
      failure: 'outbound_blocked',
      message: `The MCP server URL is not allowed. ${blocked.message}`,
    };
  }
  const systemCode = findSystemErrorCode(error);
  if (target.transport === 'stdio' && isSpawnError(error)) {
    if (systemCode === 'ENOENT') {
      const cwd =
        target.cwd === undefined ? '' : `, or the working directory ${target.cwd} does not exist`;
      return {
        failure: 'command_not_found',
        message: `Could not start the MCP server: the command '${target.command}' was not found (ENOENT${cwd}). Give an absolute path, or a command on the PATH of the Cadre server.`,
      };
    }
    return {
      failure: 'spawn_failed',
      message: `Could not start the MCP server ${label}: ${systemCode ?? errorText(error)}${systemCode === 'EACCES' ? ' (the file is not executable by the Cadre server)' : ''}.`,
    };
  }
  if (context.timedOut || isMcpErrorWithCode(error, ErrorCode.RequestTimeout)) {
    const what = context.phase === 'handshake' ? 'complete the MCP handshake' : 'list its tools';
    return {
      failure: 'handshake_timeout',
      message: `The MCP server ${label} did not ${what} within ${formatSeconds(context.timeoutMs)} (CADRE_TOOL_TIMEOUT_MS).${stderr}`,
    };
  }
  if (isMcpErrorWithCode(error, ErrorCode.ConnectionClosed)) {
    return {
      failure: 'exited',
      message:
        target.transport === 'stdio'
          ? `The MCP server ${label} exited during the ${context.phase === 'handshake' ? 'MCP handshake' : 'tool listing'}.${stderr || ' It wrote nothing on stderr.'}`
          : `The MCP server at ${label} closed the connection during the ${context.phase === 'handshake' ? 'MCP handshake' : 'tool listing'}.`,
    };
  }
  if (error instanceof StreamableHTTPError) return httpFailure(error, label);
  if (systemCode !== undefined && target.transport === 'streamable_http') {
    const host = new URL(target.url).host;
    return {
      failure: 'unreachable',
      message: PERMANENT_NETWORK_CODES.has(systemCode)
        ? `Could not reach the MCP server: the host ${new URL(target.url).hostname} does not exist (DNS ${systemCode}). Check the URL.`
        : `Could not reach the MCP server at ${host}: ${systemCode}.`,
      retryable: !PERMANENT_NETWORK_CODES.has(systemCode),
    };
  }
  if (error instanceof McpError) {
    return {
      failure: 'protocol_error',
      message: `The MCP server ${label} refused the ${context.phase === 'handshake' ? 'MCP handshake' : 'tool listing'}: ${error.message}.${stderr}`,
    };
  }
  return {
    failure: 'protocol_error',
    message: `The ${context.phase === 'handshake' ? 'MCP handshake' : 'tool listing'} with ${label} failed: ${errorText(error)}.${stderr}`,
  };
}

function httpFailure(
  error: StreamableHTTPError,
  label: string,
): { failure: McpConnectFailure; message: string; retryable: boolean } {
  const status = error.code ?? 0;
  const detail = clip(
    error.message.replace(/^Streamable HTTP error: (Error POSTing to endpoint: )?/, '').trim(),
    HTTP_EXCERPT_CHARS,
  );
  const hint =
    status === 401 || status === 403
      ? " Check the credentials in the toolkit's `headers`."
      : status === 404 || status === 405
        ? ' Check the URL: it must be the Streamable HTTP endpoint of the server (often ending in /mcp).'
        : '';
  return {
    failure: 'http_error',
    message: `The MCP server at ${label} answered HTTP ${status}${detail === '' ? '' : ` (${detail})`}.${hint}`,
    retryable: status === 408 || status === 429 || status >= 500,
  };
}

function isSpawnError(error: unknown): boolean {
  const syscall = (error as NodeJS.ErrnoException | undefined)?.syscall;
  return typeof syscall === 'string' && syscall.startsWith('spawn');
}

function transportErrorSentence(context: ConnectFailureContext): string {
  if (context.transportError === undefined) return '';
  const wroteNonJson =
    context.target.transport === 'stdio' && context.transportError instanceof SyntaxError;
  return wroteNonJson
    ? ` It wrote something other than MCP messages on stdout (${errorText(context.transportError)}); servers must log to stderr.`
    : ` The transport reported: ${errorText(context.transportError)}.`;
}

function stderrSentence(context: ConnectFailureContext): string {
  if (context.stderr === '') return '';
  const excerpt =
    context.stderr.length > STDERR_EXCERPT_CHARS
      ? `…${context.stderr.slice(-STDERR_EXCERPT_CHARS)}`
      : context.stderr;
  return ` Its stderr ended with: ${excerpt}`;
}

function errorText(error: unknown): string {
  return clip(error instanceof Error ? error.message : String(error), HTTP_EXCERPT_CHARS).replace(
    /\.$/,
    '',
  );
}

function clip(text: string, maxChars: number): string {
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
