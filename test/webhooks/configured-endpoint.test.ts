import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cadre } from '../../src/main/create-cadre.js';
import { waitFor } from '../support/wait-for.js';
import {
  isPlotonSignatureValid,
  startWebhookReceiver,
  verifyStandardWebhook,
  type WebhookReceiver,
} from '../support/webhook-receiver.js';
import { bootCadre, call, directedModel } from './webhook-fixtures.js';

const secretOf = (byte: number) => `whsec_${Buffer.alloc(32, byte).toString('base64')}`;

describe('the endpoint CADRE_WEBHOOK_URL and CADRE_WEBHOOK_SECRET configure', () => {
  let dataDir: string;
  let receiver: WebhookReceiver;
  let cadre: Cadre | undefined;

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-configured-'));
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    await cadre?.close();
    cadre = undefined;
    await receiver.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const env = (secret: string) => ({
    CADRE_WEBHOOK_URL: receiver.url,
    CADRE_WEBHOOK_SECRET: secret,
    CADRE_ALLOW_PRIVATE_HOSTS: receiver.hostPort,
  });

  async function testTask(key: string): Promise<string> {
    await call(cadre!, key, 'POST', '/v1/subagents', {
      name: 'data-agent',
      prompt: 'Transform data. Filter and reshape JSON with JMESPath.',
    });
    const task = await call(cadre!, key, 'POST', '/v1/tasks', {
      prompt: 'Sum the items',
      sub_agent: 'data-agent',
      mode: 'test',
    });
    expect(task.status).toBe(201);
    return task.body.id;
  }

  it('receives the events of every project and environment, signed with the configured secret', async () => {
    const secret = secretOf(3);
    cadre = await bootCadre(dataDir, env(secret), { model: directedModel() });
    const keys = [
      (await cadre.apiKeys.createKey({ environment: 'live' })).key,
      (await cadre.apiKeys.createKey({ environment: 'test' })).key,
      (await cadre.apiKeys.createKey({ environment: 'live', project: 'second' })).key,
    ];
    const taskIds = [];
    for (const key of keys) taskIds.push(await testTask(key));
    await waitFor(() => (receiver.requests.length >= 3 ? true : undefined));
    expect(receiver.requests.map((request) => request.body.task_id).sort()).toEqual(
      [...taskIds].sort(),
    );
    for (const request of receiver.requests) {
      expect(request.body.event).toBe('task.complete');
      expect(
        isPlotonSignatureValid(secret, request.rawBody, request.headers['x-ploton-signature']),
      ).toBe(true);
      expect(verifyStandardWebhook(secret, request)).toEqual(request.body);
    }
  });

  it('keeps signing with the old secret for a day after CADRE_WEBHOOK_SECRET changes', async () => {
    const before = secretOf(4);
    const after = secretOf(5);
    cadre = await bootCadre(dataDir, env(before));
    await cadre.close();
    cadre = await bootCadre(dataDir, env(after));
    const key = (await cadre.apiKeys.createKey({ environment: 'live' })).key;
    await testTask(key);
    const [request] = await waitFor(() =>
      receiver.requests.length > 0 ? receiver.requests : undefined,
    );
    expect(verifyStandardWebhook(after, request!)).toBeDefined();
    expect(verifyStandardWebhook(before, request!)).toBeDefined();
    expect(
      isPlotonSignatureValid(after, request!.rawBody, request!.headers['x-ploton-signature']),
    ).toBe(true);
    expect(
      isPlotonSignatureValid(
        before,
        request!.rawBody,
        request!.headers['x-ploton-signature-previous'],
      ),
    ).toBe(true);
  });

  it('is disabled, with its reason, when the next start has no CADRE_WEBHOOK_URL', async () => {
    cadre = await bootCadre(dataDir, env(secretOf(6)));
    await cadre.close();
    cadre = await bootCadre(dataDir, { CADRE_ALLOW_PRIVATE_HOSTS: receiver.hostPort });
    const key = (await cadre.apiKeys.createKey({ environment: 'live' })).key;
    const endpoint = await call(cadre, key, 'GET', '/v1/webhook_endpoints/we_config');
    expect(endpoint.body).toMatchObject({
      status: 'disabled',
      disabled_reason: 'CADRE_WEBHOOK_URL is no longer set.',
    });
    await testTask(key);
    const queued = await cadre.database.db.selectFrom('webhook_deliveries').select('id').execute();
    expect(queued).toEqual([]);
  });

  it('refuses to start with a private CADRE_WEBHOOK_URL the operator did not allowlist', async () => {
    await expect(
      bootCadre(dataDir, { CADRE_WEBHOOK_URL: receiver.url, CADRE_WEBHOOK_SECRET: secretOf(7) }),
    ).rejects.toThrow(
      /CADRE_WEBHOOK_URL: Refused to connect to 127\.0\.0\.1.*CADRE_ALLOW_PRIVATE_HOSTS/,
    );
  });
});
