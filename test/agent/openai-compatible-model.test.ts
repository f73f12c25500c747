import { afterEach, describe, expect, it } from 'vitest';
import { startFakeService, type FakeService } from '../support/fake-service.js';
import {
  startScriptedModelServer,
  type ScriptedModelServer,
  type ScriptedReply,
} from '../support/scripted-model-server.js';
import { startTestCadre, type TestCadre } from '../support/start-test-cadre.js';
import { createTask, deploy, getTrace, waitForTask } from '../support/task-helpers.js';

describe('tasks through a local OpenAI-compatible model server', () => {
  let t: TestCadre | undefined;
  let modelServer: ScriptedModelServer | undefined;
  let service: FakeService | undefined;
  afterEach(async () => {
    await t?.close();
    await modelServer?.close();
    await service?.close();
    t = undefined;
    modelServer = undefined;
    service = undefined;
  });

  async function start(script: (index: number) => ScriptedReply, env: Record<string, string> = {}) {
    modelServer = await startScriptedModelServer((_request, index) => script(index));
    t = await startTestCadre({
      CADRE_MODEL: 'openai-compatible:scripted-model',
      CADRE_MODEL_BASE_URL: modelServer.baseUrl,
      ...env,
    });
    return t;
  }

  it('calls a registered toolkit on a fake service and returns the structured result', async () => {
    service = await startFakeService({
      'POST /search_contacts': (request) => ({
        body: {
          contacts: [
            {
              name: 'Jane Smith',
              email: 'jane@acme.test',
              company: 'Acme Corp',
              query: request.body,
            },
          ],
        },
      }),
    });
    const cadre = await start(
      (index) =>
        index === 0
          ? {
              toolCalls: [
                { name: 'internal-crm__search_contacts', arguments: { query: 'created:30d' } },
              ],
            }
          : {
              text: JSON.stringify({
                contacts: [{ name: 'Jane Smith', email: 'jane@acme.test', company: 'Acme Corp' }],
              }),
            },
      { CADRE_ALLOW_PRIVATE_HOSTS: service.hostPort },
    );
    const toolkit = await cadre.request({
      method: 'POST',
      url: '/v1/toolkits',
      body: {
        name: 'internal-crm',
        description: 'Internal CRM: contacts and deals.',
        version: '1.0.0',
        base_url: service.url,
        auth: { type: 'api_key', header: 'X-API-Key', value: 'sk_canary_123' },
        capabilities: [
          {
            name: 'search_contacts',
            description: 'Search CRM contacts',
            parameters: { query: { type: 'string', required: true, description: 'Search query' } },
          },
        ],
      },
    });
    expect(toolkit.status).toBe(201);
    await deploy(cadre, 'crm-agent', 'Handle CRM tasks in the internal CRM: search contacts.');
    const id = await createTask(cadre, {
      prompt: 'Pull contacts created in the last 30 days. Return name, email, and company.',
      sub_agent: 'crm-agent',
      user_id: 'user_123',
    });
    const task = await waitForTask(cadre, id);
    expect(task.status).toBe('complete');
    expect(task.result.contacts[0]).toEqual({
      name: 'Jane Smith',
      email: 'jane@acme.test',
      company: 'Acme Corp',
    });
    expect(service.requests[0]?.headers['x-api-key']).toBe('sk_canary_123');
    expect(service.requests[0]?.body).toEqual({ query: 'created:30d' });

    // The model got the tool as a function and the tool result back in the conversation.
    const first = modelServer!.requests[0]!;
    expect(first.tools?.map((tool) => tool.function.name)).toContain(
      'internal-crm__search_contacts',
    );
    expect(first.tools!.length).toBeLessThanOrEqual(17);
    const second = modelServer!.requests[1]!;
    expect(JSON.stringify(second.messages)).toContain('Jane Smith');
    const trace = await getTrace(cadre, id);
    expect(JSON.stringify(trace)).not.toContain('sk_canary_123');
    expect(trace.steps.find((step: any) => step.tool === 'internal-crm')).toMatchObject({
      action: 'search_contacts',
      status: 'complete',
    });
  });

  it('retries a 503 with Retry-After, then succeeds, and shows the retry in the trace', async () => {
    service = await startFakeService({
      'POST /sync': (_request, hit) =>
        hit === 1
          ? { status: 503, headers: { 'retry-after': '1' }, body: { error: 'busy' } }
          : { body: { synced: 3 } },
    });
    const cadre = await start(
      (index) =>
        index === 0
          ? { toolCalls: [{ name: 'deals__sync', arguments: {} }] }
          : { text: '{"synced": 3}' },
      { CADRE_ALLOW_PRIVATE_HOSTS: service.hostPort },
    );
    await cadre.request({
      method: 'POST',
      url: '/v1/toolkits',
      body: {
        name: 'deals',
        description: 'Deal pipeline',
        base_url: service.url,
        capabilities: [{ name: 'sync', description: 'Sync deals', parameters: {} }],
      },
    });
    await deploy(cadre, 'deal-agent', 'Sync deals in the deal pipeline.');
    const id = await createTask(cadre, { prompt: 'Sync deals', sub_agent: 'deal-agent' });
    const task = await waitForTask(cadre, id);
    expect(task.status).toBe('complete');
    expect(service.hits('/sync')).toBe(2);
    const steps = (await getTrace(cadre, id)).steps.filter((step: any) => step.tool === 'deals');
    expect(steps.map((step: any) => step.status)).toEqual(['retrying', 'complete']);
    expect(steps[0].note).toContain('retrying in');
  });

  it('fails with tool_timeout when a tool does not answer in time', async () => {
    service = await startFakeService({ 'POST /slow': () => ({ delayMs: 3_000, body: {} }) });
    const cadre = await start(() => ({ toolCalls: [{ name: 'slowsvc__slow', arguments: {} }] }), {
      CADRE_ALLOW_PRIVATE_HOSTS: service.hostPort,
      CADRE_TOOL_TIMEOUT_MS: '300',
    });
    await cadre.request({
      method: 'POST',
      url: '/v1/toolkits',
      body: {
        name: 'slowsvc',
        description: 'A slow service',
        base_url: service.url,
        capabilities: [{ name: 'slow', description: 'Do the slow thing', parameters: {} }],
      },
    });
    await deploy(cadre, 'slow-agent', 'Do the slow thing with slowsvc.');
    const id = await createTask(cadre, { prompt: 'Do it', sub_agent: 'slow-agent' });
    const task = await waitForTask(cadre, id);
    expect(task.error).toMatchObject({ code: 'tool_timeout', tool: 'slowsvc', recoverable: true });
  });

  it('fails clearly when the model provider is down', async () => {
    const cadre = await start(() => ({ status: 503 }));
    await deploy(cadre, 'data-agent', 'Transform JSON data.');
    const id = await createTask(cadre, { prompt: 'Anything', sub_agent: 'data-agent' });
    const task = await waitForTask(cadre, id);
    expect(task.error).toMatchObject({
      code: 'model_unavailable',
      tool: 'model',
      recoverable: true,
    });
    expect(modelServer!.requests.length).toBe(3);
  });

  it('fails clearly when the model provider answers garbage', async () => {
    const cadre = await start(() => ({ raw: '<html>not json</html>' }));
    await deploy(cadre, 'data-agent', 'Transform JSON data.');
    const id = await createTask(cadre, { prompt: 'Anything', sub_agent: 'data-agent' });
    const task = await waitForTask(cadre, id);
    expect(task.status).toBe('failed');
    expect(task.error.code).toMatch(/model_error|model_unavailable/);
    const trace = await getTrace(cadre, id);
    expect(trace.steps.at(-1)).toMatchObject({
      tool: 'model',
      action: 'generate',
      status: 'failed',
    });
  });

  it('fails with model_auth_failed when the provider rejects the key', async () => {
    const cadre = await start(() => ({ status: 401 }));
    await deploy(cadre, 'data-agent', 'Transform JSON data.');
    const id = await createTask(cadre, { prompt: 'Anything', sub_agent: 'data-agent' });
    const task = await waitForTask(cadre, id);
    expect(task.error.code).toBe('model_auth_failed');
  });
});
