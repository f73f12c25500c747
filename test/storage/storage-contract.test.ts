import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiCadre, type ApiHarness } from '../support/api-harness.js';
import { createTestPostgresDatabase } from '../support/postgres.js';
import { fuzzEveryRoute } from '../support/route-fuzz.js';
import { createScriptedClock } from '../support/scripted-clock.js';

interface Backend {
  name: string;
  /** Environment for startTestCadre, and how to clean up afterwards. */
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

const PROMPT = 'Handle CRM work: pull contacts, sync deals and export data.';

// The API behaviours that touch storage, through the full HTTP stack, on both dialects.
describe.each(backends)('storage contract on $name', (backend) => {
  const clock = createScriptedClock();
  let api: ApiHarness;
  let release: () => Promise<void>;

  beforeAll(async () => {
    const provisioned = await backend.provision();
    release = provisioned.release;
    api = await startApiCadre(provisioned.env, { role: 'api', clock });
  });
  afterAll(async () => {
    await api?.close();
    await release?.();
  });

  const request: ApiHarness['request'] = (options) => {
    clock.advance(1_000);
    return api.request(options);
  };
  const ids = (body: { data: { id: string }[] }) => body.data.map((item) => item.id);

  it('uses the configured database', () => {
    expect(api.base.cadre.database.dialect).toBe(backend.name === 'SQLite' ? 'sqlite' : 'postgres');
  });

  describe('subagents', () => {
    it('deploys, reads back and lists subagents newest first with exact has_more', async () => {
      const names = ['store-a', 'store-b', 'store-c', 'store-d', 'store-e'];
      for (const name of names) {
        const response = await request({
          method: 'POST',
          url: '/v1/subagents',
          body: { name, prompt: PROMPT },
        });
        expect(response.status).toBe(201);
      }
      const fetched = await request({ method: 'GET', url: '/v1/subagents/store-c' });
      expect(fetched.body).toMatchObject({ id: 'store-c', prompt: PROMPT, type: 'custom' });
      expect(fetched.body.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

      const all = await request({ method: 'GET', url: '/v1/subagents?type=custom&limit=5' });
      expect(ids(all.body)).toEqual([...names].reverse());
      expect(all.body.has_more).toBe(false);
      const first = await request({ method: 'GET', url: '/v1/subagents?type=custom&limit=2' });
      expect(ids(first.body)).toEqual(['store-e', 'store-d']);
      expect(first.body.has_more).toBe(true);
      const last = await request({
        method: 'GET',
        url: '/v1/subagents?type=custom&limit=2&offset=3',
      });
      expect(ids(last.body)).toEqual(['store-b', 'store-a']);
      expect(last.body.has_more).toBe(false);
      const prebuilt = await request({ method: 'GET', url: '/v1/subagents?type=prebuilt' });
      expect(prebuilt.body.data.length).toBeGreaterThanOrEqual(3);
    });

    it('persists a PATCH, refuses a duplicate name, and frees the name on delete', async () => {
      await request({
        method: 'POST',
        url: '/v1/subagents',
        body: { name: 'store-patch', prompt: PROMPT },
      });
      const patched = await request({
        method: 'PATCH',
        url: '/v1/subagents/store-patch',
        body: { prompt: 'Fetch web pages over HTTP and read their text.' },
      });
      expect(patched.status).toBe(200);
      const fetched = await request({ method: 'GET', url: '/v1/subagents/store-patch' });
      expect(fetched.body.prompt).toBe('Fetch web pages over HTTP and read their text.');
      expect(fetched.body.tools).toEqual(patched.body.tools);

      const duplicate = await request({
        method: 'POST',
        url: '/v1/subagents',
        body: { name: 'store-patch', prompt: PROMPT },
      });
      expect(duplicate.status).toBe(409);
      const deleted = await request({ method: 'DELETE', url: '/v1/subagents/store-patch' });
      expect(deleted.body.status).toBe('deleted');
      expect((await request({ method: 'GET', url: '/v1/subagents/store-patch' })).status).toBe(404);
      const again = await request({
        method: 'POST',
        url: '/v1/subagents',
        body: { name: 'store-patch', prompt: PROMPT },
      });
      expect(again.status).toBe(201);
    });

    it('deploys a name once when ten deploys of it race', async () => {
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          api.request({
            method: 'POST',
            url: '/v1/subagents',
            body: { name: 'store-race-agent', prompt: `${PROMPT} (${index})` },
          }),
        ),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([201, ...Array<number>(9).fill(409)]);
      const rows = await api.base.cadre.database.db
        .selectFrom('subagents')
        .select('id')
        .where('name', '=', 'store-race-agent')
        .execute();
      expect(rows).toHaveLength(1);
    });

    it('keeps live and test subagents apart', async () => {
      await request({
        method: 'POST',
        url: '/v1/subagents',
        body: { name: 'store-env', prompt: PROMPT },
      });
      const fromTest = await request({
        method: 'GET',
        url: '/v1/subagents/store-env',
        key: api.keys.test,
      });
      expect(fromTest.status).toBe(404);
      const deployedInTest = await request({
        method: 'POST',
        url: '/v1/subagents',
        key: api.keys.test,
        body: { name: 'store-env', prompt: 'Test-mode twin.' },
      });
      expect(deployedInTest.status).toBe(201);
      const live = await request({ method: 'GET', url: '/v1/subagents/store-env' });
      expect(live.body.prompt).toBe(PROMPT);
    });
  });

  describe('tasks', () => {
    const created: { id: string; sub_agent: string; user_id: string | null }[] = [];

    beforeAll(async () => {
      for (const name of ['store-crm', 'store-billing']) {
        await request({ method: 'POST', url: '/v1/subagents', body: { name, prompt: PROMPT } });
      }
      for (let index = 0; index < 7; index += 1) {
        const body = {
          prompt: `Stored task ${index} — ünïcødé ✓ 🚀`,
          sub_agent: index % 2 === 0 ? 'store-crm' : 'store-billing',
          user_id: index % 3 === 0 ? null : `user_${index % 3}`,
          metadata: { index, nested: { list: [1, 'two', null, true] }, emoji: '🚀' },
        };
        const response = await request({ method: 'POST', url: '/v1/tasks', body });
        expect(response.status).toBe(201);
        created.push({ id: response.body.id, sub_agent: body.sub_agent, user_id: body.user_id });
      }
    });

    it('round-trips prompt, user_id, metadata and timestamps', async () => {
      const first = created[1]!;
      const response = await request({ method: 'GET', url: `/v1/tasks/${first.id}` });
      expect(response.body).toMatchObject({
        prompt: 'Stored task 1 — ünïcødé ✓ 🚀',
        user_id: 'user_1',
        metadata: { index: 1, nested: { list: [1, 'two', null, true] }, emoji: '🚀' },
        status: 'pending',
      });
      expect(Date.parse(response.body.created_at)).toBeGreaterThan(
        Date.parse('2025-06-15T10:00:00Z'),
      );
    });

    it('lists, filters and paginates tasks newest first', async () => {
      const newest = [...created].reverse();
      const page = await request({ method: 'GET', url: '/v1/tasks?limit=7' });
      expect(ids(page.body)).toEqual(newest.map((task) => task.id));
      expect(page.body.has_more).toBe(false);
      const short = await request({ method: 'GET', url: '/v1/tasks?limit=6' });
      expect(short.body.has_more).toBe(true);
      const tail = await request({ method: 'GET', url: '/v1/tasks?limit=3&offset=5' });
      expect(ids(tail.body)).toEqual(newest.slice(5).map((task) => task.id));
      expect(tail.body.has_more).toBe(false);

      const crm = await request({ method: 'GET', url: '/v1/tasks?sub_agent=store-crm' });
      expect(ids(crm.body)).toEqual(
        newest.filter((task) => task.sub_agent === 'store-crm').map((task) => task.id),
      );
      const user = await request({ method: 'GET', url: '/v1/tasks?user_id=user_2' });
      expect(ids(user.body)).toEqual(
        newest.filter((task) => task.user_id === 'user_2').map((task) => task.id),
      );
    });

    it('lists tasks created within one millisecond newest first', async () => {
      await request({
        method: 'POST',
        url: '/v1/subagents',
        body: { name: 'store-burst', prompt: PROMPT },
      });
      const order: string[] = [];
      for (let index = 0; index < 8; index += 1) {
        // api.request, not request: the scripted clock stays put.
        const response = await api.request({
          method: 'POST',
          url: '/v1/tasks',
          body: { prompt: `Burst ${index}`, sub_agent: 'store-burst' },
        });
        order.push(response.body.id);
      }
      const page = await api.request({ method: 'GET', url: '/v1/tasks?sub_agent=store-burst' });
      expect(ids(page.body)).toEqual(order.reverse());
    });

    it('cancels a pending task once, and filters it by status', async () => {
      const target = created[0]!;
      const cancelled = await request({ method: 'POST', url: `/v1/tasks/${target.id}/cancel` });
      expect(cancelled.status).toBe(200);
      const again = await request({ method: 'POST', url: `/v1/tasks/${target.id}/cancel` });
      expect(again.status).toBe(409);
      const listed = await request({ method: 'GET', url: '/v1/tasks?status=cancelled' });
      expect(ids(listed.body)).toEqual([target.id]);
      const pending = await request({ method: 'GET', url: '/v1/tasks?status=pending&limit=100' });
      expect(ids(pending.body)).not.toContain(target.id);
    });

    it('cancels a task once when ten cancels race', async () => {
      const task = await request({
        method: 'POST',
        url: '/v1/tasks',
        body: { prompt: 'Cancel race.', sub_agent: 'store-crm' },
      });
      const responses = await Promise.all(
        Array.from({ length: 10 }, () =>
          api.request({ method: 'POST', url: `/v1/tasks/${task.body.id}/cancel` }),
        ),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([200, ...Array<number>(9).fill(409)]);
    });

    it('hides tasks from the test environment and from another project', async () => {
      const other = await api.createKey({ project: 'store-other', environment: 'live' });
      for (const key of [api.keys.test, other]) {
        const list = await request({ method: 'GET', url: '/v1/tasks', key });
        expect(list.body.data).toEqual([]);
        const one = await request({ method: 'GET', url: `/v1/tasks/${created[2]!.id}`, key });
        expect(one.status).toBe(404);
      }
    });
  });

  describe('idempotency', () => {
    it('replays the first response and stores one task', async () => {
      await request({
        method: 'POST',
        url: '/v1/subagents',
        body: { name: 'store-idem', prompt: PROMPT },
      });
      const body = { prompt: 'Exactly once.', sub_agent: 'store-idem' };
      const headers = { 'idempotency-key': 'store-key-1' };
      const first = await request({ method: 'POST', url: '/v1/tasks', body, headers });
      const second = await request({ method: 'POST', url: '/v1/tasks', body, headers });
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body).toEqual(first.body);
      expect(second.headers['idempotent-replayed']).toBe('true');
      const mismatch = await request({
        method: 'POST',
        url: '/v1/tasks',
        body: { ...body, prompt: 'Something else.' },
        headers,
      });
      expect(mismatch.status).toBe(422);
      const list = await request({ method: 'GET', url: '/v1/tasks?sub_agent=store-idem' });
      expect(ids(list.body)).toEqual([first.body.id]);
    });

    it('creates exactly one task from 20 concurrent requests with one key', async () => {
      await request({
        method: 'POST',
        url: '/v1/subagents',
        body: { name: 'store-race', prompt: PROMPT },
      });
      const body = { prompt: 'Race.', sub_agent: 'store-race' };
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          api.request({
            method: 'POST',
            url: '/v1/tasks',
            body,
            headers: { 'idempotency-key': 'store-race-key' },
          }),
        ),
      );
      const statuses = new Set(responses.map((response) => response.status));
      expect([...statuses].every((status) => status === 201 || status === 409)).toBe(true);
      const count = await api.base.cadre.database.db
        .selectFrom('tasks')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('sub_agent', '=', 'store-race')
        .executeTakeFirstOrThrow();
      expect(Number(count.count)).toBe(1);
    });
  });

