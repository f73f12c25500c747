import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/cadre-process.js';
import { startConsentScreen } from '../support/consent-screen.js';
import type { FakeService } from '../support/fake-service.js';
import { startOAuthProvider, type TestOAuthProvider } from '../support/oauth-provider.js';
import { scriptedMockModel } from '../support/scripted-mock-model.js';
import { startTestCadre, type TestCadre } from '../support/start-test-cadre.js';
import { createTask, deploy, waitForTask } from '../support/task-helpers.js';
import { CRM_CONTACTS, crmOpenApi, startCrmApi } from './crm-fixture.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('the consent flow in headless Chromium', () => {
  let provider: TestOAuthProvider;
  let screen: Awaited<ReturnType<typeof startConsentScreen>>;
  let crm: FakeService;
  let t: TestCadre;
  let browser: Browser;

  beforeAll(async () => {
    provider = await startOAuthProvider();
    screen = await startConsentScreen(provider.authorizationUrl);
    crm = await startCrmApi(provider);
    const port = await freePort();
    t = await startTestCadre(
      {
        CADRE_ALLOW_PRIVATE_HOSTS: `${provider.hostPort},${crm.hostPort}`,
        CADRE_PUBLIC_URL: `http://127.0.0.1:${port}`,
      },
      {
        model: scriptedMockModel((options) => {
          const last = options.prompt.at(-1);
          if (last?.role === 'tool') {
            const part = last.content[0];
            const value =
              part?.type === 'tool-result' && part.output.type === 'json'
                ? (part.output.value as { body?: { contacts?: unknown[] } })
                : {};
            return { text: JSON.stringify({ contacts: value.body?.contacts ?? [] }) };
          }
          return { toolCalls: [{ name: 'crm__listContacts', input: {} }] };
        }),
      },
    );
    await t.cadre.app!.listen({ port, host: '127.0.0.1' });
    await t.request({
      method: 'POST',
      url: '/v1/toolkits',
      body: { name: 'crm', openapi: crmOpenApi(crm.url, provider) },
    });
    // The operator points the authorization URL at the provider's consent screen.
    const config = await t.request({
      method: 'POST',
      url: '/v1/toolkits/crm/auth_config',
      body: {
        client_id: 'cadre-client',
        client_secret: 'cadre-client-secret',
        authorization_url: screen.authorizationUrl,
      },
    });
    expect(config.status).toBe(200);
    await deploy(t, 'crm-agent', 'Pull contacts from the user’s CRM.');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await crm?.close();
    await screen?.close();
    await provider?.close();
  });

  it('the user clicks Allow on the consent page and the waiting task completes', async () => {
    const id = await createTask(t, {
      prompt: 'List my CRM contacts',
      sub_agent: 'crm-agent',
      user_id: 'user_browser',
    });
    const waiting = await waitForTask(t, id, 'waiting');
    const page = await browser.newPage();
    try {
      await page.goto(waiting.waiting_for.auth_url);
      expect(await page.textContent('h1')).toContain('Allow Cadre to access your CRM?');
      expect(await page.textContent('body')).toContain('contacts.read');
      await Promise.all([page.waitForURL(/\/v1\/oauth\/callback/), page.click('#allow')]);
      expect(await page.textContent('body')).toContain('account is connected');
    } finally {
      await page.close();
    }
    const done = await waitForTask(t, id);
    expect(done.status).toBe('complete');
    expect(done.result).toEqual({ contacts: CRM_CONTACTS });
  });
});
