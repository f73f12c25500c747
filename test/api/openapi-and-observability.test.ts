import path from 'node:path';
import { PassThrough } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/main/create-logger.js';
import { startApiCadre, type ApiHarness } from '../support/api-harness.js';
import { checkJsonSchema } from '../support/json-schema-check.js';

describe('the OpenAPI document', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiCadre({}, { role: 'api' });
  });
  afterAll(() => api.close());

  it('is served at GET /v1/openapi.json without an API key as OpenAPI 3.1', async () => {
    const response = await api.request({ method: 'GET', url: '/v1/openapi.json', key: null });
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    expect(response.body.info).toMatchObject({
      title: expect.any(String),
      version: expect.any(String),
    });
  });

  it('documents every registered route with its method, except /healthz and itself', () => {
    const documented = new Set(
      Object.entries(api.document.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    const registered = api
      .routes()
      .filter((route) => route.method !== 'HEAD')
      .filter((route) => route.url !== '/healthz' && route.url !== '/v1/openapi.json')
      .map((route) => `${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    expect(registered.length).toBeGreaterThanOrEqual(11);
    for (const route of registered) expect(documented, route).toContain(route);
  });

  it('resolves every $ref it contains', () => {
    const refs = JSON.stringify(api.document).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      const target = ref.slice('"$ref":"'.length, -1);
      expect(checkJsonSchema(null, { $ref: target }, api.document).join()).not.toMatch(
        /does not resolve/,
      );
    }
  });

  it('documents the error envelope for every error status of every operation', () => {
    for (const [path, operations] of Object.entries(api.document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const statuses = Object.keys(operation.responses ?? {});
        // Public routes (the end user's OAuth link and callback) take no key and no quota.
        const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
        expect(statuses, `${method} ${path}`).toEqual(
          expect.arrayContaining(isPublic ? ['400'] : ['400', '401', '429']),
        );
        for (const status of statuses.filter((code) => Number(code) >= 400)) {
          const schema = operation.responses?.[status]?.content?.['application/json']?.schema;
          expect(
            checkJsonSchema({ error: { code: 'x', message: 'y' } }, schema!, api.document),
          ).toEqual([]);
          expect(checkJsonSchema({ error: 'x' }, schema!, api.document)).not.toEqual([]);
        }
      }
    }
  });

  it('rejects a response that breaks the documented schema (the checker is not vacuous)', () => {
    const schema =
      api.document.paths['/v1/tasks']?.post?.responses?.['201']?.content?.['application/json']
        ?.schema;
    expect(schema).toBeDefined();
    expect(checkJsonSchema({ id: 'task_1' }, schema!, api.document)).not.toEqual([]);
    expect(
      checkJsonSchema(
        {
          id: 'task_1',
          status: 'pending',
          sub_agent: 'a',
          user_id: null,
          mode: 'live',
          created_at: '2025-06-15T10:00:00Z',
          metadata: {},
          surprise: true,
        },
        schema!,
        api.document,
      ),
    ).toEqual(["$: unexpected property 'surprise'"]);
  });
});

describe('health, request ids and logs', () => {
  const lines: string[] = [];
  let api: ApiHarness;

  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) =>
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)),
    );
    api = await startApiCadre(
      { CADRE_LOG_LEVEL: 'debug', CADRE_BODY_LIMIT_BYTES: '4096' },
      { role: 'api', logger: createLogger('debug', stream) },
    );
  });
  afterAll(() => api.close());

  it('answers GET /healthz with 200 without an API key', async () => {
    const response = await api.request({ method: 'GET', url: '/healthz', key: null });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it.each([
    ['a success', 'GET', '/v1/subagents', undefined, undefined],
    ['a 401', 'GET', '/v1/tasks', null, undefined],
    ['a 404 route', 'GET', '/v1/nowhere', undefined, undefined],
    ['a 404 object', 'GET', '/v1/tasks/task_missing', undefined, undefined],
    ['a 400', 'POST', '/v1/tasks', undefined, '{oops'],
    ['a 413', 'POST', '/v1/tasks', undefined, JSON.stringify({ prompt: 'x'.repeat(5_000) })],
    ['a malformed path', 'GET', '/v1/tasks/%E0%A4%A', undefined, undefined],
    ['an over-long path parameter', 'GET', `/v1/tasks/${'t'.repeat(600)}`, undefined, undefined],
    ['the health check', 'GET', '/healthz', null, undefined],
  ] as const)('sends an X-Request-Id with %s', async (_what, method, url, key, body) => {
    const response = await api.request({
      method,
      url,
      ...(key === undefined ? {} : { key }),
      ...(body === undefined ? {} : { body }),
    });
    expect(response.headers['x-request-id']).toMatch(/^[\w.:-]{1,128}$/);
  });

  it('gives every request its own id', async () => {
    const ids = new Set<unknown>();
    for (let index = 0; index < 20; index += 1) {
      ids.add((await api.request({ method: 'GET', url: '/v1/subagents' })).headers['x-request-id']);
    }
    expect(ids.size).toBe(20);
  });

  it('echoes a valid incoming X-Request-Id, on errors too', async () => {
    for (const [url, key] of [
      ['/v1/subagents', undefined],
      ['/v1/tasks', null],
      ['/v1/nowhere', undefined],
    ] as const) {
      const response = await api.request({
        method: 'GET',
        url,
        ...(key === undefined ? {} : { key }),
        headers: { 'x-request-id': 'client-trace.42:abc-DEF' },
      });
      expect(response.headers['x-request-id']).toBe('client-trace.42:abc-DEF');
    }
  });

  it('replaces an invalid incoming X-Request-Id with its own', async () => {
    for (const incoming of ['has spaces', 'x'.repeat(129), '<script>', '']) {
      const response = await api.request({
        method: 'GET',
        url: '/v1/subagents',
        headers: { 'x-request-id': incoming },
      });
      expect(response.headers['x-request-id']).not.toBe(incoming);
      expect(response.headers['x-request-id']).toMatch(/^[\w.:-]{1,128}$/);
    }
  });

  it('logs each request with its key id but never a key', async () => {
    const revoked = await api.base.cadre.apiKeys.createKey({ environment: 'live' });
    await api.base.cadre.apiKeys.revokeKey(revoked.id);
    const nearMiss = `${api.keys.live.slice(0, -1)}${api.keys.live.endsWith('a') ? 'b' : 'a'}`;
    const keys = [api.keys.live, api.keys.test, revoked.key, nearMiss];
    for (const key of keys) {
      await api.request({ method: 'GET', url: '/v1/subagents', key });
      await api.request({
        method: 'POST',
        url: '/v1/tasks',
        key,
        body: { prompt: 'p', sub_agent: 'none' },
      });
      await api.request({
        method: 'GET',
        url: `/v1/tasks?user_id=x`,
        key,
        headers: { 'x-api-key': key },
      });
      await api.request({ method: 'GET', url: '/v1/nowhere', key });
    }
    const requestLines = lines
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.msg === 'request');
    expect(requestLines.length).toBeGreaterThanOrEqual(16);
    expect(requestLines.some((entry) => typeof entry.keyId === 'string')).toBe(true);
    const everything = lines.join('\n');
    for (const key of keys) {
      expect(everything).not.toContain(key);
      expect(everything).not.toContain(key.slice(8, 30));
    }
  });
  it('makes no per-request logger for requests that log nothing', async () => {
    const child = vi.spyOn(api.app.log, 'child');
    try {
      await api.request({ method: 'GET', url: '/v1/subagents' });
      await api.request({ method: 'GET', url: '/v1/tasks/task_missing' });
      await api.request({ method: 'POST', url: '/v1/tasks', body: '{oops' });
      expect(child).not.toHaveBeenCalled();
    } finally {
      child.mockRestore();
    }
  });

  it('logs an unexpected failure with the request’s id, and answers 500 in the envelope', async () => {
    const other = new BetterSqlite3(path.join(api.base.dataDir, 'cadre.db'));
    try {
      other.exec('ALTER TABLE tasks RENAME TO tasks_away');
      // Not through the contract check: no client input can cause this answer.
      const response = await api.base.request({ method: 'GET', url: '/v1/tasks' });
      expect(response.status).toBe(500);
      expect(response.body).toMatchObject({ error: { code: 'internal_error' } });
      const requestId = response.headers['x-request-id'];
      await vi.waitFor(() =>
        expect(lines.map((line) => JSON.parse(line))).toContainEqual(
          expect.objectContaining({ level: 50, msg: 'request failed', reqId: requestId }),
        ),
      );
    } finally {
      other.exec('ALTER TABLE tasks_away RENAME TO tasks');
      other.close();
    }
  });
});
