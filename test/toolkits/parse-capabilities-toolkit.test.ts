import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors/index.js';
import { parseCapabilitiesToolkit } from '../../src/toolkits/index.js';
import { plotonCrmDefinition } from './fixtures/ploton-crm-definition.js';

function refusal(definition: unknown): { message: string; param?: string } {
  try {
    parseCapabilitiesToolkit(definition);
  } catch (error) {
    if (!isAppError(error)) throw error;
    expect(error.code).toBe('invalid_toolkit');
    return { message: error.message, ...(error.param ? { param: error.param } : {}) };
  }
  throw new Error('expected the definition to be refused');
}

describe('parseCapabilitiesToolkit', () => {
  it("turns each capability of Ploton's example into a tool posting JSON to /<name>", () => {
    const parsed = parseCapabilitiesToolkit(plotonCrmDefinition);
    expect(parsed).toMatchObject({
      name: 'internal-crm',
      baseUrl: 'https://crm.internal.yourcompany.com/api/v2',
      description: 'Our internal CRM: contacts and deals.',
      version: '1.0.0',
    });
    expect(parsed.tools.map((tool) => [tool.action, tool.binding])).toEqual([
      [
        'search_contacts',
        {
          kind: 'http',
          method: 'POST',
          path: '/search_contacts',
          locations: { query: 'body', limit: 'body' },
        },
      ],
      [
        'create_deal',
        {
          kind: 'http',
          method: 'POST',
          path: '/create_deal',
          locations: { contact_id: 'body', deal_name: 'body', amount: 'body', stage: 'body' },
        },
      ],
      [
        'update_contact',
        {
          kind: 'http',
          method: 'POST',
          path: '/update_contact',
          locations: { contact_id: 'body', fields: 'body' },
        },
      ],
    ]);
  });

  it('converts parameter specs to a JSON Schema with types, defaults, descriptions and required', () => {
    const [search, createDeal] = parseCapabilitiesToolkit(plotonCrmDefinition).tools;
    expect(search?.parameters).toEqual({
      type: 'object',
      properties: {
        query: { type: 'string', description: 'Search query' },
        limit: { type: 'number', description: 'Max results', default: 20 },
      },
      required: ['query'],
      additionalProperties: false,
    });
    expect(search?.description).toBe('Search contacts by name, email, or company');
    expect(createDeal?.parameters.required).toEqual(['contact_id', 'deal_name', 'amount']);
    expect(createDeal?.description).toBe('POST /create_deal');
  });

  it('places path placeholders in the path and, for GET, the other arguments in the query', () => {
    const parsed = parseCapabilitiesToolkit({
      ...plotonCrmDefinition,
      capabilities: [
        {
          name: 'get_contact',
          method: 'get',
          path: '/contacts/{contact_id}',
          parameters: {
            contact_id: { type: 'string' },
            expand: { type: 'array', items: { type: 'string' }, enum: ['deals', 'notes'] },
          },
        },
      ],
    });
    const tool = parsed.tools[0];
    expect(tool?.binding).toEqual({
      kind: 'http',
      method: 'GET',
      path: '/contacts/{contact_id}',
      locations: { contact_id: 'path', expand: 'query' },
    });
    expect(tool?.parameters.required).toEqual(['contact_id']);
    expect(tool?.sideEffects).toBe(false);
    expect((tool?.parameters.properties as Record<string, unknown>).expand).toEqual({
      type: 'array',
      items: { type: 'string' },
      enum: ['deals', 'notes'],
    });
  });

  it('marks every method but GET as side-effecting', () => {
    const parsed = parseCapabilitiesToolkit(plotonCrmDefinition);
    expect(parsed.tools.every((tool) => tool.sideEffects)).toBe(true);
  });

  it('refuses a path placeholder that is not a parameter, naming the capability', () => {
    expect(
      refusal({
        ...plotonCrmDefinition,
        capabilities: [{ name: 'get_deal', method: 'GET', path: '/deals/{deal_id}' }],
      }),
    ).toEqual({
      message:
        "The path '/deals/{deal_id}' uses {deal_id}, which is not among the capability's parameters.",
      param: 'capabilities.0.path',
    });
  });

  it('refuses two capabilities with the same name', () => {
    const first = plotonCrmDefinition.capabilities[0]!;
    expect(
      refusal({
        ...plotonCrmDefinition,
        capabilities: [first, { ...first, name: 'Search_Contacts' }],
      }),
    ).toEqual({
      message: "Two capabilities are named 'Search_Contacts'.",
      param: 'capabilities.1.name',
    });
  });

  it('refuses a capability name too long for the 64-character tool name', () => {
    const error = refusal({
      ...plotonCrmDefinition,
      capabilities: [{ name: 'a'.repeat(60) }],
    });
    expect(error.message).toContain('at most 50 characters');
  });

  it('refuses an unknown parameter type, naming where it is', () => {
    const error = refusal({
      ...plotonCrmDefinition,
      capabilities: [{ name: 'x', parameters: { when: { type: 'date' } } }],
    });
    expect(error.param).toBe('capabilities.0.parameters.when.type');
  });

  it('refuses a definition without base_url or capabilities', () => {
    expect(refusal({ name: 'crm', description: 'x', capabilities: [{ name: 'a' }] }).param).toBe(
      'base_url',
    );
    expect(
      refusal({ name: 'crm', description: 'x', base_url: 'https://x.test', capabilities: [] })
        .param,
    ).toBe('capabilities');
    expect(refusal(null).message).toContain('must be a JSON object');
  });
});
