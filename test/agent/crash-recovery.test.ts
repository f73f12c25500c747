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
import { startFakeService, type FakeService } from '../support/fake-service.js';
import {
  startScriptedModelServer,
  type ScriptedModelServer,
  type ScriptedReply,
} from '../support/scripted-model-server.js';
import { waitFor } from '../support/wait-for.js';

describe('a worker killed with SIGKILL mid-task', () => {
  let dataDir: string;
  let service: FakeService;
  let modelServer: ScriptedModelServer;
  let phase: (index: number) => ScriptedReply;
  let toolDelayMs = 0;
  let cadre: CadreProcess | undefined;
  let env: Record<string, string>;

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadre-crash-'));
    service = await startFakeService({
      'POST /record_payment': async () => {
        if (toolDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, toolDelayMs));
        return { status: 201, body: { payment_id: 'pay_1', recorded: true } };
      },
    });
    modelServer = await startScriptedModelServer((_request, index) => phase(index));
    env = {
      CADRE_DATA_DIR: dataDir,
      CADRE_MODEL: 'openai-compatible:scripted',
      CADRE_MODEL_BASE_URL: modelServer.baseUrl,
      CADRE_ALLOW_PRIVATE_HOSTS: service.hostPort,
      CADRE_TASK_LEASE_MS: '1500',
      CADRE_LOG_LEVEL: 'warn',
    };
  });

  afterEach(async () => {
    await cadre?.kill();
    cadre = undefined;
    await service.close();
    await modelServer.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function setUp(port: number) {
    const key = runCli(['keys', 'create'], env).stdout.trim().split('\n').at(-1)!;
    cadre = await startCadreProcess(env, port);
    const api = apiClient(cadre.baseUrl, key);
    const toolkit = await api('POST', '/v1/toolkits', {
      name: 'ledger',
      description: 'The accounting ledger: record payments and look up balances.',
      base_url: service.url,
      capabilities: [
        {
          name: 'record_payment',
          description: 'Record a payment in the ledger',
          parameters: {
            amount: { type: 'number', required: true },
            customer: { type: 'string', required: true },
          },
        },
      ],
    });
    expect(toolkit.status).toBe(201);
    const subagent = await api('POST', '/v1/subagents', {
      name: 'billing-agent',
      prompt: 'Record payments in the ledger and report balances.',
    });
    expect(subagent.status).toBe(201);
    expect(subagent.body.tools).toContain('ledger__record_payment');
    const task = await api('POST', '/v1/tasks', {
      prompt: 'Record a payment of 42 for ACME',
      sub_agent: 'billing-agent',
    });
    expect(task.status).toBe(201);
    return { key, api, taskId: task.body.id as string };
  }

  const recordPayment: ScriptedReply = {
    toolCalls: [{ name: 'ledger__record_payment', arguments: { amount: 42, customer: 'ACME' } }],
  };

  it('resumes after restart without running a finished tool call again', async () => {
    const port = await freePort();
    phase = (index) => (index === 0 ? recordPayment : { hang: true });
    const { key, taskId } = await setUp(port);
    await waitFor(() => (modelServer.requests.length >= 2 ? true : undefined), {
      what: 'the second model call',
    });
    expect(service.hits('/record_payment')).toBe(1);
    await cadre!.kill('SIGKILL');

    phase = () => ({ text: '{"payment_id": "pay_1", "status": "recorded"}' });
    cadre = await startCadreProcess(env, port);
    const api = apiClient(cadre.baseUrl, key);
    const task = await waitFor(
      async () => {
        const response = await api('GET', `/v1/tasks/${taskId}`);
        return ['complete', 'failed'].includes(response.body.status) ? response.body : undefined;
      },
      { timeoutMs: 20_000, what: 'the task to finish after restart' },
    );
    expect(task.status).toBe('complete');
    expect(task.result).toEqual({ payment_id: 'pay_1', status: 'recorded' });
    expect(service.hits('/record_payment')).toBe(1);
    const trace = (await api('GET', `/v1/tasks/${taskId}/trace`)).body;
    const toolSteps = trace.steps.filter((step: any) => step.tool === 'ledger');
    expect(toolSteps).toHaveLength(1);
    expect(toolSteps[0].status).toBe('complete');
  });

  it('runs an interrupted tool call once more with the same idempotency key', async () => {
    const port = await freePort();
    toolDelayMs = 60_000;
    phase = (index) => (index === 0 ? recordPayment : { text: '{"status": "recorded"}' });
    const { key, taskId } = await setUp(port);
    await waitFor(() => (service.hits('/record_payment') === 1 ? true : undefined), {
      what: 'the tool call to start',
    });
    await cadre!.kill('SIGKILL');
    toolDelayMs = 0;

    cadre = await startCadreProcess(env, port);
    const api = apiClient(cadre.baseUrl, key);
    const task = await waitFor(
      async () => {
        const response = await api('GET', `/v1/tasks/${taskId}`);
        return ['complete', 'failed'].includes(response.body.status) ? response.body : undefined;
      },
      { timeoutMs: 20_000, what: 'the task to finish after restart' },
    );
    expect(task.status).toBe('complete');
    expect(service.hits('/record_payment')).toBe(2);
    const keys = service.requests.map((request) => request.headers['idempotency-key']);
    expect(keys[0]).toBeDefined();
    expect(keys[1]).toBe(keys[0]);
    const trace = (await api('GET', `/v1/tasks/${taskId}/trace`)).body;
    const toolSteps = trace.steps.filter((step: any) => step.tool === 'ledger');
    expect(toolSteps.map((step: any) => step.status)).toEqual(['retrying', 'complete']);
    expect(toolSteps[1].attempt).toBe(2);
  });
});
