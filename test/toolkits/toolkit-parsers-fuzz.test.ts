import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors/index.js';
import { parseCapabilitiesToolkit, parseOpenApiToolkit } from '../../src/toolkits/index.js';
import type { ToolDefinition } from '../../src/tools/index.js';
import { crmOpenApi30 } from './fixtures/crm-openapi-3-0.js';
import { filesOpenApi31 } from './fixtures/files-openapi-3-1.js';
import { petsSwagger2 } from './fixtures/pets-swagger-2.js';
import { plotonCrmDefinition } from './fixtures/ploton-crm-definition.js';

const RUNS = 400;
const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Runs a parser; anything thrown must be an AppError, anything returned must be usable tools. */
function outcome(run: () => { tools: ToolDefinition[] }): 'ok' | 'refused' {
  let parsed: { tools: ToolDefinition[] };
  try {
    parsed = run();
  } catch (error) {
    if (isAppError(error) && error.code === 'invalid_toolkit' && error.message !== '') {
      return 'refused';
    }
    throw error;
  }
  const names = parsed.tools.map((tool) => `${tool.toolkit}__${tool.action}`);
  for (const name of names) expect(name).toMatch(TOOL_NAME);
  expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(names.length);
  for (const tool of parsed.tools) {
    expect(tool.parameters.type).toBe('object');
    expect(tool.binding.kind).toBe('http');
    // Stored as JSON and read back, a tool must serialize to the same text again.
    const text = JSON.stringify(tool);
    expect(JSON.stringify(JSON.parse(text))).toBe(text);
    expect(JSON.parse(text)).toMatchObject({ toolkit: tool.toolkit, action: tool.action });
  }
  return 'ok';
}

/** Mostly the well-formed value, now and then a broken one: most documents get deep. */
function rarely<T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>): fc.Arbitrary<T | U> {
  return fc.oneof({ weight: 40, arbitrary: good }, { weight: 1, arbitrary: bad });
}

const junk = fc.jsonValue({ maxDepth: 2 });
const refs = rarely(
  fc.constantFrom(
    '#/components/schemas/A',
    '#/components/schemas/B',
    '#/definitions/A',
    '#/definitions/B',
  ),
  fc.constantFrom(
    '#',
    '#/',
    '#/paths',
    '#/components/schemas/A/properties/self',
    '#/components/schemas/%7E0',
    '#/components/schemas/%E0%A4%A',
    'other.json#/A',
    '#/__proto__',
  ),
);
const reference = refs.map(($ref) => ({ $ref }));

/** JSON Schema-like values with `$ref`s (cycles included: A and B refer to each other). */
const schemaLike: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'schema', withCrossShrink: true },
    { weight: 3, arbitrary: reference },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
    {
      weight: 12,
      arbitrary: fc.record(
        {
          type: fc.constantFrom(
            'object',
            'array',
            'string',
            'integer',
            'file',
            ['string', 'null'],
            7,
          ),
          description: fc.string({ maxLength: 400 }),
          properties: fc.dictionary(
            fc.constantFrom('a', 'b', '__proto__', 'constructor', 'self'),
            tie('node'),
            { maxKeys: 3 },
          ),
          items: tie('node'),
          allOf: fc.array(tie('node'), { maxLength: 2 }),
          anyOf: fc.array(tie('node'), { maxLength: 2 }),
          required: fc.array(fc.constantFrom('a', 'b', 'self', 3), { maxLength: 3 }),
          enum: fc.oneof(
            fc.array(fc.constantFrom('a', 1, null, true), { maxLength: 3 }),
            fc.constant(Array.from({ length: 60 }, (_, index) => index)),
          ),
          default: fc.jsonValue({ maxDepth: 2 }),
          nullable: fc.boolean(),
          readOnly: fc.boolean(),
          exclusiveMinimum: fc.oneof(fc.boolean(), fc.double()),
          minimum: fc.double(),
        },
        { requiredKeys: [] },
      ),
    },
  ),
})).node;

const parameter = rarely(
  fc.record(
    {
      name: rarely(
        fc.constantFrom('id', 'x', 'y', 'limit', 'body', 'X-Key', '__proto__', 'Authorization'),
        fc.string(),
      ),
      in: rarely(
        fc.constantFrom('path', 'query', 'header', 'cookie', 'body', 'formData'),
        fc.constant('nowhere'),
      ),
      required: fc.boolean(),
      schema: schemaLike,
      type: fc.constantFrom('string', 'integer', 'array'),
    },
    { requiredKeys: ['name', 'in'] },
  ),
  fc.oneof(schemaLike, reference),
);

