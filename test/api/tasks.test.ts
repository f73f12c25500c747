import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiCadre, type ApiHarness } from '../support/api-harness.js';
import { createScriptedClock } from '../support/scripted-clock.js';
import { markTaskFailed } from '../support/task-fixtures.js';

const CANCELLED_KEYS = ['cancelled_at', 'id', 'status'];

describe('tasks', () => {
  const clock = createScriptedClock();
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiCadre({}, { role: 'api', clock });
    for (const name of ['crm-agent', 'billing-agent']) {
      const response = await api.request({
        method: 'POST',
        url: '/v1/subagents',
        body: { name, prompt: `Handle ${name} work: pull records and export data.` },
      });
      expect(response.status).toBe(201);
    }
  });
  afterAll(() => api.close());

  async function createTask(body: Record<string, unknown>) {
    clock.advance(1_000);
    const response = await api.request({ method: 'POST', url: '/v1/tasks', body });
    expect(response.status).toBe(201);
    return response.body;
  }

  describe('create and get', () => {
    it('answers 201 with a pending live task, null user_id and empty metadata by default', async () => {
      const task = await createTask({ prompt: 'Export deals.', sub_agent: 'crm-agent' });
      expect(task).toMatchObject({
        status: 'pending',
        sub_agent: 'crm-agent',
        user_id: null,
        mode: 'live',
        metadata: {},
        created_at: new Date(clock.now()).toISOString().replace('.000Z', 'Z'),
      });
      expect(task.id).toMatch(/^task_[0-9A-Za-z]+$/);
    });

    it('returns the prompt, user_id and metadata on GET one', async () => {
      const created = await createTask({
        prompt: 'Pull contacts.',
        sub_agent: 'crm-agent',
        user_id: 'user_123',
        metadata: { source: 'pipeline', nested: { depth: [1, 2] } },
      });
      const response = await api.request({ method: 'GET', url: `/v1/tasks/${created.id}` });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: created.id,
        prompt: 'Pull contacts.',
        user_id: 'user_123',
        metadata: { source: 'pipeline', nested: { depth: [1, 2] } },
      });
    });

    it('completes a mode "test" task at once with a preview result', async () => {
      const task = await createTask({
        prompt: 'Pull contacts.',
        sub_agent: 'crm-agent',
        mode: 'test',
      });
      expect(task).toMatchObject({ status: 'complete', mode: 'test' });
      expect(task.result).toMatchObject({ mode: 'test', valid: true, sub_agent: 'crm-agent' });
      expect(task.completed_at).toEqual(expect.any(String));
    });

    it('answers 404 task_not_found for an unknown task on GET, cancel and trace', async () => {
      for (const [method, url] of [
        ['GET', '/v1/tasks/task_doesNotExist'],
        ['POST', '/v1/tasks/task_doesNotExist/cancel'],
        ['GET', '/v1/tasks/task_doesNotExist/trace'],
      ] as const) {
        const response = await api.request({ method, url });
        expect(response.status, `${method} ${url}`).toBe(404);
        expect(response.body.error.code).toBe('task_not_found');
      }
    });

    it('returns an empty trace for a task that has not run', async () => {
      const task = await createTask({ prompt: 'Pull contacts.', sub_agent: 'crm-agent' });
      const response = await api.request({ method: 'GET', url: `/v1/tasks/${task.id}/trace` });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        task_id: task.id,
        sub_agent: 'crm-agent',
        steps: [],
        total_duration_ms: 0,
      });
    });
  });

  describe('cancel', () => {
    it('cancels a pending task with exactly {id, status, cancelled_at}', async () => {
      const task = await createTask({ prompt: 'Export deals.', sub_agent: 'crm-agent' });
      clock.advance(3_000);
      const response = await api.request({ method: 'POST', url: `/v1/tasks/${task.id}/cancel` });
      expect(response.status).toBe(200);
      expect(Object.keys(response.body).sort()).toEqual(CANCELLED_KEYS);
      expect(response.body).toEqual({
        id: task.id,
        status: 'cancelled',
        cancelled_at: new Date(clock.now()).toISOString().replace('.000Z', 'Z'),
      });
      const fetched = await api.request({ method: 'GET', url: `/v1/tasks/${task.id}` });
      expect(fetched.body).toMatchObject({
        status: 'cancelled',
        cancelled_at: response.body.cancelled_at,
      });
    });

    it('answers 409 task_already_complete when cancelling a cancelled task', async () => {
      const task = await createTask({ prompt: 'Export deals.', sub_agent: 'crm-agent' });
      await api.request({ method: 'POST', url: `/v1/tasks/${task.id}/cancel` });
      const again = await api.request({ method: 'POST', url: `/v1/tasks/${task.id}/cancel` });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('task_already_complete');
    });

    it('answers 409 task_already_complete when cancelling a complete task', async () => {
      const task = await createTask({ prompt: 'Preview.', sub_agent: 'crm-agent', mode: 'test' });
      const response = await api.request({ method: 'POST', url: `/v1/tasks/${task.id}/cancel` });
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('task_already_complete');
      const fetched = await api.request({ method: 'GET', url: `/v1/tasks/${task.id}` });
      expect(fetched.body.status).toBe('complete');
    });

    it('answers 409 task_already_complete when cancelling a failed task', async () => {
      const task = await createTask({ prompt: 'Export deals.', sub_agent: 'crm-agent' });
      await markTaskFailed(
        api.base.cadre,
        task.id,
        { code: 'tool_failed', message: 'The CRM answered 500.', recoverable: true },
        clock.now(),
      );
      const response = await api.request({ method: 'POST', url: `/v1/tasks/${task.id}/cancel` });
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('task_already_complete');
    });
  });
});

