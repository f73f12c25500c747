import { isOutboundBlockedError, type GuardedFetch } from '../outbound/index.js';
import { parseRetryAfterHeader } from './parse-retry-after-header.js';

const RESPONSE_BODY_LIMIT_BYTES = 1024;

/** What one HTTP attempt came to. */
export interface WebhookResponse {
  outcome: 'succeeded' | 'failed' | 'gone';
  durationMs: number;
  responseStatus: number | null;
  /** The first KiB of the response body (for the delivery log). */
  responseBody: string | null;
  /** Why it failed, in words an operator can act on. */
  error: string | null;
  retryAfterMs: number | undefined;
}

/**
 * POSTs one signed webhook. Success is any 2xx within the timeout; a redirect is a failure
 * and is not followed (the signed request must reach the URL the customer registered); 410
 * Gone means the receiver wants no more. Network errors and refused addresses are failures,
 * never exceptions, so every attempt lands in the delivery log.
 */
export async function sendWebhook(options: {
  fetch: GuardedFetch;
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Aborts the attempt (shutdown); the caller then does not record it. */
  signal: AbortSignal;
  now: number;
}): Promise<WebhookResponse> {
  const startedAt = performance.now();
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([timeout, options.signal]);
  const elapsed = () => Math.round(performance.now() - startedAt);
  try {
    const response = await options.fetch(options.url, {
      method: 'POST',
      headers: options.headers,
      body: options.body,
      redirect: 'manual',
      signal,
    });
    const responseBody = await readPrefix(response);
    const status = response.status;
    const base = { durationMs: elapsed(), responseStatus: status, responseBody };
    if (status >= 200 && status < 300) {
      return { ...base, outcome: 'succeeded', error: null, retryAfterMs: undefined };
    }
    const retryAfterMs = parseRetryAfterHeader(response.headers.get('retry-after'), options.now);
    if (status === 410) {
      return { ...base, outcome: 'gone', error: 'HTTP 410 Gone', retryAfterMs };
    }
    const error =
      status >= 300 && status < 400
        ? `HTTP ${status} redirect${response.headers.has('location') ? ` to ${response.headers.get('location')}` : ''}; redirects are not followed, register the final URL instead`
        : `HTTP ${status}`;
    return { ...base, outcome: 'failed', error, retryAfterMs };
  } catch (error) {
    return {
      outcome: 'failed',
      durationMs: elapsed(),
      responseStatus: null,
      responseBody: null,
      error: timeout.aborted
        ? `No response within ${options.timeoutMs / 1000} s`
        : describeNetworkError(error),
      retryAfterMs: undefined,
    };
  }
}

async function readPrefix(response: Response): Promise<string | null> {
  if (response.body === null) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_BODY_LIMIT_BYTES) {
      const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
      if (done || value === undefined) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    // Stop reading here: the rest of a large body is not ours to download.
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).subarray(0, RESPONSE_BODY_LIMIT_BYTES).toString('utf8');
  return text === '' ? null : text;
}

function describeNetworkError(error: unknown): string {
  if (isOutboundBlockedError(error)) return error.message;
  let current: unknown = error;
  // undici reports `fetch failed` and keeps the reason (ECONNREFUSED, …) in the cause chain.
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return `${current.message} (${code})`;
    current = current.cause;
  }
  return error instanceof Error ? error.message : String(error);
}
