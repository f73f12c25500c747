import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiCadre, type ApiHarness } from '../support/api-harness.js';
import { createScriptedClock } from '../support/scripted-clock.js';
import { waitFor } from '../support/wait-for.js';
import {
  isPlotonSignatureValid,
  startWebhookReceiver,
  type ReceivedWebhook,
  type ReceiverReply,
  type WebhookReceiver,
} from '../support/webhook-receiver.js';
import { createEndpoint, createTask, directedModel, projectKey } from './webhook-fixtures.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The default schedule: waits before attempts 2 to 5. */
const DEFAULT_DELAYS = [MINUTE, 20 * MINUTE, 4 * HOUR, 18 * HOUR];
/** Random pinned at 0.75: every wait is the schedule's plus 5 % (jitter is ±10 %). */
const JITTER_FACTOR = 1.05;

type Script = (request: ReceivedWebhook, seen: number) => ReceiverReply;

// Time is scripted: the dispatcher decides what is due by the clock, and the test moves it.
describe('webhook retry schedule, Retry-After and endpoint disabling (scripted clock)', () => {
  const clock = createScriptedClock();
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
      { CADRE_ALLOW_PRIVATE_HOSTS: receiver.hostPort },
      { clock, model: directedModel(), webhooks: { random: () => 0.75, pollIntervalMs: 20 } },
    );
  });
  afterAll(async () => {
    await api?.close();
    await receiver?.close();
  });

  async function setUp(script: Script, events = ['task.complete']) {
    projects += 1;
    const path = `/schedule/p${projects}`;
    scripts.set(path, script);
    const key = await projectKey(api, `schedule-${projects}`);
    const endpoint = await createEndpoint(api, key, {
      url: `${new URL(receiver.url).origin}${path}`,
      events,
    });
    const requests = () => receiver.requests.filter((request) => request.path === path);
    return { key, endpoint, requests };
  }

  const db = () => api.base.cadre.database.db;
  const deliveryOf = (endpointId: string, taskId: string) =>
    db()
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('endpoint_id', '=', endpointId)
      .where('task_id', '=', taskId)
      .executeTakeFirst();
  /** Waits until the delivery's attempt `attempt` is recorded. */
  const attemptRecorded = (endpointId: string, taskId: string, attempt: number) =>
    waitFor(
      async () => {
        const delivery = await deliveryOf(endpointId, taskId);
        return delivery !== undefined &&
          delivery.attempt_count >= attempt &&
          delivery.status !== 'sending'
          ? delivery
          : undefined;
      },
      { timeoutMs: 10_000, what: `attempt ${attempt} to be recorded` },
    );
  const wake = () => api.base.cadre.dispatcher?.wake();

  it('retries after 1 min, 20 min, 4 h and 18 h with jitter, then fails the delivery after 5 attempts', async () => {
    const { key, endpoint, requests } = await setUp(() => ({ status: 500 }));
    const taskId = await createTask(api, key, 'Sum the items', { mode: 'test' });
    let delivery = await attemptRecorded(endpoint.id, taskId, 1);
    const firstAttemptAt = delivery.last_attempt_at!;
    for (const [index, delay] of DEFAULT_DELAYS.entries()) {
      expect(delivery.status).toBe('pending');
      expect(delivery.next_attempt_at! - delivery.last_attempt_at!).toBe(
        Math.round(delay * JITTER_FACTOR),
      );
      // Not due a millisecond early.
      clock.set(delivery.next_attempt_at! - 1);
      wake();
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(requests()).toHaveLength(index + 1);
      clock.set(delivery.next_attempt_at!);
      wake();
      delivery = await attemptRecorded(endpoint.id, taskId, index + 2);
    }
    expect(delivery).toMatchObject({ status: 'failed', attempt_count: 5, next_attempt_at: null });
    expect(requests()).toHaveLength(5);
    expect(new Set(requests().map((request) => request.id)).size).toBe(1);
    const span = delivery.last_attempt_at! - firstAttemptAt;
    expect(span).toBe(
      DEFAULT_DELAYS.reduce((sum, delay) => sum + Math.round(delay * JITTER_FACTOR), 0),
    );
    expect(span).toBeGreaterThan(20 * HOUR);
    expect(span).toBeLessThan(25 * HOUR);
    for (const request of requests()) {
      expect(
        isPlotonSignatureValid(
          endpoint.secret,
          request.rawBody,
          request.headers['x-ploton-signature'],
        ),
      ).toBe(true);
    }
  });

  it('waits as long as Retry-After asks when that is longer than the schedule', async () => {
    const { key, endpoint, requests } = await setUp((_request, seen) =>
      seen === 0 ? { status: 429, headers: { 'retry-after': '7200' } } : { status: 200 },
    );
    const taskId = await createTask(api, key, 'Sum the items', { mode: 'test' });
    const delivery = await attemptRecorded(endpoint.id, taskId, 1);
    expect(delivery.last_response_status).toBe(429);
    expect(delivery.next_attempt_at! - delivery.last_attempt_at!).toBe(7_200_000);
    clock.set(delivery.next_attempt_at!);
    wake();
    const done = await attemptRecorded(endpoint.id, taskId, 2);
    expect(done.status).toBe('succeeded');
    expect(requests()).toHaveLength(2);
  });

  it('reads Retry-After as an HTTP date, and keeps the schedule when Retry-After is shorter', async () => {
    const { key, endpoint } = await setUp((_request, seen) =>
      seen === 0
        ? {
            status: 503,
            headers: { 'retry-after': new Date(clock.now() + 3 * HOUR).toUTCString() },
          }
        : seen === 1
          ? { status: 503, headers: { 'retry-after': '5' } }
          : { status: 200 },
    );
    const taskId = await createTask(api, key, 'Sum the items', { mode: 'test' });
    const first = await attemptRecorded(endpoint.id, taskId, 1);
    // HTTP dates have whole seconds.
    expect(Math.abs(first.next_attempt_at! - first.last_attempt_at! - 3 * HOUR)).toBeLessThan(
      1_000,
    );
    clock.set(first.next_attempt_at!);
    wake();
    const second = await attemptRecorded(endpoint.id, taskId, 2);
    expect(second.next_attempt_at! - second.last_attempt_at!).toBe(
      Math.round(DEFAULT_DELAYS[1]! * JITTER_FACTOR),
    );
  });

  it('disables an endpoint whose every delivery failed for 3 days, saying since when', async () => {
    let healthy = false;
    const { key, endpoint } = await setUp(() => ({ status: healthy ? 200 : 500 }));
    const startedFailing = clock.now();
    const first = await createTask(api, key, 'Sum the items', { mode: 'test' });
    await attemptRecorded(endpoint.id, first, 1);
    const endpointRow = () =>
      db()
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('id', '=', endpoint.id)
        .executeTakeFirstOrThrow();
    expect((await endpointRow()).failing_since).toBe(startedFailing);

    clock.advance(2 * DAY);
    const second = await createTask(api, key, 'Sum the items', { mode: 'test' });
    await attemptRecorded(endpoint.id, second, 1);
    expect((await endpointRow()).status).toBe('enabled');

    clock.advance(DAY + MINUTE);
    const third = await createTask(api, key, 'Sum the items', { mode: 'test' });
    await attemptRecorded(endpoint.id, third, 1);
    const disabled = await api.request({
      method: 'GET',
      url: `/v1/webhook_endpoints/${endpoint.id}`,
      key,
    });
    expect(disabled.body.status).toBe('disabled');
    expect(disabled.body.disabled_reason).toContain(
      new Date(startedFailing).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    );
    expect(disabled.body.disabled_reason).toMatch(/HTTP 500/);

    // Its pending retries wait, untouched, until it is enabled again.
    const pending = await deliveryOf(endpoint.id, third);
    clock.set(pending!.next_attempt_at! + 1);
    wake();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await deliveryOf(endpoint.id, third))!.attempt_count).toBe(1);
    healthy = true;
    await api.request({
      method: 'PATCH',
      url: `/v1/webhook_endpoints/${endpoint.id}`,
      key,
      body: { status: 'enabled' },
    });
    wake();
    expect((await attemptRecorded(endpoint.id, third, 2)).status).toBe('succeeded');
    expect((await endpointRow()).failing_since).toBeNull();
  });

  it('forgets a failure streak after one success', async () => {
    let healthy = false;
    const { key, endpoint } = await setUp(() => ({ status: healthy ? 200 : 500 }));
    const first = await createTask(api, key, 'Sum the items', { mode: 'test' });
    await attemptRecorded(endpoint.id, first, 1);
    clock.advance(2 * DAY);
    healthy = true;
    const second = await createTask(api, key, 'Sum the items', { mode: 'test' });
    await attemptRecorded(endpoint.id, second, 1);
    healthy = false;
    clock.advance(DAY + MINUTE);
    const third = await createTask(api, key, 'Sum the items', { mode: 'test' });
    await attemptRecorded(endpoint.id, third, 1);
    const row = await db()
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('id', '=', endpoint.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('enabled');
    expect(row.failing_since).toBe(clock.now());
  });

  it('coalesces a task’s progress into one webhook per interval, carrying every step in order', async () => {
    const { key, endpoint, requests } = await setUp(
      () => ({ status: 200 }),
      ['task.progress', 'task.complete'],
    );
    const taskId = await createTask(api, key, 'Sum in three steps [steps:3]');
    await waitFor(() =>
      requests().some((request) => request.body.event === 'task.complete') ? true : undefined,
    );
    const progressEvents = await db()
      .selectFrom('task_events')
      .select(['id', 'data'])
      .where('task_id', '=', taskId)
      .where('type', '=', 'task.progress')
      .orderBy('seq')
      .execute();
    expect(progressEvents).toHaveLength(7);
    // Due one interval after they happened; the clock has not moved.
    expect(requests().filter((request) => request.body.event === 'task.progress')).toEqual([]);

    clock.advance(1_000);
    wake();
    const [progress] = await waitFor(() => {
      const sent = requests().filter((request) => request.body.event === 'task.progress');
      return sent.length > 0 ? sent : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(requests().filter((request) => request.body.event === 'task.progress')).toHaveLength(1);
    expect(progress!.id).toBe(progressEvents[0]!.id);
    const trace = await api.request({ method: 'GET', url: `/v1/tasks/${taskId}/trace`, key });
    const finishedWork = trace.body.steps
      .map((step: any, index: number) => ({ ...step, seq: index + 1 }))
      .filter((step: any) => step.tool !== 'cadre');
    expect(
      progress!.body.data.steps.map((step: any) => [step.seq, step.tool, step.action]),
    ).toEqual(finishedWork.map((step: any) => [step.seq, step.tool, step.action]));
    expect(progress!.body.data.message).toMatch(/^model\.generate complete/);
    const rows = await db()
      .selectFrom('webhook_deliveries')
      .select(['id', 'status', 'coalesced_into'])
      .where('endpoint_id', '=', endpoint.id)
      .where('event_type', '=', 'task.progress')
      .orderBy('event_seq')
      .execute();
    expect(rows.map((row) => row.status)).toEqual(['succeeded', ...Array(6).fill('coalesced')]);
    for (const row of rows.slice(1)) expect(row.coalesced_into).toBe(rows[0]!.id);
  });
});
