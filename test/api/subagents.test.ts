import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiCadre, type ApiHarness } from '../support/api-harness.js';
import { createScriptedClock } from '../support/scripted-clock.js';

const CRM_PROMPT = 'Handle CRM tasks. Pull contacts, sync deals and export data.';
const WEB_PROMPT =
  'Research on the web. Fetch web pages and HTTP APIs, read page text and extract facts.';
const PREBUILT = ['web-researcher', 'data-transformer', 'code-runner'];
/** Matches no service in the built-in catalog, so its domain is only the data utilities. */
const POEM_PROMPT = 'Write haiku poems about autumn leaves.';

describe('subagents', () => {
  const clock = createScriptedClock();
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiCadre({}, { role: 'api', clock });
  });
  afterAll(() => api.close());

  async function deploy(name: string, prompt = CRM_PROMPT, key?: string) {
    clock.advance(1_000);
    const response = await api.request({
      method: 'POST',
      url: '/v1/subagents',
      body: { name, prompt },
      ...(key === undefined ? {} : { key }),
    });
    expect(response.status).toBe(201);
    return response.body;
  }

  describe('deploy and get', () => {
    it('answers 201 with a custom subagent whose tools_available counts its tools', async () => {
      const created = await deploy('deploy-agent');
      expect(created).toMatchObject({ id: 'deploy-agent', type: 'custom', status: 'deployed' });
      expect(created.tools_available).toBe(created.tools.length);
      expect(created.created_at).toBe('2025-06-15T10:00:01Z');
    });

    it('returns the prompt and tool names on GET one', async () => {
      await deploy('get-agent');
      const response = await api.request({ method: 'GET', url: '/v1/subagents/get-agent' });
      expect(response.status).toBe(200);
      expect(response.body.prompt).toBe(CRM_PROMPT);
      expect(response.body.tools).toEqual(expect.arrayContaining([expect.any(String)]));
      expect(response.body.tools_available).toBe(response.body.tools.length);
    });

    it('lists its tools with scores on GET /v1/subagents/:id/tools', async () => {
      const created = await deploy('tools-agent', WEB_PROMPT);
      const response = await api.request({ method: 'GET', url: '/v1/subagents/tools-agent/tools' });
      expect(response.status).toBe(200);
      expect(response.body.data.map((tool: { name: string }) => tool.name)).toEqual(created.tools);
      expect(response.body.has_more).toBe(false);
    });

    it('answers 409 subagent_exists naming `name` when the name is already deployed', async () => {
      await deploy('duplicate-agent');
      const response = await api.request({
        method: 'POST',
        url: '/v1/subagents',
        body: { name: 'duplicate-agent', prompt: 'Something else entirely.' },
      });
      expect(response.status).toBe(409);
      expect(response.body.error).toMatchObject({ code: 'subagent_exists', param: 'name' });
    });

    it('answers 409 subagent_exists when the name is a prebuilt subagent', async () => {
      const response = await api.request({
        method: 'POST',
        url: '/v1/subagents',
        body: { name: 'web-researcher', prompt: CRM_PROMPT },
      });
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('subagent_exists');
    });
  });

  describe('update', () => {
    it('recomputes tools and tools_available from the new prompt', async () => {
      const before = await deploy('patch-agent', POEM_PROMPT);
      const reference = await deploy('patch-reference', WEB_PROMPT);
      expect(reference.tools).not.toEqual(before.tools);

      clock.advance(60_000);
      const response = await api.request({
        method: 'PATCH',
        url: '/v1/subagents/patch-agent',
        body: { prompt: WEB_PROMPT },
      });
      expect(response.status).toBe(200);
      expect(response.body.tools).toEqual(reference.tools);
      expect(response.body.tools_available).toBe(reference.tools_available);
      expect(response.body.prompt).toBe(WEB_PROMPT);
      expect(response.body.created_at).toBe(before.created_at);
      expect(Date.parse(response.body.updated_at)).toBe(clock.now());

      const fetched = await api.request({ method: 'GET', url: '/v1/subagents/patch-agent' });
      expect(fetched.body).toMatchObject({
        prompt: WEB_PROMPT,
        tools: reference.tools,
        tools_available: reference.tools_available,
      });
      const tools = await api.request({ method: 'GET', url: '/v1/subagents/patch-agent/tools' });
      expect(tools.body.data.map((tool: { name: string }) => tool.name)).toEqual(reference.tools);
    });

    it('answers 404 subagent_not_found when patching an unknown subagent', async () => {
      const response = await api.request({
        method: 'PATCH',
        url: '/v1/subagents/nobody',
        body: { prompt: CRM_PROMPT },
      });
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('subagent_not_found');
    });
  });

  describe('delete', () => {
    it('answers {id, status: "deleted", deleted_at} and then 404 on GET, PATCH, DELETE and tools', async () => {
      await deploy('doomed-agent');
      clock.advance(5_000);
      const response = await api.request({ method: 'DELETE', url: '/v1/subagents/doomed-agent' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        id: 'doomed-agent',
        status: 'deleted',
        deleted_at: new Date(clock.now()).toISOString().replace('.000Z', 'Z'),
      });
      for (const [method, url] of [
        ['GET', '/v1/subagents/doomed-agent'],
        ['PATCH', '/v1/subagents/doomed-agent'],
        ['DELETE', '/v1/subagents/doomed-agent'],
        ['GET', '/v1/subagents/doomed-agent/tools'],
      ] as const) {
        const after = await api.request({
          method,
          url,
          ...(method === 'PATCH' ? { body: { prompt: CRM_PROMPT } } : {}),
        });
        expect(after.status, `${method} ${url}`).toBe(404);
        expect(after.body.error.code).toBe('subagent_not_found');
      }
      const list = await api.request({ method: 'GET', url: '/v1/subagents?limit=100' });
      expect(list.body.data.map((agent: { id: string }) => agent.id)).not.toContain('doomed-agent');
    });

    it('answers 404 subagent_not_found naming sub_agent to new tasks for a deleted subagent', async () => {
      await deploy('retired-agent');
      await api.request({ method: 'DELETE', url: '/v1/subagents/retired-agent' });
      const response = await api.request({
        method: 'POST',
        url: '/v1/tasks',
        body: { prompt: 'Do something.', sub_agent: 'retired-agent' },
      });
      expect(response.status).toBe(404);
      expect(response.body.error).toMatchObject({ code: 'subagent_not_found', param: 'sub_agent' });
    });

    it('keeps a task created before the delete readable, listable, traceable and cancellable', async () => {
      await deploy('busy-agent');
      const task = await api.request({
        method: 'POST',
        url: '/v1/tasks',
        body: { prompt: 'Export all deals.', sub_agent: 'busy-agent' },
      });
      expect(task.body.status).toBe('pending');
      await api.request({ method: 'DELETE', url: '/v1/subagents/busy-agent' });

      const fetched = await api.request({ method: 'GET', url: `/v1/tasks/${task.body.id}` });
      expect(fetched.status).toBe(200);
      expect(fetched.body).toMatchObject({ id: task.body.id, sub_agent: 'busy-agent' });
      const listed = await api.request({ method: 'GET', url: '/v1/tasks?sub_agent=busy-agent' });
      expect(listed.body.data.map((item: { id: string }) => item.id)).toEqual([task.body.id]);
      const trace = await api.request({ method: 'GET', url: `/v1/tasks/${task.body.id}/trace` });
      expect(trace.status).toBe(200);
      const cancelled = await api.request({
        method: 'POST',
        url: `/v1/tasks/${task.body.id}/cancel`,
      });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
    });

    it('lets the name be deployed again after a delete', async () => {
      await deploy('phoenix-agent', CRM_PROMPT);
      await api.request({ method: 'DELETE', url: '/v1/subagents/phoenix-agent' });
      const again = await deploy('phoenix-agent', WEB_PROMPT);
      expect(again).toMatchObject({ id: 'phoenix-agent', prompt: WEB_PROMPT, status: 'deployed' });
      const fetched = await api.request({ method: 'GET', url: '/v1/subagents/phoenix-agent' });
      expect(fetched.body.prompt).toBe(WEB_PROMPT);
      const task = await api.request({
        method: 'POST',
        url: '/v1/tasks',
        body: { prompt: 'Read example.com', sub_agent: 'phoenix-agent', mode: 'test' },
      });
      expect(task.status).toBe(201);
    });
  });

  describe('prebuilt subagents', () => {
    it.each([
      ['live', 'default'],
      ['test', 'default'],
      ['live', 'another-project'],
      ['test', 'another-project'],
    ] as const)(
      'lists at least three prebuilt subagents to a %s key of %s',
      async (environment, project) => {
        const key = await api.createKey({ environment, project });
        const response = await api.request({
          method: 'GET',
          url: '/v1/subagents?type=prebuilt',
          key,
        });
        expect(response.status).toBe(200);
        expect(response.body.data.length).toBeGreaterThanOrEqual(3);
        for (const agent of response.body.data) expect(agent.type).toBe('prebuilt');
        expect(response.body.data.map((agent: { id: string }) => agent.id)).toEqual(
          expect.arrayContaining(PREBUILT),
        );
      },
    );

    it.each(PREBUILT)(
      'answers 403 prebuilt_subagent_readonly to PATCH and DELETE of %s',
      async (name) => {
        const patch = await api.request({
          method: 'PATCH',
          url: `/v1/subagents/${name}`,
          body: { prompt: CRM_PROMPT },
        });
        expect(patch.status).toBe(403);
        expect(patch.body.error.code).toBe('prebuilt_subagent_readonly');
        const remove = await api.request({ method: 'DELETE', url: `/v1/subagents/${name}` });
        expect(remove.status).toBe(403);
        expect(remove.body.error.code).toBe('prebuilt_subagent_readonly');
        const fetched = await api.request({ method: 'GET', url: `/v1/subagents/${name}` });
        expect(fetched.status).toBe(200);
        expect(fetched.body.type).toBe('prebuilt');
      },
    );

    it('routes tasks to a prebuilt subagent', async () => {
      const response = await api.request({
        method: 'POST',
        url: '/v1/tasks',
        body: { prompt: 'Sum 1 and 2.', sub_agent: 'code-runner', mode: 'test' },
      });
      expect(response.status).toBe(201);
      expect(response.body.sub_agent).toBe('code-runner');
    });
  });
});