const operation = rarely(
  fc.record(
    {
      operationId: fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.constantFrom('list', 'list', 'x'.repeat(90)),
      ),
      summary: fc.string({ maxLength: 10 }),
      deprecated: fc.boolean(),
      parameters: rarely(fc.array(parameter, { maxLength: 4 }), junk),
      requestBody: fc.oneof(
        reference,
        fc.record({
          required: fc.boolean(),
          content: fc.dictionary(
            fc.constantFrom('application/json', 'multipart/form-data', '*/*', 'text/plain'),
            fc.record({ schema: schemaLike }, { requiredKeys: [] }),
          ),
        }),
      ),
    },
    { requiredKeys: [] },
  ),
  junk,
);

const pathItem = rarely(
  fc.record(
    {
      get: operation,
      post: operation,
      delete: operation,
      parameters: rarely(fc.array(parameter, { maxLength: 3 }), junk),
    },
    { requiredKeys: [] },
  ),
  fc.oneof(junk, reference),
);

const version = rarely(
  fc.constantFrom({ openapi: '3.0.3' }, { openapi: '3.1.0' }, { swagger: '2.0' }),
  fc.constantFrom({ openapi: '2.0' }, { swagger: '1.2' }, { openapi: 3 }, {}),
);

const openApiLike = fc
  .tuple(
    version,
    fc.record(
      {
        host: fc.constantFrom('api.example.com', '', 'bad host'),
        servers: rarely(
          fc.array(
            fc.record({
              url: fc.constantFrom(
                'https://api.test/v1',
                '/relative',
                'https://{x}.test',
                'ftp://x',
              ),
            }),
          ),
          junk,
        ),
        paths: rarely(
          fc.dictionary(
            rarely(
              fc.constantFrom('/a', '/a/{id}', '/{x}/{y}', '/__proto__', 'x-ext'),
              fc.string(),
            ),
            pathItem,
            { minKeys: 1, maxKeys: 5 },
          ),
          junk,
        ),
        components: fc.record({
          schemas: fc.record({ A: schemaLike, B: schemaLike }),
          securitySchemes: fc.dictionary(
            fc.string({ maxLength: 5 }),
            fc.jsonValue({ maxDepth: 3 }),
            {
              maxKeys: 3,
            },
          ),
        }),
        definitions: fc.record({ A: schemaLike, B: schemaLike }),
      },
      { requiredKeys: ['paths', 'components', 'definitions'] },
    ),
  )
  .map(([declared, document]) => ({ ...declared, ...document }));

/** A fixture with one subtree replaced by junk. */
function mutated(document: unknown): fc.Arbitrary<unknown> {
  const paths: (string | number)[][] = [];
  const walk = (value: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...path, index]));
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
    }
  };
  walk(document, []);
  return fc
    .tuple(
      fc.nat({ max: paths.length - 1 }),
      fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        refs.map(($ref) => ({ $ref })),
      ),
    )
    .map(([index, replacement]) => {
      const copy = structuredClone(document);
      const path = paths[index]!;
      if (path.length === 0) return replacement;
      let parent = copy as Record<string | number, unknown>;
      for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
      parent[path.at(-1)!] = replacement;
      return copy;
    });
}

describe('the toolkit parsers on arbitrary input', () => {
  it('parseOpenApiToolkit throws nothing but invalid_toolkit on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (document) => {
        outcome(() => parseOpenApiToolkit(document, { toolkit: 'fuzz' }));
      }),
      { numRuns: RUNS },
    );
  });

  it('parseOpenApiToolkit throws nothing but invalid_toolkit on document-shaped junk with references', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(openApiLike, (document) => {
        seen.add(
          outcome(() =>
            parseOpenApiToolkit(document, { toolkit: 'a-forty-character-toolkit-name-for-fuzz' }),
          ),
        );
      }),
      { numRuns: 300 },
    );
    // The generator reaches both outcomes, so the invariants on the tools were checked too.
    expect(seen).toEqual(new Set(['ok', 'refused']));
  });

  it('parseOpenApiToolkit throws nothing but invalid_toolkit when any part of a real document is replaced', () => {
    for (const fixture of [crmOpenApi30, filesOpenApi31, petsSwagger2]) {
      fc.assert(
        fc.property(mutated(fixture), (document) => {
          outcome(() => parseOpenApiToolkit(document, { toolkit: 'fuzz' }));
        }),
        { numRuns: RUNS },
      );
    }
  });

  it('parseCapabilitiesToolkit throws nothing but invalid_toolkit on any JSON value or broken definition', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), mutated(plotonCrmDefinition)), (definition) => {
        outcome(() => parseCapabilitiesToolkit(definition));
      }),
      { numRuns: RUNS },
    );
  });
});
