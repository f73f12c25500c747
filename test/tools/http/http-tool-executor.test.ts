import { afterEach, describe, expect, it } from 'vitest';
import { createGuardedFetch } from '../../../src/outbound/index.js';
import { createSecretBox } from '../../../src/secrets/index.js';
import { createHttpToolExecutor } from '../../../src/tools/http-tool-executor.js';
import {
  isToolError,
  type ToolError,
  type ToolDefinition,
  type Toolkit,
  type ToolkitAuth,
} from '../../../src/tools/index.js';
import { createToolCallContext } from '../builtins/create-tool-call-context.js';
import {
  startUpstreamServer,
  type UpstreamReply,
  type UpstreamServer,
} from './start-upstream-server.js';

const SECRET = 'sk_test_4f9a8b7c6d5e';
const secretBox = createSecretBox('http-tool-executor-test-key');

const addNote: ToolDefinition = {
  toolkit: 'crm',
  action: 'add_note',
  description: 'Add a note to a contact.',
  parameters: {
    type: 'object',
    properties: {
      contact_id: { type: 'string' },
      notify: { type: 'boolean' },
      tags: { type: 'array', items: { type: 'string' } },
      'X-Trace': { type: 'string' },
      text: { type: 'string' },
      pinned: { type: 'boolean' },
    },
    required: ['contact_id', 'text'],
  },
  binding: {
    kind: 'http',
    method: 'POST',
    path: '/contacts/{contact_id}/notes',
    locations: {
      contact_id: 'path',
      notify: 'query',
      tags: 'query',
      'X-Trace': 'header',
      text: 'body',
      pinned: 'body',
    },
  },
  sideEffects: true,
};

const listContacts: ToolDefinition = {
  toolkit: 'crm',
  action: 'list_contacts',
  description: 'List contacts.',
  parameters: { type: 'object', properties: { q: { type: 'string' } } },
  binding: { kind: 'http', method: 'GET', path: '/contacts', locations: {} },
  sideEffects: false,
};

const replaceTags: ToolDefinition = {
  toolkit: 'crm',
  action: 'replace_tags',
  description: 'Replace the tags of a contact.',
  parameters: { type: 'object', properties: { id: { type: 'string' }, body: { type: 'array' } } },
  binding: {
    kind: 'http',
    method: 'PUT',
    path: '/contacts/{id}/tags',
    locations: { id: 'path', body: 'body' },
    bodyArgument: 'body',
  },
  sideEffects: true,
};

