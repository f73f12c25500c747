import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryProvider } from '../../src/directory/index.js';
import {
  DOMAIN_SELECTION_SUITE,
  evaluateDomainSelection,
  type DomainSelectionReport,
} from '../../src/eval/index.js';
import { createTestSelector, openTestDirectory } from '../catalog/open-test-directory.js';

describe('domain selection quality on the labeled suite', () => {
  let provider: DirectoryProvider;
  let report: DomainSelectionReport;

  beforeAll(async () => {
    provider = openTestDirectory();
    const { selector } = createTestSelector(provider);
    report = await evaluateDomainSelection(DOMAIN_SELECTION_SUITE, (prompt) =>
      selector.selectDomain({ projectId: 'eval', environment: 'live' }, prompt),
    );
  });
  afterAll(() => provider.close());

  it('has at least 30 prompts, vague ones and the spec examples among them', () => {
    expect(DOMAIN_SELECTION_SUITE.length).toBeGreaterThanOrEqual(30);
    expect(
      DOMAIN_SELECTION_SUITE.filter((labeled) => labeled.warning === 'vague').length,
    ).toBeGreaterThan(1);
    expect(DOMAIN_SELECTION_SUITE.map((labeled) => labeled.prompt)).toContain(
      'Handle CRM tasks. Connect Salesforce, HubSpot, and Pipedrive. Manage OAuth, pull contacts, sync deals, export data.',
    );
    expect(new Set(DOMAIN_SELECTION_SUITE.map((labeled) => labeled.id)).size).toBe(
      DOMAIN_SELECTION_SUITE.length,
    );
  });

  it('labels only toolkits and tools that are in the directory', () => {
    const directory = provider.current();
    for (const labeled of DOMAIN_SELECTION_SUITE) {
      for (const name of [...labeled.services.flat(), ...(labeled.acceptable ?? [])]) {
        expect(directory?.findToolkit(name), `${labeled.id}: ${name}`).toBeDefined();
      }
      for (const name of labeled.mustHave.flat()) {
        expect(directory?.findTool(name), `${labeled.id}: ${name}`).toBeDefined();
      }
    }
  });

  it('reaches service precision and recall of 0.9 or more', () => {
    expect(report.servicePrecision).toBeGreaterThanOrEqual(0.9);
    expect(report.serviceRecall).toBeGreaterThanOrEqual(0.9);
  });

  it('includes 0.9 or more of the must-have operations', () => {
    expect(report.mustHaveRecall).toBeGreaterThanOrEqual(0.9);
  });

  it('warns on every vague prompt and on every named vendor that lacks the operations, and on no specific prompt as vague', () => {
    expect(report.warningsGiven).toBe(report.warningsExpected);
    expect(report.unexpectedVague).toBe(0);
  });
});
