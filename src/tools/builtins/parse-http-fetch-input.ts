import { invalidInputError } from './invalid-input-error.js';

export const HTTP_FETCH_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export type HttpFetchMethod = (typeof HTTP_FETCH_METHODS)[number];

export interface HttpFetchRequest {
  url: URL;
  method: HttpFetchMethod;
  headers: Headers;
  body: string | undefined;
}

const MAX_URL_LENGTH = 8192;
// Connection-level headers are the HTTP client's business; a model setting them breaks framing.
const REFUSED_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'content-length',
  'expect',
  'host',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Validates the `http.fetch` arguments; failures are `invalid_input` errors the model can fix. */
export function parseHttpFetchInput(input: Record<string, unknown>): HttpFetchRequest {
  const url = parseUrl(input.url);
  const method = parseMethod(input.method);
  const headers = parseHeaders(input.headers);
  let body: string | undefined;
  if (input.body !== undefined && input.body !== null) {
    if (method === 'GET' || method === 'HEAD') {
      throw invalidInputError(`A ${method} request cannot have a body; use POST, PUT or PATCH.`);
    }
    if (typeof input.body === 'string') {
      body = input.body;
    } else {
      body = JSON.stringify(input.body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
  }
  return { url, method, headers, body };
}

function parseUrl(value: unknown): URL {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidInputError(
      '`url` is required: an absolute http(s) URL such as https://example.com/.',
    );
  }
  if (value.length > MAX_URL_LENGTH) {
    throw invalidInputError(`\`url\` is longer than ${MAX_URL_LENGTH} characters.`);
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw invalidInputError(`\`url\` is not an absolute URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidInputError(`Only http and https URLs can be fetched, not ${url.protocol}`);
  }
  return url;
}

function parseMethod(value: unknown): HttpFetchMethod {
  if (value === undefined || value === null) return 'GET';
  const method = typeof value === 'string' ? value.toUpperCase() : '';
  const known = HTTP_FETCH_METHODS.find((candidate) => candidate === method);
  if (known === undefined) {
    throw invalidInputError(`\`method\` must be one of ${HTTP_FETCH_METHODS.join(', ')}.`);
  }
  return known;
}

function parseHeaders(value: unknown): Headers {
  const headers = new Headers();
  if (value === undefined || value === null) return headers;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidInputError('`headers` must be an object of header names to string values.');
  }
  for (const [name, headerValue] of Object.entries(value)) {
    if (REFUSED_HEADERS.has(name.toLowerCase())) {
      throw invalidInputError(`The ${name} header is set by the HTTP client; leave it out.`);
    }
    if (
      typeof headerValue !== 'string' &&
      typeof headerValue !== 'number' &&
      typeof headerValue !== 'boolean'
    ) {
      throw invalidInputError(`Header ${name} must have a string value.`);
    }
    try {
      headers.set(name, String(headerValue));
    } catch {
      throw invalidInputError(`Header ${name} has an invalid name or value.`);
    }
  }
  return headers;
}