describe('listing tasks', () => {
  const clock = createScriptedClock();
  let api: ApiHarness;
  /** Every task created, oldest first. */
  const created: { id: string; sub_agent: string; user_id: string | null; status: string }[] = [];

  beforeAll(async () => {
    api = await startApiCadre({}, { role: 'api', clock });
    for (const name of ['crm-agent', 'billing-agent']) {
      await api.request({
        method: 'POST',
        url: '/v1/subagents',
        body: { name, prompt: `Handle ${name} work: pull records and export data.` },
      });
    }
    // 30 tasks: alternating subagents, three users, a third in test mode (complete), some
    // cancelled and one failed, so every filter has several matches and several misses.
    for (let index = 0; index < 30; index += 1) {
      clock.advance(1_000);
      const body = {
        prompt: `Task number ${index}`,
        sub_agent: index % 2 === 0 ? 'crm-agent' : 'billing-agent',
        ...(index % 3 === 0 ? {} : { user_id: `user_${index % 3}` }),
        ...(index % 3 === 2 ? { mode: 'test' } : {}),
        metadata: { index },
      };
      const response = await api.request({ method: 'POST', url: '/v1/tasks', body });
      expect(response.status).toBe(201);
      created.push({
        id: response.body.id,
        sub_agent: body.sub_agent,
        user_id: response.body.user_id,
        status: response.body.status,
      });
    }
    for (const index of [1, 4, 7]) {
      const task = created[index]!;
      await api.request({ method: 'POST', url: `/v1/tasks/${task.id}/cancel` });
      task.status = 'cancelled';
    }
    const failed = created[10]!;
    await markTaskFailed(
      api.base.cadre,
      failed.id,
      { code: 'tool_failed', message: 'Upstream failed.', recoverable: false },
      clock.now(),
    );
    failed.status = 'failed';
  });
  afterAll(() => api.close());

  const newestFirst = () => [...created].reverse();
  const list = async (query: string) => {
    const response = await api.request({ method: 'GET', url: `/v1/tasks${query}` });
    expect(response.status).toBe(200);
    return response.body as { data: Record<string, unknown>[]; has_more: boolean };
  };
  const ids = (page: { data: Record<string, unknown>[] }) => page.data.map((task) => task.id);

  it('returns the 20 newest tasks first by default with has_more', async () => {
    const page = await list('');
    expect(ids(page)).toEqual(
      newestFirst()
        .slice(0, 20)
        .map((task) => task.id),
    );
    expect(page.has_more).toBe(true);
  });

  it('lists tasks created within the same millisecond newest first', async () => {
    const frozen = await startApiCadre({}, { role: 'api', clock: createScriptedClock() });
    try {
      await frozen.request({
        method: 'POST',
        url: '/v1/subagents',
        body: { name: 'same-ms', prompt: 'Export data.' },
      });
      const order: string[] = [];
      for (let index = 0; index < 12; index += 1) {
        const response = await frozen.request({
          method: 'POST',
          url: '/v1/tasks',
          body: { prompt: `Same millisecond ${index}`, sub_agent: 'same-ms' },
        });
        order.push(response.body.id);
      }
      const page = await frozen.request({ method: 'GET', url: '/v1/tasks?limit=12' });
      expect(page.body.data.map((task: { id: string }) => task.id)).toEqual(order.reverse());
    } finally {
      await frozen.close();
    }
  });

  it('answers has_more false for exactly limit rows and true for limit + 1', async () => {
    expect((await list('?limit=30')).has_more).toBe(false);
    expect((await list('?limit=29')).has_more).toBe(true);
    expect((await list('?limit=10&offset=20')).has_more).toBe(false);
    expect((await list('?limit=10&offset=19')).has_more).toBe(true);
    expect(ids(await list('?limit=10&offset=19'))).toHaveLength(10);
  });

  it('returns the rest of the list after an offset and nothing past the end', async () => {
    const page = await list('?limit=100&offset=25');
    expect(ids(page)).toEqual(
      newestFirst()
        .slice(25)
        .map((task) => task.id),
    );
    expect(page.has_more).toBe(false);
    expect(await list('?offset=30')).toEqual({ data: [], has_more: false });
  });

  it.each([
    ['status', 'pending'],
    ['status', 'complete'],
    ['status', 'cancelled'],
    ['status', 'failed'],
    ['status', 'running'],
    ['sub_agent', 'crm-agent'],
    ['sub_agent', 'billing-agent'],
    ['sub_agent', 'nobody'],
    ['user_id', 'user_1'],
    ['user_id', 'user_2'],
  ] as const)('filters by %s=%s, newest first', async (param, value) => {
    const expected = newestFirst().filter((task) => task[param] === value);
    const page = await list(`?${param}=${value}&limit=100`);
    expect(ids(page)).toEqual(expected.map((task) => task.id));
    expect(page.has_more).toBe(false);
  });

  it('combines filters and paginates the filtered list exactly', async () => {
    const expected = newestFirst().filter(
      (task) => task.sub_agent === 'crm-agent' && task.status === 'pending',
    );
    expect(expected.length).toBeGreaterThan(3);
    const first = await list(`?sub_agent=crm-agent&status=pending&limit=${expected.length - 1}`);
    expect(first.has_more).toBe(true);
    const rest = await list(
      `?sub_agent=crm-agent&status=pending&limit=10&offset=${expected.length - 1}`,
    );
    expect([...ids(first), ...ids(rest)]).toEqual(expected.map((task) => task.id));
    expect(rest.has_more).toBe(false);
    const exact = await list(`?sub_agent=crm-agent&status=pending&limit=${expected.length}`);
    expect(exact.has_more).toBe(false);
  });

  it('omits prompt, result and error from list items', async () => {
    const page = await list('?limit=100');
    expect(page.data.some((task) => task.status === 'complete')).toBe(true);
    expect(page.data.some((task) => task.status === 'failed')).toBe(true);
    for (const task of page.data) {
      expect(task).not.toHaveProperty('result');
      expect(task).not.toHaveProperty('error');
      expect(task).not.toHaveProperty('prompt');
      expect(task).toMatchObject({ id: expect.any(String), metadata: expect.any(Object) });
    }
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=-5', 'limit'],
    ['limit=ten', 'limit'],
    ['offset=-1', 'offset'],
    ['offset=x', 'offset'],
    ['status=done', 'status'],
  ])('answers 400 invalid_request naming the param for ?%s', async (query, param) => {
    const response = await api.request({ method: 'GET', url: `/v1/tasks?${query}` });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'invalid_request', param });
  });
});
