import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiCadre, type ApiHarness } from '../support/api-harness.js';
import { createTestPostgresDatabase } from '../support/postgres.js';

interface Backend {
  name: string;
  provision: () => Promise<{ env: Record<string, string>; release: () => Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'SQLite',
    provision: () => Promise.resolve({ env: {}, release: () => Promise.resolve() }),
  },
  {
    name: 'PostgreSQL',
    async provision() {
      const database = await createTestPostgresDatabase();
      return { env: { CADRE_DATABASE_URL: database.url }, release: () => database.drop() };
    },
  },
];

// Transitions the API makes commit with their event, on both dialects.
describe.each(backends)('task events from the API on $name', (backend) => {
  let api: ApiHarness;
  let release: () => Promise<void>;

  beforeAll(async () => {
    const provisioned = await backend.provision();
    release = provisioned.release;
    api = await startApiCadre(provisioned.env, { role: 'api' });
    await api.request({
      method: 'POST',
      url: '/v1/subagents',
      body: { name: 'data-agent', prompt: 'Transform data with JMESPath.' },
    });
  });
  afterAll(async () => {
    await api?.close();
    await release?.();
  });

  const createTask = async (mode: 'live' | 'test' = 'live') =>
    (
      await api.request({
        method: 'POST',
        url: '/v1/tasks',
        body: { prompt: 'Sum the items', sub_agent: 'data-agent', mode },
      })
    ).body.id as string;
  const eventsOf = (taskId: string) =>
    api.base.cadre.database.db
      .selectFrom('task_events')
      .select(['type', 'data'])
      .where('task_id', '=', taskId)
      .orderBy('seq')
      .execute();

  it('records one task.cancelled when ten cancels race, and none for a task already ended', async () => {
    const taskId = await createTask();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        api.request({ method: 'POST', url: `/v1/tasks/${taskId}/cancel` }),
      ),
    );
    expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
    expect(await eventsOf(taskId)).toEqual([{ type: 'task.cancelled', data: '{}' }]);

    const finished = await createTask('test');
    const refused = await api.request({ method: 'POST', url: `/v1/tasks/${finished}/cancel` });
    expect(refused.status).toBe(409);
    expect((await eventsOf(finished)).map((event) => event.type)).toEqual(['task.complete']);
  });

  it('records task.complete with the preview as data when a test-mode task is created', async () => {
    const taskId = await createTask('test');
    const task = await api.request({ method: 'GET', url: `/v1/tasks/${taskId}` });
    const [event] = await eventsOf(taskId);
    expect(event?.type).toBe('task.complete');
    expect(JSON.parse(event!.data)).toEqual(task.body.result);
  });

  it('records nothing for a task of another project that a cancel cannot reach', async () => {
    const taskId = await createTask();
    const other = await api.createKey({ project: 'events-other', environment: 'live' });
    const response = await api.request({
      method: 'POST',
      url: `/v1/tasks/${taskId}/cancel`,
      key: other,
    });
    expect(response.status).toBe(404);
    expect(await eventsOf(taskId)).toEqual([]);
  });
});
