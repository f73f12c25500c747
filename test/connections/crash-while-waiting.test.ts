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
import type { FakeService } from '../support/fake-service.js';
import { startOAuthProvider, type TestOAuthProvider } from '../support/oauth-provider.js';
import {
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../support/scripted-model-server.js';
import { waitFor } from '../support/wait-for.js';
import { CRM_CONTACTS, crmOpenApi, startCrmApi, visitAsBrowser } from './crm-fixture.js';

describe('a Cadre process killed while a task waits for consent', () => {
  let dataDir: string;
  let provider: TestOAuthProvider;
  let crm: FakeService;
  let modelServer: ScriptedModelServer;
  let cadre: CadreProcess | undefined;

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-wait-crash-'));
    provider = await startOAuthProvider();
    crm = await startCrmApi(provider);
    modelServer = await startScriptedModelServer((request) => {
      const last = request.messages.at(-1);
      if (last?.role === 'tool') {
        const output = JSON.parse(String(last.content)) as { body?: { contacts?: unknown[] } };
        return { text: JSON.stringify({ contacts: output.body?.contacts ?? [] }) };
      }
      return { toolCalls: [{ name: 'crm__listContacts', arguments: {} }] };
    });
  });

  afterEach(async () => {
    await cadre?.kill();
    cadre = undefined;
    await modelServer.close();
    await crm.close();
    await provider.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes the task when the user connects after a restart', async () => {
    const port = await freePort();
    const env = {
      CADRE_DATA_DIR: dataDir,
      CADRE_MODEL: 'openai-compatible:scripted',
      CADRE_MODEL_BASE_URL: modelServer.baseUrl,
      CADRE_ALLOW_PRIVATE_HOSTS: `${provider.hostPort},${crm.hostPort}`,
      CADRE_PUBLIC_URL: `http://127.0.0.1:${port}`,
      CADRE_TASK_LEASE_MS: '1500',
      CADRE_LOG_LEVEL: 'warn',
    };
    const key = runCli(['keys', 'create'], env).stdout.trim().split('\n').at(-1)!;
    cadre = await startCadreProcess(env, port);
    let api = apiClient(cadre.baseUrl, key);
    expect(
      (await api('POST', '/v1/toolkits', { name: 'crm', openapi: crmOpenApi(crm.url, provider) }))
        .status,
    ).toBe(201);
    expect(
      (
        await api('POST', '/v1/toolkits/crm/auth_config', {
          client_id: 'cadre-client',
          client_secret: 'cadre-client-secret',
        })
      ).status,
    ).toBe(200);
    expect(
      (await api('POST', '/v1/subagents', { name: 'crm-agent', prompt: 'Pull CRM contacts.' }))
        .status,
    ).toBe(201);
    const created = await api('POST', '/v1/tasks', {
      prompt: 'List my contacts',
      sub_agent: 'crm-agent',
      user_id: 'user_1',
    });
    const taskId = created.body.id as string;
    const waiting = await waitFor(
      async () => {
        const task = (await api('GET', `/v1/tasks/${taskId}`)).body;
        return task.status === 'waiting' ? task : undefined;
      },
      { timeoutMs: 20_000, what: 'the task to wait for consent' },
    );

    await cadre.kill('SIGKILL');
    cadre = await startCadreProcess(env, port);
    api = apiClient(cadre.baseUrl, key);
    // Still waiting after the restart: a waiting task holds no lease to expire.
    expect((await api('GET', `/v1/tasks/${taskId}`)).body.status).toBe('waiting');

    const visit = await visitAsBrowser(waiting.waiting_for.auth_url);
    expect(visit.status).toBe(200);
    const done = await waitFor(
      async () => {
        const task = (await api('GET', `/v1/tasks/${taskId}`)).body;
        return ['complete', 'failed'].includes(task.status) ? task : undefined;
      },
      { timeoutMs: 20_000, what: 'the task to finish after consent' },
    );
    expect(done.status).toBe('complete');
    expect(done.result).toEqual({ contacts: CRM_CONTACTS });
    expect(crm.hits('/contacts')).toBe(1);
  });
});
