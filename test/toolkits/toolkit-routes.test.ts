import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiCadre, type ApiHarness } from '../support/api-harness.js';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '../support/postgres.js';
import { createScriptedClock } from '../support/scripted-clock.js';
import { crmOpenApi30 } from './fixtures/crm-openapi-3-0.js';
import { plotonCrmDefinition } from './fixtures/ploton-crm-definition.js';

const API_KEY_SECRET = 'sk_live_crm_0123456789abcdef';
const BEARER_SECRET = 'bearer-token-fedcba9876543210';
const BASIC_SECRET = 'basic-password-13579';

describe.each(['sqlite', 'postgres'] as const)('POST/GET/DELETE /v1/toolkits on %s', (dialect) => {
  const clock = createScriptedClock();
  let api: ApiHarness;
  let postgres: TestPostgresDatabase | undefined;
  let otherProjectKey: string;
  /** Every response body seen, to prove no secret ever leaves the server. */
  const seen: string[] = [];

  async function call(request: Parameters<ApiHarness['request']>[0]) {
    clock.advance(1_000);
    const response = await api.request(request);
    seen.push(response.text);
    return response;
  }

  function register(body: Record<string, unknown>, key?: string) {
    return call({
      method: 'POST',
      url: '/v1/toolkits',
      body,
      ...(key === undefined ? {} : { key }),
    });
  }

  beforeAll(async () => {
    postgres = dialect === 'postgres' ? await createTestPostgresDatabase() : undefined;
    const env: Record<string, string> = {
      CADRE_TOOLKIT_ENV_VARS: 'INTERNAL_CRM_API_KEY',
      ...(postgres === undefined ? {} : { CADRE_DATABASE_URL: postgres.url }),
    };
    api = await startApiCadre(env, { role: 'api', clock });
    otherProjectKey = await api.createKey({ project: 'other', environment: 'live' });
  });
  afterAll(async () => {
    for (const text of seen) {
      for (const secret of [API_KEY_SECRET, BEARER_SECRET, BASIC_SECRET])
        expect(text).not.toContain(secret);
    }
    await api.close();
    await postgres?.drop();
  });

  describe('registering', () => {
    it("answers 201 with the tools of Ploton's custom definition and its auth without the secret", async () => {
      const response = await register({ ...plotonCrmDefinition, name: 'custom-crm' });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        name: 'custom-crm',
        source: 'capabilities',
        version: '1.0.0',
        base_url: 'https://crm.internal.yourcompany.com/api/v2',
        auth: {
          type: 'api_key',
          header: 'X-API-Key',
          env_var: 'INTERNAL_CRM_API_KEY',
          has_secret: false,
        },
        tools_count: 3,
        created_at: '2025-06-15T10:00:01Z',
      });
      expect(response.body.id).toMatch(/^tk_[A-Za-z0-9]+$/);
      expect(response.body.tools[0]).toEqual({
        name: 'custom-crm__search_contacts',
        action: 'search_contacts',
        description: 'Search contacts by name, email, or company',
        method: 'POST',
        path: '/search_contacts',
        parameters: expect.objectContaining({ required: ['query'] }),
        side_effects: true,
      });
    });

    it('answers 201 for an OpenAPI document, taking the base URL from its servers and listing skipped operations', async () => {
      const response = await register({
        name: 'openapi-crm',
        openapi: crmOpenApi30,
        auth: { type: 'api_key', header: 'X-CRM-Key', value: API_KEY_SECRET },
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        source: 'openapi',
        description: 'Internal CRM: Contacts and deals of the sales team.',
        version: '2.4.0',
        base_url: 'https://eu.crm.example.com/api/v2',
        auth: { type: 'api_key', header: 'X-CRM-Key', has_secret: true },
        tools_count: 6,
      });
      expect(response.body.tools.map((tool: { name: string }) => tool.name)).toContain(
        'openapi-crm__searchContacts',
      );
      expect(response.body.warnings).toEqual([expect.stringContaining('/avatar was skipped')]);
      expect(response.body.auth_schemes).toEqual(
        expect.arrayContaining([expect.objectContaining({ type: 'oauth2', name: 'crmOAuth' })]),
      );
    });

    it('lets base_url and description override the document', async () => {
      const response = await register({
        name: 'sandbox-crm',
        description: 'The sandbox copy.',
        base_url: 'https://sandbox.crm.example.com/api/v2/',
        openapi: crmOpenApi30,
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        description: 'The sandbox copy.',
        base_url: 'https://sandbox.crm.example.com/api/v2',
        auth: { type: 'none' },
      });
    });

    it('stores bearer and basic secrets sealed: neither the response nor the database row holds them', async () => {
      const bearer = await register({
        ...plotonCrmDefinition,
        name: 'bearer-crm',
        auth: { type: 'bearer', token: BEARER_SECRET },
      });
      const basic = await register({
        ...plotonCrmDefinition,
        name: 'basic-crm',
        auth: { type: 'basic', username: 'robot', password: BASIC_SECRET },
      });
      expect(bearer.body.auth).toEqual({ type: 'bearer', has_secret: true });
      expect(basic.body.auth).toEqual({ type: 'basic', username: 'robot', has_secret: true });
      const rows = await api.base.cadre.database.db
        .selectFrom('toolkits')
        .select(['name', 'auth'])
        .execute();
      const stored = JSON.stringify(rows);
      expect(stored).toContain('bearer-crm');
      for (const secret of [API_KEY_SECRET, BEARER_SECRET, BASIC_SECRET])
        expect(stored).not.toContain(secret);
    });

    it('answers 409 toolkit_exists when the name is taken in this project and environment', async () => {
      await register({ ...plotonCrmDefinition, name: 'twice-crm' });
      const response = await register({ ...plotonCrmDefinition, name: 'twice-crm' });
      expect(response.status).toBe(409);
      expect(response.body.error).toMatchObject({ code: 'toolkit_exists', param: 'name' });
    });

    it('lets another project and the test environment use the same name', async () => {
      await register({ ...plotonCrmDefinition, name: 'shared-name' });
      expect(
        (await register({ ...plotonCrmDefinition, name: 'shared-name' }, otherProjectKey)).status,
      ).toBe(201);
      expect(
        (await register({ ...plotonCrmDefinition, name: 'shared-name' }, api.keys.test)).status,
      ).toBe(201);
    });

    it.each(['http', 'json', 'code', 'model'])(
      'answers 409 for the reserved name %s',
      async (name) => {
        const response = await register({ ...plotonCrmDefinition, name });
        expect(response.status).toBe(409);
        expect(response.body.error.code).toBe('toolkit_exists');
        expect(response.body.error.message).toContain('reserved');
      },
    );

    it.each([
      ['Internal_CRM', 'name'],
      ['-crm', 'name'],
      ['x'.repeat(41), 'name'],
    ])('answers 400 naming `name` for the name %s', async (name, param) => {
      const response = await register({ ...plotonCrmDefinition, name });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'invalid_request', param });
      expect(response.body.error.message).toContain('lower-case letters');
    });

    it('answers 400 saying how to allow stdio MCP servers when the operator has not', async () => {
      const response = await register({ name: 'files', mcp: { command: 'npx', args: ['server'] } });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'invalid_request', param: 'mcp.command' });
      expect(response.body.error.message).toContain('CADRE_MCP_STDIO_COMMANDS');
      const listed = await call({ method: 'GET', url: '/v1/toolkits/files' });
      expect(listed.status).toBe(404);
    });

    it('answers 400 when the body gives no source, or two', async () => {
      const none = await register({ name: 'empty' });
      expect(none.body.error).toMatchObject({ code: 'invalid_request', param: 'openapi' });
      expect(none.body.error.message).toContain('a toolkit needs a source');
      const both = await register({ ...plotonCrmDefinition, name: 'both', openapi: crmOpenApi30 });
      expect(both.body.error).toMatchObject({ code: 'invalid_request', param: 'capabilities' });
    });

    it.each([
      'ftp://crm.example.com',
      '/api/v2',
      'https://user:pass@crm.example.com',
      'https://crm.example.com/api?v=2',
    ])('answers 400 for the base_url %s', async (baseUrl) => {
      const response = await register({
        ...plotonCrmDefinition,
        name: 'bad-url',
        base_url: baseUrl,
      });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: 'invalid_request', param: 'base_url' });
      expect(response.body.error.message).toContain('absolute http(s) URL');
    });

    it('answers 400 when a capabilities definition has no base_url', async () => {
      const definition: Record<string, unknown> = { ...plotonCrmDefinition, name: 'no-url' };
      delete definition.base_url;
      const response = await register(definition);
      expect(response.body.error).toMatchObject({ code: 'invalid_request', param: 'base_url' });
    });

    it('answers 400 for auth with both a secret and env_var, or neither, without echoing the secret', async () => {
      const both = await register({
        ...plotonCrmDefinition,
        name: 'auth-both',
        auth: { type: 'bearer', token: BEARER_SECRET, env_var: 'CRM_TOKEN' },
      });
      expect(both.status).toBe(400);
      expect(both.body.error).toMatchObject({ param: 'auth.token' });
      const neither = await register({
        ...plotonCrmDefinition,
        name: 'auth-neither',
        auth: { type: 'api_key', header: 'X-API-Key' },
      });
      expect(neither.body.error).toMatchObject({ param: 'auth.value' });
      const badLine = await register({
        ...plotonCrmDefinition,
        name: 'auth-line',
        auth: { type: 'api_key', header: 'X-API-Key', value: `${API_KEY_SECRET}\r\nX-Evil: 1` },
      });
      expect(badLine.body.error).toMatchObject({ param: 'auth.value' });
    });

    it("answers 400 for an env_var holding Cadre's own settings", async () => {
      const response = await register({
        ...plotonCrmDefinition,
        name: 'steal-key',
        auth: { type: 'bearer', env_var: 'CADRE_SECRET_KEY' },
      });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ param: 'auth.env_var' });
      expect(response.body.error.message).toContain('CADRE_');
    });

    it('answers 400 for an env_var the operator did not allow in CADRE_TOOLKIT_ENV_VARS', async () => {
      const response = await register({
        ...plotonCrmDefinition,
        name: 'steal-openai',
        auth: { type: 'bearer', env_var: 'OPENAI_API_KEY' },
      });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ param: 'auth.env_var' });
      expect(response.body.error.message).toContain('CADRE_TOOLKIT_ENV_VARS');
    });

    it('answers 400 for an unknown auth type, naming auth.type', async () => {
      const response = await register({
        ...plotonCrmDefinition,
        name: 'oauth',
        auth: { type: 'oauth2' },
      });
      expect(response.body.error).toMatchObject({ code: 'invalid_request', param: 'auth.type' });
    });

    it('answers 422 invalid_toolkit naming the broken part of an OpenAPI document', async () => {
      const response = await register({
        name: 'broken',
        openapi: {
          ...crmOpenApi30,
          paths: { '/x': { get: { parameters: [{ $ref: '#/nope' }] } } },
        },
      });
      expect(response.status).toBe(422);
      expect(response.body.error).toEqual({
        code: 'invalid_toolkit',
        message:
          "The OpenAPI document has a $ref at paths['/x'].get.parameters[0] that does not resolve: '#/nope'.",
        param: 'openapi',
      });
    });

    it('answers 422 asking for base_url when the document has only a relative server', async () => {
      const response = await register({
        name: 'relative',
        openapi: { ...crmOpenApi30, servers: [{ url: '/api/v2' }] },
      });
      expect(response.status).toBe(422);
      expect(response.body.error).toMatchObject({ code: 'invalid_toolkit', param: 'base_url' });
    });

    it('answers 400 when openapi is not an object', async () => {
      const response = await register({ name: 'yaml', openapi: 'openapi: 3.0.0' });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toContain('convert YAML to JSON');
    });
  });

  describe('reading and deleting', () => {
    it('lists registered toolkits newest first, then the built-ins, page by page', async () => {
      const key = await api.createKey({ project: 'listing', environment: 'live' });
      for (const name of ['first-kit', 'second-kit'])
        await register({ ...plotonCrmDefinition, name }, key);
      const all = await call({ method: 'GET', url: '/v1/toolkits?limit=100', key });
      expect(all.status).toBe(200);
      expect(
        all.body.data.map((toolkit: { name: string; source: string }) => [
          toolkit.name,
          toolkit.source,
        ]),
      ).toEqual([
        ['second-kit', 'capabilities'],
        ['first-kit', 'capabilities'],
        ['http', 'builtin'],
        ['json', 'builtin'],
        ['code', 'builtin'],
      ]);
      expect(all.body.has_more).toBe(false);
      expect(all.body.data[0]).not.toHaveProperty('tools');
      expect(all.body.data[0].tools_count).toBe(3);
      expect(all.body.data[2]).toMatchObject({
        id: 'tk_builtin_http',
        created_at: null,
        tools_count: 1,
      });

      const pages: string[][] = [];
      for (let offset = 0; offset < 5; offset += 2) {
        const page = await call({
          method: 'GET',
          url: `/v1/toolkits?limit=2&offset=${offset}`,
          key,
        });
        pages.push(page.body.data.map((toolkit: { name: string }) => toolkit.name));
        expect(page.body.has_more).toBe(offset + 2 < 5);
      }
      expect(pages).toEqual([['second-kit', 'first-kit'], ['http', 'json'], ['code']]);
    });

    it('gets a toolkit by id or by name, with its tools', async () => {
      const created = (await register({ ...plotonCrmDefinition, name: 'get-me' })).body;
      const byId = await call({ method: 'GET', url: `/v1/toolkits/${created.id}` });
      const byName = await call({ method: 'GET', url: '/v1/toolkits/get-me' });
      expect(byId.status).toBe(200);
      expect(byId.body).toEqual(byName.body);
      expect(byId.body.tools.map((tool: { name: string }) => tool.name)).toEqual([
        'get-me__search_contacts',
        'get-me__create_deal',
        'get-me__update_contact',
      ]);
    });

    it('gets a built-in toolkit by name', async () => {
      const response = await call({ method: 'GET', url: '/v1/toolkits/http' });
      expect(response.body).toMatchObject({
        id: 'tk_builtin_http',
        source: 'builtin',
        base_url: null,
      });
      expect(response.body.tools).toEqual([
        expect.objectContaining({
          name: 'http__fetch',
          method: null,
          path: null,
          side_effects: true,
        }),
      ]);
    });

    it('deletes a toolkit by name and answers 404 for it afterwards', async () => {
      const created = (await register({ ...plotonCrmDefinition, name: 'delete-me' })).body;
      const deleted = await call({ method: 'DELETE', url: '/v1/toolkits/delete-me' });
      expect(deleted.status).toBe(200);
      expect(deleted.body).toEqual({ id: created.id, deleted: true });
      const again = await call({ method: 'GET', url: `/v1/toolkits/${created.id}` });
      expect(again.status).toBe(404);
      expect(again.body.error).toMatchObject({ code: 'toolkit_not_found', param: 'toolkit_id' });
      expect((await call({ method: 'DELETE', url: '/v1/toolkits/delete-me' })).status).toBe(404);
    });

    it('answers 403 builtin_toolkit_readonly when deleting a built-in toolkit', async () => {
      const response = await call({ method: 'DELETE', url: '/v1/toolkits/json' });
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('builtin_toolkit_readonly');
    });

    it("answers 404 for another project's or the other environment's toolkit, and lists none of them", async () => {
      const created = (await register({ ...plotonCrmDefinition, name: 'private-kit' })).body;
      for (const key of [otherProjectKey, api.keys.test]) {
        for (const url of [`/v1/toolkits/${created.id}`, '/v1/toolkits/private-kit']) {
          expect((await call({ method: 'GET', url, key })).status).toBe(404);
          expect((await call({ method: 'DELETE', url, key })).status).toBe(404);
        }
        const list = await call({ method: 'GET', url: '/v1/toolkits?limit=100', key });
        expect(list.body.data.map((toolkit: { id: string }) => toolkit.id)).not.toContain(
          created.id,
        );
      }
      expect((await call({ method: 'GET', url: '/v1/toolkits/private-kit' })).status).toBe(200);
    });
  });

  describe('the tool catalog', () => {
    it("gives a subagent that names a registered toolkit that toolkit's tools", async () => {
      const key = await api.createKey({ project: 'catalog', environment: 'live' });
      expect((await register(plotonCrmDefinition, key)).status).toBe(201);
      const deployed = await call({
        method: 'POST',
        url: '/v1/subagents',
        key,
        body: { name: 'crm-agent', prompt: 'Use internal CRM to search contacts' },
      });
      expect(deployed.status).toBe(201);
      expect(deployed.body.tools).toContain('internal-crm__search_contacts');
    });

    it('drops a deleted toolkit from the tools of subagents deployed afterwards', async () => {
      const key = await api.createKey({ project: 'catalog-delete', environment: 'live' });
      await register(plotonCrmDefinition, key);
      await call({ method: 'DELETE', url: '/v1/toolkits/internal-crm', key });
      const deployed = await call({
        method: 'POST',
        url: '/v1/subagents',
        key,
        body: { name: 'crm-agent', prompt: 'Use internal CRM to search contacts' },
      });
      expect(deployed.body.tools.some((name: string) => name.startsWith('internal-crm__'))).toBe(
        false,
      );
    });
  });
});