describe('listing subagents', () => {
  const clock = createScriptedClock();
  let api: ApiHarness;
  const names = Array.from({ length: 21 }, (_, index) => `agent-${String(index).padStart(2, '0')}`);

  beforeAll(async () => {
    api = await startApiCadre({}, { role: 'api', clock });
    for (const name of names) {
      clock.advance(1_000);
      const response = await api.request({
        method: 'POST',
        url: '/v1/subagents',
        body: { name, prompt: CRM_PROMPT },
      });
      expect(response.status).toBe(201);
    }
  });
  afterAll(() => api.close());

  const list = async (query: string) => {
    const response = await api.request({ method: 'GET', url: `/v1/subagents${query}` });
    expect(response.status).toBe(200);
    return {
      ids: response.body.data.map((agent: { id: string }) => agent.id) as string[],
      hasMore: response.body.has_more as boolean,
      data: response.body.data as Record<string, unknown>[],
    };
  };
  const newestFirst = [...names].reverse();

  it('returns 20 newest-first custom subagents by default, with has_more when more exist', async () => {
    const page = await list('?type=custom');
    expect(page.ids).toEqual(newestFirst.slice(0, 20));
    expect(page.hasMore).toBe(true);
  });

  it('answers has_more false when exactly limit rows remain', async () => {
    expect(await list('?type=custom&limit=21')).toMatchObject({ ids: newestFirst, hasMore: false });
    expect(await list('?type=custom&limit=1&offset=20')).toMatchObject({
      ids: [newestFirst[20]],
      hasMore: false,
    });
  });

  it('answers has_more true when limit + 1 rows remain', async () => {
    expect(await list('?type=custom&limit=20')).toMatchObject({ hasMore: true });
    expect(await list('?type=custom&limit=1&offset=19')).toMatchObject({
      ids: [newestFirst[19]],
      hasMore: true,
    });
  });

  it('pages through every subagent exactly once with limit and offset', async () => {
    const seen: string[] = [];
    for (let offset = 0; ; offset += 4) {
      const page = await list(`?type=custom&limit=4&offset=${offset}`);
      seen.push(...page.ids);
      if (!page.hasMore) break;
    }
    expect(seen).toEqual(newestFirst);
  });

  it('returns an empty page past the end', async () => {
    expect(await list('?type=custom&offset=21')).toEqual({ ids: [], hasMore: false, data: [] });
    expect(await list('?offset=1000')).toEqual({ ids: [], hasMore: false, data: [] });
  });

  it('filters by type and counts prebuilt subagents with custom ones when unfiltered', async () => {
    const custom = await list('?type=custom&limit=100');
    const prebuilt = await list('?type=prebuilt&limit=100');
    const all = await list('?limit=100');
    expect(custom.data.every((agent) => agent.type === 'custom')).toBe(true);
    expect(prebuilt.data.every((agent) => agent.type === 'prebuilt')).toBe(true);
    expect(prebuilt.ids).toEqual(expect.arrayContaining(PREBUILT));
    expect([...all.ids].sort()).toEqual([...custom.ids, ...prebuilt.ids].sort());
  });

  it('leaves prompt and tools out of list items', async () => {
    const page = await list('?limit=5');
    for (const agent of page.data) {
      expect(agent).not.toHaveProperty('prompt');
      expect(agent).not.toHaveProperty('tools');
    }
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=2.5', 'limit'],
    ['offset=-1', 'offset'],
    ['type=robot', 'type'],
  ])('answers 400 invalid_request naming the param for ?%s', async (query, param) => {
    const response = await api.request({ method: 'GET', url: `/v1/subagents?${query}` });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'invalid_request', param });
  });

  it('lists subagents deployed within the same millisecond newest first', async () => {
    const frozen = await startApiCadre({}, { role: 'api', clock: createScriptedClock() });
    try {
      const order: string[] = [];
      for (let index = 0; index < 12; index += 1) {
        const name = `same-ms-${index}`;
        await frozen.request({
          method: 'POST',
          url: '/v1/subagents',
          body: { name, prompt: CRM_PROMPT },
        });
        order.push(name);
      }
      const page = await frozen.request({ method: 'GET', url: '/v1/subagents?type=custom' });
      expect(page.body.data.map((agent: { id: string }) => agent.id)).toEqual(order.reverse());
    } finally {
      await frozen.close();
    }
  });

  it('accepts the limit bounds 1 and 100', async () => {
    expect((await list('?type=custom&limit=1')).ids).toEqual([newestFirst[0]]);
    expect((await list('?type=custom&limit=100')).ids).toEqual(newestFirst);
  });
});
