import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/http/canonical-json.js';
import { startApiCadre, type ApiHarness } from '../support/api-harness.js';
import { createScriptedClock } from '../support/scripted-clock.js';

const PROMPT = 'Handle CRM work: pull contacts and export deals.';

describe('Idempotency-Key on POST', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiCadre({}, { role: 'api' });
    for (const key of [api.keys.live, api.keys.test]) {
      const response = await api.request({
        method: 'POST',
        url: '/v1/subagents',
        key,
        body: { name: 'crm-agent', prompt: PROMPT },
      });
      expect(response.status).toBe(201);
    }
  });
  afterAll(() => api.close());

  const countTasks = async (prompt: string) => {
    const row = await api.base.cadre.database.db
      .selectFrom('tasks')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('prompt', '=', prompt)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  };
  const countSubagents = async (name: string) => {
    const row = await api.base.cadre.database.db
      .selectFrom('subagents')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  };
  const postTask = (
    body: Record<string, unknown>,
    idempotencyKey: string,
    key: string = api.keys.live,
  ) =>
    api.request({
      method: 'POST',
      url: '/v1/tasks',
      key,
      body,
      headers: { 'idempotency-key': idempotencyKey },
    });

  it('replays the original 201 and body with Idempotent-Replayed: true and creates no second task', async () => {
    const body = { prompt: 'Replay me.', sub_agent: 'crm-agent', metadata: { run: 1 } };
    const first = await postTask(body, 'replay-key');
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const second = await postTask(body, 'replay-key');
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.text).toBe(first.text);
    expect(await countTasks('Replay me.')).toBe(1);
  });

  it('treats the same body with keys in another order as the same request', async () => {
    const first = await postTask(
      { prompt: 'Order.', sub_agent: 'crm-agent', metadata: { a: 1, b: 2 } },
      'order-key',
    );
    const second = await postTask(
      { metadata: { b: 2, a: 1 }, sub_agent: 'crm-agent', prompt: 'Order.' },
      'order-key',
    );
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(await countTasks('Order.')).toBe(1);
  });

  it('accepts the key as a quoted structured-field string too', async () => {
    const body = { prompt: 'Quoted.', sub_agent: 'crm-agent' };
    const first = await postTask(body, '"quoted-key"');
    const second = await postTask(body, 'quoted-key');
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body.id).toBe(first.body.id);
  });

  it('replays a subagent deploy instead of answering 409 subagent_exists', async () => {
    const request = () =>
      api.request({
        method: 'POST',
        url: '/v1/subagents',
        body: { name: 'idem-agent', prompt: PROMPT },
        headers: { 'idempotency-key': 'deploy-key' },
      });
    const first = await request();
    const second = await request();
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(await countSubagents('idem-agent')).toBe(1);
  });

  it('replays an error response too: the original 404 comes back for the same request', async () => {
    const body = { prompt: 'Ghost.', sub_agent: 'ghost-agent' };
    const first = await postTask(body, 'error-key');
    expect(first.status).toBe(404);
    const second = await postTask(body, 'error-key');
    expect(second.status).toBe(404);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
  });

  it('answers 422 idempotency_key_reused when the same key comes with a different body', async () => {
    await postTask({ prompt: 'Original.', sub_agent: 'crm-agent' }, 'reused-key');
    const response = await postTask({ prompt: 'Changed.', sub_agent: 'crm-agent' }, 'reused-key');
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({
      code: 'idempotency_key_reused',
      param: 'Idempotency-Key',
    });
    expect(await countTasks('Changed.')).toBe(0);
  });

  it('answers 422 idempotency_key_reused when the same key is used on another route', async () => {
    await postTask({ prompt: 'Route one.', sub_agent: 'crm-agent' }, 'cross-route-key');
    const response = await api.request({
      method: 'POST',
      url: '/v1/subagents',
      body: { name: 'cross-route', prompt: PROMPT },
      headers: { 'idempotency-key': 'cross-route-key' },
    });
    expect(response.status).toBe(422);
    expect(await countSubagents('cross-route')).toBe(0);
  });

  it('stores nothing for a request that fails validation, so a corrected retry runs', async () => {
    const invalid = await postTask({ sub_agent: 'crm-agent' }, 'fix-me-key');
    expect(invalid.status).toBe(400);
    const fixed = await postTask({ prompt: 'Fixed.', sub_agent: 'crm-agent' }, 'fix-me-key');
    expect(fixed.status).toBe(201);
    expect(fixed.headers['idempotent-replayed']).toBeUndefined();
  });

  it('creates exactly one task from 50 concurrent identical requests, each answered 201 or 409, and a later retry replays the 201', async () => {
    const body = { prompt: 'Concurrent.', sub_agent: 'crm-agent' };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => postTask(body, 'race-key')),
    );
    const created = responses.filter((response) => response.status === 201);
    const conflicts = responses.filter((response) => response.status === 409);
    expect(created.length + conflicts.length).toBe(50);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const conflict of conflicts) {
      expect(conflict.body.error.code).toBe('idempotency_key_in_use');
      expect(conflict.headers['retry-after']).toBe('1');
    }
    const ids = new Set(created.map((response) => response.body.id));
    expect(ids.size).toBe(1);
    expect(await countTasks('Concurrent.')).toBe(1);

    const retry = await postTask(body, 'race-key');
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.id).toBe([...ids][0]);
  });

  it('keeps keys per project and environment: the same key elsewhere creates its own task', async () => {
    const other = await api.createKey({ project: 'idem-other', environment: 'live' });
    await api.request({
      method: 'POST',
      url: '/v1/subagents',
      key: other,
      body: { name: 'crm-agent', prompt: PROMPT },
    });
    const body = { prompt: 'Scoped.', sub_agent: 'crm-agent' };
    const live = await postTask(body, 'scoped-key', api.keys.live);
    const test = await postTask(body, 'scoped-key', api.keys.test);
    const elsewhere = await postTask(body, 'scoped-key', other);
    for (const response of [live, test, elsewhere]) {
      expect(response.status).toBe(201);
      expect(response.headers['idempotent-replayed']).toBeUndefined();
    }
    expect(new Set([live.body.id, test.body.id, elsewhere.body.id]).size).toBe(3);
    expect(await countTasks('Scoped.')).toBe(3);
  });

  it.each([
    ['longer than 255 characters', 'k'.repeat(256)],
    ['empty', ''],
    ['non-ASCII', Buffer.from('schlüssel-ü').toString('latin1')],
    ['a control character', 'tab\there'],
  ])(
    'answers 400 invalid_request naming Idempotency-Key when the key is %s',
    async (_what, value) => {
      const response = await postTask({ prompt: 'Bad key.', sub_agent: 'crm-agent' }, value);
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({
        code: 'invalid_request',
        param: 'Idempotency-Key',
      });
      expect(await countTasks('Bad key.')).toBe(0);
    },
  );

  it('accepts a key of exactly 255 printable characters', async () => {
    const response = await postTask(
      { prompt: 'Long key.', sub_agent: 'crm-agent' },
      'k'.repeat(255),
    );
    expect(response.status).toBe(201);
  });

  it('replays a cancel, so a retried cancel does not answer 409', async () => {
    const task = await postTask(
      { prompt: 'Cancel once.', sub_agent: 'crm-agent' },
      'cancel-create-key',
    );
    const cancel = () =>
      api.request({
        method: 'POST',
        url: `/v1/tasks/${task.body.id}/cancel`,
        headers: { 'idempotency-key': 'cancel-key' },
      });
    const first = await cancel();
    const second = await cancel();
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
  });
});

