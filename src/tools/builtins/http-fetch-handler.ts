import { scopedTimeout } from '../../abort/index.js';
import { STATUS_CODES } from 'node:http';
import type { GuardedFetch } from '../../outbound/index.js';
import { ToolError } from '../tool-error.js';
import type { BuiltinHandler } from './builtin-handler.js';
import { formatByteSize } from './format-byte-size.js';
import { formatResponseBody, mediaTypeOf } from './format-response-body.js';
import { parseHttpFetchInput } from './parse-http-fetch-input.js';
import { parseRetryAfterMs } from './parse-retry-after.js';
import { readBodyWithLimit } from './read-body-with-limit.js';
import { toFetchToolError } from './to-fetch-tool-error.js';

export interface HttpFetchHandlerOptions {
  fetch: GuardedFetch;
  maxResponseBytes: number;
  maxTextChars: number;
}

// Headers that help the model (pagination, caching, rate limits) and carry no secrets.
const SHOWN_RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'content-language',
  'last-modified',
  'etag',
  'location',
  'retry-after',
  'link',
  'x-total-count',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'ratelimit',
  'ratelimit-policy',
];
const ERROR_EXCERPT_BYTES = 4096;
const ERROR_EXCERPT_CHARS = 300;

/**
 * `http.fetch`: one request through the guarded fetch. 4xx answers (except 429) come back as
 * output so the model sees the page; 429 and 5xx throw retryable errors for the runner.
 */
export function createHttpFetchHandler(options: HttpFetchHandlerOptions): BuiltinHandler {
  return async (input, context) => {
    const request = parseHttpFetchInput(input);
    if (
      request.method !== 'GET' &&
      request.method !== 'HEAD' &&
      !request.headers.has('idempotency-key')
    ) {
      request.headers.set('idempotency-key', context.idempotencyKey);
    }
    const timeout = scopedTimeout(context.signal, context.timeoutMs);
    const { signal } = timeout;
    try {
      const response = await options.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal,
      });
      if (response.status === 429 || response.status >= 500) {
        throw await upstreamFailure(response, request.url);
      }
      const { bytes, truncated: bytesTruncated } = await readBodyWithLimit(
        response.body,
        options.maxResponseBytes,
      );
      const finalUrl = new URL(response.url || request.url.href);
      const contentType = response.headers.get('content-type');
      const formatted = formatResponseBody({
        bytes,
        contentType,
        url: finalUrl,
        bytesTruncated,
        maxTextChars: options.maxTextChars,
      });
      const truncated = bytesTruncated || formatted.textTruncated;
      const notes = [
        bytesTruncated
          ? `Only the first ${formatByteSize(options.maxResponseBytes)} were read.`
          : '',
        formatted.textTruncated ? `Text cut at ${options.maxTextChars} characters.` : '',
        formatted.note ?? '',
      ].filter((note) => note !== '');
      const statusText = response.statusText || STATUS_CODES[response.status] || '';
      return {
        output: {
          status: response.status,
          url: finalUrl.href,
          content_type: contentType,
          headers: pickHeaders(response.headers),
          ...(formatted.title === undefined ? {} : { title: formatted.title }),
          body: formatted.body,
          truncated,
          ...(notes.length === 0 ? {} : { body_note: notes.join(' ') }),
        },
        note: [
          `${response.status} ${statusText}`.trim(),
          mediaTypeOf(contentType) || 'no content type',
          `${formatByteSize(bytes.byteLength)}${truncated ? ' (truncated)' : ''}`,
        ].join(', '),
      };
    } catch (error) {
      throw toFetchToolError(error, {
        url: request.url,
        callerSignal: context.signal,
        timedOut: timeout.timedOut,
        timeoutMs: context.timeoutMs,
      });
    } finally {
      timeout.dispose();
    }
  };
}

async function upstreamFailure(response: Response, requestUrl: URL): Promise<ToolError> {
  const { bytes } = await readBodyWithLimit(response.body, ERROR_EXCERPT_BYTES);
  const url = new URL(response.url || requestUrl.href);
  const formatted = formatResponseBody({
    bytes,
    contentType: response.headers.get('content-type'),
    url,
    bytesTruncated: false,
    maxTextChars: ERROR_EXCERPT_CHARS,
  });
  const excerpt = (
    typeof formatted.body === 'string' ? formatted.body : JSON.stringify(formatted.body ?? '')
  )
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, ERROR_EXCERPT_CHARS);
  const statusText = response.statusText || STATUS_CODES[response.status] || '';
  const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'));
  return new ToolError({
    code: response.status === 429 ? 'rate_limited' : 'upstream_error',
    message: `${url.host} answered ${response.status} ${statusText}${excerpt === '' ? '' : `: ${excerpt}`}`,
    retryable: true,
    status: response.status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

function pickHeaders(headers: Headers): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of SHOWN_RESPONSE_HEADERS) {
    const value = headers.get(name);
    if (value !== null) picked[name] = value;
  }
  return picked;
}
