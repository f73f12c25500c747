import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryProvider } from '../../src/directory/index.js';
import {
  DomainSelector,
  ToolCatalog,
  UTILITY_TOOLKITS,
  type DomainSelection,
  type Toolkit,
} from '../../src/tools/index.js';
import {
  createTestSelector,
  memoryToolkitSource,
  openTestDirectory,
} from './open-test-directory.js';

const scope = { projectId: 'p1', environment: 'live' as const };
const SPEC_PROMPT =
  'Handle CRM tasks. Connect Salesforce, HubSpot, and Pipedrive. Manage OAuth, pull contacts, sync deals, export data.';

function services(selection: DomainSelection): string[] {
  return [
    ...new Set(
      selection.tools.map((tool) => tool.toolkit).filter((name) => !UTILITY_TOOLKITS.has(name)),
    ),
  ];
}

function names(selection: DomainSelection): string[] {
  return selection.tools.map((tool) => tool.name);
}

function internalCrm(name: string): Toolkit {
  const tool = (action: string, description: string) => ({
    toolkit: name,
    action,
    description,
    parameters: { type: 'object', properties: {} },
    binding: { kind: 'http' as const, method: 'GET', path: `/${action}`, locations: {} },
    sideEffects: false,
  });
  return {
    id: `tk_${name}`,
    name,
    description: 'Our own CRM: people and companies we work with.',
    source: 'openapi',
    baseUrl: 'https://crm.example.com',
    auth: { type: 'none' },
    tools: [
      tool('findPerson', 'Finds a person by email.'),
      tool('listCompanies', 'Lists companies.'),
      tool('refundCharge', 'Refunds a charge in our own ledger.'),
    ],
  };
}

