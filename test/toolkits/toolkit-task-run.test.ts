import { afterEach, describe, expect, it } from 'vitest';
import { scriptedMockModel } from '../support/scripted-mock-model.js';
import { startTestCadre, type TestCadre } from '../support/start-test-cadre.js';
import { createTask, deploy, getTrace, waitForTask } from '../support/task-helpers.js';
import { startUpstreamServer, type UpstreamServer } from '../tools/http/start-upstream-server.js';
import { plotonCrmDefinition } from './fixtures/ploton-crm-definition.js';

const CRM_KEY = 'crm-key-5b7d9f1e3a';

describe('a task using a registered toolkit', () => {
  let t: TestCadre | undefined;
  let upstream: UpstreamServer | undefined;
  afterEach(async () => {
    await t?.close();
    await upstream?.close();
    t = undefined;
    upstream = undefined;
  });

  it('calls the operation on the upstream service with the credential from the environment', async () => {
    upstream = await startUpstreamServer(() => ({
      body: { contacts: [{ id: 'c_1', name: 'Ada Lovelace' }] },
    }));
    const model = scriptedMockModel((_options, index) =>
      index === 0
        ? {
            toolCalls: [
              { name: 'internal-crm__search_contacts', input: { query: 'Ada', limit: 5 } },
            ],
          }
        : { text: '{"found": 1}' },
    );
    t = await startTestCadre(
      {
        CADRE_ALLOW_PRIVATE_HOSTS: upstream.hostPort,
        CADRE_TOOLKIT_ENV_VARS: 'INTERNAL_CRM_API_KEY',
      },
      { model, env: { INTERNAL_CRM_API_KEY: CRM_KEY } },
    );
    const registered = await t.request({
      method: 'POST',
      url: '/v1/toolkits',
      body: { ...plotonCrmDefinition, base_url: `${upstream.origin}/api/v2` },
    });
    expect(registered.status).toBe(201);
    await deploy(t, 'crm-agent', 'Use internal CRM to search contacts');

    const id = await createTask(t, { prompt: 'Find Ada', sub_agent: 'crm-agent' });
    const task = await waitForTask(t, id);
    expect(task.status).toBe('complete');
    expect(task.result).toEqual({ found: 1 });

    expect(upstream.requests).toHaveLength(1);
    const [request] = upstream.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/api/v2/search_contacts' });
    expect(request?.headers['x-api-key']).toBe(CRM_KEY);
    expect(request?.headers['idempotency-key']).toEqual(expect.any(String));
    expect(JSON.parse(request?.body ?? '')).toEqual({ query: 'Ada', limit: 5 });

    const trace = await getTrace(t, id);
    const step = trace.steps.find(
      (candidate: { tool: string }) => candidate.tool === 'internal-crm',
    );
    expect(step).toMatchObject({
      action: 'search_contacts',
      status: 'complete',
      note: '200 OK, 1 contact',
    });
    expect(JSON.stringify(trace)).not.toContain(CRM_KEY);
  });
});
