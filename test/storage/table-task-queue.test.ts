import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryEventBus,
  createTaskEventRecorder,
  type TaskEventRecorder,
} from '../../src/events/index.js';
import { createTableTaskQueue } from '../../src/queue/table-task-queue.js';
import type { TaskQueue } from '../../src/queue/index.js';
import { type Database, type TaskStatus } from '../../src/storage/index.js';
import { databaseBackends } from '../support/database-backends.js';
import { createScriptedClock } from '../support/scripted-clock.js';
import { taskFixture } from '../support/task-fixture.js';

const LEASE_MS = 30_000;

describe.each(databaseBackends)('the tasks table as a queue on $name', (backend) => {
  const clock = createScriptedClock();
  let databases: [Database, Database];
  let release: () => Promise<void>;
  let queues: [TaskQueue, TaskQueue];
  let sequence = 0;

  const recorderFor = (database: Database): TaskEventRecorder =>
    createTaskEventRecorder(database, {
      progressDelayMs: 0,
      deliveryAttempts: 5,
      bus: createMemoryEventBus(),
    });

  beforeAll(async () => {
    // Two connections (pools) to one database, as two worker processes would have.
    const opened = await backend.open();
    databases = [opened.database, await opened.connectAgain()];
    release = opened.release;
    queues = [
      createTableTaskQueue({
        database: databases[0],
        clock,
        leaseMs: LEASE_MS,
        recorder: recorderFor(databases[0]),
      }),
      createTableTaskQueue({
        database: databases[1],
        clock,
        leaseMs: LEASE_MS,
        recorder: recorderFor(databases[1]),
      }),
    ];
  });
  afterAll(() => release?.());
  // Each case starts with an empty queue: what it left behind is finished.
  afterEach(async () => {
    await databases[0].db
      .updateTable('tasks')
      .set({ status: 'complete', lease_owner: null })
      .where('status', 'in', ['pending', 'running'])
      .execute();
  });

  async function insertTask(runAt: number, status: TaskStatus = 'pending'): Promise<string> {
    sequence += 1;
    const id = `task_queue_${String(sequence).padStart(4, '0')}`;
    const now = clock.now();
    await databases[0].db
      .insertInto('tasks')
      .values(taskFixture({ id, status, created_at: now, updated_at: now, run_at: runAt }, now))
      .execute();
    return id;
  }

  const row = (id: string) =>
    databases[0].db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  /** Claims until both workers find nothing more (each claim of a drained queue is empty). */
  async function drain(owner: string, queue: TaskQueue, max: number): Promise<string[]> {
    const claimed: string[] = [];
    for (;;) {
      const batch = await queue.claim(owner, max);
      if (batch.length === 0) return claimed;
      claimed.push(...batch.map((task) => task.id));
    }
  }

  it('claims due pending tasks up to the maximum, never a future one, and marks them running', async () => {
    const due = [await insertTask(clock.now() - 2), await insertTask(clock.now() - 1)];
    const future = await insertTask(clock.now() + 10_000);

    const first = await queues[0].claim('wrk_a', 1);
    expect(first).toHaveLength(1);
    const rest = await queues[0].claim('wrk_a', 10);
    expect([...first, ...rest].map((task) => task.id).sort()).toEqual(due);
    for (const task of [...first, ...rest]) {
      expect(task).toMatchObject({ leaseToken: 1, attempts: 1 });
      expect(await row(task.id)).toMatchObject({
        status: 'running',
        lease_owner: 'wrk_a',
        lease_token: 1,
        lease_expires_at: clock.now() + LEASE_MS,
        started_at: clock.now(),
      });
    }
    expect((await row(future)).status).toBe('pending');
    expect(await queues[0].claim('wrk_a', 10)).toEqual([]);

    // Due now (and the others still leased): only it is claimed.
    clock.advance(10_000);
    expect((await queues[0].claim('wrk_a', 10)).map((task) => task.id)).toEqual([future]);
  });

  it('gives each task to exactly one of two workers claiming at the same time', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 60; index += 1) ids.push(await insertTask(clock.now()));

    const [fromA, fromB] = await Promise.all([
      drain('wrk_a', queues[0], 7),
      drain('wrk_b', queues[1], 5),
    ]);

    expect([...fromA, ...fromB].sort()).toEqual(ids);
    expect(new Set([...fromA, ...fromB]).size).toBe(ids.length);
    for (const id of fromB) expect((await row(id)).lease_owner).toBe('wrk_b');
    const events = await databases[0].db
      .selectFrom('task_events')
      .select(['task_id'])
      .where('task_id', 'in', ids)
      .where('type', '=', 'task.running')
      .execute();
    // One `task.running` event per claim: the loser of a race records none.
    expect(events.map((event) => event.task_id).sort()).toEqual(ids);
  });

  it('re-claims a task whose lease expired, with a new fencing token, and heartbeats keep leases', async () => {
    const id = await insertTask(clock.now());
    const [claim] = await queues[0].claim('wrk_a', 1);
    expect(claim?.id).toBe(id);

    clock.advance(LEASE_MS / 2);
    expect((await queues[0].heartbeat('wrk_a')).has(id)).toBe(true);
    expect((await row(id)).lease_expires_at).toBe(clock.now() + LEASE_MS);
    // Still leased: the other worker cannot take it.
    clock.advance(LEASE_MS - 1);
    expect(await queues[1].claim('wrk_b', 10)).toEqual([]);

    // Expired leases are looked for about once a second.
    clock.advance(1_000);
    const [takeover] = await queues[1].claim('wrk_b', 10);
    expect(takeover).toEqual({ id, leaseToken: 2, attempts: 2 });
    expect((await queues[0].heartbeat('wrk_a')).has(id)).toBe(false);
  });

  it('releases a task back to pending only for the owner holding the current token', async () => {
    const id = await insertTask(clock.now());
    const [claim] = await queues[0].claim('wrk_a', 1);
    if (claim === undefined) throw new Error('expected a claim');

    await queues[1].release('wrk_b', id, claim.leaseToken);
    expect((await row(id)).status).toBe('running');
    await queues[0].release('wrk_a', id, claim.leaseToken + 1);
    expect((await row(id)).status).toBe('running');

    await queues[0].release('wrk_a', id, claim.leaseToken);
    expect(await row(id)).toMatchObject({ status: 'pending', lease_owner: null });
    const [again] = await queues[1].claim('wrk_b', 1);
    expect(again).toEqual({ id, leaseToken: claim.leaseToken + 1, attempts: 2 });
  });
});
