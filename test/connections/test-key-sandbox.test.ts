import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeService } from '../support/fake-service.js';
import { startOAuthProvider, type TestOAuthProvider } from '../support/oauth-provider.js';
import { scriptedMockModel } from '../support/scripted-mock-model.js';
import { startTestCadre, type TestCadre } from '../support/start-test-cadre.js';
import { createTask, deploy, waitForTask } from '../support/task-helpers.js';
import { crmOpenApi, startCrmApi } from './crm-fixture.js';

describe('test keys are a sandbox', () => {
  let provider: TestOAuthProvider;
  let crm: FakeService;
  let t: TestCadre;

  beforeEach(async () => {
    provider = await startOAuthProvider();
    crm = await startCrmApi(provider);
    t = await startTestCadre(
      { CADRE_ALLOW_PRIVATE_HOSTS: `${provider.hostPort},${crm.hostPort}` },
      {
        model: scriptedMockModel((options) => {
          const last = options.prompt.at(-1);
          if (last?.role === 'tool') {
            const part = last.content[0];
            return {
              text: JSON.stringify({
                tool_output: part?.type === 'tool-result' ? part.output : null,
              }),
            };
          }
          return { toolCalls: [{ name: 'crm__listContacts', input: {} }] };
        }),
      },
    );
    // The same toolkit and OAuth client in both environments of the project.
    for (const key of [t.keys.test, t.keys.live]) {
      const toolkit = await t.request({
        method: 'POST',
        url: '/v1/toolkits',
        key,
        body: { name: 'crm', openapi: crmOpenApi(crm.url, provider) },
      });
      expect(toolkit.status).toBe(201);
      await t.request({
        method: 'POST',
        url: '/v1/toolkits/crm/auth_config',
        key,
        body: { client_id: 'cadre-client', client_secret: 'secret' },
      });
      await deploy(t, 'crm-agent', 'Pull contacts from the user’s CRM.', key);
    }
  });

  afterEach(async () => {
    await t.close();
    await crm.close();
    await provider.close();
  });

  it('grants authorization at once and simulates the call from the documented example', async () => {
    const id = await createTask(
      t,
      { prompt: 'List my contacts', sub_agent: 'crm-agent', user_id: 'user_1' },
      t.keys.test,
    );
    const done = await waitForTask(t, id, undefined, 15_000, t.keys.test);
    expect(done.status).toBe('complete');
    expect(done.result.tool_output.value).toEqual({
      status: 200,
      simulated: true,
      body: { contacts: [{ id: 'c_example', name: 'Jane Smith', email: 'jane@example.com' }] },
    });
    // Nothing left the process: no API call, no token request.
    expect(crm.requests).toHaveLength(0);
    expect(provider.tokenRequests).toEqual({ authorization_code: 0, refresh_token: 0 });

    const trace = (
      await t.request({ method: 'GET', url: `/v1/tasks/${id}/trace`, key: t.keys.test })
    ).body;
    const step = trace.steps.find((candidate: any) => candidate.tool === 'crm');
    expect(step.status).toBe('complete');
    expect(step.note).toMatch(
      /^Simulated \(test key\): 200 from the response example of GET \/contacts/,
    );

    const connections = await t.request({
      method: 'GET',
      url: '/v1/connections?user_id=user_1',
      key: t.keys.test,
    });
    expect(connections.body.data).toHaveLength(1);
    expect(connections.body.data[0]).toMatchObject({ toolkit: 'crm', status: 'active' });
    // The live environment has no connection and saw nothing of this.
    const live = await t.request({ method: 'GET', url: '/v1/connections?user_id=user_1' });
    expect(live.body.data).toHaveLength(0);
  });

  it('still needs a user_id, as a live call would', async () => {
    const id = await createTask(
      t,
      { prompt: 'List my contacts', sub_agent: 'crm-agent' },
      t.keys.test,
    );
    const failed = await waitForTask(t, id, undefined, 15_000, t.keys.test);
    expect(failed.status).toBe('failed');
    expect(failed.error.code).toBe('user_id_required');
  });

  it('never simulates with a live key', async () => {
    const id = await createTask(t, {
      prompt: 'List my contacts',
      sub_agent: 'crm-agent',
      user_id: 'user_1',
    });
    const waiting = await waitForTask(t, id, 'waiting');
    // The real consent flow, not a granted test credential.
    expect(waiting.waiting_for.type).toBe('authorization');
    expect(crm.requests).toHaveLength(0);
  });
});
