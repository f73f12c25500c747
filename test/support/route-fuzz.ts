import fc from 'fast-check';
import type { ApiHarness, HttpMethod, RouteEntry } from './api-harness.js';
import { findOperation } from './openapi-contract.js';

/** Real objects and keys the generated requests mix in, so they reach past "not found". */
export interface FuzzFixtures {
  subagentNames: string[];
  taskIds: string[];
  /** Keys that authenticate (live, test, another project's). */
  validKeys: string[];
  /** A revoked key: well-formed, checksummed, refused. */
  revokedKey: string;
}

export interface FuzzCase {
  url: string;
  headers: Record<string, string>;
  payload: string | undefined;
}

const BODY_METHODS = new Set<HttpMethod>(['POST', 'PUT', 'PATCH', 'DELETE']);
const QUERY_KEYS = ['limit', 'offset', 'type', 'status', 'sub_agent', 'user_id', 'mode', 'name'];
const ENUM_VALUES = [
  'custom',
  'prebuilt',
  'pending',
  'running',
  'waiting',
  'complete',
  'failed',
  'cancelled',
  'live',
  'test',
];
const TRICKY_SEGMENTS = [
  '%',
  '%zz',
  '%00',
  '%E0%A4%A',
  '%F0%9F%98%80',
  '%2F',
  '..',
  '.',
  '%20',
  'x'.repeat(201),
  'y'.repeat(501),
  '__proto__',
  'constructor',
  'task_',
  "'; DROP TABLE tasks; --",
];

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
});
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
);

const numberish = fc.oneof(
  fc.integer({ min: -5, max: 205 }).map(String),
  fc.constantFrom('', '1e2', '0x10', '1.5', 'NaN', 'Infinity', '-0', '9'.repeat(30), ' 7'),
);

function pathSegment(fixtures: FuzzFixtures) {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...fixtures.subagentNames, ...fixtures.taskIds) },
    { weight: 3, arbitrary: anyText.map(encodeURIComponent) },
    { weight: 2, arbitrary: fc.constantFrom(...TRICKY_SEGMENTS) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 300 }).map(encodeURIComponent) },
  );
}

const queryString = fc
  .array(
    fc.tuple(
      fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...QUERY_KEYS) }, anyText),
      fc.oneof(numberish, fc.constantFrom(...ENUM_VALUES), anyText),
      fc.boolean(),
    ),
    { maxLength: 5 },
  )
  .map((pairs) => {
    if (pairs.length === 0) return '';
    const parts = pairs.map(([key, value, encode]) =>
      encode
        ? `${encodeURIComponent(key)}=${encodeURIComponent(value)}`
        : `${encodeURIComponent(key)}=${value.replace(/[#\s]/g, '')}`,
    );
    return `?${parts.join('&')}`;
  });

function objectBody(fixtures: FuzzFixtures, complete: boolean) {
  const value = fc.oneof(
    anyText,
    fc.jsonValue(),
    fc.constant(null),
    fc.constantFrom(...fixtures.subagentNames, ...ENUM_VALUES),
  );
  // Mostly well-formed fields, so many requests get past validation to the handlers.
  const likely = <T>(good: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: value });
  return fc.record(
    {
      name: likely(
        fc.oneof(
          fc.constantFrom(...fixtures.subagentNames),
          fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,70}$/),
        ),
      ),
      prompt: likely(
        fc.oneof(
          { weight: 8, arbitrary: anyText.filter((text) => text.trim() !== '') },
          { weight: 1, arbitrary: fc.constant('p'.repeat(10_001)) },
          { weight: 1, arbitrary: fc.constant('p'.repeat(10_000)) },
        ),
      ),
      sub_agent: likely(fc.constantFrom(...fixtures.subagentNames)),
      user_id: likely(anyText),
      metadata: likely(fc.dictionary(anyText, fc.jsonValue())),
      mode: likely(fc.constantFrom('live', 'test')),
      extra: fc.jsonValue(),
    },
    complete ? {} : { requiredKeys: [] },
  );
}

function body(fixtures: FuzzFixtures) {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: objectBody(fixtures, true).map((value) => JSON.stringify(value)) },
    { weight: 2, arbitrary: objectBody(fixtures, false).map((value) => JSON.stringify(value)) },
    { weight: 2, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: anyText },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{',
        '{"prompt":',
        '[1,',
        'null',
        '""',
        '{"__proto__":{"x":1}}',
        '{"metadata":{"__proto__":null}}',
      ),
    },
    { weight: 1, arbitrary: fc.constant(`{"prompt":"${'z'.repeat(70_000)}"}`) },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 1, max: 20_000 })
        .map(
          (depth) =>
            `{"prompt":"p","sub_agent":"crm-agent","metadata":{"d":${'['.repeat(depth)}${']'.repeat(depth)}}}`,
        ),
    },
  );
}