describe('Idempotency-Key held by a request that never finished', () => {
  const clock = createScriptedClock();
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiCadre({}, { role: 'api', clock });
    await api.request({
      method: 'POST',
      url: '/v1/subagents',
      body: { name: 'crm-agent', prompt: PROMPT },
    });
  });
  afterAll(() => api.close());

  it('answers 409 idempotency_key_in_use while the claim is fresh, then lets a retry take the key over', async () => {
    const body = { prompt: 'Crashed midway.', sub_agent: 'crm-agent' };
    const principal = await api.base.cadre.apiKeys.authenticate(api.keys.live);
    const fingerprint = crypto
      .createHash('sha256')
      .update(`POST /v1/tasks\n${canonicalJson(body)}`)
      .digest('hex');
    // What a process that crashed between claiming the key and storing the response leaves.
    await api.base.cadre.database.db
      .insertInto('idempotency_keys')
      .values({
        project_id: principal!.projectId,
        environment: 'live',
        key: 'crashed-key',
        fingerprint,
        state: 'in_progress',
        response_status: null,
        response_body: null,
        created_at: clock.now(),
        locked_at: clock.now(),
      })
      .execute();
    const send = () =>
      api.request({
        method: 'POST',
        url: '/v1/tasks',
        body,
        headers: { 'idempotency-key': 'crashed-key' },
      });

    const busy = await send();
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('idempotency_key_in_use');
    expect(busy.headers['retry-after']).toBe('1');

    clock.advance(61_000);
    const takenOver = await send();
    expect(takenOver.status).toBe(201);
    const replayed = await send();
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body.id).toBe(takenOver.body.id);
  });
});
