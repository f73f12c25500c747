import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/main/create-logger.js';
import { freePort } from '../support/cadre-process.js';
import { startFakeService, type FakeService } from '../support/fake-service.js';
import { startOAuthProvider, type TestOAuthProvider } from '../support/oauth-provider.js';
import { scriptedMockModel, type MockTurn } from '../support/scripted-mock-model.js';
import { startTestCadre, type TestCadre } from '../support/start-test-cadre.js';
import { createTask, deploy, waitForTask } from '../support/task-helpers.js';
import { waitFor } from '../support/wait-for.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { crmOpenApi, startCrmApi, visitAsBrowser } from './crm-fixture.js';

const CLIENT_SECRET = 'cs_CANARY_client_secret_7f3a9c';
const API_KEY = 'ak_CANARY_ledger_key_51d0e2';
const PASSWORD = 'pw_CANARY_ledger_password_c8b4';

/**
 * Plants credentials of every kind (an OAuth client secret, access and refresh tokens, an API
 * key, a basic password), runs tasks that use them — one against a service that echoes its
 * request headers back — and then greps everything Cadre let out or wrote down for them.
 */
describe('credentials never leak', () => {
  let provider: TestOAuthProvider;
  let crm: FakeService;
  let ledger: FakeService;
  let receiver: WebhookReceiver;
  let t: TestCadre;
  const logs: string[] = [];
  const prompts: string[] = [];
  const responses: string[] = [];

  async function call(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) {
    const response = await t.request({ method, url, ...(body === undefined ? {} : { body }) });
    responses.push(JSON.stringify(response.body));
    return response;
  }

  function model(options: LanguageModelV3CallOptions): MockTurn {
    prompts.push(JSON.stringify(options.prompt), JSON.stringify(options.tools ?? []));
    const last = options.prompt.at(-1);
    if (last?.role === 'tool') {
      const part = last.content[0];
      // The result repeats what the tool returned: any credential in it would show.
      return {
        text: JSON.stringify({ tool_output: part?.type === 'tool-result' ? part.output : null }),
      };
    }
    const names = (options.tools ?? []).map((tool) => tool.name);
    const tool = names.find((name) => name.startsWith('crm__') || name.startsWith('ledger__'));
    return { toolCalls: [{ name: tool ?? 'none', input: {} }] };
  }

  beforeAll(async () => {
    provider = await startOAuthProvider();
    crm = await startCrmApi(provider);
    // A careless service that echoes the request's headers in its answer.
    ledger = await startFakeService({
      'GET /balance': (request) => ({ body: { balance: 42, echoed: request.headers } }),
    });
    receiver = await startWebhookReceiver();
    const port = await freePort();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString());
        done();
      },
    });
    t = await startTestCadre(
      {
        CADRE_ALLOW_PRIVATE_HOSTS: `${provider.hostPort},${crm.hostPort},${ledger.hostPort},${receiver.hostPort}`,
        CADRE_PUBLIC_URL: `http://127.0.0.1:${port}`,
        CADRE_WEBHOOK_PROGRESS_INTERVAL_MS: '0',
      },
      { model: scriptedMockModel(model), logger: createLogger('trace', sink) },
    );
    await t.cadre.app!.listen({ port, host: '127.0.0.1' });
    await call('POST', '/v1/webhook_endpoints', { url: `${receiver.url}/hooks` });
    await call('POST', '/v1/toolkits', { name: 'crm', openapi: crmOpenApi(crm.url, provider) });
    await call('POST', '/v1/toolkits/crm/auth_config', {
      client_id: 'cadre-client',
      client_secret: CLIENT_SECRET,
    });
    await call('POST', '/v1/toolkits', {
      name: 'ledger',
      description: 'The ledger: account balances.',
      base_url: ledger.url,
      capabilities: [
        {
          name: 'get_balance',
          description: 'Get the account balance',
          method: 'GET',
          path: '/balance',
        },
      ],
    });
    await deploy(t, 'crm-agent', 'Pull contacts from the user’s CRM.');
    await deploy(t, 'ledger-agent', 'Report account balances from the ledger.');
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    for (const service of [crm, ledger, receiver]) await service?.close();
    await provider?.close();
  });

  it('keeps every credential out of logs, traces, webhooks, API responses, prompts and the database', async () => {
    // OAuth: consent, a task, then an expired token refreshed (the refresh token rotates).
    const first = await createTask(t, {
      prompt: 'List my contacts',
      sub_agent: 'crm-agent',
      user_id: 'user_1',
    });
    const waiting = await waitForTask(t, first, 'waiting');
    await visitAsBrowser(waiting.waiting_for.auth_url);
    expect((await waitForTask(t, first)).status).toBe('complete');
    provider.expireAccessTokens();
    const second = await createTask(t, {
      prompt: 'List my contacts',
      sub_agent: 'crm-agent',
      user_id: 'user_1',
    });
    expect((await waitForTask(t, second)).status).toBe('complete');
    expect(provider.tokenRequests.refresh_token).toBe(1);

    // Static credentials, used against the echoing service.
    expect(
      (
        await call('POST', '/v1/connections', {
          type: 'api_key',
          user_id: 'user_1',
          toolkit: 'ledger',
          api_key: API_KEY,
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call('POST', '/v1/connections', {
          type: 'basic',
          user_id: 'user_2',
          toolkit: 'ledger',
          username: 'ledger-user',
          password: PASSWORD,
        })
      ).status,
    ).toBe(201);
    const third = await createTask(t, {
      prompt: 'What is my balance?',
      sub_agent: 'ledger-agent',
      user_id: 'user_1',
    });
    const fourth = await createTask(t, {
      prompt: 'What is my balance?',
      sub_agent: 'ledger-agent',
      user_id: 'user_2',
    });
    const ids = [first, second, third, fourth];
    for (const id of [third, fourth]) expect((await waitForTask(t, id)).status).toBe('complete');

    // The credentials were really used upstream (so their absence below means something).
    const ledgerAuth = ledger.requests.map((request) => request.headers.authorization);
    expect(ledgerAuth).toContain(`Bearer ${API_KEY}`);
    expect(ledgerAuth).toContain(
      `Basic ${Buffer.from(`ledger-user:${PASSWORD}`).toString('base64')}`,
    );
    expect(
      crm.requests.some((request) => request.headers.authorization?.startsWith('Bearer ')),
    ).toBe(true);

    // Everything a client or an operator can read.
    for (const id of ids) {
      await call('GET', `/v1/tasks/${id}`);
      await call('GET', `/v1/tasks/${id}/trace`);
      await call('GET', `/v1/tasks/${id}/events`);
    }
    await call('GET', '/v1/tasks');
    const connections = await call('GET', '/v1/connections');
    for (const connection of connections.body.data)
      await call('GET', `/v1/connections/${connection.id}`);
    await call('GET', '/v1/toolkits/crm');
    await call('GET', '/v1/toolkits/ledger');
    await waitFor(() => (receiver.requests.length >= ids.length * 2 ? true : undefined), {
      what: 'the webhooks',
    });
    // The database file and its write-ahead log, as bytes.
    const database = fs
      .readdirSync(t.dataDir)
      .filter((file) => file.includes('.db'))
      .map((file) => fs.readFileSync(path.join(t.dataDir, file)).toString('latin1'))
      .join('\n');

    const secrets = [
      CLIENT_SECRET,
      API_KEY,
      PASSWORD,
      Buffer.from(`ledger-user:${PASSWORD}`).toString('base64'),
      ...provider.issuedTokens,
    ];
    expect(provider.issuedTokens.length).toBeGreaterThanOrEqual(4);
    const haystacks: Record<string, string> = {
      logs: logs.join('\n'),
      'API responses': responses.join('\n'),
      webhooks: receiver.requests.map((request) => request.rawBody).join('\n'),
      'model prompts': prompts.join('\n'),
      database,
    };
    for (const [where, text] of Object.entries(haystacks)) {
      expect(text.length, where).toBeGreaterThan(200);
      for (const secret of secrets) {
        expect(text.includes(secret), `${where} contain ${secret.slice(0, 12)}…`).toBe(false);
      }
    }
    // The echoing service's answer reached the model, scrubbed.
    expect(haystacks['model prompts']).toContain('"balance":42');
    expect(haystacks['model prompts']).toContain('[redacted]');
  });
});