  describe('api keys', () => {
    it('refuses a revoked key on the very next request', async () => {
      const created = await api.base.cadre.apiKeys.createKey({ environment: 'live', name: 'ci' });
      expect((await request({ method: 'GET', url: '/v1/tasks', key: created.key })).status).toBe(
        200,
      );
      expect(await api.base.cadre.apiKeys.revokeKey(created.id)).toBe(true);
      const refused = await request({ method: 'GET', url: '/v1/tasks', key: created.key });
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('invalid_api_key');
      const listed = await api.base.cadre.apiKeys.listKeys();
      expect(listed.find((key) => key.id === created.id)?.revokedAt).toEqual(expect.any(Number));
    });

    it('stores no issued key, only its keyed hash', async () => {
      const rows = await api.base.cadre.database.db.selectFrom('api_keys').selectAll().execute();
      const dump = JSON.stringify(rows);
      for (const key of [api.keys.live, api.keys.test]) {
        for (let start = 0; start + 10 <= key.length; start += 1) {
          expect(dump).not.toContain(key.slice(start, start + 10));
        }
      }
      for (const row of rows) expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  it('answers generated requests on every route without a server error', async () => {
    const task = await request({
      method: 'POST',
      url: '/v1/tasks',
      body: { prompt: 'Fuzz.', sub_agent: 'store-crm' },
    });
    const revoked = await api.base.cadre.apiKeys.createKey({ environment: 'live' });
    await api.base.cadre.apiKeys.revokeKey(revoked.id);
    const sent = await fuzzEveryRoute(
      api,
      {
        subagentNames: ['store-crm', 'store-billing', 'web-researcher'],
        taskIds: [task.body.id],
        validKeys: [api.keys.live, api.keys.test],
        revokedKey: revoked.key,
      },
      40,
    );
    expect(sent).toBeGreaterThan(500);
  });
});
