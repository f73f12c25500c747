import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedFetch, type ResolveHost } from '../../../src/outbound/index.js';
import { createBuiltinHandlers, type BuiltinHandler } from '../../../src/tools/builtins/index.js';
import { ToolError } from '../../../src/tools/tool-error.js';
import { startLoopbackServer, type LoopbackServer } from '../../outbound/start-loopback-server.js';
import { createToolCallContext } from './create-tool-call-context.js';

const MAX_RESPONSE_BYTES = 256 * 1024;
const HUGE_BODY_BYTES = 64 * 1024 * 1024;

const PAGE = `<!doctype html><html><head><title>Pricing &amp; Plans</title>
<script>window.tracking = true;</script><style>body { color: red }</style></head>
<body><h1>Plans</h1><p>The <b>Team</b> plan costs $20. See <a href="/docs/billing">billing docs</a>
or <a href="https://partner.example/offer">the partner offer</a>.</p><img src="/hero.png"></body></html>`;

let server: LoopbackServer;
let fetchTool: BuiltinHandler;
const huge = { sentBytes: 0, closed: Promise.resolve() };

async function streamHugeBody(response: ServerResponse): Promise<void> {
  let closed = false;
  huge.sentBytes = 0;
  huge.closed = new Promise((resolve) => {
    response.once('close', () => {
      closed = true;
      resolve();
    });
  });
  response.writeHead(200, { 'content-type': 'text/plain' });
  const chunk = Buffer.alloc(64 * 1024, 'a');
  while (!closed && huge.sentBytes < HUGE_BODY_BYTES) {
    huge.sentBytes += chunk.length;
    if (!response.write(chunk)) {
      await Promise.race([new Promise((resolve) => response.once('drain', resolve)), huge.closed]);
    }
  }
  if (!closed) response.end();
}

beforeAll(async () => {
  server = await startLoopbackServer(async (request, response, body) => {
    switch (request.url ?? '') {
      case '/page':
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(PAGE);
        return;
      case '/data':
        response.writeHead(200, {
          'content-type': 'application/json',
          'content-length': '39',
          link: '</data?page=2>; rel="next"',
          'set-cookie': 'session=secret',
        });
        response.end(JSON.stringify({ items: [{ id: 1 }, { id: 2 }], total: 2 }));
        return;
      case '/plain':
        response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        response.end('just text');
        return;
      case '/long-text':
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('b'.repeat(150_000));
        return;
      case '/image':
        response.writeHead(200, { 'content-type': 'image/png' });
        response.end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
        return;
      case '/huge':
        await streamHugeBody(response);
        return;
      case '/slow':
        return;
      case '/unavailable':
        response.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '7' });
        response.end('down for maintenance');
        return;
      case '/rate-limited':
        response.writeHead(429, {
          'content-type': 'application/json',
          'retry-after': new Date(Date.now() + 60_000).toUTCString(),
        });
        response.end('{"error":"slow down"}');
        return;
      case '/missing':
        response.writeHead(404, { 'content-type': 'text/html' });
        response.end('<html><body><h1>Not found</h1><p>No such page.</p></body></html>');
        return;
      case '/moved':
        response.writeHead(301, { location: '/data' });
        response.end();
        return;
      case '/echo':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            method: request.method,
            idempotencyKey: request.headers['idempotency-key'] ?? null,
            contentType: request.headers['content-type'] ?? null,
            body,
          }),
        );
        return;
      default:
        response.writeHead(500);
        response.end();
    }
  });
  fetchTool = createBuiltinHandlers({
    fetch: createGuardedFetch({ dangerouslyAllowPrivateHosts: [`127.0.0.1:${server.port}`] }),
    maxResponseBytes: MAX_RESPONSE_BYTES,
    maxTextChars: 1_000_000,
  })['http.fetch']!;
});

afterAll(async () => {
  await server.close();
});

function fetchPath(path: string, extra: Record<string, unknown> = {}, timeoutMs = 10_000) {
  return fetchTool(
    { url: `${server.origin}${path}`, ...extra },
    createToolCallContext({ timeoutMs }),
  );
}

