import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertDirectorySpec, findDirectoryPackage } from '../../src/directory/index.js';

const { specRoot } = findDirectoryPackage();

function convert(specId: string, slug = 'sample') {
  const document: unknown = JSON.parse(readFileSync(path.join(specRoot, `${specId}.json`), 'utf8'));
  return convertDirectorySpec(specId, document, slug);
}

describe('a directory spec as a toolkit', () => {
  it('turns each operation into a tool named for its toolkit, with method, path and JSON-schema parameters', () => {
    const toolkit = convert('apideck.com/crm', 'apideck-crm');
    expect(toolkit).toMatchObject({
      slug: 'apideck-crm',
      specId: 'apideck.com/crm',
      vendor: 'apideck',
      title: 'CRM API',
      baseUrl: 'https://unify.apideck.com',
    });
    const list = toolkit.tools.find((tool) => tool.action === 'contactsAll');
    expect(list).toMatchObject({
      toolkit: 'apideck-crm',
      binding: { kind: 'http', method: 'GET', path: '/crm/contacts' },
      sideEffects: false,
    });
    expect(list?.parameters).toMatchObject({ type: 'object', additionalProperties: false });
    expect(toolkit.tools.find((tool) => tool.action === 'contactsAdd')?.sideEffects).toBe(true);
  });

  it("resolves $refs into the parameters' schemas and keeps them to a sane size", () => {
    const toolkit = convert('apideck.com/crm');
    const add = toolkit.tools.find((tool) => tool.action === 'contactsAdd');
    const text = JSON.stringify(add?.parameters);
    expect(text).not.toContain('$ref');
    expect(text).toContain('"first_name"');
    for (const tool of toolkit.tools)
      expect(JSON.stringify(tool.parameters).length).toBeLessThan(60_000);
  });

  it('keeps the OAuth2 authorization and token URLs and scopes for connections', () => {
    const slack = convert('slack.com');
    const oauth = slack.authSchemes.find((scheme) => scheme.type === 'oauth2');
    expect(oauth).toMatchObject({
      type: 'oauth2',
      flows: [
        expect.objectContaining({
          flow: 'authorizationCode',
          authorizationUrl: 'https://slack.com/oauth/authorize',
          tokenUrl: 'https://slack.com/api/oauth.access',
          scopes: expect.objectContaining({ 'chat:write:bot': expect.any(String) }),
        }),
      ],
    });
    expect(slack.categories).toEqual(['collaboration', 'messaging']);
  });

  it('skips an invalid operation with a warning instead of rejecting the whole spec', () => {
    const notion = convert('notion.com');
    expect(notion.tools.length).toBeGreaterThan(10);
    expect(notion.warnings.join('\n')).toMatch(/was skipped: invalid at/);
  });

  it('keeps every operation of a very large spec (no per-toolkit cap)', () => {
    expect(convert('microsoft.com/graph').tools.length).toBeGreaterThan(10_000);
  });

  it('rejects a spec with no operation it can use', () => {
    expect(() => convert('adyen.com/BalancePlatformConfigurationNotification-v1')).toThrow(
      /no operations/,
    );
  });
});
