import { describe, expect, it } from 'vitest';
import { exampleFromSchema } from '../../../src/tools/sandbox/example-from-schema.js';

describe('exampleFromSchema', () => {
  it("prefers the schema's own example, then its default and enum", () => {
    expect(exampleFromSchema({ type: 'string', example: 'Acme' })).toBe('Acme');
    expect(exampleFromSchema({ type: 'integer', default: 20 })).toBe(20);
    expect(exampleFromSchema({ type: 'string', enum: ['open', 'closed'] })).toBe('open');
  });

  it('builds objects and arrays from their properties and items, with formats', () => {
    expect(
      exampleFromSchema({
        type: 'object',
        properties: {
          contacts: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                email: { type: 'string', format: 'email' },
                created_at: { type: 'string', format: 'date-time' },
                score: { type: 'number', minimum: 0 },
                active: { type: 'boolean' },
              },
            },
          },
        },
      }),
    ).toEqual({
      contacts: [
        {
          email: 'jane.smith@example.com',
          created_at: '2025-06-15T14:22:00Z',
          score: 0,
          active: true,
        },
      ],
    });
  });

  it('follows the first alternative of oneOf and merges allOf', () => {
    expect(exampleFromSchema({ oneOf: [{ type: 'integer' }, { type: 'string' }] })).toBe(1);
    expect(
      exampleFromSchema({
        allOf: [
          { type: 'object', properties: { id: { type: 'string' } } },
          { type: 'object', properties: { total: { type: 'integer' } } },
        ],
      }),
    ).toEqual({ id: 'string', total: 1 });
  });

  it('stops at a fixed depth on recursive shapes', () => {
    const node: Record<string, unknown> = { type: 'object', properties: {} };
    (node.properties as Record<string, unknown>).child = node;
    expect(JSON.stringify(exampleFromSchema(node)).length).toBeLessThan(200);
  });
});
