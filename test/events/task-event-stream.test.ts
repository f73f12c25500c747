import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskJournal } from '../../src/agent/index.js';
import { systemClock } from '../../src/clock/index.js';
import { createTaskEventRecorder } from '../../src/events/index.js';
import type { Cadre } from '../../src/main/create-cadre.js';
import { scriptedMockModel, type MockTurn } from '../support/scripted-mock-model.js';
import { openEventStream, type SseConnection, type SseMessage } from '../support/sse-client.js';
import { waitFor } from '../support/wait-for.js';
import { bootCadre, call } from '../webhooks/webhook-fixtures.js';

/** A promise the test resolves: the model's first turn waits on it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('GET /v1/tasks/:task_id/events (server-sent events, real HTTP client)', () => {
  let dataDir: string;
  let cadre: Cadre;
  let baseUrl: string;
  let key: string;
  const gates = new Map<string, ReturnType<typeof gate>>();

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-sse-'));
    const model = scriptedMockModel(async (options): Promise<MockTurn> => {
      const prompt = JSON.stringify(options.prompt);
      const name = /\[gate:(\w+)\]/.exec(prompt)?.[1];
      if (prompt.includes('[hang]')) {
        return new Promise<MockTurn>((_resolve, reject) =>
          options.abortSignal?.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      }
      const toolResults = options.prompt.filter((message) => message.role === 'tool').length;
      if (toolResults === 0) {
        if (name !== undefined) await gates.get(name)?.opened;
        return {
          toolCalls: [
            {
              name: 'json__jmespath',
              input: { data: { items: [1, 2] }, expression: 'sum(items)' },
            },
          ],
        };
      }
      return { text: '{"total": 3}' };
    });
    cadre = await bootCadre(
      dataDir,
      { CADRE_TASK_LEASE_MS: '3000' },
      {
        model,
        worker: { heartbeatIntervalMs: 200 },
      },
    );
    baseUrl = await cadre.app!.listen({ host: '127.0.0.1', port: 0 });
    key = (await cadre.apiKeys.createKey({ environment: 'live' })).key;
    await call(cadre, key, 'POST', '/v1/subagents', {
      name: 'data-agent',
      prompt: 'Transform data. Filter and reshape JSON with JMESPath.',
    });
  });
  afterAll(async () => {
    await cadre?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const stream = (taskId: string, headers: Record<string, string> = {}) =>
    openEventStream(`${baseUrl}/v1/tasks/${taskId}/events`, {
      authorization: `Bearer ${key}`,
      ...headers,
    });
  const createTask = async (prompt: string) =>
    (await call(cadre, key, 'POST', '/v1/tasks', { prompt, sub_agent: 'data-agent' })).body
      .id as string;

  async function readAll(connection: SseConnection): Promise<SseMessage[]> {
    const messages: SseMessage[] = [];
    for (let message = await connection.next(); message; message = await connection.next()) {
      messages.push(message);
    }
    return messages;
  }

  it('streams status changes and steps as they happen, then closes after the terminal event', async () => {
    gates.set('live', gate());
    const taskId = await createTask('Sum the items [gate:live]');
    const connection = await stream(taskId);
    expect(connection.status).toBe(200);
    expect(connection.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(connection.headers['x-request-id']).toEqual(expect.any(String));
    const running = await connection.next();
    expect(running?.event).toBe('task.running');
    // The model is still held at its first turn: nothing else has happened yet.
    const task = await call(cadre, key, 'GET', `/v1/tasks/${taskId}`);
    expect(task.body.status).toBe('running');
    expect(connection.messages).toHaveLength(1);

    gates.get('live')!.open();
    const rest = await readAll(connection);
    await connection.ended;
    expect(rest.map((message) => message.event)).toEqual([
      'task.progress',
      'task.progress',
      'task.progress',
      'task.complete',
    ]);
    const all = [running!, ...rest];
    for (const message of all) {
      expect(message.id).toMatch(/^evt_/);
      const envelope = JSON.parse(message.data);
      expect(Object.keys(envelope)).toEqual(['event', 'task_id', 'timestamp', 'data']);
      expect(envelope).toMatchObject({ event: message.event, task_id: taskId });
    }
    expect(JSON.parse(rest[1]!.data).data.steps).toEqual([
      expect.objectContaining({ tool: 'json', action: 'jmespath', status: 'complete' }),
    ]);
    expect(JSON.parse(rest[3]!.data).data).toEqual({ total: 3 });
    expect(new Set(all.map((message) => message.id)).size).toBe(all.length);
  });

  it('replays a finished task’s events from the start, and resumes after Last-Event-ID', async () => {
    const taskId = await createTask('Sum the items');
    await waitFor(async () => {
      const task = await call(cadre, key, 'GET', `/v1/tasks/${taskId}`);
      return task.body.status === 'complete' ? true : undefined;
    });
    const replay = await stream(taskId);
    const everything = await readAll(replay);
    expect(everything.map((message) => message.event)).toEqual([
      'task.running',
      'task.progress',
      'task.progress',
      'task.progress',
      'task.complete',
    ]);
    const resumed = await stream(taskId, { 'last-event-id': everything[1]!.id! });
    const after = await readAll(resumed);
    expect(after.map((message) => message.id)).toEqual(
      everything.slice(2).map((message) => message.id),
    );
    const unknown = await stream(taskId, { 'last-event-id': 'evt_not_this_tasks' });
    expect((await readAll(unknown)).map((message) => message.id)).toEqual(
      everything.map((message) => message.id),
    );
  });

  it('shows a pause and a resume: task.waiting, then task.running again, then the cancel', async () => {
    const taskId = await createTask('Connect the CRM [hang]');
    const connection = await stream(taskId);
    expect((await connection.next())?.event).toBe('task.running');
    const row = await cadre.database.db
      .selectFrom('tasks')
      .select('lease_token')
      .where('id', '=', taskId)
      .executeTakeFirstOrThrow();
    const journal = new TaskJournal(cadre.database, systemClock, {
      recorder: createTaskEventRecorder(cadre.database, {
        progressDelayMs: 1_000,
        deliveryAttempts: 5,
        bus: cadre.events,
      }),
      bus: cadre.events,
    });
    await journal.wait(
      { taskId, leaseToken: row.lease_token },
      { type: 'input', question: 'Which account should I use?' },
    );
    const waiting = await connection.next();
    expect(waiting?.event).toBe('task.waiting');
    expect(JSON.parse(waiting!.data).data).toEqual({
      type: 'input',
      question: 'Which account should I use?',
    });
    expect(await journal.resume(taskId)).toBe(true);
    expect((await connection.next())?.event).toBe('task.running');
    await call(cadre, key, 'POST', `/v1/tasks/${taskId}/cancel`);
    expect((await connection.next())?.event).toBe('task.cancelled');
    expect(await connection.next()).toBeUndefined();
  });

  it('follows events another process commits (no shared bus: the stream polls the log)', async () => {
    const other = await bootCadre(dataDir, {}, { role: 'api' });
    try {
      const taskId = await createTask('Wait here [hang]');
      const connection = await stream(taskId);
      expect((await connection.next())?.event).toBe('task.running');
      const cancelled = await call(other, key, 'POST', `/v1/tasks/${taskId}/cancel`);
      expect(cancelled.status).toBe(200);
      const message = await connection.next();
      expect(message?.event).toBe('task.cancelled');
      expect(await connection.next()).toBeUndefined();
    } finally {
      await other.close();
    }
  });

  it('answers a missing key, an unknown task and another project’s task with the JSON error envelope', async () => {
    const taskId = await createTask('Sum the items');
    const otherKey = (await cadre.apiKeys.createKey({ environment: 'live', project: 'sse-other' }))
      .key;
    for (const [headers, status, code] of [
      [{}, 401, 'missing_api_key'],
      [{ authorization: `Bearer ${otherKey}` }, 404, 'task_not_found'],
    ] as const) {
      const connection = await openEventStream(`${baseUrl}/v1/tasks/${taskId}/events`, headers);
      await connection.ended;
      expect(connection.status).toBe(status);
      expect(connection.headers['content-type']).toMatch(/application\/json/);
      expect(JSON.parse(connection.text()).error.code).toBe(code);
    }
    const missing = await stream('task_missing');
    await missing.ended;
    expect(missing.status).toBe(404);
  });

  it('is documented in the OpenAPI document as a text/event-stream', async () => {
    const document = (await fetch(`${baseUrl}/v1/openapi.json`).then((response) =>
      response.json(),
    )) as any;
    const operation = document.paths['/v1/tasks/{task_id}/events'].get;
    expect(Object.keys(operation.responses['200'].content)).toEqual(['text/event-stream']);
    expect(operation.responses['404'].content['application/json']).toBeDefined();
  });
});

describe('an open event stream at shutdown', () => {
  it('is ended by the server, so closing does not wait for its client', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-sse-close-'));
    const model = scriptedMockModel(
      (options) =>
        new Promise<MockTurn>((_resolve, reject) =>
          options.abortSignal?.addEventListener('abort', () => reject(new Error('aborted'))),
        ),
    );
    const cadre = await bootCadre(dataDir, {}, { model });
    try {
      const baseUrl = await cadre.app!.listen({ host: '127.0.0.1', port: 0 });
      const key = (await cadre.apiKeys.createKey({ environment: 'live' })).key;
      await call(cadre, key, 'POST', '/v1/subagents', {
        name: 'data-agent',
        prompt: 'Transform data with JMESPath.',
      });
      const task = await call(cadre, key, 'POST', '/v1/tasks', {
        prompt: 'Wait forever',
        sub_agent: 'data-agent',
      });
      const connection = await openEventStream(`${baseUrl}/v1/tasks/${task.body.id}/events`, {
        authorization: `Bearer ${key}`,
      });
      expect((await connection.next())?.event).toBe('task.running');
      await cadre.close();
      await connection.ended;
      expect(await connection.next()).toBeUndefined();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