function headers(fixtures: FuzzFixtures, method: HttpMethod) {
  const key = fc.constantFrom(...fixtures.validKeys);
  const authorization = fc.oneof(
    { weight: 14, arbitrary: key.map((value) => `Bearer ${value}`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(`Bearer ${fixtures.revokedKey}`) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(key, fc.nat(), fc.constantFrom('A', 'z', '0', '_', '-'))
        .map(([value, index, char]) => {
          const at = index % value.length;
          return `Bearer ${value.slice(0, at)}${char}${value.slice(at + 1)}`;
        }),
    },
    { weight: 1, arbitrary: printable },
  );
  const contentType = fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: fc.constant('application/json') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'application/json; charset=utf-8',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        ';;;',
        '',
      ),
    },
    { weight: 1, arbitrary: printable },
  );
  const idempotencyKey = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'fuzz-key-1',
        'fuzz-key-2',
        '"quoted-key"',
        '',
        ' ',
        'k'.repeat(256),
      ),
    },
    { weight: 1, arbitrary: printable },
    {
      weight: 1,
      arbitrary: fc
        .string({ unit: 'grapheme', minLength: 1 })
        .map((value) => Buffer.from(value).toString('latin1')),
    },
  );
  const requestId = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom('req-abc', 'a'.repeat(200), 'bad id!'),
    printable,
  );
  return fc
    .record({
      authorization,
      contentType,
      idempotencyKey,
      requestId,
      accept: fc.constantFrom(undefined, '*/*', 'text/html'),
    })
    .map((values) => {
      const result: Record<string, string> = {};
      if (values.authorization !== undefined) result.authorization = values.authorization;
      if (values.contentType !== undefined) result['content-type'] = values.contentType;
      if (values.idempotencyKey !== undefined && BODY_METHODS.has(method)) {
        result['idempotency-key'] = values.idempotencyKey;
      }
      if (values.requestId !== undefined) result['x-request-id'] = values.requestId;
      if (values.accept !== undefined) result.accept = values.accept;
      return result;
    });
}

export function fuzzCase(route: RouteEntry, fixtures: FuzzFixtures): fc.Arbitrary<FuzzCase> {
  const paramNames = [...route.url.matchAll(/:(\w+)/g)].map((match) => match[1] ?? '');
  return fc
    .record({
      segments: fc.tuple(...paramNames.map(() => pathSegment(fixtures))),
      query: queryString,
      payload: BODY_METHODS.has(route.method) ? body(fixtures) : fc.constant(undefined),
      headers: headers(fixtures, route.method),
    })
    .map(({ segments, query, payload, headers: generated }) => {
      let index = 0;
      const path = route.url.replace(/:(\w+)/g, () => segments[index++] ?? '');
      return { url: `${path}${query}`, headers: generated, payload };
    });
}

/**
 * Throws generated requests at every route; each response must meet the HTTP contract
 * (the harness checks status < 500, X-Request-Id, the error envelope and the OpenAPI schema).
 * Returns how many requests were sent.
 */
export async function fuzzEveryRoute(
  api: ApiHarness,
  fixtures: FuzzFixtures,
  runsPerRoute: number,
): Promise<number> {
  let sent = 0;
  for (const route of fuzzableRoutes(api)) {
    await fc.assert(
      fc.asyncProperty(fuzzCase(route, fixtures), async (generated) => {
        sent += 1;
        await api.inject({
          method: route.method,
          url: generated.url,
          headers: generated.headers,
          ...(generated.payload === undefined ? {} : { payload: generated.payload }),
        });
      }),
      { numRuns: runsPerRoute },
    );
  }
  return sent;
}

/** The routes the fuzzer sends requests to: every route but server-sent event streams. */
export function fuzzableRoutes(api: ApiHarness): RouteEntry[] {
  return api.routes().filter((entry) => !isEventStream(api, entry));
}

/**
 * Server-sent event routes keep the response open while the task runs, so an injected request
 * would never finish: they have their own tests.
 */
function isEventStream(api: ApiHarness, route: RouteEntry): boolean {
  const method = route.method === 'HEAD' ? 'GET' : route.method;
  const documented = findOperation(api.document, method, route.url.replace(/:(\w+)/g, 'x'));
  const content = documented?.operation.responses?.['200']?.content ?? {};
  return 'text/event-stream' in content || /\/(events|stream)$/.test(route.url);
}
