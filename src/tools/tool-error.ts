/**
 * A failed tool call. `retryable` steers the runner: transient failures (network, 429, 5xx)
 * are retried with backoff, honouring `retryAfterMs`; the rest go straight back to the model.
 */
export class ToolError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;

  constructor(options: {
    code: string;
    message: string;
    retryable?: boolean;
    retryAfterMs?: number;
    status?: number;
    cause?: unknown;
  }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ToolError';
    this.code = options.code;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}

export function isToolError(value: unknown): value is ToolError {
  return value instanceof ToolError;
}
