import { STATUS_CODES } from 'node:http';
import { formatByteSize } from '../builtins/format-byte-size.js';
import { formatResponseBody } from '../builtins/format-response-body.js';
import { parseRetryAfterMs } from '../builtins/parse-retry-after.js';
import { readBodyWithLimit } from '../builtins/read-body-with-limit.js';
import { ToolError } from '../tool-error.js';
import type { ToolCallResult } from '../tool-executor.js';
import { redactSecretsInBytes, redactSecretsInText } from './redact-secrets.js';

export interface ResponseReading {
  url: URL;
  maxResponseBytes: number;
  maxTextChars: number;
  /** Scrubbed from everything returned. */
  secrets: readonly string[];
}

const ERROR_EXCERPT_BYTES = 8192;
const ERROR_EXCERPT_CHARS = 500;

/**
 * A 2xx answer as the tool's output (`{status, body}`, JSON parsed, text otherwise, capped),
 * anything else as a ToolError: retryable for 429 and 5xx (with `retryAfterMs`), and
 * `tool_http_error` with an excerpt of the body for the rest, so the model can adapt.
 */
export async function readHttpToolResponse(
  response: Response,
  reading: ResponseReading,
): Promise<ToolCallResult> {
  const statusLine =
    `${response.status} ${response.statusText || STATUS_CODES[response.status] || ''}`.trim();
  if (response.status < 200 || response.status >= 300)
    throw await failure(response, statusLine, reading);
  const { bytes, truncated: bytesTruncated } = await readBodyWithLimit(
    response.body,
    reading.maxResponseBytes,
  );
  const formatted = formatResponseBody({
    bytes: redactSecretsInBytes(bytes, reading.secrets, { truncated: bytesTruncated }),
    contentType: response.headers.get('content-type'),
    url: reading.url,
    bytesTruncated,
    maxTextChars: reading.maxTextChars,
  });
  const truncated = bytesTruncated || formatted.textTruncated;
  return {
    output: {
      status: response.status,
      body: formatted.body,
      ...(truncated ? { truncated: true } : {}),
    },
    note: [statusLine, describeBody(formatted.body, bytes.byteLength), truncated ? 'truncated' : '']
      .filter((part) => part !== '')
      .join(', '),
  };
}

async function failure(
  response: Response,
  statusLine: string,
  reading: ResponseReading,
): Promise<ToolError> {
  const excerpt = await readExcerpt(response, reading);
  const host = reading.url.host;
  const retryable = response.status === 429 || response.status >= 500;
  if (retryable) {
    const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'));
    return new ToolError({
      code: response.status === 429 ? 'rate_limited' : 'upstream_error',
      message: `${host} answered ${statusLine}${excerpt === '' ? '' : `: ${excerpt}`}`,
      retryable: true,
      status: response.status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  const redirect = response.status >= 300 && response.status < 400;
  return new ToolError({
    code: 'tool_http_error',
    message: redirect
      ? `${host} answered ${statusLine} and the redirect was not followed (too many hops or no usable Location).`
      : `${host} answered ${statusLine}${excerpt === '' ? '' : `: ${excerpt}`}`,
    status: response.status,
  });
}

async function readExcerpt(response: Response, reading: ResponseReading): Promise<string> {
  let bytes: Uint8Array;
  let truncated: boolean;
  try {
    ({ bytes, truncated } = await readBodyWithLimit(response.body, ERROR_EXCERPT_BYTES));
  } catch {
    return '';
  }
  const formatted = formatResponseBody({
    bytes: redactSecretsInBytes(bytes, reading.secrets, { truncated }),
    contentType: response.headers.get('content-type'),
    url: reading.url,
    bytesTruncated: truncated,
    maxTextChars: ERROR_EXCERPT_CHARS * 2,
  });
  let text: string;
  try {
    text =
      typeof formatted.body === 'string' ? formatted.body : (JSON.stringify(formatted.body) ?? '');
  } catch {
    return '';
  }
  const excerpt = text.replace(/\s+/g, ' ').trim().slice(0, ERROR_EXCERPT_CHARS);
  return redactSecretsInText(excerpt, reading.secrets);
}

// Envelope keys that say nothing about what the list holds.
const GENERIC_LIST_KEYS: ReadonlySet<string> = new Set([
  'data',
  'items',
  'results',
  'records',
  'entries',
  'values',
  'list',
  'rows',
]);

/** `3 items`, `12 contacts` for a list (or the first list in an object), else the size. */
function describeBody(body: unknown, byteLength: number): string {
  if (byteLength === 0) return '';
  if (Array.isArray(body)) return countOf(body.length, 'items');
  if (body !== null && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      if (!Array.isArray(value) || !/^[A-Za-z][A-Za-z_]{0,40}$/.test(key)) continue;
      return countOf(value.length, GENERIC_LIST_KEYS.has(key.toLowerCase()) ? 'items' : key);
    }
  }
  return formatByteSize(byteLength);
}

function countOf(count: number, noun: string): string {
  // A trace note, not prose: dropping a plural "s" is enough ("1 contact", "1 item").
  const singular = noun.endsWith('s') && !noun.endsWith('ss') ? noun.slice(0, -1) : noun;
  return `${count} ${count === 1 ? singular : noun}`;
}
