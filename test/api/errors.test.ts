import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/api-keys/index.js';
import { startApiCadre, type ApiHarness, type ApiResponse } from '../support/api-harness.js';

const BODY_LIMIT_BYTES = 16_384;

describe('error responses', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiCadre(
      { CADRE_BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES) },
      { role: 'api' },
    );
    const response = await api.request({
      method: 'POST',
      url: '/v1/subagents',
      body: { name: 'crm-agent', prompt: 'Handle CRM tasks: pull contacts, export deals.' },
    });
    expect(response.status).toBe(201);
  });
  afterAll(() => api.close());

  const expectError = (response: ApiResponse, status: number, code: string, param?: string) => {
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    if (param !== undefined) expect(response.body.error.param).toBe(param);
  };

  describe('400 invalid_request', () => {
    it.each([
      ['POST', '/v1/tasks'],
      ['POST', '/v1/subagents'],
      ['PATCH', '/v1/subagents/crm-agent'],
    ] as const)('answers invalid JSON on %s %s', async (method, url) => {
      const response = await api.request({ method, url, body: '{"prompt": "unterminated' });
      expectError(response, 400, 'invalid_request');
      expect(response.body.error.message).toMatch(/JSON/);
    });

    it.each([
      ['an array', '[]'],
      ['a string', '"text"'],
      ['null', 'null'],
      ['a number', '42'],
    ])('answers a body that is %s instead of an object', async (_what, raw) => {
      expectError(
        await api.request({ method: 'POST', url: '/v1/tasks', body: raw }),
        400,
        'invalid_request',
      );
    });

    it('answers an empty body on POST /v1/tasks', async () => {
      expectError(
        await api.request({
          method: 'POST',
          url: '/v1/tasks',
          headers: { 'content-type': 'application/json' },
        }),
        400,
        'invalid_request',
      );
    });

    it.each([
      ['prompt', { sub_agent: 'crm-agent' }],
      ['sub_agent', { prompt: 'Export deals.' }],
      ['prompt', { prompt: 42, sub_agent: 'crm-agent' }],
      ['prompt', { prompt: '', sub_agent: 'crm-agent' }],
      ['prompt', { prompt: '   ', sub_agent: 'crm-agent' }],
      ['sub_agent', { prompt: 'Export deals.', sub_agent: ['crm-agent'] }],
      ['sub_agent', { prompt: 'Export deals.', sub_agent: '' }],
      ['user_id', { prompt: 'Export deals.', sub_agent: 'crm-agent', user_id: 123 }],
      ['metadata', { prompt: 'Export deals.', sub_agent: 'crm-agent', metadata: 'source' }],
      ['metadata', { prompt: 'Export deals.', sub_agent: 'crm-agent', metadata: ['a'] }],
      ['mode', { prompt: 'Export deals.', sub_agent: 'crm-agent', mode: 'dry-run' }],
    ])('names `%s` when POST /v1/tasks gets %j', async (param, body) => {
      expectError(
        await api.request({ method: 'POST', url: '/v1/tasks', body }),
        400,
        'invalid_request',
        param,
      );
    });

    it.each([
      ['name', { prompt: 'Handle billing.' }],
      ['prompt', { name: 'billing-agent' }],
      ['name', { name: 'has spaces', prompt: 'Handle billing.' }],
      ['name', { name: 7, prompt: 'Handle billing.' }],
      ['prompt', { name: 'billing-agent', prompt: { text: 'Handle billing.' } }],
    ])('names `%s` when POST /v1/subagents gets %j', async (param, body) => {
      expectError(
        await api.request({ method: 'POST', url: '/v1/subagents', body }),
        400,
        'invalid_request',
        param,
      );
    });

    it('says a field has the wrong type rather than calling it missing', async () => {
      const response = await api.request({
        method: 'POST',
        url: '/v1/tasks',
        body: { prompt: 42, sub_agent: 'crm-agent' },
      });
      expectError(response, 400, 'invalid_request', 'prompt');
      expect(response.body.error.message).not.toMatch(/Missing/);
      expect(response.body.error.message).toMatch(/expected string/);
    });

    it('names `prompt` when PATCH gets no prompt', async () => {
      expectError(
        await api.request({ method: 'PATCH', url: '/v1/subagents/crm-agent', body: {} }),
        400,
        'invalid_request',
        'prompt',
      );
    });

    it.each([
      ['body field', 'POST', '/v1/tasks', { prompt: 'a\u0000b', sub_agent: 'crm-agent' }, 'prompt'],
      [
        'metadata key',
        'POST',
        '/v1/tasks',
        { prompt: 'a', sub_agent: 'crm-agent', metadata: { 'k\u0000': 1 } },
        'metadata.k\u0000',
      ],
      ['query parameter', 'GET', '/v1/tasks?user_id=%00', undefined, 'user_id'],
      ['path parameter', 'GET', '/v1/tasks/task_%00', undefined, 'task_id'],
      ['subagent name', 'GET', '/v1/subagents/crm%00', undefined, 'subagent_id'],
    ] as const)(
      'answers a NUL character in a %s, naming it (PostgreSQL text cannot store one)',
      async (_what, method, url, body, param) => {
        const response = await api.request({
          method,
          url,
          ...(body === undefined ? {} : { body }),
        });
        expectError(response, 400, 'invalid_request', param);
      },
    );

    it.each([200, 2_000, 7_000])(
      'answers a body nested %i levels deep instead of overflowing the stack',
      async (depth) => {
        const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
        const body = `{"prompt":"x","sub_agent":"crm-agent","metadata":{"deep":${deep}}}`;
        expectError(
          await api.request({ method: 'POST', url: '/v1/tasks', body }),
          400,
          'invalid_request',
        );
        expectError(
          await api.request({
            method: 'POST',
            url: '/v1/tasks',
            body,
            headers: { 'idempotency-key': `deep-${depth}` },
          }),
          400,
          'invalid_request',
        );
      },
    );

    it('accepts metadata nested 90 levels deep', async () => {
      const deep = `${'{"a":'.repeat(90)}1${'}'.repeat(90)}`;
      const body = `{"prompt":"x","sub_agent":"crm-agent","mode":"test","metadata":${deep}}`;
      expect((await api.request({ method: 'POST', url: '/v1/tasks', body })).status).toBe(201);
    });

    it('answers a path parameter longer than the router accepts', async () => {
      expectError(
        await api.request({ method: 'GET', url: `/v1/tasks/${'t'.repeat(600)}` }),
        400,
        'invalid_request',
      );
    });

    it('answers a malformed percent-encoding in the path', async () => {
      expectError(
        await api.request({ method: 'GET', url: '/v1/subagents/%E0%A4%A' }),
        400,
        'invalid_request',
      );
    });
  });

  describe('422 prompt_too_long', () => {
    const atLimit = 'p'.repeat(10_000);
    const overLimit = 'p'.repeat(10_001);

    it('answers a task prompt of 10,001 characters', async () => {
      expectError(
        await api.request({
          method: 'POST',
          url: '/v1/tasks',
          body: { prompt: overLimit, sub_agent: 'crm-agent' },
        }),
        422,
        'prompt_too_long',
        'prompt',
      );
    });

    it('answers a subagent prompt of 10,001 characters on deploy and on update', async () => {
      expectError(
        await api.request({
          method: 'POST',
          url: '/v1/subagents',
          body: { name: 'long-agent', prompt: overLimit },
        }),
        422,
        'prompt_too_long',
        'prompt',
      );
      expectError(
        await api.request({
          method: 'PATCH',
          url: '/v1/subagents/crm-agent',
          body: { prompt: overLimit },
        }),
        422,
        'prompt_too_long',
        'prompt',
      );
    });

    it('accepts prompts of exactly 10,000 characters', async () => {
      const task = await api.request({
        method: 'POST',
        url: '/v1/tasks',
        body: { prompt: atLimit, sub_agent: 'crm-agent', mode: 'test' },
      });
      expect(task.status).toBe(201);
      const agent = await api.request({
        method: 'POST',
        url: '/v1/subagents',
        body: { name: 'limit-agent', prompt: atLimit },
      });
      expect(agent.status).toBe(201);
    });
  });

  describe('401', () => {
    it('answers missing_api_key without an Authorization header', async () => {
      for (const url of [
        '/v1/subagents',
        '/v1/tasks',
        '/v1/tasks/task_x',
        '/v1/subagents/crm-agent',
      ]) {
        expectError(await api.request({ method: 'GET', url, key: null }), 401, 'missing_api_key');
      }
    });

    it('answers missing_api_key to an empty Authorization header', async () => {
      expectError(
        await api.request({
          method: 'GET',
          url: '/v1/tasks',
          key: null,
          headers: { authorization: '' },
        }),
        401,
        'missing_api_key',
      );
    });

    it.each([
      ['garbage', 'Bearer not-a-key'],
      ['a wrong checksum', `Bearer pk_live_${'a'.repeat(36)}`],
      ['a well-formed key that was never issued', `Bearer ${generateApiKey('live')}`],
      ['a test key that was never issued', `Bearer ${generateApiKey('test')}`],
      ['Basic auth', 'Basic dXNlcjpwYXNz'],
      ['a bare scheme', 'Bearer'],
      ['two tokens', 'Bearer a b'],
    ])('answers invalid_api_key to %s', async (_what, authorization) => {
      expectError(
        await api.request({
          method: 'GET',
          url: '/v1/tasks',
          key: null,
          headers: { authorization },
        }),
        401,
        'invalid_api_key',
      );
    });

    it('answers invalid_api_key to a revoked key', async () => {
      const created = await api.base.cadre.apiKeys.createKey({ environment: 'live' });
      expect(
        (await api.request({ method: 'GET', url: '/v1/tasks', key: created.key })).status,
      ).toBe(200);
      await api.base.cadre.apiKeys.revokeKey(created.id);
      expectError(
        await api.request({ method: 'GET', url: '/v1/tasks', key: created.key }),
        401,
        'invalid_api_key',
      );
    });

    it('accepts the Bearer scheme in any case', async () => {
      const response = await api.request({
        method: 'GET',
        url: '/v1/tasks',
        key: null,
        headers: { authorization: `bearer ${api.keys.live}` },
      });
      expect(response.status).toBe(200);
    });

    it('checks the key before validating the body', async () => {
      expectError(
        await api.request({ method: 'POST', url: '/v1/tasks', key: null, body: '{oops' }),
        401,
        'missing_api_key',
      );
    });
  });

  describe('404, 409 and 413', () => {
    it('answers subagent_not_found naming sub_agent for a task routed to an unknown subagent', async () => {
      expectError(
        await api.request({
          method: 'POST',
          url: '/v1/tasks',
          body: { prompt: 'Hi.', sub_agent: 'ghost-agent' },
        }),
        404,
        'subagent_not_found',
        'sub_agent',
      );
    });

    it('answers subagent_not_found for GET of an unknown subagent', async () => {
      expectError(
        await api.request({ method: 'GET', url: '/v1/subagents/ghost-agent' }),
        404,
        'subagent_not_found',
      );
    });

    it('answers task_not_found for GET of an unknown task', async () => {
      expectError(
        await api.request({ method: 'GET', url: '/v1/tasks/task_8xK2mP' }),
        404,
        'task_not_found',
      );
    });

    it('answers task_already_complete to cancelling a finished task', async () => {
      const task = await api.request({
        method: 'POST',
        url: '/v1/tasks',
        body: { prompt: 'Preview.', sub_agent: 'crm-agent', mode: 'test' },
      });
      expectError(
        await api.request({ method: 'POST', url: `/v1/tasks/${task.body.id}/cancel` }),
        409,
        'task_already_complete',
      );
    });

    it('answers subagent_exists to a duplicate name', async () => {
      expectError(
        await api.request({
          method: 'POST',
          url: '/v1/subagents',
          body: { name: 'crm-agent', prompt: 'Again.' },
        }),
        409,
        'subagent_exists',
        'name',
      );
    });

    it('answers 413 payload_too_large to a body over the configured limit', async () => {
      const body = {
        prompt: 'x',
        sub_agent: 'crm-agent',
        metadata: { blob: 'b'.repeat(BODY_LIMIT_BYTES) },
      };
      expectError(
        await api.request({ method: 'POST', url: '/v1/tasks', body }),
        413,
        'payload_too_large',
      );
    });

    it.each([
      ['GET', '/v1/nothing-here', true],
      ['GET', '/v1/nothing-here', false],
      ['GET', '/', false],
      ['PUT', '/v1/tasks', true],
      ['POST', '/v1/subagents/crm-agent', true],
      ['DELETE', '/v1/tasks', true],
      ['GET', '/v2/tasks', true],
    ] as const)(
      'answers route_not_found in the envelope to %s %s (key sent: %s)',
      async (method, url, withKey) => {
        const response = await api.request({ method, url, ...(withKey ? {} : { key: null }) });
        expectError(response, 404, 'route_not_found');
      },
    );
  });
});