describe('domain selection over the public directory', () => {
  let provider: DirectoryProvider;
  let selector: DomainSelector;
  let registered: ReturnType<typeof memoryToolkitSource>;

  beforeAll(() => {
    provider = openTestDirectory();
    ({ selector, registered } = createTestSelector(provider));
  });
  afterAll(() => provider.close());

  it('takes the tools of a named vendor only, and says why', async () => {
    const selection = await selector.selectDomain(
      scope,
      'Billing agent for Stripe: create customers, refund charges and list subscriptions.',
    );
    expect(services(selection)).toEqual(['stripe']);
    expect(selection.services).toEqual([{ toolkit: 'stripe', reason: 'named', words: ['Stripe'] }]);
    expect(selection.warnings).toEqual([]);
  });

  it("picks the named vendor's operations that fit the capabilities the prompt lists", async () => {
    const refunds = await selector.selectDomain(scope, 'Stripe: refund charges.');
    const subscriptions = await selector.selectDomain(
      scope,
      'Stripe: list and cancel subscriptions.',
    );
    expect(names(refunds)).toContain('stripe__PostChargesChargeRefund');
    expect(names(refunds)).not.toContain('stripe__GetSubscriptions');
    expect(names(subscriptions)).toContain('stripe__GetSubscriptions');
    expect(names(subscriptions)).not.toContain('stripe__PostChargesChargeRefund');
    const refund = refunds.tools.find((tool) => tool.name === 'stripe__PostChargesChargeRefund');
    expect(refund).toMatchObject({ toolkit: 'stripe', action: 'PostChargesChargeRefund' });
    expect(refund?.score).toBeGreaterThan(0);
  });

  it('lists the prompt words as written that matched each tool', async () => {
    const selection = await selector.selectDomain(scope, 'Refund Stripe Charges.');
    const refund = selection.tools.find((tool) => tool.name === 'stripe__PostChargesChargeRefund');
    expect(refund?.matched).toEqual(expect.arrayContaining(['Refund', 'Stripe', 'Charges']));
    expect(refund?.matched).not.toContain('refund');
  });

  it('keeps at most the cap of tools besides the data utilities', async () => {
    const small = createTestSelector(provider, 5).selector;
    const prompt =
      'GitHub: open issues, review pull requests, create branches and search repositories.';
    const capped = await small.selectDomain(scope, prompt);
    expect(capped.tools.filter((tool) => !UTILITY_TOOLKITS.has(tool.toolkit))).toHaveLength(5);
    const full = await selector.selectDomain(scope, prompt);
    const domain = full.tools.filter((tool) => !UTILITY_TOOLKITS.has(tool.toolkit));
    expect(domain.length).toBeGreaterThan(5);
    expect(domain.length).toBeLessThanOrEqual(64);
    expect(full.tools.filter((tool) => UTILITY_TOOLKITS.has(tool.toolkit)).length).toBeGreaterThan(
      0,
    );
  });

  it('deploys a vague prompt, with a warning that says how to sharpen it', async () => {
    for (const prompt of ['CRM', 'Handle everything']) {
      const selection = await selector.selectDomain(scope, prompt);
      expect(selection.warningKinds).toContain('vague');
      expect(selection.warnings.join(' ')).toMatch(/Name the services .* list the operations/);
    }
    const specific = await selector.selectDomain(scope, 'Post messages to Slack channels.');
    expect(specific.warningKinds).not.toContain('vague');
  });

  it('gives the same tools, scores and warnings for the same prompt, also from another catalog', async () => {
    const first = await selector.selectDomain(scope, SPEC_PROMPT);
    expect(await selector.selectDomain(scope, SPEC_PROMPT)).toEqual(first);
    const other = createTestSelector(provider).selector;
    expect(await other.selectDomain({ projectId: 'p2', environment: 'test' }, SPEC_PROMPT)).toEqual(
      first,
    );
  });

  it('falls back to the closest service when named vendors lack the operations, and says so', async () => {
    const selection = await selector.selectDomain(scope, SPEC_PROMPT);
    const fallbacks = selection.services.filter((service) => service.reason === 'fallback');
    expect(fallbacks.map((service) => service.toolkit)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(apideck-crm|data2crm)$/)]),
    );
    expect(fallbacks.flatMap((service) => service.words)).toContain('pull contacts');
    const warning = selection.warnings[selection.warningKinds.indexOf('fallback')] ?? '';
    expect(warning).toMatch(/HubSpot/);
    expect(warning).toMatch(/no operations in the catalog for .*"pull contacts"/);
    expect(warning).toContain(fallbacks[0]?.toolkit ?? '?');
    expect(
      names(selection).some((name) => /__(contactsAll|getContactCollection)$/.test(name)),
    ).toBe(true);
    expect(selection.warnings.join(' ')).toMatch(/No service named "Pipedrive"/);
  });

  it("follows a named vendor's service, not other vendors', when the vendor has several", async () => {
    const selection = await selector.selectDomain(
      scope,
      'Scheduling assistant on Google Calendar: create events and list calendars.',
    );
    expect(services(selection)).toEqual(['google-calendar']);
  });

  it('takes a named registered toolkit with all its tools, and prefers it to a directory one of the same name', async () => {
    registered.add('p3', internalCrm('stripe'));
    registered.add('p3', internalCrm('internal-crm'));
    const own = { projectId: 'p3', environment: 'live' as const };
    const shadowed = await selector.selectDomain(own, 'Refund charges in Stripe.');
    expect(services(shadowed)).toEqual(['stripe']);
    expect(names(shadowed)).toContain('stripe__refundCharge');
    expect(names(shadowed)).not.toContain('stripe__PostChargesChargeRefund');
    const internal = await selector.selectDomain(own, 'Find people in the internal CRM.');
    expect(names(internal)).toEqual(
      expect.arrayContaining([
        'internal-crm__findPerson',
        'internal-crm__listCompanies',
        'internal-crm__refundCharge',
      ]),
    );
    // Other projects still see the directory's Stripe.
    expect(names(await selector.selectDomain(scope, 'Refund charges in Stripe.'))).toContain(
      'stripe__PostChargesChargeRefund',
    );
  });

  it('chooses only among the toolkits it is pinned to (prebuilt subagents)', async () => {
    const selection = await selector.selectDomain(
      scope,
      'Research on the web. Fetch web pages and HTTP APIs, read page text and extract facts.',
      { toolkits: ['http'] },
    );
    expect(services(selection)).toEqual(['http']);
  });

  it('says when the public directory is not indexed yet, and answers from the built-ins', async () => {
    const catalog = new ToolCatalog(memoryToolkitSource(), {
      current: () => undefined,
      status: () => ({ state: 'building', progress: { done: 100, total: 400 } }),
    });
    const selection = await new DomainSelector(catalog, 64).selectDomain(scope, 'Post to Slack.');
    expect(selection.warningKinds).toContain('directory');
    expect(selection.warnings.join(' ')).toMatch(/not indexed yet \(25% done\)/);
  });

  it('ranks a task within the domain with the same scores as the domain selection', async () => {
    const domain = await selector.selectDomain(
      scope,
      'Stripe: refund charges and list subscriptions.',
    );
    const allowed = names(domain);
    const ranked = await selector.rankForTask(scope, allowed, 'Refund charges', 5);
    expect(ranked[0]?.name).toMatch(/Refund/);
    expect(ranked.every((tool) => allowed.includes(tool.name))).toBe(true);
    const all = await selector.rankForTask(scope, allowed, 'Refund charges', 1000);
    expect(all.map((tool) => tool.name).sort()).toEqual([...allowed].sort());
  });

  it('resolves directory tools by name, with their toolkit, full definition and base URL', async () => {
    const resolved = await selector.resolve(scope, [
      'stripe__PostChargesChargeRefund',
      'json__jsonata',
      'stripe__nope',
    ]);
    expect([...resolved.keys()]).toEqual(['stripe__PostChargesChargeRefund', 'json__jsonata']);
    const refund = resolved.get('stripe__PostChargesChargeRefund');
    expect(refund?.toolkit).toMatchObject({
      name: 'stripe',
      source: 'directory',
      baseUrl: 'https://api.stripe.com',
    });
    expect(refund?.tool.binding).toMatchObject({
      kind: 'http',
      method: 'POST',
      path: '/v1/charges/{charge}/refund',
    });
  });
});
