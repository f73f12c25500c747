import type { InjectOptions } from 'fastify';
import type { CadreOptions } from '../../src/main/create-cadre.js';
import type { App } from '../../src/http/app-types.js';
import {
  checkDocumentedResponse,
  findOperation,
  type OpenApiDocument,
} from './openapi-contract.js';
import { startTestCadre, type TestCadre } from './start-test-cadre.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'DELETE' | 'PUT' | 'OPTIONS';

export interface ApiResponse {
  status: number;
  // Tests read response fields freely; the contract check has already validated the shape.

  body: any;
  text: string;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface ApiRequest {
  method: HttpMethod;
  url: string;
  /** The API key to send; `null` sends no Authorization header; default: the live key. */
  key?: string | null;
  /** A JSON value (serialized) or a raw string payload. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteEntry {
  method: HttpMethod;
  url: string;
}

/**
 * A real Cadre (temp SQLite unless env says otherwise) whose every response is held to the
 * HTTP contract: an `X-Request-Id`, status below 500, the error envelope on every non-2xx, and
 * the OpenAPI document's schema for that route and status.
 */
export interface ApiHarness {
  base: TestCadre;
  app: App;
  keys: { live: string; test: string };
  document: OpenApiDocument;
  request(request: ApiRequest): Promise<ApiResponse>;
  /** Raw inject; the contract checks still apply. */
  inject(options: InjectOptions & { method: HttpMethod; url: string }): Promise<ApiResponse>;
  createKey(options: { project?: string; environment: 'live' | 'test' }): Promise<string>;
  routes(): RouteEntry[];
  close(): Promise<void>;
}

export async function startApiCadre(
  env: Record<string, string> = {},
  options: CadreOptions = {},
): Promise<ApiHarness> {
  const base = await startTestCadre(env, options);
  const maybeApp = base.cadre.app;
  if (maybeApp === undefined) throw new Error('this Cadre has no HTTP role');
  const app: App = maybeApp;
  const documentResponse = await app.inject({ method: 'GET', url: '/v1/openapi.json' });
  if (documentResponse.statusCode !== 200) {
    await base.close();
    throw new Error(
      `GET /v1/openapi.json answered ${documentResponse.statusCode} ${documentResponse.body}: ` +
        'every response is checked against that document, so no API test can run without it.',
    );
  }
  const document = JSON.parse(documentResponse.body) as OpenApiDocument;

  async function inject(
    options: InjectOptions & { method: HttpMethod; url: string },
  ): Promise<ApiResponse> {
    const response = await app.inject(options);
    const text = response.body;
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: the contract check reports it where JSON was due
    }
    const result: ApiResponse = {
      status: response.statusCode,
      body,
      text,
      headers: response.headers,
    };
    const problems = contractProblems(document, options.method, options.url, result);
    if (problems.length > 0) {
      throw new Error(
        `${options.method} ${options.url} answered ${result.status} ${text.slice(0, 500)}\n` +
          `which breaks the HTTP contract:\n  ${problems.join('\n  ')}`,
      );
    }
    return result;
  }

  return {
    base,
    app,
    keys: base.keys,
    document,
    inject,
    request({ method, url, key, body, headers = {} }) {
      const auth = key === null ? {} : { authorization: `Bearer ${key ?? base.keys.live}` };
      return inject({
        method,
        url,
        headers: {
          ...auth,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined
          ? {}
          : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
    },
    async createKey({ project, environment }) {
      const created = await base.cadre.apiKeys.createKey({
        environment,
        ...(project === undefined ? {} : { project }),
      });
      return created.key;
    },
    routes: () => listRoutes(app),
    close: () => base.close(),
  };
}

/** The contract every response meets, whatever the request. */
export function contractProblems(
  document: OpenApiDocument,
  method: string,
  url: string,
  response: ApiResponse,
): string[] {
  const problems: string[] = [];
  const requestId = response.headers['x-request-id'];
  if (typeof requestId !== 'string' || requestId === '') problems.push('no X-Request-Id header');
  if (response.status >= 500) problems.push(`server error ${response.status}`);
  if (method === 'HEAD') return problems;
  const documented = findOperation(document, method, url);
  // A page for a browser (the OAuth link and callback) instead of JSON, where documented.
  const contentType = String(response.headers['content-type'] ?? '');
  if (contentType.startsWith('text/html')) {
    const content = documented?.operation.responses?.[String(response.status)]?.content;
    if (content?.['text/html'] === undefined) {
      problems.push(`answered text/html, which is not documented for ${response.status}`);
    }
    return problems;
  }
  if (response.status >= 300) problems.push(...envelopeProblems(response.body));
  if (documented !== undefined) {
    problems.push(...checkDocumentedResponse(document, documented, response.status, response.body));
  }
  return problems;
}

/** `{error: {code, message, param?}}` and nothing else. */
export function envelopeProblems(body: unknown): string[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return [`error body is not an object: ${JSON.stringify(body)}`];
  }
  const problems: string[] = [];
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'error')
    problems.push(`error body keys are ${keys.join(',')}`);
  const error = (body as { error?: unknown }).error;
  if (error === null || typeof error !== 'object' || Array.isArray(error)) {
    return [...problems, 'error is not an object'];
  }
  const fields = error as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!['code', 'message', 'param'].includes(key)) problems.push(`unexpected error.${key}`);
  }
  if (typeof fields.code !== 'string' || !/^[a-z_]+$/.test(fields.code)) {
    problems.push(`error.code is not a snake_case string: ${JSON.stringify(fields.code)}`);
  }
  if (typeof fields.message !== 'string' || fields.message === '') {
    problems.push('error.message is not a non-empty string');
  }
  if ('param' in fields && typeof fields.param !== 'string')
    problems.push('error.param is not a string');
  return problems;
}

/** Every registered route and method, read from Fastify's route tree. */
export function listRoutes(app: App): RouteEntry[] {
  const routes: RouteEntry[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (match === null) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    const url = `${stack.at(-1) ?? ''}${match[2] ?? ''}`;
    stack.push(url);
    for (const method of (match[3] ?? '').split(',').map((name) => name.trim())) {
      if (method !== '') routes.push({ method: method as HttpMethod, url });
    }
  }
  return routes;
}
