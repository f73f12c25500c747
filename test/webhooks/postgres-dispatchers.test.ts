import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cadre } from '../../src/main/create-cadre.js';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '../support/postgres.js';
import { waitFor } from '../support/wait-for.js';
import {
  isPlotonSignatureValid,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../support/webhook-receiver.js';
import { bootCadre, call } from './webhook-fixtures.js';

const TASKS = 120;

// Scale-out: one API process and two worker processes (each with a dispatcher) on one
// PostgreSQL database, as `cadre serve --role api|worker` would run them.
describe('webhook dispatchers of several workers on PostgreSQL', () => {
  let postgres: TestPostgresDatabase;
  let receiver: WebhookReceiver;
  const dataDirs: string[] = [];
  const running: Cadre[] = [];

  beforeAll(async () => {
    postgres = await createTestPostgresDatabase();
    // A little slower than instant, so both dispatchers claim while the other is sending.
    receiver = await startWebhookReceiver(() => ({ status: 200, delayMs: 40 }));
    const env = {
      CADRE_DATABASE_URL: postgres.url,
      CADRE_SECRET_KEY: crypto.randomBytes(32).toString('hex'),
      CADRE_ALLOW_PRIVATE_HOSTS: receiver.hostPort,
      CADRE_WEBHOOK_CONCURRENCY: '4',
    };
    for (const role of ['api', 'worker', 'worker'] as const) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-pg-dispatch-'));
      dataDirs.push(dataDir);
      running.push(await bootCadre(dataDir, env, { role }));
    }
  });
  afterAll(async () => {
    for (const cadre of running) await cadre.close();
    await receiver?.close();
    await postgres?.drop();
    for (const dataDir of dataDirs) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every event exactly once when the receiver always answers 2xx', async () => {
    const apiProcess = running[0]!;
    const key = (await apiProcess.apiKeys.createKey({ environment: 'live' })).key;
    const endpoint = await call(apiProcess, key, 'POST', '/v1/webhook_endpoints', {
      url: receiver.url,
      events: ['task.complete'],
    });
    await call(apiProcess, key, 'POST', '/v1/subagents', {
      name: 'data-agent',
      prompt: 'Transform data with JMESPath.',
    });
    const taskIds = await Promise.all(
      Array.from({ length: TASKS }, async () => {
        const task = await call(apiProcess, key, 'POST', '/v1/tasks', {
          prompt: 'Sum the items',
          sub_agent: 'data-agent',
          mode: 'test',
        });
        return task.body.id as string;
      }),
    );
    await waitFor(() => (receiver.requests.length >= TASKS ? true : undefined), {
      timeoutMs: 20_000,
      what: 'every webhook',
    });
    // Let any duplicate (there must be none) arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const counts = receiver.counts();
    expect(counts.size).toBe(TASKS);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    expect(new Set(receiver.requests.map((request) => request.body.task_id))).toEqual(
      new Set(taskIds),
    );
    for (const request of receiver.requests.slice(0, 5)) {
      expect(
        isPlotonSignatureValid(
          endpoint.body.secret,
          request.rawBody,
          request.headers['x-ploton-signature'],
        ),
      ).toBe(true);
    }
    const attempts = await apiProcess.database.db
      .selectFrom('webhook_attempts')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    expect(Number(attempts.count)).toBe(TASKS);
    const senders = await apiProcess.database.db
      .selectFrom('webhook_deliveries')
      .select('lease_owner')
      .distinct()
      .execute();
    expect(senders.map((row) => row.lease_owner).sort()).toEqual(
      running
        .slice(1)
        .map((worker) => worker.dispatcher!.owner)
        .sort(),
    );
  });
});
