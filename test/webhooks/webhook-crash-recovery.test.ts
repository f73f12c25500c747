import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  apiClient,
  freePort,
  runCli,
  startCadreProcess,
  type CadreProcess,
} from '../support/cadre-process.js';
import {
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../support/scripted-model-server.js';
import { waitFor } from '../support/wait-for.js';
import {
  isPlotonSignatureValid,
  startWebhookReceiver,
  verifyStandardWebhook,
  type WebhookReceiver,
} from '../support/webhook-receiver.js';

const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;

describe('webhook delivery across a SIGKILL', () => {
  let dataDir: string;
  let receiver: WebhookReceiver;
  let modelServer: ScriptedModelServer;
  let cadre: CadreProcess | undefined;

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-webhook-crash-'));
    // The first webhook to arrive is held open: the server dies while delivering it.
    let holding = true;
    receiver = await startWebhookReceiver(() => {
      if (holding) {
        holding = false;
        return { hold: true };
      }
      return { status: 200 };
    });
    modelServer = await startScriptedModelServer((request) => {
      const conversation = JSON.stringify(request.messages);
      if (conversation.includes('[fail]')) return { status: 400 };
      return request.messages.some((message) => message.role === 'tool')
        ? { text: '{"total": 3}' }
        : {
            toolCalls: [
              {
                name: 'json__jmespath',
                arguments: { data: { items: [1, 2] }, expression: 'sum(items)' },
              },
            ],
          };
    });
  });

  afterEach(async () => {
    await cadre?.kill();
    cadre = undefined;
    receiver.release();
    await receiver.close();
    await modelServer.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every event after the server is killed mid-delivery and restarted', async () => {
    const env = {
      CADRE_DATA_DIR: dataDir,
      CADRE_MODEL: 'openai-compatible:scripted',
      CADRE_MODEL_BASE_URL: modelServer.baseUrl,
      CADRE_ALLOW_PRIVATE_HOSTS: `${receiver.hostPort},${new URL(modelServer.baseUrl).host}`,
      CADRE_WEBHOOK_URL: receiver.url,
      CADRE_WEBHOOK_SECRET: SECRET,
      CADRE_WEBHOOK_TIMEOUT_MS: '1000',
      CADRE_WEBHOOK_PROGRESS_INTERVAL_MS: '100',
      CADRE_TASK_LEASE_MS: '1500',
      CADRE_LOG_LEVEL: 'warn',
    };
    const key = runCli(['keys', 'create'], env).stdout.trim().split('\n').at(-1)!;
    const port = await freePort();
    cadre = await startCadreProcess(env, port);
    let api = apiClient(cadre.baseUrl, key);
    expect(
      (
        await api('POST', '/v1/subagents', {
          name: 'data-agent',
          prompt: 'Transform data. Filter and reshape JSON with JMESPath.',
        })
      ).status,
    ).toBe(201);
    const taskIds: string[] = [];
    for (const [prompt, mode] of [
      ['Sum the items', 'live'],
      ['Sum the items [fail]', 'live'],
      ['Preview 1', 'test'],
      ['Preview 2', 'test'],
      ['Preview 3', 'test'],
    ] as const) {
      const task = await api('POST', '/v1/tasks', { prompt, sub_agent: 'data-agent', mode });
      expect(task.status).toBe(201);
      taskIds.push(task.body.id);
    }
    const held = await waitFor(() => receiver.requests[0], { what: 'a delivery to be in flight' });
    await cadre.kill('SIGKILL');

    cadre = await startCadreProcess(env, port);
    api = apiClient(cadre.baseUrl, key);
    // Every task ends (the worker re-claims the interrupted ones), then every event is sent.
    for (const taskId of taskIds) {
      await waitFor(
        async () => {
          const task = await api('GET', `/v1/tasks/${taskId}`);
          return ['complete', 'failed'].includes(task.body.status) ? true : undefined;
        },
        { timeoutMs: 20_000, what: `task ${taskId} to end` },
      );
    }
    const log = await waitFor(
      async () => {
        const list = await api('GET', '/v1/webhook_endpoints/we_config/deliveries?limit=100');
        const settled = list.body.data.every((delivery: any) =>
          ['succeeded', 'coalesced'].includes(delivery.status),
        );
        return settled ? (list.body.data as any[]) : undefined;
      },
      { timeoutMs: 30_000, what: 'every delivery to settle' },
    );

    const received = receiver.counts();
    const byId = new Map(log.map((delivery) => [delivery.id, delivery]));
    for (const delivery of log) {
      // Coalesced progress travelled inside the webhook of the delivery it was folded into.
      const carrier =
        delivery.status === 'coalesced' ? byId.get(delivery.coalesced_into) : delivery;
      expect(carrier?.status).toBe('succeeded');
      expect(received.get(carrier.event_id), delivery.event_type).toBeGreaterThanOrEqual(1);
    }
    const terminal = log.filter((delivery) =>
      ['task.complete', 'task.failed'].includes(delivery.event_type),
    );
    expect(terminal.map((delivery) => delivery.task_id).sort()).toEqual([...taskIds].sort());
    expect(
      log.filter((delivery) => delivery.event_type === 'task.progress').length,
    ).toBeGreaterThan(0);

    // The held webhook came again after the restart: same id, same bytes, valid signatures.
    const again = receiver.requests.filter((request) => request.id === held.id);
    expect(again.length).toBeGreaterThanOrEqual(2);
    expect(new Set(again.map((request) => request.rawBody)).size).toBe(1);
    for (const request of receiver.requests) {
      expect(
        isPlotonSignatureValid(SECRET, request.rawBody, request.headers['x-ploton-signature']),
      ).toBe(true);
      expect(verifyStandardWebhook(SECRET, request)).toEqual(request.body);
    }
  });
});
