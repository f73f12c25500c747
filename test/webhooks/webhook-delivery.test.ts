import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskJournal } from '../../src/agent/index.js';
import { systemClock } from '../../src/clock/index.js';
import { createTaskEventRecorder } from '../../src/events/index.js';
import { startApiCadre, type ApiHarness } from '../support/api-harness.js';
import { waitFor } from '../support/wait-for.js';
import {
  isPlotonSignatureValid,
  startWebhookReceiver,
  verifyStandardWebhook,
  type ReceivedWebhook,
  type ReceiverReply,
  type WebhookReceiver,
} from '../support/webhook-receiver.js';
import { createEndpoint, createTask, directedModel, projectKey } from './webhook-fixtures.js';

type Script = (request: ReceivedWebhook, seen: number) => ReceiverReply;

describe('webhook delivery to a real receiver', () => {
  let api: ApiHarness;
  let receiver: WebhookReceiver;
  const scripts = new Map<string, Script>();
  let projects = 0;

  beforeAll(async () => {
    receiver = await startWebhookReceiver((request, seen) => {
      const script = scripts.get(new URL(request.path, 'http://receiver').pathname);
      return script === undefined ? { status: 200 } : script(request, seen);
    });
    api = await startApiCadre(
      {
        CADRE_ALLOW_PRIVATE_HOSTS: receiver.hostPort,
        CADRE_WEBHOOK_RETRY_DELAYS: '30ms,30ms,30ms,30ms',
        CADRE_WEBHOOK_TIMEOUT_MS: '1000',
        CADRE_TASK_LEASE_MS: '3000',
      },
      { model: directedModel(), worker: { heartbeatIntervalMs: 200 } },
    );
  });
  afterAll(async () => {
    await api?.close();
    await receiver?.close();
  });

  /** A project, an endpoint at its own path on the receiver, and that path's requests. */
  async function setUp(body: Record<string, unknown> = {}, script?: Script) {
    projects += 1;
    const path = `/hooks/p${projects}`;
    if (script !== undefined) scripts.set(path, script);
    const key = await projectKey(api, `webhooks-${projects}`);
    const endpoint = await createEndpoint(api, key, {
      url: `${new URL(receiver.url).origin}${path}`,
      ...body,
    });
    const requests = () => receiver.requests.filter((request) => request.path === path);
    const arrived = (predicate: (request: ReceivedWebhook) => boolean, count = 1) =>
      waitFor(
        () => {
          const matching = requests().filter(predicate);
          return matching.length >= count ? matching : undefined;
        },
        { timeoutMs: 15_000, what: `webhooks at ${path}` },
      );
    return { key, endpoint, path, requests, arrived };
  }

  const ofType = (type: string) => (request: ReceivedWebhook) => request.body?.event === type;

  it('delivers task.complete with exactly Ploton’s envelope, signed both ways', async () => {
    const { key, endpoint, arrived } = await setUp();
    const taskId = await createTask(api, key, 'Sum the items [steps:1]');
    const [webhook] = await arrived(ofType('task.complete'));
    expect(Object.keys(webhook!.body)).toEqual(['event', 'task_id', 'timestamp', 'data']);
    expect(webhook!.body).toEqual({
      event: 'task.complete',
      task_id: taskId,
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      data: { steps: 1 },
    });
    const task = await api.request({ method: 'GET', url: `/v1/tasks/${taskId}`, key });
    expect(webhook!.body.data).toEqual(task.body.result);
    expect(webhook!.headers['content-type']).toBe('application/json');
    expect(webhook!.id).toMatch(/^evt_/);
    expect(
      isPlotonSignatureValid(
        endpoint.secret,
        webhook!.rawBody,
        webhook!.headers['x-ploton-signature'],
      ),
    ).toBe(true);
    expect(verifyStandardWebhook(endpoint.secret, webhook!)).toEqual(webhook!.body);

    const tampered = webhook!.rawBody.replace('"steps":1', '"steps":2');
    expect(tampered).not.toBe(webhook!.rawBody);
    expect(
      isPlotonSignatureValid(endpoint.secret, tampered, webhook!.headers['x-ploton-signature']),
    ).toBe(false);
    expect(() =>
      verifyStandardWebhook(endpoint.secret, { ...webhook!, rawBody: tampered }),
    ).toThrow();
  });

  it('delivers task.failed with the task’s error object as data.error', async () => {
    const { key, arrived } = await setUp();
    const taskId = await createTask(api, key, 'Do it [fail]');
    const [webhook] = await arrived(ofType('task.failed'));
    const task = await api.request({ method: 'GET', url: `/v1/tasks/${taskId}`, key });
    expect(task.body.status).toBe('failed');
    expect(webhook!.body).toMatchObject({ event: 'task.failed', task_id: taskId });
    expect(webhook!.body.data).toEqual({ error: task.body.error });
    expect(webhook!.body.data.error).toEqual(
      expect.objectContaining({ code: expect.any(String), recoverable: expect.any(Boolean) }),
    );
  });

  it('delivers task.cancelled when a running task is cancelled through the API', async () => {
    const { key, arrived } = await setUp();
    const taskId = await createTask(api, key, 'Wait for it [hang]');
    await waitFor(async () => {
      const task = await api.request({ method: 'GET', url: `/v1/tasks/${taskId}`, key });
      return task.body.status === 'running' ? true : undefined;
    });
    const cancelled = await api.request({ method: 'POST', url: `/v1/tasks/${taskId}/cancel`, key });
    expect(cancelled.status).toBe(200);
    const [webhook] = await arrived(ofType('task.cancelled'));
    expect(webhook!.body).toMatchObject({ event: 'task.cancelled', task_id: taskId, data: {} });
  });

  it('delivers task.waiting with waiting_for as data when the journal pauses a task', async () => {
    const { key, arrived } = await setUp();
    const taskId = await createTask(api, key, 'Connect the CRM [hang]');
    const { database, events } = api.base.cadre;
    const row = await waitFor(async () => {
      const task = await database.db
        .selectFrom('tasks')
        .select(['status', 'lease_token'])
        .where('id', '=', taskId)
        .executeTakeFirstOrThrow();
      return task.status === 'running' ? task : undefined;
    });
    const journal = new TaskJournal(database, systemClock, {
      recorder: createTaskEventRecorder(database, {
        progressDelayMs: 1_000,
        deliveryAttempts: 5,
        bus: events,
      }),
      bus: events,
    });
    const waitingFor = {
      type: 'authorization' as const,
      service: 'hubspot',
      auth_url: 'https://cadre.example/connect/link_1',
    };
    await journal.wait({ taskId, leaseToken: row.lease_token }, waitingFor);
    const [webhook] = await arrived(ofType('task.waiting'));
    expect(webhook!.body).toMatchObject({
      event: 'task.waiting',
      task_id: taskId,
      data: waitingFor,
    });
    const task = await api.request({ method: 'GET', url: `/v1/tasks/${taskId}`, key });
    expect(task.body).toMatchObject({ status: 'waiting', waiting_for: waitingFor });
    await api.request({ method: 'POST', url: `/v1/tasks/${taskId}/cancel`, key });
  });

  it('delivers the preview of a test-mode task as task.complete', async () => {
    const { key, arrived } = await setUp();
    const taskId = await createTask(api, key, 'Sum the items', { mode: 'test' });
    const [webhook] = await arrived(ofType('task.complete'));
    expect(webhook!.body).toMatchObject({
      task_id: taskId,
      data: { mode: 'test', valid: true, sub_agent: 'data-agent' },
    });
  });

  it('sends task.running only to endpoints that ask for it, and only the events chosen', async () => {
    const everything = await setUp({
      events: ['task.running', 'task.complete', 'task.failed', 'task.progress'],
    });
    const onlyFailures = await setUp({ events: ['task.failed'] });
    const plain = await setUp();
    for (const { key } of [everything, onlyFailures, plain]) {
      await createTask(api, key, 'Sum the items [steps:1]');
    }
    await everything.arrived(ofType('task.complete'));
    await plain.arrived(ofType('task.complete'));
    await everything.arrived(ofType('task.running'));
    expect(plain.requests().filter(ofType('task.running'))).toEqual([]);
    const failing = await createTask(api, onlyFailures.key, 'Break [fail]');
    const [failed] = await onlyFailures.arrived(ofType('task.failed'));
    expect(failed!.body.task_id).toBe(failing);
    expect(onlyFailures.requests().map((request) => request.body.event)).toEqual(['task.failed']);
  });

  it('retries a failing delivery with the same id and byte-identical body until a 2xx', async () => {
    const { key, endpoint, arrived } = await setUp(
      { events: ['task.complete'] },
      (_request, seen) => ({
        status: seen < 2 ? 500 : 200,
        body: seen < 2 ? 'try again' : 'ok',
      }),
    );
    await createTask(api, key, 'Sum the items');
    const attempts = await arrived(ofType('task.complete'), 3);
    expect(new Set(attempts.map((attempt) => attempt.id)).size).toBe(1);
    expect(new Set(attempts.map((attempt) => attempt.rawBody)).size).toBe(1);
    for (const attempt of attempts) {
      expect(
        isPlotonSignatureValid(
          endpoint.secret,
          attempt.rawBody,
          attempt.headers['x-ploton-signature'],
        ),
      ).toBe(true);
      expect(verifyStandardWebhook(endpoint.secret, attempt)).toBeDefined();
    }
    const log = await waitFor(async () => {
      const list = await api.request({
        method: 'GET',
        url: `/v1/webhook_endpoints/${endpoint.id}/deliveries`,
        key,
      });
      return list.body.data[0]?.status === 'succeeded' ? list.body.data : undefined;
    });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      event_id: attempts[0]!.id,
      event_type: 'task.complete',
      attempt_count: 3,
    });
    const detail = await api.request({
      method: 'GET',
      url: `/v1/webhook_endpoints/${endpoint.id}/deliveries/${log[0].id}`,
      key,
    });
    expect(
      detail.body.attempts.map((attempt: any) => [
        attempt.attempt,
        attempt.response_status,
        attempt.response_body,
        attempt.trigger,
      ]),
    ).toEqual([
      [1, 500, 'try again', 'automatic'],
      [2, 500, 'try again', 'automatic'],
      [3, 200, 'ok', 'automatic'],
    ]);
    expect(detail.body.attempts[0].error).toBe('HTTP 500');
  });

  it('stops after the configured attempts and marks the delivery failed', async () => {
    const { key, endpoint, arrived } = await setUp({ events: ['task.complete'] }, () => ({
      status: 503,
    }));
    await createTask(api, key, 'Sum the items');
    await arrived(ofType('task.complete'), 5);
    const log = await waitFor(async () => {
      const list = await api.request({
        method: 'GET',
        url: `/v1/webhook_endpoints/${endpoint.id}/deliveries?status=failed`,
        key,
      });
      return list.body.data.length === 1 ? list.body.data : undefined;
    });
    expect(log[0]).toMatchObject({ attempt_count: 5, last_response_status: 503 });
    expect(log[0].next_attempt_at).toBeUndefined();
  });

  it('does not follow a redirect: the attempt fails and the new location gets nothing', async () => {
    const { key, endpoint, path, arrived } = await setUp(
      { events: ['task.complete'] },
      (request) =>
        request.path.endsWith('/moved')
          ? { status: 200 }
          : {
              status: 301,
              headers: { location: `${new URL(receiver.url).origin}${request.path}/moved` },
            },
    );
    await createTask(api, key, 'Sum the items');
    await arrived(ofType('task.complete'), 2);
    expect(receiver.requests.filter((request) => request.path === `${path}/moved`)).toEqual([]);
    const list = await api.request({
      method: 'GET',
      url: `/v1/webhook_endpoints/${endpoint.id}/deliveries`,
      key,
    });
    expect(list.body.data[0].last_response_status).toBe(301);
    expect(list.body.data[0].last_error).toMatch(/redirects are not followed/);
  });

  it('disables an endpoint that answers 410 Gone, queues nothing for it, and resumes once re-enabled', async () => {
    let gone = true;
    const { key, endpoint, requests, arrived } = await setUp({ events: ['task.complete'] }, () => ({
      status: gone ? 410 : 200,
    }));
    await createTask(api, key, 'Sum the items');
    await arrived(ofType('task.complete'));
    const disabled = await waitFor(async () => {
      const got = await api.request({
        method: 'GET',
        url: `/v1/webhook_endpoints/${endpoint.id}`,
        key,
      });
      return got.body.status === 'disabled' ? got.body : undefined;
    });
    expect(disabled.disabled_reason).toMatch(/410 Gone/);
    expect(disabled.disabled_at).toEqual(expect.any(String));

    const quiet = await createTask(api, key, 'Sum the items');
    await waitFor(async () => {
      const task = await api.request({ method: 'GET', url: `/v1/tasks/${quiet}`, key });
      return task.body.status === 'complete' ? true : undefined;
    });
    const queued = await api.base.cadre.database.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('endpoint_id', '=', endpoint.id)
      .where('task_id', '=', quiet)
      .execute();
    expect(queued).toEqual([]);
    expect(requests()).toHaveLength(1);

    gone = false;
    const enabled = await api.request({
      method: 'PATCH',
      url: `/v1/webhook_endpoints/${endpoint.id}`,
      key,
      body: { status: 'enabled' },
    });
    expect(enabled.body.status).toBe('enabled');
    expect(enabled.body.disabled_reason).toBeUndefined();
    const after = await createTask(api, key, 'Sum the items');
    const delivered = await arrived(
      (request) => ofType('task.complete')(request) && request.body.task_id === after,
    );
    expect(delivered).toHaveLength(1);
  });

  it('records a receiver that does not answer in time, then delivers on the next attempt', async () => {
    const { key, endpoint, arrived } = await setUp(
      { events: ['task.complete'] },
      (_request, seen) => (seen === 0 ? { hold: true } : { status: 204 }),
    );
    await createTask(api, key, 'Sum the items');
    const attempts = await arrived(ofType('task.complete'), 2);
    expect(attempts[0]!.id).toBe(attempts[1]!.id);
    const delivery = await waitFor(async () => {
      const list = await api.request({
        method: 'GET',
        url: `/v1/webhook_endpoints/${endpoint.id}/deliveries`,
        key,
      });
      return list.body.data[0]?.status === 'succeeded' ? list.body.data[0] : undefined;
    });
    const detail = await api.request({
      method: 'GET',
      url: `/v1/webhook_endpoints/${endpoint.id}/deliveries/${delivery.id}`,
      key,
    });
    expect(detail.body.attempts[0]).toMatchObject({
      response_status: null,
      error: 'No response within 1 s',
    });
    expect(detail.body.attempts[1]).toMatchObject({ response_status: 204 });
    receiver.release();
  });

  it('redelivers on request: the same event id and body again, logged as a manual attempt', async () => {
    const { key, endpoint, arrived } = await setUp({ events: ['task.complete'] });
    await createTask(api, key, 'Sum the items');
    const [first] = await arrived(ofType('task.complete'));
    const delivery = await waitFor(async () => {
      const list = await api.request({
        method: 'GET',
        url: `/v1/webhook_endpoints/${endpoint.id}/deliveries`,
        key,
      });
      return list.body.data[0]?.status === 'succeeded' ? list.body.data[0] : undefined;
    });
    const redelivered = await api.request({
      method: 'POST',
      url: `/v1/webhook_endpoints/${endpoint.id}/deliveries/${delivery.id}/redeliver`,
      key,
    });
    expect(redelivered.status).toBe(202);
    expect(redelivered.body).toMatchObject({ id: delivery.id, status: 'pending' });
    const both = await arrived(ofType('task.complete'), 2);
    expect(both[1]!.id).toBe(first!.id);
    expect(both[1]!.rawBody).toBe(first!.rawBody);
    const detail = await waitFor(async () => {
      const got = await api.request({
        method: 'GET',
        url: `/v1/webhook_endpoints/${endpoint.id}/deliveries/${delivery.id}`,
        key,
      });
      return got.body.attempts.length === 2 && got.body.status === 'succeeded'
        ? got.body
        : undefined;
    });
    expect(detail.attempts.map((attempt: any) => attempt.trigger)).toEqual(['automatic', 'manual']);
  });

  it('signs with the old and the new secret during a rotation’s grace period, then only the new', async () => {
    const { key, endpoint, arrived } = await setUp({ events: ['task.complete'] });
    const rotated = await api.request({
      method: 'POST',
      url: `/v1/webhook_endpoints/${endpoint.id}/rotate_secret`,
      key,
      body: { grace_period_seconds: 3600 },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    expect(rotated.body.previous_secret_expires_at).toEqual(expect.any(String));
    await createTask(api, key, 'Sum the items');
    const [during] = await arrived(ofType('task.complete'));
    expect(String(during!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifyStandardWebhook(rotated.body.secret, during!)).toBeDefined();
    expect(verifyStandardWebhook(endpoint.secret, during!)).toBeDefined();
    expect(
      isPlotonSignatureValid(
        rotated.body.secret,
        during!.rawBody,
        during!.headers['x-ploton-signature'],
      ),
    ).toBe(true);
    expect(
      isPlotonSignatureValid(
        endpoint.secret,
        during!.rawBody,
        during!.headers['x-ploton-signature-previous'],
      ),
    ).toBe(true);

    const immediate = await api.request({
      method: 'POST',
      url: `/v1/webhook_endpoints/${endpoint.id}/rotate_secret`,
      key,
      body: { grace_period_seconds: 0 },
    });
    await createTask(api, key, 'Sum the items');
    const after = (await arrived(ofType('task.complete'), 2))[1]!;
    expect(verifyStandardWebhook(immediate.body.secret, after)).toBeDefined();
    expect(() => verifyStandardWebhook(rotated.body.secret, after)).toThrow();
    expect(after.headers['x-ploton-signature-previous']).toBeUndefined();
  });
});