async function rejection(promise: Promise<unknown>): Promise<ToolError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

describe('http.fetch', () => {
  it('returns an HTML page as readable text with its title and short links', async () => {
    const { output, note } = await fetchPath('/page');
    expect(output).toMatchObject({
      status: 200,
      url: `${server.origin}/page`,
      content_type: 'text/html; charset=utf-8',
      title: 'Pricing & Plans',
      truncated: false,
    });
    const { body } = output as { body: string };
    expect(body).toContain('The Team plan costs $20.');
    expect(body).toContain('billing docs [/docs/billing]');
    expect(body).toContain('the partner offer [https://partner.example/offer]');
    expect(body).not.toMatch(/<|tracking|color: red|hero\.png/);
    expect(note).toMatch(/^200 OK, text\/html, \d+(\.\d)? (B|kB)$/);
  });

  it('returns a JSON response parsed, with only safe headers', async () => {
    const { output, note } = await fetchPath('/data');
    expect(output).toEqual({
      status: 200,
      url: `${server.origin}/data`,
      content_type: 'application/json',
      headers: {
        'content-type': 'application/json',
        'content-length': '39',
        link: '</data?page=2>; rel="next"',
      },
      body: { items: [{ id: 1 }, { id: 2 }], total: 2 },
      truncated: false,
    });
    expect(note).toBe('200 OK, application/json, 39 B');
  });

  it('returns plain text as text', async () => {
    const { output } = await fetchPath('/plain');
    expect(output).toMatchObject({ body: 'just text', truncated: false });
  });

  it('leaves binary content out and says why', async () => {
    const { output } = await fetchPath('/image');
    expect(output).toMatchObject({
      body: null,
      body_note: 'Binary content (image/png) is not shown.',
    });
  });

  it('stops reading a huge body at the size cap and marks it truncated', async () => {
    const { output, note } = await fetchPath('/huge');
    const { body, truncated, body_note } = output as {
      body: string;
      truncated: boolean;
      body_note: string;
    };
    expect(truncated).toBe(true);
    expect(body).toHaveLength(MAX_RESPONSE_BYTES);
    expect(body_note).toContain('Only the first 262.1 kB were read.');
    expect(note).toBe('200 OK, text/plain, 262.1 kB (truncated)');
    await huge.closed;
    expect(huge.sentBytes).toBeLessThan(HUGE_BODY_BYTES);
  });

  it('cuts long text at the character cap and marks it truncated', async () => {
    const handler = createBuiltinHandlers({
      fetch: createGuardedFetch({ dangerouslyAllowPrivateHosts: [`127.0.0.1:${server.port}`] }),
    })['http.fetch']!;
    const { output } = await handler(
      { url: `${server.origin}/long-text` },
      createToolCallContext(),
    );
    const { body, truncated } = output as { body: string; truncated: boolean };
    expect(body).toHaveLength(100_000);
    expect(truncated).toBe(true);
  });

  it('fails a response slower than the call timeout with a retryable tool_timeout', async () => {
    const error = await rejection(fetchPath('/slow', {}, 200));
    expect(error.code).toBe('tool_timeout');
    expect(error.retryable).toBe(true);
  });

  it('fails a 503 with a retryable error carrying Retry-After', async () => {
    const error = await rejection(fetchPath('/unavailable'));
    expect(error).toMatchObject({
      code: 'upstream_error',
      retryable: true,
      retryAfterMs: 7000,
      status: 503,
    });
    expect(error.message).toContain('503 Service Unavailable: down for maintenance');
  });

  it('fails a 429 with a retryable error whose Retry-After date becomes a delay', async () => {
    const error = await rejection(fetchPath('/rate-limited'));
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, status: 429 });
    expect(error.retryAfterMs).toBeGreaterThan(50_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('returns a 404 page as output so the model can read it', async () => {
    const { output, note } = await fetchPath('/missing');
    expect(output).toMatchObject({ status: 404, body: expect.stringContaining('No such page.') });
    expect(note).toMatch(/^404 Not Found, text\/html/);
  });

  it('follows a redirect and reports the final URL', async () => {
    const { output } = await fetchPath('/moved');
    expect(output).toMatchObject({ status: 200, url: `${server.origin}/data` });
  });

  it('sends the call idempotency key on a POST', async () => {
    const { output } = await fetchPath('/echo', { method: 'POST', body: { name: 'Ada' } });
    expect((output as { body: unknown }).body).toEqual({
      method: 'POST',
      idempotencyKey: 'idem_task_test_step_1',
      contentType: 'application/json',
      body: '{"name":"Ada"}',
    });
  });

  it('keeps an idempotency key the caller set', async () => {
    const { output } = await fetchPath('/echo', {
      method: 'PUT',
      headers: { 'Idempotency-Key': 'caller-key' },
      body: 'raw text',
    });
    expect((output as { body: unknown }).body).toMatchObject({
      idempotencyKey: 'caller-key',
      body: 'raw text',
    });
  });

  it('sends no idempotency key on a GET', async () => {
    const { output } = await fetchPath('/echo');
    expect((output as { body: unknown }).body).toMatchObject({
      method: 'GET',
      idempotencyKey: null,
    });
  });

  it('refuses a private address that is not allowlisted as outbound_blocked', async () => {
    const canary = await startLoopbackServer((_request, response) => response.end('leaked'));
    try {
      const error = await rejection(
        fetchTool({ url: `${canary.origin}/` }, createToolCallContext()),
      );
      expect(error.code).toBe('outbound_blocked');
      expect(error.retryable).toBe(false);
      expect(error.message).toContain('CADRE_ALLOW_PRIVATE_HOSTS');
      expect(canary.requests).toHaveLength(0);
    } finally {
      await canary.close();
    }
  });

  it('fails a refused connection with a retryable network_error', async () => {
    const closed = await startLoopbackServer((_request, response) => response.end());
    await closed.close();
    const handler = createBuiltinHandlers({
      fetch: createGuardedFetch({ dangerouslyAllowPrivateHosts: [`127.0.0.1:${closed.port}`] }),
    })['http.fetch']!;
    const error = await rejection(handler({ url: closed.origin }, createToolCallContext()));
    expect(error.code).toBe('network_error');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('fails an unknown host with a non-retryable host_not_found', async () => {
    const resolveHost: ResolveHost = () =>
      Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    const handler = createBuiltinHandlers({
      fetch: createGuardedFetch({ dangerouslyAllowPrivateHosts: [], resolveHost }),
    })['http.fetch']!;
    const error = await rejection(
      handler({ url: 'https://no-such-host.example/' }, createToolCallContext()),
    );
    expect(error.code).toBe('host_not_found');
    expect(error.retryable).toBe(false);
  });

  it('rejects with the caller abort reason when the task is cancelled mid-request', async () => {
    const controller = new AbortController();
    const pending = fetchTool(
      { url: `${server.origin}/slow` },
      createToolCallContext({ signal: controller.signal }),
    );
    const requestsBefore = server.requests.length;
    while (server.requests.length === requestsBefore) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    controller.abort(new Error('task cancelled'));
    const error: unknown = await pending.catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(ToolError);
    expect(error).toEqual(new Error('task cancelled'));
  });

  it.each([
    [{ url: 'ftp://example.com/file' }, 'Only http and https'],
    [{ url: 'not a url' }, 'not an absolute URL'],
    [{}, '`url` is required'],
    [{ url: 'https://example.com/', method: 'GET', body: 'x' }, 'cannot have a body'],
    [{ url: 'https://example.com/', method: 'TRACE' }, '`method` must be one of'],
    [{ url: 'https://example.com/', headers: { Host: 'evil' } }, 'set by the HTTP client'],
    [{ url: 'https://example.com/', headers: { 'X-Thing': { nested: true } } }, 'string value'],
  ])('rejects invalid input %j', async (input, message) => {
    const error = await rejection(fetchTool(input, createToolCallContext()));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain(message);
  });
});
