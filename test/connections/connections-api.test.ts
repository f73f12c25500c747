import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiCadre, type ApiHarness } from '../support/api-harness.js';
import { startFakeService, type FakeRequest, type FakeService } from '../support/fake-service.js';
import { createScriptedClock } from '../support/scripted-clock.js';
import { scriptedMockModel, type MockTurn } from '../support/scripted-mock-model.js';
import { createTask, deploy, getTrace, waitForTask } from '../support/task-helpers.js';

const PUBLIC_URL = 'https://cadre.example.com';
const NOTES = ['buy milk', 'call Ada'];

/** A notes service with one operation and no security scheme of its own. */
function notesOpenApi(serverUrl: string) {
  return {
    openapi: '3.0.3',
    info: { title: 'Notes', version: '1.0.0', description: 'The user’s notes.' },
    servers: [{ url: serverUrl }],
    paths: {
      '/notes': {
        get: {
          operationId: 'listNotes',
          summary: 'List the user’s notes',
          responses: {
            '200': {
              description: 'The notes',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { notes: { type: 'array', items: { type: 'string' } } },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}

const isoSeconds = (epochMs: number) => new Date(epochMs).toISOString().replace('.000Z', 'Z');

/** Neither the credential nor any sealed blob (`{kid, iv, tag, …}`) may leave the server. */
function expectNoSecrets(text: string, secrets: string[]) {
  for (const secret of secrets) expect(text).not.toContain(secret);
  for (const field of ['kid', 'iv', 'tag', 'secret', 'secret_kid', 'api_key', 'password']) {
    // As a field name: "api_key" is also the value of `type`.
    expect(text).not.toContain(`"${field}":`);
  }
}

describe('the connections API', () => {
  const clock = createScriptedClock();
  let api: ApiHarness;
  let otherProjectKey: string;
  let notesToolkitId: string;

  async function registerToolkit(name: string, key?: string): Promise<string> {
    const response = await api.request({
      method: 'POST',
      url: '/v1/toolkits',
      body: { name, openapi: notesOpenApi(`https://${name}.example.com`) },
      ...(key === undefined ? {} : { key }),
    });
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  async function connect(body: Record<string, unknown>, key?: string) {
    clock.advance(1_000);
    const response = await api.request({
      method: 'POST',
      url: '/v1/connections',
      body,
      ...(key === undefined ? {} : { key }),
    });
    expect(response.status).toBe(201);
    return response;
  }

  const connectApiKey = (userId: string, toolkit = 'notes', key?: string) =>
    connect({ type: 'api_key', user_id: userId, toolkit, api_key: `key-of-${userId}` }, key);

  async function list(query: string, key?: string) {
    const response = await api.request({
      method: 'GET',
      url: `/v1/connections${query}`,
      ...(key === undefined ? {} : { key }),
    });
    expect(response.status).toBe(200);
    return response.body as {
      data: { id: string; user_id: string; toolkit: string }[];
      has_more: boolean;
    };
  }

  beforeAll(async () => {
    api = await startApiCadre({ CADRE_PUBLIC_URL: PUBLIC_URL }, { role: 'api', clock });
    otherProjectKey = await api.createKey({ project: 'other', environment: 'live' });
    notesToolkitId = await registerToolkit('notes');
    await registerToolkit('wiki');
    await registerToolkit('pager');
    await registerToolkit('crm');
  });
  afterAll(() => api.close());

  describe('POST /v1/connections', () => {
    it('stores an API key and answers 201 with the connection, never the key', async () => {
      const apiKey = 'sk_live_notes_4f9a1c7e2b';
      const response = await connect({
        type: 'api_key',
        user_id: 'user_create',
        toolkit: 'notes',
        api_key: apiKey,
        header: 'X-Notes-Key',
        prefix: 'Token ',
      });
      expect(response.body).toEqual({
        id: expect.stringMatching(/^conn_[0-9A-Za-z]+$/),
        user_id: 'user_create',
        toolkit: 'notes',
        type: 'api_key',
        status: 'active',
        scopes: [],
        expires_at: null,
        created_at: isoSeconds(clock.now()),
        updated_at: isoSeconds(clock.now()),
      });
      expectNoSecrets(response.text, [apiKey]);

      const fetched = await api.request({
        method: 'GET',
        url: `/v1/connections/${response.body.id}`,
      });
      expect(fetched.status).toBe(200);
      expect(fetched.body).toEqual(response.body);
      expectNoSecrets(fetched.text, [apiKey]);
      expectNoSecrets((await api.request({ method: 'GET', url: '/v1/connections' })).text, [
        apiKey,
      ]);
    });

    it('stores a basic credential and never echoes the password', async () => {
      const password = 'hunter2-correct-horse';
      const response = await connect({
        type: 'basic',
        user_id: 'user_basic',
        toolkit: 'notes',
        username: 'ada',
        password,
      });
      expect(response.body).toMatchObject({
        user_id: 'user_basic',
        toolkit: 'notes',
        type: 'basic',
        status: 'active',
      });
      expect(response.body.id).toMatch(/^conn_/);
      expectNoSecrets(response.text, [password, Buffer.from(`ada:${password}`).toString('base64')]);
      // The username is part of the credential too: it is not shown either.
      expect(response.text).not.toContain('"username":');
    });

    it('replaces the credential of the same user and toolkit, keeping its id and created_at', async () => {
      const first = await connectApiKey('user_replace');
      const second = await connect({
        type: 'basic',
        user_id: 'user_replace',
        toolkit: 'notes',
        username: 'ada',
        password: 'replaced-password',
      });
      expect(second.body).toMatchObject({
        id: first.body.id,
        type: 'basic',
        status: 'active',
        created_at: first.body.created_at,
        updated_at: isoSeconds(clock.now()),
      });
      expect(second.body.updated_at).not.toBe(first.body.updated_at);
      const page = await list('?user_id=user_replace');
      expect(page.data.map((connection) => connection.id)).toEqual([first.body.id]);
    });

    it('accepts the toolkit id and stores the toolkit name', async () => {
      const response = await connectApiKey('user_by_id', notesToolkitId);
      expect(response.body.toolkit).toBe('notes');
      const again = await connectApiKey('user_by_id', 'notes');
      expect(again.body.id).toBe(response.body.id);
    });
  });

  describe('validation', () => {
    const valid = { type: 'api_key', user_id: 'user_invalid', toolkit: 'notes', api_key: 'k' };
    const withoutUserId = { type: 'api_key', toolkit: 'notes', api_key: 'k' };

    it.each([
      ['user_id is missing', withoutUserId, 'user_id'],
      ['user_id is empty', { ...valid, user_id: '' }, 'user_id'],
      ['type is unknown', { ...valid, type: 'oauth2' }, 'type'],
      ['type is missing', { user_id: 'user_invalid', toolkit: 'notes', api_key: 'k' }, 'type'],
      ['api_key is empty', { ...valid, api_key: '' }, 'api_key'],
      ['api_key holds a line break', { ...valid, api_key: 'k\r\nX-Injected: 1' }, 'api_key'],
      ['header is not a header name', { ...valid, header: 'X Bad: header' }, 'header'],
      ['toolkit is missing', { ...valid, toolkit: undefined }, 'toolkit'],
      [
        'a basic credential has no password',
        { type: 'basic', user_id: 'user_invalid', toolkit: 'notes', username: 'ada' },
        'password',
      ],
      [
        'a basic password is empty',
        { type: 'basic', user_id: 'user_invalid', toolkit: 'notes', username: 'ada', password: '' },
        'password',
      ],
    ])('answers 400 invalid_request naming the param when %s', async (_case, body, param) => {
      const response = await api.request({ method: 'POST', url: '/v1/connections', body });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'invalid_request', param });
      expect((await list('?user_id=user_invalid')).data).toEqual([]);
    });

    it('answers 404 toolkit_not_found for a toolkit the project does not have', async () => {
      const response = await api.request({
        method: 'POST',
        url: '/v1/connections',
        body: { ...valid, toolkit: 'no-such-toolkit-here' },
      });
      expect(response.status).toBe(404);
      expect(response.body.error).toMatchObject({ code: 'toolkit_not_found', param: 'toolkit' });
      expect((await list('?user_id=user_invalid')).data).toEqual([]);
    });

    it('answers 404 connection_not_found for an unknown connection on GET and DELETE', async () => {
      for (const method of ['GET', 'DELETE'] as const) {
        const response = await api.request({ method, url: '/v1/connections/conn_doesNotExist' });
        expect(response.status).toBe(404);
        expect(response.body.error).toMatchObject({
          code: 'connection_not_found',
          param: 'connection_id',
        });
      }
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['offset=-1', 'offset'],
      ['user_id=', 'user_id'],
    ])('answers 400 invalid_request for the list query %s', async (query, param) => {
      const response = await api.request({ method: 'GET', url: `/v1/connections?${query}` });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'invalid_request', param });
    });
  });

  describe('GET /v1/connections', () => {
    it('lists one user’s connections newest first, and narrows them by toolkit', async () => {
      const notes = await connectApiKey('user_lister', 'notes');
      const wiki = await connectApiKey('user_lister', 'wiki');
      await connectApiKey('user_lister_neighbour', 'notes');

      const all = await list('?user_id=user_lister');
      expect(all).toEqual({
        data: [
          expect.objectContaining({ id: wiki.body.id, toolkit: 'wiki', user_id: 'user_lister' }),
          expect.objectContaining({ id: notes.body.id, toolkit: 'notes', user_id: 'user_lister' }),
        ],
        has_more: false,
      });
      expect(all.data[0]).toEqual(wiki.body);

      const onlyWiki = await list('?user_id=user_lister&toolkit=wiki');
      expect(onlyWiki).toEqual({ data: [wiki.body], has_more: false });
      // The toolkit's id names it as well as its name does.
      expect(await list(`?user_id=user_lister&toolkit=${notesToolkitId}`)).toEqual({
        data: [notes.body],
        has_more: false,
      });
      expect(await list('?user_id=user_nobody')).toEqual({ data: [], has_more: false });
      expect(await list('?user_id=user_lister&toolkit=crm')).toEqual({
        data: [],
        has_more: false,
      });
    });

    it('pages with limit and offset, with an exact has_more', async () => {
      const ids: string[] = [];
      for (const user of ['page_1', 'page_2', 'page_3', 'page_4', 'page_5']) {
        ids.push((await connectApiKey(user, 'pager')).body.id as string);
      }
      const newestFirst = [...ids].reverse();
      const page = async (query: string) => {
        const result = await list(`?toolkit=pager&${query}`);
        return { ids: result.data.map((connection) => connection.id), has_more: result.has_more };
      };

      expect(await page('limit=2')).toEqual({ ids: newestFirst.slice(0, 2), has_more: true });
      expect(await page('limit=2&offset=2')).toEqual({
        ids: newestFirst.slice(2, 4),
        has_more: true,
      });
      expect(await page('limit=2&offset=4')).toEqual({
        ids: newestFirst.slice(4),
        has_more: false,
      });
      expect(await page('limit=5')).toEqual({ ids: newestFirst, has_more: false });
      expect(await page('limit=4')).toEqual({ ids: newestFirst.slice(0, 4), has_more: true });
      expect(await page('offset=5')).toEqual({ ids: [], has_more: false });
      expect(await page('')).toEqual({ ids: newestFirst, has_more: false });
    });
  });

  describe('DELETE /v1/connections/:id', () => {
    it('deletes the connection: GET then answers 404, and a second DELETE too', async () => {
      const created = await connectApiKey('user_delete');
      const url = `/v1/connections/${created.body.id}`;

      const deleted = await api.request({ method: 'DELETE', url });
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({ id: created.body.id, deleted: true });

      const fetched = await api.request({ method: 'GET', url });
      expect(fetched.status).toBe(404);
      expect(fetched.body.error.code).toBe('connection_not_found');
      const again = await api.request({ method: 'DELETE', url });
      expect(again.status).toBe(404);
      expect(again.body.error.code).toBe('connection_not_found');
      expect((await list('?user_id=user_delete')).data).toEqual([]);

      // Connecting again makes a new connection.
      const reconnected = await connectApiKey('user_delete');
      expect(reconnected.body.id).not.toBe(created.body.id);
    });
  });

  describe('isolation', () => {
    it('hides a connection from another project and from the test environment', async () => {
      const created = await connectApiKey('user_isolated');
      const url = `/v1/connections/${created.body.id}`;

      for (const key of [otherProjectKey, api.keys.test]) {
        for (const method of ['GET', 'DELETE'] as const) {
          const response = await api.request({ method, url, key });
          expect(response.status).toBe(404);
          expect(response.body.error.code).toBe('connection_not_found');
        }
        for (const query of ['', '?user_id=user_isolated', '?toolkit=notes']) {
          const ids = (await list(query, key)).data.map((connection) => connection.id);
          expect(ids).not.toContain(created.body.id);
        }
        expect((await list('?user_id=user_isolated', key)).data).toEqual([]);
      }

      // Neither DELETE touched it.
      const fetched = await api.request({ method: 'GET', url });
      expect(fetched.status).toBe(200);
      expect(fetched.body).toEqual(created.body);
    });

    it('keeps credentials per project and environment for the same user and toolkit', async () => {
      const live = await connectApiKey('user_scoped');
      // The other project and the test environment have no such toolkit until they register it.
      for (const key of [otherProjectKey, api.keys.test]) {
        const response = await api.request({
          method: 'POST',
          url: '/v1/connections',
          key,
          body: { type: 'api_key', user_id: 'user_scoped', toolkit: 'notes', api_key: 'x' },
        });
        expect(response.status).toBe(404);
        expect(response.body.error.code).toBe('toolkit_not_found');
      }
      await registerToolkit('notes', otherProjectKey);
      await registerToolkit('notes', api.keys.test);

      const other = await connectApiKey('user_scoped', 'notes', otherProjectKey);
      const test = await connectApiKey('user_scoped', 'notes', api.keys.test);
      expect(new Set([live.body.id, other.body.id, test.body.id]).size).toBe(3);

      expect((await list('?user_id=user_scoped')).data).toEqual([live.body]);
      expect((await list('?user_id=user_scoped', otherProjectKey)).data).toEqual([other.body]);
      expect((await list('?user_id=user_scoped', api.keys.test)).data).toEqual([test.body]);
    });
  });

  describe('auth_config', () => {
    const clientSecret = 'cs_9d2f7a1b6e3c5d8f';
    const fullConfig = {
      client_id: 'cadre-crm-client',
      client_secret: clientSecret,
      scopes: ['contacts.read', 'contacts.write'],
      authorization_url: 'https://crm.example.com/oauth/authorize',
      token_url: 'https://crm.example.com/oauth/token',
    };

    it('stores the OAuth client and shows it without its secret, with Cadre’s redirect URI', async () => {
      clock.advance(1_000);
      const saved = await api.request({
        method: 'POST',
        url: '/v1/toolkits/crm/auth_config',
        body: fullConfig,
      });
      expect(saved.status).toBe(200);
      expect(saved.body).toEqual({
        toolkit: 'crm',
        client_id: 'cadre-crm-client',
        has_client_secret: true,
        scopes: ['contacts.read', 'contacts.write'],
        authorization_url: 'https://crm.example.com/oauth/authorize',
        token_url: 'https://crm.example.com/oauth/token',
        redirect_uri: `${PUBLIC_URL}/v1/oauth/callback`,
        created_at: isoSeconds(clock.now()),
        updated_at: isoSeconds(clock.now()),
      });
      expect(saved.text).not.toContain(clientSecret);
      expect(saved.text).not.toContain('"client_secret"');

      const fetched = await api.request({ method: 'GET', url: '/v1/toolkits/crm/auth_config' });
      expect(fetched.status).toBe(200);
      expect(fetched.body).toEqual(saved.body);
      expect(fetched.text).not.toContain(clientSecret);
    });

    it('replaces the config on a second POST, keeping created_at', async () => {
      clock.advance(1_000);
      const first = await api.request({
        method: 'POST',
        url: '/v1/toolkits/crm/auth_config',
        body: fullConfig,
      });
      clock.advance(1_000);
      const second = await api.request({
        method: 'POST',
        url: `/v1/toolkits/crm/auth_config`,
        body: { client_id: 'public-client' },
      });
      expect(second.status).toBe(200);
      expect(second.body).toEqual({
        toolkit: 'crm',
        client_id: 'public-client',
        has_client_secret: false,
        scopes: null,
        authorization_url: null,
        token_url: null,
        redirect_uri: `${PUBLIC_URL}/v1/oauth/callback`,
        created_at: first.body.created_at,
        updated_at: isoSeconds(clock.now()),
      });
    });

    it('accepts the toolkit id and answers with its name', async () => {
      const saved = await api.request({
        method: 'POST',
        url: `/v1/toolkits/${notesToolkitId}/auth_config`,
        body: { client_id: 'notes-client', client_secret: clientSecret },
      });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ toolkit: 'notes', has_client_secret: true });
      expect(saved.text).not.toContain(clientSecret);
    });

    it('answers 404 auth_config_not_found for a toolkit with no OAuth client', async () => {
      const response = await api.request({ method: 'GET', url: '/v1/toolkits/wiki/auth_config' });
      expect(response.status).toBe(404);
      expect(response.body.error).toMatchObject({
        code: 'auth_config_not_found',
        param: 'toolkit_id',
      });
    });

    it('answers 404 toolkit_not_found for an unknown toolkit and for another project', async () => {
      for (const [toolkit, key] of [
        ['no-such-toolkit-here', api.keys.live],
        ['crm', otherProjectKey],
      ] as const) {
        const url = `/v1/toolkits/${toolkit}/auth_config`;
        for (const request of [
          { method: 'POST' as const, url, key, body: fullConfig },
          { method: 'GET' as const, url, key },
        ]) {
          const response = await api.request(request);
          expect(response.status).toBe(404);
          expect(response.body.error).toMatchObject({
            code: 'toolkit_not_found',
            param: 'toolkit_id',
          });
          expect(response.text).not.toContain(clientSecret);
        }
      }
    });

    it('answers 404 auth_config_not_found to another project that has a toolkit of that name', async () => {
      await registerToolkit('crm', otherProjectKey);
      const response = await api.request({
        method: 'GET',
        url: '/v1/toolkits/crm/auth_config',
        key: otherProjectKey,
      });
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('auth_config_not_found');
    });

    it.each([
      ['client_id is missing', { client_secret: 'x' }, 'client_id'],
      [
        'authorization_url is not http(s)',
        { client_id: 'c', authorization_url: 'ftp://x.example' },
        'authorization_url',
      ],
      ['token_url is not a URL', { client_id: 'c', token_url: 'not a url' }, 'token_url'],
      ['client_secret is empty', { client_id: 'c', client_secret: '' }, 'client_secret'],
    ])('answers 400 invalid_request when %s', async (_case, body, param) => {
      const response = await api.request({
        method: 'POST',
        url: '/v1/toolkits/wiki/auth_config',
        body,
      });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'invalid_request', param });
    });
  });
});

