import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryEventBus,
  createTaskEventRecorder,
  type TaskEventRecorder,
} from '../../src/events/index.js';
import { type Database } from '../../src/storage/index.js';
import {
  createWebhookDeliveryStore,
  type ClaimedDelivery,
  type WebhookDeliveryStore,
} from '../../src/webhooks/index.js';
import { databaseBackends } from '../support/database-backends.js';
import { taskFixture } from '../support/task-fixture.js';

const NOW = Date.parse('2025-06-15T10:00:00Z');
const LEASE_MS = 35_000;

describe.each(databaseBackends)('webhook delivery claims on $name', (backend) => {
  let database: Database;
  let release: () => Promise<void>;
  let recorder: TaskEventRecorder;
  let store: WebhookDeliveryStore;
  let tasks = 0;

  beforeAll(async () => {
    ({ database, release } = await backend.open({ poolSize: 20 }));
    recorder = createTaskEventRecorder(database, {
      progressDelayMs: 1_000,
      deliveryAttempts: 5,
      bus: createMemoryEventBus(),
    });
    store = createWebhookDeliveryStore(database);
  });
  afterAll(() => release?.());

  async function endpoint(
    project: string,
    options: {
      status?: 'enabled' | 'disabled';
      events?: string[];
      id?: string;
      environment?: string;
    } = {},
  ): Promise<string> {
    const id = options.id ?? `we_${project}_${Math.random().toString(36).slice(2, 8)}`;
    await database.db
      .insertInto('webhook_endpoints')
      .values({
        id,
        project_id: project,
        environment: (options.environment ?? 'live') as 'live',
        url: 'https://hooks.example.com/',
        description: null,
        events: JSON.stringify(options.events ?? ['task.complete', 'task.progress']),
        status: options.status ?? 'enabled',
        disabled_reason: null,
        disabled_at: null,
        failing_since: null,
        secret: '{}',
        previous_secret: null,
        previous_secret_expires_at: null,
        source: 'api',
        created_at: NOW,
        updated_at: NOW,
      })
      .execute();
    return id;
  }

  /** A task that completes now, recording its event through the recorder (as the journal does). */
  async function completedTask(project: string): Promise<string> {
    tasks += 1;
    const id = `task_claims_${tasks}`;
    await database.db
      .insertInto('tasks')
      .values(
        taskFixture(
          {
            id,
            project_id: project,
            sub_agent: 'data-agent',
            prompt: 'p',
            status: 'complete',
            result: '{"ok":true}',
            started_at: NOW,
            completed_at: NOW,
            lease_token: 1,
            attempts: 1,
          },
          NOW,
        ),
      )
      .execute();
    await database.writeCompiledBatch(
      recorder.record(
        { taskId: id, type: 'task.complete', data: { ok: true }, at: NOW },
        { status: 'complete', leaseToken: 1 },
      ),
    );
    return id;
  }

  const deliveriesOf = (taskId: string) =>
    database.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('task_id', '=', taskId)
      .orderBy('endpoint_id')
      .execute();

  const success = (at: number) => ({
    attemptedAt: at,
    durationMs: 3,
    responseStatus: 200,
    error: null,
    responseBody: 'ok',
    status: 'succeeded' as const,
    nextAttemptAt: null,
    health: 'healthy' as const,
    disableIfFailingSince: at - 1,
    disableReason: '',
  });

  it('queues one delivery per enabled endpoint that subscribes, in the event’s project and environment', async () => {
    const mine = await endpoint('fan');
    const configured = await endpoint('*', { id: `we_cfg_${backend.name}`, environment: '*' });
    await endpoint('fan', { status: 'disabled' });
    await endpoint('fan', { events: ['task.failed'] });
    await endpoint('fan', { environment: 'test' });
    await endpoint('fan-other');
    const taskId = await completedTask('fan');
    const queued = await deliveriesOf(taskId);
    expect(queued.map((delivery) => delivery.endpoint_id).sort()).toEqual(
      [configured, mine].sort(),
    );
    for (const delivery of queued) {
      expect(delivery).toMatchObject({
        status: 'pending',
        event_type: 'task.complete',
        attempt_count: 0,
        attempt_limit: 5,
        next_attempt_at: NOW,
        project_id: 'fan',
      });
      expect(delivery.id).toMatch(/^whd_/);
    }
    await database.db.deleteFrom('webhook_endpoints').where('id', '=', configured).execute();
  });

  it('records nothing, and queues nothing, when the condition on the task does not hold', async () => {
    await endpoint('cond');
    const taskId = await completedTask('cond');
    const changes = await database.writeCompiledBatch([
      // Wrong status, then a second terminal event: both no-ops.
      ...recorder.record(
        { taskId, type: 'task.failed', data: {}, at: NOW },
        { status: 'failed', leaseToken: 1 },
      ),
      ...recorder.record(
        { taskId, type: 'task.cancelled', data: {}, at: NOW },
        { status: 'complete' },
      ),
    ]);
    expect(changes).toEqual([0, 0, 0, 0]);
    expect(await deliveriesOf(taskId)).toHaveLength(1);
    const events = await database.db
      .selectFrom('task_events')
      .select('type')
      .where('task_id', '=', taskId)
      .execute();
    expect(events).toEqual([{ type: 'task.complete' }]);
  });

  it('gives a delivery to one claimer only, and to another once the first one’s lease ran out', async () => {
    const endpointId = await endpoint('lease');
    const taskId = await completedTask('lease');
    const [queued] = await deliveriesOf(taskId);
    const claimA = (
      await store.claim('A', 10, { now: NOW, leaseMs: LEASE_MS, includeExpired: true })
    ).filter((delivery) => delivery.endpointId === endpointId);
    expect(claimA.map((delivery) => delivery.id)).toEqual([queued!.id]);
    const [a] = claimA as [ClaimedDelivery];
    expect(a).toMatchObject({
      attempt: 1,
      eventType: 'task.complete',
      taskId,
      data: '{"ok":true}',
    });
    const claimB = await store.claim('B', 10, {
      now: NOW,
      leaseMs: LEASE_MS,
      includeExpired: true,
    });
    expect(claimB.map((delivery) => delivery.id)).not.toContain(a.id);

    const later = NOW + LEASE_MS + 1;
    const takeover = (
      await store.claim('B', 10, { now: later, leaseMs: LEASE_MS, includeExpired: true })
    ).filter((delivery) => delivery.id === a.id);
    expect(takeover).toHaveLength(1);
    const [b] = takeover as [ClaimedDelivery];
    expect(b.leaseToken).toBe(a.leaseToken + 1);

    // The stalled claimer finishes late: fenced out, nothing recorded.
    expect(await store.record(a, success(later))).toBe(false);
    expect(await store.record(b, success(later + 5))).toBe(true);
    const attempts = await database.db
      .selectFrom('webhook_attempts')
      .selectAll()
      .where('delivery_id', '=', a.id)
      .execute();
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({
      attempt: 1,
      attempted_at: later + 5,
      trigger: 'automatic',
    });
    const [done] = await deliveriesOf(taskId);
    expect(done).toMatchObject({ status: 'succeeded', attempt_count: 1, delivered_at: later + 5 });
  });

  it('never hands one delivery to two of many concurrent claimers', async () => {
    const endpointId = await endpoint('race');
    const taskIds: string[] = [];
    for (let index = 0; index < 60; index += 1) taskIds.push(await completedTask('race'));
    const at = NOW + 10 * LEASE_MS;
    const claims = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        store.claim(`claimer_${index}`, 8, { now: at, leaseMs: LEASE_MS, includeExpired: false }),
      ),
    );
    // Regression: a claim that named its rows with `IN (SELECT … LIMIT n FOR UPDATE SKIP
    // LOCKED)` took more than n on PostgreSQL (the subquery ran more than once).
    for (const claim of claims) expect(claim.length).toBeLessThanOrEqual(8);
    const claimed = claims.flat().filter((delivery) => delivery.endpointId === endpointId);
    const ids = claimed.map((delivery) => delivery.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Claim the rest, then every delivery was handed out exactly once.
    for (;;) {
      const more = (
        await store.claim('sweeper', 50, { now: at, leaseMs: LEASE_MS, includeExpired: false })
      ).filter((delivery) => delivery.endpointId === endpointId);
      if (more.length === 0) break;
      ids.push(...more.map((delivery) => delivery.id));
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(taskIds.length);
  });
});
