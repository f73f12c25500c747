import { assertNever } from '../../errors/index.js';
import type { HttpBinding, JsonSchema, ParameterLocation } from '../tool-definition.js';
import { ToolError } from '../tool-error.js';

export interface HttpToolRequest {
  url: URL;
  method: string;
  headers: Headers;
  /** JSON text, when the call has a body. */
  body: string | undefined;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[^\r\n\0]*$/;
// The transport owns these; a model setting them would break framing or the idempotency key.
const REFUSED_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'content-length',
  'host',
  'transfer-encoding',
  'idempotency-key',
]);
const BODYLESS_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/**
 * The request for one call of an HTTP-bound tool: path arguments URL-encoded into the
 * template, query and header arguments placed, the rest (or the single body argument) as
 * JSON. Missing or malformed arguments are `invalid_arguments` errors the model can fix.
 */
export function buildHttpToolRequest(options: {
  baseUrl: string;
  binding: HttpBinding;
  parameters: JsonSchema;
  input: Record<string, unknown>;
}): HttpToolRequest {
  const { binding, input } = options;
  const method = binding.method.toUpperCase();
  assertRequiredPresent(options.parameters, input);
  const path = binding.path.replace(/\{([^{}/]+)\}/g, (_placeholder, name: string) =>
    encodeURIComponent(pathValue(name, argument(input, name))),
  );
  const url = joinUrl(options.baseUrl, path);
  const headers = new Headers();
  const bodyFields: Record<string, unknown> = {};
  let body: unknown;
  let hasBody = false;

  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const location = locationOf(binding, name, method);
    switch (location) {
      case 'path':
        break;
      case 'query':
        appendQuery(url, name, value);
        break;
      case 'header':
        setHeader(headers, name, value);
        break;
      case 'body':
        if (name === binding.bodyArgument) {
          body = value;
        } else {
          Object.defineProperty(bodyFields, name, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        hasBody = true;
        break;
      default:
        assertNever(location, 'parameter location');
    }
  }

  let text: string | undefined;
  if (hasBody) {
    text = JSON.stringify(
      binding.bodyArgument !== undefined && body !== undefined ? body : bodyFields,
    );
    headers.set('content-type', 'application/json');
  }
  return { url, method, headers, body: text };
}

function locationOf(binding: HttpBinding, name: string, method: string): ParameterLocation {
  const declared = Object.hasOwn(binding.locations, name) ? binding.locations[name] : undefined;
  const location = declared ?? 'body';
  // fetch cannot send a GET or HEAD body; what would have gone there goes in the query.
  return location === 'body' && BODYLESS_METHODS.has(method) ? 'query' : location;
}

function argument(input: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(input, name) ? input[name] : undefined;
}

function assertRequiredPresent(parameters: JsonSchema, input: Record<string, unknown>): void {
  const required = Array.isArray(parameters.required) ? parameters.required : [];
  const missing = required.filter(
    (name): name is string => typeof name === 'string' && argument(input, name) === undefined,
  );
  if (missing.length > 0) {
    throw invalidArguments(
      `Missing required argument${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}.`,
    );
  }
}

function pathValue(name: string, value: unknown): string {
  if (value === undefined || value === null || value === '') {
    throw invalidArguments(`The path argument \`${name}\` is required.`);
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  throw invalidArguments(`The path argument \`${name}\` must be a string or a number.`);
}

function joinUrl(baseUrl: string, path: string): URL {
  const base = baseUrl.replace(/\/+$/, '');
  const suffix = path === '' || path.startsWith('/') ? path : `/${path}`;
  try {
    return new URL(`${base}${suffix}`);
  } catch {
    throw invalidArguments(`The arguments do not make a valid URL for ${path}.`);
  }
}

function appendQuery(url: URL, name: string, value: unknown): void {
  if (value === null) return;
  const values = Array.isArray(value) ? value : [value];
  for (const item of values) {
    if (item === undefined || item === null) continue;
    url.searchParams.append(name, scalarText(item));
  }
}

function setHeader(headers: Headers, name: string, value: unknown): void {
  if (value === null) return;
  if (!HEADER_NAME.test(name) || REFUSED_HEADERS.has(name.toLowerCase())) {
    throw invalidArguments(`\`${name}\` cannot be sent as an HTTP header.`);
  }
  const text = Array.isArray(value) ? value.map(scalarText).join(',') : scalarText(value);
  if (!HEADER_VALUE.test(text)) {
    throw invalidArguments(`The header argument \`${name}\` must not contain line breaks.`);
  }
  try {
    headers.set(name, text);
  } catch {
    throw invalidArguments(`The header argument \`${name}\` has characters a header cannot carry.`);
  }
}

function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

function invalidArguments(message: string): ToolError {
  return new ToolError({ code: 'invalid_arguments', message });
}
