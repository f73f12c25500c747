import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cadre } from '../../src/main/create-cadre.js';
import { waitFor } from '../support/wait-for.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { bootCadre, call } from './webhook-fixtures.js';

// The URL check at creation is not the protection: the guarded fetch judges the address each
// attempt connects to. Here the API process allowlists the receiver and the worker does not.
describe('the outbound guard at delivery time', () => {
  let dataDir: string;
  let receiver: WebhookReceiver;
  const running: Cadre[] = [];

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-guard-'));
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    for (const cadre of running.splice(0)) await cadre.close();
    await receiver.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses to send to a private address that this process does not allowlist, and logs why', async () => {
    const apiProcess = await bootCadre(
      dataDir,
      { CADRE_ALLOW_PRIVATE_HOSTS: receiver.hostPort },
      { role: 'api' },
    );
    running.push(apiProcess);
    const worker = await bootCadre(
      dataDir,
      { CADRE_WEBHOOK_RETRY_DELAYS: 'none' },
      { role: 'worker' },
    );
    running.push(worker);
    const key = (await apiProcess.apiKeys.createKey({ environment: 'live' })).key;
    const endpoint = await call(apiProcess, key, 'POST', '/v1/webhook_endpoints', {
      url: receiver.url,
      events: ['task.complete'],
    });
    expect(endpoint.status).toBe(201);
    await call(apiProcess, key, 'POST', '/v1/subagents', {
      name: 'data-agent',
      prompt: 'Transform data with JMESPath.',
    });
    await call(apiProcess, key, 'POST', '/v1/tasks', {
      prompt: 'Sum the items',
      sub_agent: 'data-agent',
      mode: 'test',
    });
    const delivery = await waitFor(
      async () => {
        const list = await call(
          apiProcess,
          key,
          'GET',
          `/v1/webhook_endpoints/${endpoint.body.id}/deliveries`,
        );
        return list.body.data[0]?.status === 'failed' ? list.body.data[0] : undefined;
      },
      { timeoutMs: 10_000, what: 'the worker to attempt the delivery' },
    );
    expect(delivery.last_error).toMatch(
      /Refused to connect to 127\.0\.0\.1: it is a loopback address/,
    );
    expect(receiver.requests).toEqual([]);
  });
});
