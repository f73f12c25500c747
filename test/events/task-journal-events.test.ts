import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TaskJournal, WaitingTasks, type Fence } from '../../src/agent/index.js';
import {
  createMemoryEventBus,
  createTaskEventRecorder,
  type EventBus,
} from '../../src/events/index.js';
import { type Database, type TaskStatus } from '../../src/storage/index.js';
import { databaseBackends } from '../support/database-backends.js';
import { createScriptedClock } from '../support/scripted-clock.js';
import { taskFixture } from '../support/task-fixture.js';

describe.each(databaseBackends)('task journal events on $name', (backend) => {
  const clock = createScriptedClock();
  let database: Database;
  let release: () => Promise<void>;
  let bus: EventBus;
  let journal: TaskJournal;
  let waitingTasks: WaitingTasks;
  let published: string[];
  let sequence = 0;

  beforeAll(async () => {
    ({ database, release } = await backend.open());
    bus = createMemoryEventBus();
    published = [];
    bus.subscribe('task.event', ({ taskId }) => published.push(`event:${taskId}`));
    bus.subscribe('task.enqueued', ({ taskId }) => published.push(`enqueued:${taskId}`));
    const recorder = createTaskEventRecorder(database, {
      progressDelayMs: 0,
      deliveryAttempts: 5,
      bus,
    });
    journal = new TaskJournal(database, clock, { recorder, bus });
    waitingTasks = new WaitingTasks(database, clock, { recorder, bus });
  });
  afterAll(() => release?.());
  beforeEach(() => {
    published.length = 0;
  });

  async function runningTask(leaseToken = 3): Promise<Fence> {
    sequence += 1;
    const id = `task_journal_${sequence}`;
    const now = clock.now();
    await database.db
      .insertInto('tasks')
      .values(
        taskFixture(
          {
            id,
            status: 'running',
            started_at: now,
            lease_owner: 'wrk_test',
            lease_token: leaseToken,
            lease_expires_at: now + 30_000,
            attempts: 1,
          },
          now,
        ),
      )
      .execute();
    return { taskId: id, leaseToken };
  }

  const taskRow = (id: string) =>
    database.db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const events = (id: string) =>
    database.db
      .selectFrom('task_events')
      .select(['id', 'type', 'data', 'seq'])
      .where('task_id', '=', id)
      .orderBy('seq')
      .execute();
  const setStatus = (id: string, status: TaskStatus) =>
    database.db.updateTable('tasks').set({ status }).where('id', '=', id).execute();

  it('moves a running task to waiting with waiting_for and records task.waiting', async () => {
    const fence = await runningTask();
    const waitingFor = {
      type: 'authorization' as const,
      service: 'hubspot',
      auth_url: 'https://cadre.example/connect/abc',
    };
    await journal.wait(fence, waitingFor);
    const row = await taskRow(fence.taskId);
    expect(row.status).toBe('waiting');
    expect(JSON.parse(row.waiting_for!)).toEqual(waitingFor);
    expect(row.lease_owner).toBeNull();
    const recorded = await events(fence.taskId);
    expect(recorded.map((event) => event.type)).toEqual(['task.waiting']);
    expect(JSON.parse(recorded[0]!.data)).toEqual(waitingFor);
    expect(recorded[0]!.id).toMatch(/^evt_/);
    expect(published).toEqual([`event:${fence.taskId}`]);
  });

  it('writes neither the waiting state nor its event when the lease was lost', async () => {
    const fence = await runningTask(3);
    await expect(
      journal.wait({ ...fence, leaseToken: 2 }, { type: 'input', question: 'Which account?' }),
    ).rejects.toThrow(/no longer owned/);
    await setStatus(fence.taskId, 'cancelled');
    await expect(
      journal.wait(fence, { type: 'input', question: 'Which account?' }),
    ).rejects.toThrow(/no longer owned/);
    expect((await taskRow(fence.taskId)).waiting_for).toBeNull();
    expect(await events(fence.taskId)).toEqual([]);
    expect(published).toEqual([]);
  });

  it('resumes a waiting task to pending and wakes the workers; anything else stays put', async () => {
    const fence = await runningTask();
    await journal.wait(fence, { type: 'input', question: 'Which account?' });
    clock.advance(5_000);
    expect(await journal.resume(fence.taskId)).toBe(true);
    const row = await taskRow(fence.taskId);
    expect(row.status).toBe('pending');
    expect(row.waiting_for).toBeNull();
    expect(row.run_at).toBe(clock.now());
    expect(published).toContain(`enqueued:${fence.taskId}`);
    expect(await journal.resume(fence.taskId)).toBe(false);
    const running = await runningTask();
    expect(await journal.resume(running.taskId)).toBe(false);
    expect((await taskRow(running.taskId)).status).toBe('running');
  });

  it('records task.complete with the result as data, in the same unit as the state', async () => {
    const fence = await runningTask();
    const result = { contacts: [{ name: 'Ada', email: 'ada@example.com' }] };
    await journal.complete(fence, result, {
      input_tokens: 1,
      output_tokens: 2,
      total_tokens: 3,
      model_calls: 1,
    });
    expect((await taskRow(fence.taskId)).status).toBe('complete');
    const recorded = await events(fence.taskId);
    expect(recorded.map((event) => event.type)).toEqual(['task.complete']);
    expect(JSON.parse(recorded[0]!.data)).toEqual(result);
  });

  it('records task.failed with data.error, and nothing for a worker that lost the task', async () => {
    const fence = await runningTask();
    const error = {
      code: 'auth_token_expired',
      message: "The user's OAuth token has expired and automatic refresh failed.",
      tool: 'crm',
      recoverable: true,
      suggestion: 'Prompt the user to re-authorize access',
    };
    const usage = { input_tokens: 0, output_tokens: 0, total_tokens: 0, model_calls: 0 };
    await expect(journal.fail({ ...fence, leaseToken: 9 }, error, usage)).rejects.toThrow(
      /no longer owned/,
    );
    expect(await events(fence.taskId)).toEqual([]);
    await journal.fail(fence, error, usage);
    const recorded = await events(fence.taskId);
    expect(recorded.map((event) => event.type)).toEqual(['task.failed']);
    expect(JSON.parse(recorded[0]!.data)).toEqual({ error });
    // A second terminal transition cannot happen, and could not be recorded twice either.
    await expect(journal.complete(fence, {}, usage)).rejects.toThrow(/no longer owned/);
    expect(await events(fence.taskId)).toHaveLength(1);
  });

  it('records task.progress for each finished model or tool step, not for running or system steps', async () => {
    const fence = await runningTask();
    const startedAt = clock.now();
    await journal.append(fence, 1, {
      kind: 'system',
      tool: 'cadre',
      action: 'select_tools',
      status: 'complete',
      startedAt,
    });
    await journal.append(fence, 2, {
      kind: 'model',
      tool: 'model',
      action: 'generate',
      status: 'complete',
      note: '50 in / 10 out tokens',
      startedAt,
      durationMs: 12,
    });
    await journal.append(fence, 3, {
      kind: 'tool',
      tool: 'ledger',
      action: 'record_payment',
      status: 'running',
      startedAt,
    });
    await journal.update(
      fence,
      3,
      { status: 'retrying', durationMs: 5, note: 'HTTP 503 — retrying' },
      { kind: 'tool', tool: 'ledger', action: 'record_payment' },
    );
    await journal.update(
      fence,
      3,
      { status: 'complete', durationMs: 40, output: { ok: true }, note: 'recorded' },
      { kind: 'tool', tool: 'ledger', action: 'record_payment' },
    );
    const recorded = await events(fence.taskId);
    expect(recorded.map((event) => event.type)).toEqual(['task.progress', 'task.progress']);
    expect(JSON.parse(recorded[0]!.data)).toEqual({
      message: 'model.generate complete: 50 in / 10 out tokens',
      steps: [
        {
          seq: 2,
          tool: 'model',
          action: 'generate',
          status: 'complete',
          duration_ms: 12,
          note: '50 in / 10 out tokens',
        },
      ],
    });
    expect(JSON.parse(recorded[1]!.data).steps).toEqual([
      {
        seq: 3,
        tool: 'ledger',
        action: 'record_payment',
        status: 'complete',
        duration_ms: 40,
        note: 'recorded',
      },
    ]);
  });

  it('writes no step and no progress event for a worker whose lease was taken over', async () => {
    const fence = await runningTask(4);
    await expect(
      journal.append({ ...fence, leaseToken: 3 }, 1, {
        kind: 'model',
        tool: 'model',
        action: 'generate',
        status: 'complete',
        startedAt: clock.now(),
      }),
    ).rejects.toThrow(/no longer owned/);
    expect(await events(fence.taskId)).toEqual([]);
    const steps = await database.db
      .selectFrom('task_steps')
      .select('seq')
      .where('task_id', '=', fence.taskId)
      .execute();
    expect(steps).toEqual([]);
  });
  it('gives a task waiting for consent a new link, and its deadline still skips all the waiting', async () => {
    const fence = await runningTask();
    const deadline = clock.now() + 60_000;
    await database.db
      .updateTable('tasks')
      .set({ deadline_at: deadline })
      .where('id', '=', fence.taskId)
      .execute();
    await journal.wait(fence, {
      type: 'authorization',
      service: 'hubspot',
      auth_url: 'https://cadre.example/v1/oauth/authorize/first',
    });

    clock.advance(5_000);
    const services: string[] = [];
    const renewed = await waitingTasks.renewAuthorization(fence.taskId, (service) => {
      services.push(service);
      return Promise.resolve('https://cadre.example/v1/oauth/authorize/second');
    });
    expect(renewed).toBe(true);
    expect(services).toEqual(['hubspot']);
    let row = await taskRow(fence.taskId);
    expect(row.status).toBe('waiting');
    expect(JSON.parse(row.waiting_for!)).toEqual({
      type: 'authorization',
      service: 'hubspot',
      auth_url: 'https://cadre.example/v1/oauth/authorize/second',
    });
    expect(row.deadline_at).toBe(deadline + 5_000);

    clock.advance(3_000);
    expect(await waitingTasks.resumeAfterConsent(fence.taskId, 'hubspot')).toBe(true);
    row = await taskRow(fence.taskId);
    expect(row.status).toBe('pending');
    expect(row.deadline_at).toBe(deadline + 8_000);
    // Not waiting any more: no new link.
    expect(
      await waitingTasks.renewAuthorization(fence.taskId, () => Promise.resolve('unused')),
    ).toBe(false);
  });

  it('gives no link to a task waiting for an answer', async () => {
    const fence = await runningTask();
    await journal.wait(fence, { type: 'input', question: 'Which account?' });
    const renew = () =>
      waitingTasks.renewAuthorization(fence.taskId, () => Promise.resolve('unused'));
    expect(await renew()).toBe(false);
    expect(JSON.parse((await taskRow(fence.taskId)).waiting_for!)).toEqual({
      type: 'input',
      question: 'Which account?',
    });
  });
});