describe('createHttpToolExecutor', () => {
  let upstream: UpstreamServer | undefined;
  afterEach(async () => {
    await upstream?.close();
    upstream = undefined;
  });

  async function serve(reply: (url: string) => UpstreamReply = () => ({ body: { ok: true } })) {
    upstream = await startUpstreamServer((request) => reply(request.url));
    return upstream;
  }

  function toolkitFor(server: UpstreamServer, auth: ToolkitAuth = { type: 'none' }): Toolkit {
    return {
      id: 'tk_test',
      name: 'crm',
      description: 'CRM',
      source: 'capabilities',
      baseUrl: `${server.origin}/api/v2/`,
      auth,
      tools: [addNote, listContacts, replaceTags],
    };
  }

  function executor(env: Record<string, string> = {}, maxResponseBytes?: number) {
    const asked: string[] = [];
    const run = createHttpToolExecutor({
      fetch: globalThis.fetch,
      secretBox,
      readEnvSecret: (name) => {
        asked.push(name);
        return env[name];
      },
      ...(maxResponseBytes === undefined ? {} : { maxResponseBytes }),
    });
    return { run, asked };
  }

  async function failure(promise: Promise<unknown>): Promise<ToolError> {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!isToolError(error)) throw new Error(`expected a ToolError, got ${String(error)}`);
    return error;
  }

  describe('building the request', () => {
    it('puts path arguments encoded into the path, query and header arguments in place, the rest in a JSON body', async () => {
      const server = await serve();
      const { run } = executor();
      await run.execute(
        toolkitFor(server),
        addNote,
        {
          contact_id: 'a/b c',
          notify: true,
          tags: ['vip', 'q3'],
          'X-Trace': 't-1',
          text: 'Called',
          pinned: false,
        },
        createToolCallContext(),
      );
      const [request] = server.requests;
      expect(request?.method).toBe('POST');
      expect(request?.url).toBe('/api/v2/contacts/a%2Fb%20c/notes?notify=true&tags=vip&tags=q3');
      expect(request?.headers['x-trace']).toBe('t-1');
      expect(request?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(request?.body ?? '')).toEqual({ text: 'Called', pinned: false });
    });

    it('sends the single body argument as the whole JSON body', async () => {
      const server = await serve();
      await executor().run.execute(
        toolkitFor(server),
        replaceTags,
        { id: '42', body: ['a', 'b'] },
        createToolCallContext(),
      );
      expect(server.requests[0]?.url).toBe('/api/v2/contacts/42/tags');
      expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual(['a', 'b']);
    });

    it('sends the arguments of a GET without a declared location in the query string', async () => {
      const server = await serve();
      await executor().run.execute(
        toolkitFor(server),
        listContacts,
        { q: 'ada lovelace' },
        createToolCallContext(),
      );
      expect(server.requests[0]).toMatchObject({
        method: 'GET',
        url: '/api/v2/contacts?q=ada+lovelace',
        body: '',
      });
    });

    it('answers missing required arguments with a non-retryable invalid_arguments error and sends nothing', async () => {
      const server = await serve();
      const error = await failure(
        executor().run.execute(
          toolkitFor(server),
          addNote,
          { notify: true },
          createToolCallContext(),
        ),
      );
      expect(error).toMatchObject({
        code: 'invalid_arguments',
        retryable: false,
        message: 'Missing required arguments: contact_id, text.',
      });
      expect(server.requests).toHaveLength(0);
    });

    it('sends Idempotency-Key with the call key on side-effecting requests only', async () => {
      const server = await serve();
      const { run } = executor();
      const context = createToolCallContext({ idempotencyKey: 'task_1:step_4' });
      await run.execute(toolkitFor(server), addNote, { contact_id: '1', text: 'x' }, context);
      await run.execute(toolkitFor(server), listContacts, {}, context);
      expect(server.requests.map((request) => request.headers['idempotency-key'])).toEqual([
        'task_1:step_4',
        undefined,
      ]);
    });
  });

  describe('auth', () => {
    it.each<[string, ToolkitAuth, Record<string, string>, string, string]>([
      [
        'an api_key sealed in the store, with its prefix',
        { type: 'api_key', header: 'X-API-Key', value: secretBox.seal(SECRET), prefix: 'Key ' },
        {},
        'x-api-key',
        `Key ${SECRET}`,
      ],
      [
        'an api_key read from the environment',
        { type: 'api_key', header: 'X-API-Key', envVar: 'CRM_KEY' },
        { CRM_KEY: `${SECRET}\n` },
        'x-api-key',
        SECRET,
      ],
      [
        'a bearer token',
        { type: 'bearer', token: secretBox.seal(SECRET) },
        {},
        'authorization',
        `Bearer ${SECRET}`,
      ],
      [
        'basic credentials',
        { type: 'basic', username: 'robot', envVar: 'CRM_PASSWORD' },
        { CRM_PASSWORD: SECRET },
        'authorization',
        `Basic ${Buffer.from(`robot:${SECRET}`).toString('base64')}`,
      ],
    ])('sends %s', async (_label, auth, env, header, expected) => {
      const server = await serve();
      await executor(env).run.execute(
        toolkitFor(server, auth),
        listContacts,
        {},
        createToolCallContext(),
      );
      expect(server.requests[0]?.headers[header]).toBe(expected);
    });

    it('lets the credential win over a header argument of the same name', async () => {
      const server = await serve();
      const auth: ToolkitAuth = { type: 'bearer', token: secretBox.seal(SECRET) };
      const tool: ToolDefinition = {
        ...listContacts,
        binding: {
          kind: 'http',
          method: 'GET',
          path: '/contacts',
          locations: { Authorization: 'header' },
        },
      };
      await executor().run.execute(
        toolkitFor(server, auth),
        tool,
        { Authorization: 'Bearer forged' },
        createToolCallContext(),
      );
      expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
    });

    it('answers an unset environment variable with tool_auth_missing saying how to configure it', async () => {
      const server = await serve();
      const error = await failure(
        executor().run.execute(
          toolkitFor(server, {
            type: 'api_key',
            header: 'X-API-Key',
            envVar: 'INTERNAL_CRM_API_KEY',
          }),
          listContacts,
          {},
          createToolCallContext(),
        ),
      );
      expect(error).toMatchObject({ code: 'tool_auth_missing', retryable: false });
      expect(error.message).toBe(
        "Toolkit 'crm' reads its API key from the environment variable INTERNAL_CRM_API_KEY, which is not set on the Cadre server. Set it and restart Cadre, or register the toolkit again with auth.value.",
      );
      expect(server.requests).toHaveLength(0);
    });

    it('never reads CADRE_ variables, whatever the stored auth says', async () => {
      const server = await serve();
      const { run, asked } = executor({ CADRE_SECRET_KEY: 'server-key' });
      const error = await failure(
        run.execute(
          toolkitFor(server, { type: 'bearer', envVar: 'CADRE_SECRET_KEY' }),
          listContacts,
          {},
          createToolCallContext(),
        ),
      );
      expect(error.code).toBe('tool_auth_missing');
      expect(asked).toEqual([]);
      expect(server.requests).toHaveLength(0);
    });

    it('answers a secret sealed with another key with tool_auth_missing', async () => {
      const server = await serve();
      const foreign = createSecretBox('some-other-server-key').seal(SECRET);
      const error = await failure(
        executor().run.execute(
          toolkitFor(server, { type: 'bearer', token: foreign }),
          listContacts,
          {},
          createToolCallContext(),
        ),
      );
      expect(error.code).toBe('tool_auth_missing');
      expect(error.message).toContain('cannot be decrypted');
    });

    it('keeps the secret out of outputs and errors when the upstream echoes it', async () => {
      const server = await serve((url) =>
        url.includes('fail')
          ? { status: 401, body: { error: `key ${SECRET} is revoked` } }
          : { body: { echoed: `you sent ${SECRET}`, escaped: JSON.stringify(SECRET) } },
      );
      const auth: ToolkitAuth = {
        type: 'api_key',
        header: 'X-API-Key',
        value: secretBox.seal(SECRET),
      };
      const { run } = executor();
      const result = await run.execute(
        toolkitFor(server, auth),
        listContacts,
        {},
        createToolCallContext(),
      );
      expect(JSON.stringify(result)).not.toContain(SECRET);
      expect(result.output).toMatchObject({ body: { echoed: 'you sent [redacted]' } });
      const failing: ToolDefinition = {
        ...listContacts,
        binding: { kind: 'http', method: 'GET', path: '/fail', locations: {} },
      };
      const error = await failure(
        run.execute(toolkitFor(server, auth), failing, {}, createToolCallContext()),
      );
      expect(error.message).toContain('key [redacted] is revoked');
      expect(error.message).not.toContain(SECRET);
    });

    it('drops the credential header when a redirect leaves the origin, and keeps it within the origin', async () => {
      const elsewhere = await startUpstreamServer(() => ({ body: { landed: true } }));
      try {
        const server = await serve((url) =>
          url.startsWith('/api/v2/contacts')
            ? { status: 302, headers: { location: '/api/v2/moved' } }
            : url.startsWith('/api/v2/moved')
              ? { status: 307, headers: { location: `${elsewhere.origin}/landing` } }
              : { body: {} },
        );
        const auth: ToolkitAuth = {
          type: 'api_key',
          header: 'X-API-Key',
          value: secretBox.seal(SECRET),
        };
        const result = await executor().run.execute(
          toolkitFor(server, auth),
          listContacts,
          {},
          createToolCallContext(),
        );
        expect(result.output).toEqual({ status: 200, body: { landed: true } });
        expect(server.requests.map((request) => request.headers['x-api-key'])).toEqual([
          SECRET,
          SECRET,
        ]);
        expect(elsewhere.requests[0]?.headers['x-api-key']).toBeUndefined();
      } finally {
        await elsewhere.close();
      }
    });
  });

  describe('reading the response', () => {
    it('returns the status and parsed JSON with a note naming the status and the item count', async () => {
      const server = await serve(() => ({
        status: 201,
        body: { data: [{ id: 1 }, { id: 2 }, { id: 3 }] },
      }));
      const result = await executor().run.execute(
        toolkitFor(server),
        addNote,
        { contact_id: '1', text: 'x' },
        createToolCallContext(),
      );
      expect(result).toEqual({
        output: { status: 201, body: { data: [{ id: 1 }, { id: 2 }, { id: 3 }] } },
        note: '201 Created, 3 items',
      });
    });

    it('names the list in the note when its key says what it holds', async () => {
      const server = await serve(() => ({
        body: { contacts: [{ id: 1 }, { id: 2 }], next: null },
      }));
      const result = await executor().run.execute(
        toolkitFor(server),
        listContacts,
        {},
        createToolCallContext(),
      );
      expect(result.note).toBe('200 OK, 2 contacts');
    });

    it('returns text bodies as text and cuts large bodies with a truncated flag', async () => {
      const server = await serve(() => ({ body: 'x'.repeat(5000) }));
      const result = await executor({}, 1000).run.execute(
        toolkitFor(server),
        listContacts,
        {},
        createToolCallContext(),
      );
      expect(result.output).toEqual({ status: 200, body: 'x'.repeat(1000), truncated: true });
      expect(result.note).toBe('200 OK, 1.0 kB, truncated');
    });

    it('turns a 503 with Retry-After seconds into a retryable error with retryAfterMs', async () => {
      const server = await serve(() => ({
        status: 503,
        headers: { 'retry-after': '7' },
        body: { error: 'maintenance' },
      }));
      const error = await failure(
        executor().run.execute(toolkitFor(server), listContacts, {}, createToolCallContext()),
      );
      expect(error).toMatchObject({ retryable: true, status: 503, retryAfterMs: 7000 });
      expect(error.message).toContain('503 Service Unavailable');
    });

    it('reads a Retry-After HTTP date on a 429 as the time left until then', async () => {
      const at = new Date(Date.now() + 60_000).toUTCString();
      const server = await serve(() => ({ status: 429, headers: { 'retry-after': at } }));
      const error = await failure(
        executor().run.execute(toolkitFor(server), listContacts, {}, createToolCallContext()),
      );
      expect(error).toMatchObject({ code: 'rate_limited', retryable: true, status: 429 });
      expect(error.retryAfterMs).toBeGreaterThan(50_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
    });

    it('turns a 404 into a non-retryable tool_http_error quoting at most 500 characters of the body', async () => {
      const server = await serve(() => ({
        status: 404,
        body: { error: 'contact not found', detail: 'y'.repeat(2000) },
      }));
      const error = await failure(
        executor().run.execute(toolkitFor(server), listContacts, {}, createToolCallContext()),
      );
      expect(error).toMatchObject({ code: 'tool_http_error', retryable: false, status: 404 });
      expect(error.message).toContain('404 Not Found: {"error":"contact not found"');
      const excerpt = error.message.slice(error.message.indexOf(': ') + 2);
      expect(excerpt.length).toBeLessThanOrEqual(500);
    });
  });

  describe('failures of the call itself', () => {
    it('gives up after timeoutMs with a retryable tool_timeout', async () => {
      const server = await serve(() => ({ delayMs: 2000, body: {} }));
      const error = await failure(
        executor().run.execute(
          toolkitFor(server),
          listContacts,
          {},
          createToolCallContext({ timeoutMs: 100 }),
        ),
      );
      expect(error).toMatchObject({ code: 'tool_timeout', retryable: true });
    });

    it("rethrows the caller's abort reason when the task is cancelled", async () => {
      const server = await serve(() => ({ delayMs: 2000, body: {} }));
      const controller = new AbortController();
      const reason = new Error('task cancelled');
      const running = executor().run.execute(
        toolkitFor(server),
        listContacts,
        {},
        createToolCallContext({ signal: controller.signal }),
      );
      setTimeout(() => controller.abort(reason), 50);
      await expect(running).rejects.toBe(reason);
    });

    it('answers a refused connection with a retryable network_error', async () => {
      const server = await serve();
      const toolkit = toolkitFor(server);
      await server.close();
      upstream = undefined;
      const error = await failure(
        executor().run.execute(toolkit, listContacts, {}, createToolCallContext()),
      );
      expect(error).toMatchObject({ code: 'network_error', retryable: true });
    });

    it("works through Cadre's guarded fetch, which refuses loopback unless it is allowed", async () => {
      const server = await serve(() => ({ body: [1, 2] }));
      const allowed = createHttpToolExecutor({
        fetch: createGuardedFetch({ dangerouslyAllowPrivateHosts: [server.hostPort] }),
        secretBox,
        readEnvSecret: () => undefined,
      });
      const result = await allowed.execute(
        toolkitFor(server),
        listContacts,
        {},
        createToolCallContext(),
      );
      expect(result).toEqual({ output: { status: 200, body: [1, 2] }, note: '200 OK, 2 items' });

      const guarded = createHttpToolExecutor({
        fetch: createGuardedFetch({ dangerouslyAllowPrivateHosts: [] }),
        secretBox,
        readEnvSecret: () => undefined,
      });
      const error = await failure(
        guarded.execute(toolkitFor(server), listContacts, {}, createToolCallContext()),
      );
      expect(error).toMatchObject({ code: 'outbound_blocked', retryable: false });
      expect(server.requests).toHaveLength(1);
    });
  });
});
