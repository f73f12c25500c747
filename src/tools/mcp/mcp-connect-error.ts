/** Why Cadre could not open a session with an MCP server. */
export type McpConnectFailure =
  | 'command_not_found'
  | 'spawn_failed'
  | 'exited'
  | 'handshake_timeout'
  | 'outbound_blocked'
  | 'unreachable'
  | 'http_error'
  | 'no_tools'
  | 'protocol_error';

// A later attempt may succeed: the server was slow, restarting or overloaded.
const RETRYABLE_FAILURES: ReadonlySet<McpConnectFailure> = new Set([
  'exited',
  'handshake_timeout',
  'unreachable',
]);

/**
 * Connecting to (or listing the tools of) an MCP server failed. The message says what
 * happened and how to fix it; registration shows it as a 422, a tool call as a ToolError.
 */
export class McpConnectError extends Error {
  readonly failure: McpConnectFailure;
  readonly retryable: boolean;

  constructor(options: {
    failure: McpConnectFailure;
    message: string;
    retryable?: boolean;
    cause?: unknown;
  }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'McpConnectError';
    this.failure = options.failure;
    this.retryable = options.retryable ?? RETRYABLE_FAILURES.has(options.failure);
  }
}

export function isMcpConnectError(value: unknown): value is McpConnectError {
  return value instanceof McpConnectError;
}
