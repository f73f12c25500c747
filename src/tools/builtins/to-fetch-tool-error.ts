import { isOutboundBlockedError, isOutboundRedirectError } from '../../outbound/index.js';
import { isToolError, ToolError } from '../tool-error.js';

// DNS says the name does not exist: retrying will not change that, the model should fix the URL.
const PERMANENT_NETWORK_CODES: ReadonlySet<string> = new Set(['ENOTFOUND']);

/**
 * Maps whatever `fetch` threw to what the runner needs: a `ToolError` that says whether a
 * retry can help, or the caller's own abort reason, which is not the tool's failure.
 */
export function toFetchToolError(
  error: unknown,
  options: { url: URL; callerSignal: AbortSignal; timedOut: boolean; timeoutMs: number },
): unknown {
  if (isToolError(error)) return error;
  if (options.callerSignal.aborted) return options.callerSignal.reason;
  if (options.timedOut) {
    return new ToolError({
      code: 'tool_timeout',
      message: `${options.url.host} did not answer completely within ${options.timeoutMs} ms.`,
      retryable: true,
      cause: error,
    });
  }
  if (isOutboundBlockedError(error)) {
    return new ToolError({ code: 'outbound_blocked', message: error.message, cause: error });
  }
  if (isOutboundRedirectError(error)) {
    return new ToolError({ code: 'redirect_refused', message: error.message, cause: error });
  }
  const code = networkErrorCode(error);
  if (code !== undefined && PERMANENT_NETWORK_CODES.has(code)) {
    return new ToolError({
      code: 'host_not_found',
      message: `The host ${options.url.hostname} does not exist (DNS ${code}). Check the URL.`,
      cause: error,
    });
  }
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  return new ToolError({
    code: 'network_error',
    message: `Could not reach ${options.url.host}: ${reason}.`,
    retryable: true,
    cause: error,
  });
}

/** undici reports `TypeError: fetch failed` with the socket error (ECONNREFUSED…) as a cause. */
function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}