/** Lists the notes once, then answers with what the tool returned (or that it failed). */
function notesModel(options: LanguageModelV3CallOptions): MockTurn {
  const last = options.prompt.at(-1);
  if (last?.role === 'tool') {
    const part = last.content[0];
    if (part?.type === 'tool-result' && part.output.type === 'json') {
      const value = part.output.value as { body?: { notes?: unknown[] } };
      return { text: JSON.stringify({ notes: value.body?.notes ?? [] }) };
    }
    return { text: JSON.stringify({ error: 'the notes call failed' }) };
  }
  return { toolCalls: [{ name: 'notes__listNotes', input: {} }] };
}

describe('a tool call with a stored connection', () => {
  let notes: FakeService;
  let api: ApiHarness;

  beforeAll(async () => {
    notes = await startFakeService({ 'GET /notes': () => ({ body: { notes: NOTES } }) });
    api = await startApiCadre(
      { CADRE_ALLOW_PRIVATE_HOSTS: notes.hostPort },
      {
        model: scriptedMockModel((options) => notesModel(options)),
        retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      },
    );
    const toolkit = await api.request({
      method: 'POST',
      url: '/v1/toolkits',
      body: { name: 'notes', openapi: notesOpenApi(notes.url) },
    });
    expect(toolkit.status).toBe(201);
    await deploy(api.base, 'notes-agent', 'Read the user’s notes.');
  });
  afterAll(async () => {
    await api.close();
    await notes.close();
  });

  async function connect(body: Record<string, unknown>): Promise<string> {
    const response = await api.request({ method: 'POST', url: '/v1/connections', body });
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  /** Runs one task for the user and returns the request the notes service received. */
  async function runFor(userId: string): Promise<{ request: FakeRequest; taskId: string }> {
    const before = notes.requests.length;
    const taskId = await createTask(api.base, {
      prompt: 'List my notes',
      sub_agent: 'notes-agent',
      user_id: userId,
    });
    const task = await waitForTask(api.base, taskId);
    expect(task.status).toBe('complete');
    expect(task.result).toEqual({ notes: NOTES });
    expect(notes.requests).toHaveLength(before + 1);
    return { request: notes.requests[before]!, taskId };
  }

  it('sends the user’s API key as a bearer token, and not to another user', async () => {
    const apiKey = 'sk_user_a_0c4e8b2d6f';
    await connect({ type: 'api_key', user_id: 'user_a', toolkit: 'notes', api_key: apiKey });

    const { request, taskId } = await runFor('user_a');
    expect(request.headers.authorization).toBe(`Bearer ${apiKey}`);
    const trace = await getTrace(api.base, taskId);
    expect(JSON.stringify(trace)).not.toContain(apiKey);

    const other = await runFor('user_b');
    expect(other.request.headers.authorization).toBeUndefined();
  });

  it('sends the key in the custom header with the custom prefix', async () => {
    await connect({
      type: 'api_key',
      user_id: 'user_c',
      toolkit: 'notes',
      api_key: 'key-c',
      header: 'X-Notes-Key',
      prefix: 'Token ',
    });
    await connect({
      type: 'api_key',
      user_id: 'user_d',
      toolkit: 'notes',
      api_key: 'key-d',
      header: 'X-Notes-Key',
    });

    const c = await runFor('user_c');
    expect(c.request.headers['x-notes-key']).toBe('Token key-c');
    expect(c.request.headers.authorization).toBeUndefined();
    const d = await runFor('user_d');
    expect(d.request.headers['x-notes-key']).toBe('key-d');
  });

  it('sends a basic credential as an Authorization: Basic header', async () => {
    await connect({
      type: 'basic',
      user_id: 'user_e',
      toolkit: 'notes',
      username: 'ada',
      password: 'p4ss:word',
    });
    const { request } = await runFor('user_e');
    expect(request.headers.authorization).toBe(
      `Basic ${Buffer.from('ada:p4ss:word').toString('base64')}`,
    );
  });

  it('uses the replacing credential, and none once the connection is deleted', async () => {
    const id = await connect({
      type: 'api_key',
      user_id: 'user_f',
      toolkit: 'notes',
      api_key: 'first-key',
    });
    expect(
      await connect({
        type: 'api_key',
        user_id: 'user_f',
        toolkit: 'notes',
        api_key: 'second-key',
      }),
    ).toBe(id);
    expect((await runFor('user_f')).request.headers.authorization).toBe('Bearer second-key');

    const deleted = await api.request({ method: 'DELETE', url: `/v1/connections/${id}` });
    expect(deleted.status).toBe(200);
    expect((await runFor('user_f')).request.headers.authorization).toBeUndefined();
  });
});
