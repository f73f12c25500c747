import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiCadre, type ApiHarness, type HttpMethod } from '../support/api-harness.js';
import { fuzzEveryRoute, fuzzableRoutes, type FuzzFixtures } from '../support/route-fuzz.js';

const RUNS_PER_ROUTE = 200;

describe('generated requests against every route', () => {
  let api: ApiHarness;
  let fixtures: FuzzFixtures;

  beforeAll(async () => {
    api = await startApiCadre({ CADRE_BODY_LIMIT_BYTES: '65536' }, { role: 'api' });
    const other = await api.createKey({ project: 'fuzz-other', environment: 'live' });
    const revoked = await api.base.cadre.apiKeys.createKey({ environment: 'live' });
    await api.base.cadre.apiKeys.revokeKey(revoked.id);
    const taskIds: string[] = [];
    for (const name of ['crm-agent', 'billing-agent']) {
      await api.request({
        method: 'POST',
        url: '/v1/subagents',
        body: { name, prompt: `Handle ${name} work: pull records and export data.` },
      });
      for (const mode of ['live', 'test']) {
        const task = await api.request({
          method: 'POST',
          url: '/v1/tasks',
          body: { prompt: 'Export everything.', sub_agent: name, mode },
        });
        taskIds.push(task.body.id);
      }
    }
    fixtures = {
      subagentNames: ['crm-agent', 'billing-agent', 'web-researcher', 'code-runner'],
      taskIds,
      validKeys: [api.keys.live, api.keys.test, other],
      revokedKey: revoked.key,
    };
  });
  afterAll(() => api.close());

  it('covers every registered route, including the ones under /v1/subagents and /v1/tasks', () => {
    const routes = api.routes().map((route) => `${route.method} ${route.url}`);
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /v1/subagents',
        'GET /v1/subagents',
        'GET /v1/subagents/:subagent_id',
        'PATCH /v1/subagents/:subagent_id',
        'DELETE /v1/subagents/:subagent_id',
        'GET /v1/subagents/:subagent_id/tools',
        'POST /v1/tasks',
        'GET /v1/tasks',
        'GET /v1/tasks/:task_id',
        'POST /v1/tasks/:task_id/cancel',
        'GET /v1/tasks/:task_id/trace',
        'GET /healthz',
        'GET /v1/openapi.json',
      ]),
    );
  });

  it('answers every generated request below 500, with a request id and, when not 2xx, only {error: {code, message, param?}}', async () => {
    const sent = await fuzzEveryRoute(api, fixtures, RUNS_PER_ROUTE);
    expect(sent).toBeGreaterThanOrEqual(fuzzableRoutes(api).length * RUNS_PER_ROUTE);
    expect(sent).toBeGreaterThan(2_000);
  });

  it('answers generated methods and paths outside the route table with the same envelope', async () => {
    const methods: HttpMethod[] = ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...methods),
        fc.webPath(),
        fc.boolean(),
        async (method, path, withKey) => {
          await api.inject({
            method,
            url: `/${path.replace(/^\/+/, '')}`,
            headers: withKey ? { authorization: `Bearer ${api.keys.live}` } : {},
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
