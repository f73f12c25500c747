import type { LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/cadre-process.js';
import type { FakeService } from '../support/fake-service.js';
import { startOAuthProvider, type TestOAuthProvider } from '../support/oauth-provider.js';
import { scriptedMockModel, type MockTurn } from '../support/scripted-mock-model.js';
import { startTestCadre, type TestCadre } from '../support/start-test-cadre.js';
import { createTask, deploy, getTrace, waitForTask } from '../support/task-helpers.js';
import { CRM_CONTACTS, crmOpenApi, startCrmApi, visitAsBrowser } from './crm-fixture.js';

/** Calls the CRM once, then returns what it got (or the error it saw) as the result. */
function crmModel(options: LanguageModelV3CallOptions): MockTurn {
  const last = options.prompt.at(-1);
  if (last?.role === 'tool') {
    const part = last.content[0];
    if (part?.type === 'tool-result' && part.output.type === 'json') {
      const value = part.output.value as { body?: { contacts?: unknown[] } };
      return { text: JSON.stringify({ contacts: value.body?.contacts ?? [] }) };
    }
    return { text: JSON.stringify({ error: 'the CRM call failed' }) };
  }
  return { toolCalls: [{ name: 'crm__listContacts', input: {} }] };
}

describe('a task acting for an end user through OAuth, over real HTTP redirects', () => {
  let provider: TestOAuthProvider;
  let crm: FakeService;
  let t: TestCadre;
  let publicUrl: string;

  beforeEach(async () => {
    provider = await startOAuthProvider();
    crm = await startCrmApi(provider);
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    t = await startTestCadre(
      {
        CADRE_ALLOW_PRIVATE_HOSTS: `${provider.hostPort},${crm.hostPort}`,
        CADRE_PUBLIC_URL: publicUrl,
      },
      {
        model: scriptedMockModel((options) => crmModel(options)),
        retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      },
    );
    await t.cadre.app!.listen({ port, host: '127.0.0.1' });
    const toolkit = await t.request({
      method: 'POST',
      url: '/v1/toolkits',
      body: { name: 'crm', openapi: crmOpenApi(crm.url, provider) },
    });
    expect(toolkit.status).toBe(201);
    const config = await t.request({
      method: 'POST',
      url: '/v1/toolkits/crm/auth_config',
      body: { client_id: 'cadre-client', client_secret: 'cadre-client-secret' },
    });
    expect(config.status).toBe(200);
    await deploy(t, 'crm-agent', 'Pull contacts from the user’s CRM.');
  });

  afterEach(async () => {
    await t.close();
    await crm.close();
    await provider.close();
  });

  /** Creates a task and waits until it asks for the user's consent. */
  async function taskWaitingForConsent(userId = 'user_1') {
    const id = await createTask(t, {
      prompt: 'List my CRM contacts',
      sub_agent: 'crm-agent',
      user_id: userId,
    });
    const task = await waitForTask(t, id, 'waiting');
    return { id, task };
  }

  it('waits for consent, then resumes by itself once the user connects', async () => {
    const { id, task } = await taskWaitingForConsent();
    expect(task.waiting_for).toEqual({
      type: 'authorization',
      service: 'crm',
      auth_url: expect.stringMatching(new RegExp(`^${publicUrl}/v1/oauth/authorize/`)),
    });
    expect(crm.hits('/contacts')).toBe(0);

    const visit = await visitAsBrowser(task.waiting_for.auth_url);
    expect(visit.status).toBe(200);
    expect(visit.text).toContain('connected');
    // Cadre's link → the provider (PKCE, state) → Cadre's callback.
    const atProvider = new URL(visit.hops[1]!);
    expect(atProvider.origin).toBe(provider.url);
    expect(atProvider.searchParams.get('code_challenge_method')).toBe('S256');
    expect(atProvider.searchParams.get('state')).toBeTruthy();
    expect(atProvider.searchParams.get('scope')).toBe('contacts.read');
    expect(visit.hops.at(-1)).toMatch(new RegExp(`^${publicUrl}/v1/oauth/callback\\?`));

    const done = await waitForTask(t, id);
    expect(done.status).toBe('complete');
    expect(done.result).toEqual({ contacts: CRM_CONTACTS });
    expect(provider.tokenRequests.authorization_code).toBe(1);

    const trace = await getTrace(t, id);
    const crmSteps = trace.steps.filter((step: any) => step.tool === 'crm');
    expect(crmSteps.map((step: any) => step.status)).toEqual(['skipped', 'complete']);
    expect(crmSteps[0].note).toContain('authorization');

    // The link worked once.
    const again = await fetch(task.waiting_for.auth_url, { redirect: 'manual' });
    expect(again.status).toBe(410);
    expect(((await again.json()) as any).error.code).toBe('authorization_link_gone');

    const connections = await t.request({ method: 'GET', url: '/v1/connections?user_id=user_1' });
    expect(connections.body.data).toHaveLength(1);
    expect(connections.body.data[0]).toMatchObject({
      toolkit: 'crm',
      user_id: 'user_1',
      status: 'active',
    });

    // The next task of the same user runs at once, without asking again.
    const next = await createTask(t, {
      prompt: 'List my CRM contacts',
      sub_agent: 'crm-agent',
      user_id: 'user_1',
    });
    expect((await waitForTask(t, next)).status).toBe('complete');
  });

  it('refreshes an expired token after a 401, once for concurrent tasks, with rotation', async () => {
    const { id, task } = await taskWaitingForConsent();
    await visitAsBrowser(task.waiting_for.auth_url);
    expect((await waitForTask(t, id)).status).toBe('complete');

    provider.expireAccessTokens();
    const ids = await Promise.all(
      [1, 2, 3].map(() =>
        createTask(t, {
          prompt: 'List my CRM contacts',
          sub_agent: 'crm-agent',
          user_id: 'user_1',
        }),
      ),
    );
    for (const taskId of ids) {
      const done = await waitForTask(t, taskId);
      expect(done.status).toBe('complete');
      expect(done.result).toEqual({ contacts: CRM_CONTACTS });
    }
    // One refresh served all three; the rotated refresh token was used exactly once.
    expect(provider.tokenRequests.refresh_token).toBe(1);

    provider.expireAccessTokens();
    const later = await createTask(t, {
      prompt: 'List my CRM contacts',
      sub_agent: 'crm-agent',
      user_id: 'user_1',
    });
    expect((await waitForTask(t, later)).status).toBe('complete');
    expect(provider.tokenRequests.refresh_token).toBe(2);
  });

  it('fails with auth_token_expired exactly as the spec shows when the user revoked access', async () => {
    const { id, task } = await taskWaitingForConsent();
    await visitAsBrowser(task.waiting_for.auth_url);
    await waitForTask(t, id);

    provider.expireAccessTokens();
    provider.revokeRefreshTokens();
    const failedId = await createTask(t, {
      prompt: 'List my CRM contacts',
      sub_agent: 'crm-agent',
      user_id: 'user_1',
      metadata: { source: 'lead_enrichment_pipeline' },
    });
    const failed = await waitForTask(t, failedId);
    expect(failed.status).toBe('failed');
    expect(failed.error).toEqual({
      code: 'auth_token_expired',
      message: "The user's OAuth token has expired and automatic refresh failed.",
      recoverable: true,
      suggestion: 'Prompt the user to re-authorize access',
    });
    const connections = await t.request({ method: 'GET', url: '/v1/connections?user_id=user_1' });
    expect(connections.body.data[0].status).toBe('revoked');

    // The next task asks the user to authorize again.
    const retry = await taskWaitingForConsent();
    expect(retry.task.waiting_for.type).toBe('authorization');
  });

  it('issues a new auth_url when the first link was opened and abandoned, and resumes through it', async () => {
    const { id, task } = await taskWaitingForConsent();
    const firstLink = task.waiting_for.auth_url as string;
    // The user opens the link but never finishes at the provider: the link is spent.
    const opened = await fetch(firstLink, { redirect: 'manual' });
    expect(opened.status).toBe(302);
    expect((await fetch(firstLink, { redirect: 'manual' })).status).toBe(410);

    const renewed = await t.request({ method: 'POST', url: `/v1/tasks/${id}/authorization` });
    expect(renewed.status).toBe(200);
    expect(renewed.body.status).toBe('waiting');
    expect(renewed.body.waiting_for).toEqual({
      type: 'authorization',
      service: 'crm',
      auth_url: expect.stringMatching(new RegExp(`^${publicUrl}/v1/oauth/authorize/`)),
    });
    expect(renewed.body.waiting_for.auth_url).not.toBe(firstLink);
    const polled = await t.request({ method: 'GET', url: `/v1/tasks/${id}` });
    expect(polled.body.waiting_for).toEqual(renewed.body.waiting_for);

    const visit = await visitAsBrowser(renewed.body.waiting_for.auth_url);
    expect(visit.text).toContain('connected');
    const done = await waitForTask(t, id);
    expect(done.status).toBe('complete');
    expect(done.result).toEqual({ contacts: CRM_CONTACTS });

    // Only a task waiting for authorization gets a link.
    const finished = await t.request({ method: 'POST', url: `/v1/tasks/${id}/authorization` });
    expect(finished.status).toBe(409);
    expect(finished.body.error.code).toBe('task_not_waiting');
    const unknown = await t.request({
      method: 'POST',
      url: '/v1/tasks/task_unknown/authorization',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('task_not_found');
  });

  it('fails with authorization_denied when the user denies consent', async () => {
    const { id, task } = await taskWaitingForConsent();
    provider.denyNextAuthorization();
    const visit = await visitAsBrowser(task.waiting_for.auth_url);
    expect(visit.text).toContain('denied');
    const failed = await waitForTask(t, id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({
      code: 'authorization_denied',
      recoverable: true,
      tool: 'crm',
    });
    expect(failed.error.suggestion).toBeTruthy();
    expect(crm.hits('/contacts')).toBe(0);
  });

  it('fails with user_id_required when the task has no end user', async () => {
    const id = await createTask(t, { prompt: 'List my CRM contacts', sub_agent: 'crm-agent' });
    const failed = await waitForTask(t, id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({
      code: 'user_id_required',
      recoverable: true,
      tool: 'crm',
    });
    expect(failed.error.suggestion).toContain('user_id');
    expect(crm.hits('/contacts')).toBe(0);
  });

  it('cancels a task waiting for consent, and a late consent does not revive it', async () => {
    const { id, task } = await taskWaitingForConsent();
    const cancelled = await t.request({ method: 'POST', url: `/v1/tasks/${id}/cancel` });
    expect(cancelled.status).toBe(200);
    await visitAsBrowser(task.waiting_for.auth_url);
    const after = await t.request({ method: 'GET', url: `/v1/tasks/${id}` });
    expect(after.body.status).toBe('cancelled');
    expect(crm.hits('/contacts')).toBe(0);
  });
});
