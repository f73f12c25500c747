import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApiCadre, type ApiHarness } from '../support/api-harness.js';
import { createScriptedClock } from '../support/scripted-clock.js';
import { crmOpenApi30 } from '../toolkits/fixtures/crm-openapi-3-0.js';

const SPEC_DEPLOY =
  'Handle CRM tasks. Connect Salesforce, HubSpot, and Pipedrive. Manage OAuth, pull contacts, sync deals, export data.';
const SPEC_PATCH =
  'Handle CRM tasks. Connect Salesforce, HubSpot, Pipedrive, and Zoho. Manage OAuth, pull contacts, sync deals, export data, manage pipelines.';

describe('the catalog over HTTP, with the public directory', () => {
  const clock = createScriptedClock();
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiCadre(
      { CADRE_CATALOG_DIR: inject('directoryCatalogDir') },
      { role: 'api', clock },
    );
  });
  afterAll(() => api.close());

  const get = (url: string) => api.request({ method: 'GET', url });

  describe('GET /v1/tools', () => {
    it('ranks the tools of the whole catalog for q, the services it names first', async () => {
      const response = await get('/v1/tools?q=refund%20a%20Stripe%20charge&limit=3');
      expect(response.status).toBe(200);
      expect(response.body.has_more).toBe(true);
      expect(response.body.data).toHaveLength(3);
      expect(response.body.data[0]).toMatchObject({
        name: 'stripe__PostChargesChargeRefund',
        toolkit: 'stripe',
        action: 'PostChargesChargeRefund',
        method: 'POST',
        path: '/v1/charges/{charge}/refund',
        matched: expect.arrayContaining(['refund', 'Stripe', 'charge']),
      });
      expect(response.body.data[0].score).toBeGreaterThanOrEqual(response.body.data[1].score);
    });

    it("lists a toolkit's tools in order without q, and ranks them with it", async () => {
      const listed = await get('/v1/tools?toolkit=apideck-crm&limit=2');
      expect(listed.body.data.map((tool: { action: string }) => tool.action)).toEqual([
        'activitiesAll',
        'activitiesAdd',
      ]);
      expect(listed.body.data[0].score).toBe(0);
      const ranked = await get('/v1/tools?toolkit=apideck-crm&q=list%20contacts&limit=1');
      expect(ranked.body.data[0].name).toBe('apideck-crm__contactsAll');
      const unknown = await get('/v1/tools?toolkit=no-such-toolkit');
      expect(unknown.body).toEqual({ data: [], has_more: false });
    });

    it('shows an operation that several editions of one API share once, from the main edition', async () => {
      const response = await get('/v1/tools?q=GitHub%20create%20an%20issue&limit=20');
      const names: string[] = response.body.data.map((tool: { name: string }) => tool.name);
      expect(names).toContain('github-api__issues_create');
      expect(names.filter((name) => name.endsWith('__issues_create'))).toHaveLength(1);
    });

    it('answers 400 naming q when neither q nor toolkit is given, or limit is out of range', async () => {
      const missing = await get('/v1/tools');
      expect(missing.status).toBe(400);
      expect(missing.body.error).toMatchObject({ code: 'invalid_request', param: 'q' });
      const limit = await get('/v1/tools?q=contacts&limit=101');
      expect(limit.status).toBe(400);
      expect(limit.body.error.param).toBe('limit');
    });

    it("finds the project's own toolkits too", async () => {
      const created = await api.request({
        method: 'POST',
        url: '/v1/toolkits',
        body: { name: 'internal-crm', openapi: crmOpenApi30 },
      });
      expect(created.status).toBe(201);
      const response = await get('/v1/tools?q=internal%20CRM%20contacts&limit=5');
      expect(response.body.data[0].toolkit).toBe('internal-crm');
      const toolkits = await get('/v1/toolkits?q=internal%20CRM&limit=3');
      expect(toolkits.body.data[0]).toMatchObject({ name: 'internal-crm', source: 'openapi' });
    });
  });

  describe('toolkits', () => {
    it('ranks toolkits of the whole catalog for q, with their tool counts', async () => {
      const response = await get('/v1/toolkits?q=CRM%20contacts%20and%20deals&limit=5');
      expect(response.status).toBe(200);
      const found = response.body.data.find(
        (toolkit: { name: string }) => toolkit.name === 'apideck-crm',
      );
      expect(found).toMatchObject({
        id: 'tk_directory_apideck-crm',
        source: 'directory',
        base_url: 'https://unify.apideck.com',
        tools_count: 40,
      });
      const named = await get('/v1/toolkits?q=HubSpot&limit=3');
      expect(
        named.body.data.every((toolkit: { name: string }) => toolkit.name.startsWith('hubspot-')),
      ).toBe(true);
    });

    it('shows a directory toolkit with its tools and security schemes, by name or id', async () => {
      const byName = await get('/v1/toolkits/hubspot-crm');
      expect(byName.status).toBe(200);
      expect(byName.body).toMatchObject({
        name: 'hubspot-crm',
        source: 'directory',
        tools_count: 6,
      });
      expect(byName.body.tools).toHaveLength(6);
      const slack = await get('/v1/toolkits/tk_directory_slack');
      expect(slack.body.auth_schemes).toEqual([
        expect.objectContaining({
          type: 'oauth2',
          flows: [
            expect.objectContaining({ authorizationUrl: 'https://slack.com/oauth/authorize' }),
          ],
        }),
      ]);
      expect((await get('/v1/toolkits/no-such-toolkit')).status).toBe(404);
    });

    it('reports the public directory ready, with its size', async () => {
      const response = await get('/v1/catalog');
      expect(response.body.directory).toMatchObject({
        state: 'ready',
        version: expect.any(String),
      });
      expect(response.body.directory.tools).toBeGreaterThan(100_000);
    });
  });

  describe('subagents', () => {
    it("deploys the spec's CRM subagent with a fallback warning, and explains each tool", async () => {
      clock.advance(1_000);
      const created = await api.request({
        method: 'POST',
        url: '/v1/subagents',
        body: { name: 'crm-agent', prompt: SPEC_DEPLOY },
      });
      expect(created.status).toBe(201);
      expect(created.body.tools_available).toBe(created.body.tools.length);
      expect(created.body.warnings.join(' ')).toMatch(/HubSpot .*no operations in the catalog/);
      expect(created.body.warnings.join(' ')).toMatch(/Pipedrive/);

      const tools = await get('/v1/subagents/crm-agent/tools');
      expect(tools.body.data.map((tool: { name: string }) => tool.name)).toEqual(
        created.body.tools,
      );
      const contacts = tools.body.data.find((tool: { name: string }) => /contact/i.test(tool.name));
      expect(contacts).toMatchObject({
        toolkit: expect.any(String),
        score: expect.any(Number),
        matched: expect.arrayContaining(['contacts']),
      });
    });

    it("recalculates the tools on PATCH, as the spec's update example", async () => {
      clock.advance(1_000);
      const before = await get('/v1/subagents/crm-agent');
      const patched = await api.request({
        method: 'PATCH',
        url: '/v1/subagents/crm-agent',
        body: { prompt: SPEC_PATCH },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.tools_available).toBe(patched.body.tools.length);
      expect(patched.body.tools).not.toEqual(before.body.tools);
      expect(patched.body.tools.some((name: string) => name.endsWith('__pipelinesAll'))).toBe(true);
      expect(patched.body.warnings.join(' ')).toMatch(/"Pipedrive" and "Zoho"/);
    });
  });
});
