import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors/index.js';
import { parseOpenApiToolkit } from '../../src/toolkits/index.js';
import type { JsonSchema, ToolDefinition } from '../../src/tools/index.js';
import { crmOpenApi30 } from './fixtures/crm-openapi-3-0.js';
import { filesOpenApi31 } from './fixtures/files-openapi-3-1.js';
import { petsSwagger2 } from './fixtures/pets-swagger-2.js';

function parse(document: unknown, toolkit = 'internal-crm') {
  return parseOpenApiToolkit(document, { toolkit });
}

function tool(tools: ToolDefinition[], action: string): ToolDefinition {
  const found = tools.find((candidate) => candidate.action === action);
  if (found === undefined)
    throw new Error(`no tool ${action} in ${tools.map((t) => t.action).join(', ')}`);
  return found;
}

/** One argument's schema of a tool. */
function property(tool: ToolDefinition | undefined, name: string): JsonSchema | undefined {
  return (tool?.parameters.properties as Record<string, JsonSchema> | undefined)?.[name];
}

function innerOf(schema: JsonSchema): JsonSchema | undefined {
  return (schema.properties as Record<string, JsonSchema> | undefined)?.inner;
}

function parseError(document: unknown): { code: string; message: string; param?: string } {
  try {
    parse(document);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return {
      code: error.code,
      message: error.message,
      ...(error.param ? { param: error.param } : {}),
    };
  }
  throw new Error('expected the document to be refused');
}

function minimalDocument(paths: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { openapi: '3.0.0', info: { title: 'T', version: '1' }, paths, ...extra };
}

describe('parseOpenApiToolkit on OpenAPI 3.0', () => {
  const parsed = parse(crmOpenApi30);

  it('turns every callable operation into a tool named after its operationId', () => {
    expect(parsed.tools.map((t) => t.action)).toEqual([
      'searchContacts',
      'createContact',
      'getContact',
      'updateContact',
      'create_deal',
      'get_reports_year',
    ]);
    expect(parsed.tools.every((t) => t.toolkit === 'internal-crm')).toBe(true);
  });

  it('takes the base URL from the first server with its variables set to their defaults', () => {
    expect(parsed.baseUrl).toBe('https://eu.crm.example.com/api/v2');
  });

  it('describes the toolkit from info and each tool from its summary and description', () => {
    expect(parsed.description).toBe('Internal CRM: Contacts and deals of the sales team.');
    expect(parsed.version).toBe('2.4.0');
    expect(tool(parsed.tools, 'searchContacts').description).toBe(
      'Search contacts\n\nFull-text search over names and e-mail addresses.',
    );
    expect(tool(parsed.tools, 'create_deal').description).toBe('POST /deals');
    expect(tool(parsed.tools, 'updateContact').description).toBe('Deprecated. Update a contact');
  });

  it('merges query and header parameters into one schema and records where each goes', () => {
    const search = tool(parsed.tools, 'searchContacts');
    expect(search.parameters).toEqual({
      type: 'object',
      properties: {
        query: { type: 'string' },
        limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
        'X-Request-Source': { type: 'string' },
      },
      required: ['query'],
      additionalProperties: false,
    });
    expect(search.binding).toEqual({
      kind: 'http',
      method: 'GET',
      path: '/contacts',
      locations: { query: 'query', limit: 'query', 'X-Request-Source': 'header' },
      // Its 200 response is described in words only.
      response: { status: 200 },
    });
  });

  it('leaves out Authorization header and cookie parameters, which the model must not set', () => {
    const properties = tool(parsed.tools, 'searchContacts').parameters.properties as object;
    expect(Object.keys(properties)).not.toContain('Authorization');
    expect(Object.keys(properties)).not.toContain('session');
  });

  it('flattens an object request body into arguments, merging allOf and dropping read-only fields', () => {
    const create = tool(parsed.tools, 'createContact');
    expect(create.parameters).toEqual({
      type: 'object',
      properties: {
        email: { type: 'string', format: 'email' },
        name: { type: ['string', 'null'] },
        lifecycle_stage: { type: 'string', enum: ['lead', 'customer', 'churned'] },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['email'],
      additionalProperties: false,
    });
    expect(create.binding).toMatchObject({
      method: 'POST',
      locations: { email: 'body', name: 'body', lifecycle_stage: 'body', tags: 'body' },
    });
    expect(create.binding).not.toHaveProperty('bodyArgument');
  });

  it('resolves a request body reference and converts boolean exclusive bounds to numbers', () => {
    const deal = tool(parsed.tools, 'create_deal');
    expect(deal.parameters.required).toEqual(['contact_id', 'amount']);
    expect(property(deal, 'amount')).toEqual({
      type: 'number',
      exclusiveMinimum: 0,
    });
    expect(property(deal, 'stage')).toEqual({
      type: 'string',
      default: 'prospecting',
    });
  });

  it('sends a JSON body without properties as one `body` argument', () => {
    const update = tool(parsed.tools, 'updateContact');
    expect(property(update, 'body')).toEqual({
      type: 'object',
      additionalProperties: true,
    });
    expect(update.binding).toMatchObject({
      method: 'PATCH',
      bodyArgument: 'body',
      locations: { contact_id: 'path', body: 'body' },
    });
  });

  it('applies path-level parameters and declares path placeholders the document forgot', () => {
    expect(tool(parsed.tools, 'getContact').parameters).toEqual({
      type: 'object',
      properties: { contact_id: { type: 'string', description: 'The contact id.' } },
      required: ['contact_id'],
      additionalProperties: false,
    });
    expect(tool(parsed.tools, 'get_reports_year').parameters).toMatchObject({
      properties: { year: { type: 'string' } },
      required: ['year'],
    });
  });

  it('marks only operations other than GET, HEAD and OPTIONS as side-effecting', () => {
    expect(Object.fromEntries(parsed.tools.map((t) => [t.action, t.sideEffects]))).toEqual({
      searchContacts: false,
      createContact: true,
      getContact: false,
      updateContact: true,
      create_deal: true,
      get_reports_year: false,
    });
  });

  it('drops examples, XML hints and vendor extensions from the schemas', () => {
    const text = JSON.stringify(parsed.tools);
    expect(text).not.toContain('example');
    expect(text).not.toContain('x-internal-owner');
    expect(text).not.toContain('"xml"');
    expect(text).not.toContain('readOnly');
  });

  it('skips an operation whose required body is multipart, saying why', () => {
    expect(parsed.tools.map((t) => t.binding)).not.toContainEqual(
      expect.objectContaining({ path: '/contacts/{contact_id}/avatar' }),
    );
    expect(parsed.warnings).toEqual([
      'PUT /contacts/{contact_id}/avatar was skipped: it needs a multipart/form-data request body, which Cadre cannot send yet.',
    ]);
  });

  it('keeps the OAuth flows and the API key header of the security schemes', () => {
    expect(parsed.authSchemes).toEqual([
      { name: 'crmKey', type: 'apiKey', in: 'header', parameter: 'X-CRM-Key' },
      {
        name: 'crmOAuth',
        type: 'oauth2',
        flows: [
          {
            flow: 'authorizationCode',
            authorizationUrl: 'https://auth.crm.example.com/authorize',
            tokenUrl: 'https://auth.crm.example.com/token',
            scopes: { 'contacts.read': 'Read contacts', 'contacts.write': 'Change contacts' },
          },
        ],
      },
    ]);
  });
});

describe('parseOpenApiToolkit on OpenAPI 3.1', () => {
  const parsed = parse(filesOpenApi31, 'files');

  it('cuts a recursive schema at its second appearance instead of expanding it forever', () => {
    const create = tool(parsed.tools, 'createFolderTree');
    expect(property(create, 'children')).toEqual({
      type: 'array',
      items: { type: 'object', description: 'Recursive: the same shape as an enclosing value.' },
    });
  });

  it("prefers a reference's own description over its target's", () => {
    const create = tool(parsed.tools, 'createFolderTree');
    expect(property(create, 'parent')).toEqual({
      type: 'object',
      description: 'The enclosing folder.',
    });
  });

  it('keeps type arrays, numeric exclusive bounds and boolean schemas', () => {
    const read = tool(parsed.tools, 'readFile');
    expect(read.parameters.properties).toEqual({
      path: { type: 'string' },
      encoding: { type: ['string', 'null'], enum: ['utf-8', 'base64', null] },
      max_bytes: { type: 'integer', exclusiveMinimum: 0 },
      anything: {},
    });
  });

  it('reports no base URL when the only server is relative', () => {
    expect(parsed.baseUrl).toBeNull();
  });
});

describe('parseOpenApiToolkit on Swagger 2.0', () => {
  const parsed = parse(petsSwagger2, 'pets');

  it('builds the base URL from schemes, host and basePath, preferring https', () => {
    expect(parsed.baseUrl).toBe('https://pets.example.com/v1');
  });

  it('flattens an `in: body` object into arguments and resolves #/definitions', () => {
    const add = tool(parsed.tools, 'addPet');
    expect(add.parameters.required).toEqual(['name']);
    expect(Object.keys(add.parameters.properties as object)).toEqual([
      'name',
      'id',
      'category',
      'status',
    ]);
    expect(property(add, 'category')).toEqual({
      type: 'object',
      properties: { id: { type: 'integer' }, name: { type: 'string' } },
    });
  });

  it('sends a non-object body as one `body` argument', () => {
    const tags = tool(parsed.tools, 'replaceTags');
    expect(property(tags, 'body')).toEqual({
      type: 'array',
      items: { type: 'string' },
    });
    expect(tags.binding).toMatchObject({
      bodyArgument: 'body',
      locations: { petId: 'path', body: 'body' },
    });
    expect(tags.parameters.required).toEqual(['petId']);
  });

  it('reads inline parameter types and shared #/parameters references', () => {
    expect(tool(parsed.tools, 'getPetById').parameters.properties).toEqual({
      petId: { type: 'integer', format: 'int64' },
    });
    expect(tool(parsed.tools, 'findPets').parameters.properties).toEqual({
      status: { type: 'array', items: { type: 'string', enum: ['available', 'pending', 'sold'] } },
    });
  });

  it('skips a form-data operation and maps Swagger OAuth flows to OpenAPI 3 names', () => {
    expect(parsed.tools.map((t) => t.action)).not.toContain('updatePetWithForm');
    expect(parsed.warnings).toEqual([
      'POST /pets/{petId} was skipped: it needs a form data request body, which Cadre cannot send yet.',
    ]);
    expect(parsed.authSchemes.map((scheme) => scheme.type)).toEqual(['oauth2', 'apiKey', 'http']);
    expect(parsed.authSchemes[0]).toMatchObject({
      flows: [{ flow: 'authorizationCode', tokenUrl: 'https://pets.example.com/oauth/token' }],
    });
  });
});

describe('action names', () => {
  it('keeps every <toolkit>__<action> within 64 provider-safe characters, and unique', () => {
    const long = 'listAllTheContactsOfTheWholeCompanyIncludingArchivedOnesAndMore';
    const document = minimalDocument({
      '/a': { get: { operationId: long } },
      '/b': { get: { operationId: long } },
      '/c': { get: { operationId: `${long}!` } },
      '/d': { get: { operationId: 'ünïcode op/name' } },
    });
    const toolkit = 'a-rather-long-toolkit-name-of-forty-char';
    const names = parse(document, toolkit).tools.map((t) => `${toolkit}__${t.action}`);
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(names.length);
    expect(names[3]).toBe(`${toolkit}__unicode_op_name`);
  });

  it('names an operation without operationId after its method and path', () => {
    const parsed = parse(minimalDocument({ '/users/{id}/roles': { delete: {} } }));
    expect(parsed.tools[0]?.action).toBe('delete_users_id_roles');
  });
});

describe('schema limits', () => {
  it('replaces an enum longer than 50 values by a description naming some of them', () => {
    const values = Array.from({ length: 200 }, (_, index) => `country_${index}`);
    const parsed = parse(
      minimalDocument({
        '/x': {
          get: {
            parameters: [
              { name: 'country', in: 'query', schema: { type: 'string', enum: values } },
            ],
          },
        },
      }),
    );
    const country = property(parsed.tools[0], 'country');
    expect(country?.enum).toBeUndefined();
    expect(country?.description).toMatch(/^One of 200 values, e\.g\. country_0, country_1/);
  });

  it('keeps at most 50 properties of an object, required ones first', () => {
    const properties = Object.fromEntries(
      Array.from({ length: 80 }, (_, index) => [`field_${index}`, { type: 'string' }]),
    );
    const parsed = parse(
      minimalDocument({
        '/x': {
          post: {
            requestBody: {
              content: {
                'application/json': {
                  schema: { type: 'object', required: ['field_79'], properties },
                },
              },
            },
          },
        },
      }),
    );
    const keys = Object.keys(parsed.tools[0]?.parameters.properties as object);
    expect(keys).toHaveLength(50);
    expect(keys[0]).toBe('field_79');
  });

  it('stops expanding nested objects below the depth limit', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let level = 0; level < 10; level += 1) {
      schema = { type: 'object', properties: { inner: schema } };
    }
    const parsed = parse(
      minimalDocument({
        '/x': { post: { requestBody: { content: { 'application/json': { schema } } } } },
      }),
    );
    let depth = 0;
    let node = parsed.tools[0]?.parameters;
    for (let inner = node; inner !== undefined; inner = innerOf(inner)) {
      node = inner;
      depth += 1;
    }
    depth -= 1;
    expect(depth).toBe(4);
    expect(node).toEqual({ type: 'object' });
  });

  it('shares a size budget per tool, so a wide and deep body stays bounded', () => {
    const wide = (inner: unknown) =>
      Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`p${index}`, inner]));
    const schema = {
      type: 'object',
      properties: wide({
        type: 'object',
        properties: wide({ type: 'object', properties: wide({ type: 'string' }) }),
      }),
    };
    const parsed = parse(
      minimalDocument({
        '/x': { post: { requestBody: { content: { 'application/json': { schema } } } } },
      }),
    );
    expect(JSON.stringify(parsed.tools[0]?.parameters).length).toBeLessThan(60_000);
  });
});

describe('documents parseOpenApiToolkit refuses', () => {
  it('refuses a value that is not an object', () => {
    expect(parseError('openapi: 3.0.0')).toEqual({
      code: 'invalid_toolkit',
      message: 'The OpenAPI document must be a JSON object.',
      param: 'openapi',
    });
  });

  it('refuses a document that declares no OpenAPI or Swagger version', () => {
    expect(parseError({ info: {}, paths: {} }).message).toContain('neither `openapi');
  });

  it('refuses versions it does not read, naming the version', () => {
    expect(parseError({ swagger: '1.2', paths: {} }).message).toBe(
      "The document declares swagger '1.2': Cadre reads OpenAPI 3.0, 3.1 and Swagger 2.0.",
    );
  });

  it('names the field whose $ref does not resolve', () => {
    const error = parseError(
      minimalDocument({
        '/contacts': { get: { parameters: [{ $ref: '#/components/parameters/Nope' }] } },
      }),
    );
    expect(error).toEqual({
      code: 'invalid_toolkit',
      message:
        "The OpenAPI document has a $ref at paths['/contacts'].get.parameters[0] that does not resolve: '#/components/parameters/Nope'.",
      param: 'openapi',
    });
  });

  it('asks for a bundled document when a $ref points to another file', () => {
    const error = parseError(
      minimalDocument({ '/x': { get: { parameters: [{ $ref: 'common.yaml#/Limit' }] } } }),
    );
    expect(error.message).toContain('bundle the document into one file');
  });

  it('refuses a $ref loop instead of following it forever', () => {
    const error = parseError(
      minimalDocument(
        { '/x': { get: { parameters: [{ $ref: '#/components/parameters/A' }] } } },
        {
          components: {
            parameters: {
              A: { $ref: '#/components/parameters/B' },
              B: { $ref: '#/components/parameters/A' },
            },
          },
        },
      ),
    );
    expect(error.message).toContain('$ref loop');
  });

  it('names a parameter without a name', () => {
    const error = parseError(minimalDocument({ '/x': { get: { parameters: [{ in: 'query' }] } } }));
    expect(error.message).toBe(
      "The OpenAPI document is not valid at paths['/x'].get.parameters[0]: a parameter needs a non-empty string `name`.",
    );
  });

  it('refuses a path that does not start with a slash', () => {
    expect(parseError(minimalDocument({ contacts: { get: {} } })).message).toContain(
      "paths.contacts: a path must start with '/'",
    );
  });

  it('refuses a document without operations', () => {
    expect(parseError(minimalDocument({})).message).toBe(
      'The OpenAPI document has no operations under `paths`: a toolkit needs at least one.',
    );
  });

  it('refuses a document none of whose operations can be called, saying why', () => {
    const error = parseError(
      minimalDocument({
        '/upload': {
          post: {
            requestBody: { required: true, content: { 'application/octet-stream': {} } },
          },
        },
      }),
    );
    expect(error.message).toContain('application/octet-stream request body');
  });

  it('skips an operation whose query and header parameters share a name', () => {
    const parsed = parse(
      minimalDocument({
        '/x': {
          get: {
            parameters: [
              { name: 'id', in: 'query' },
              { name: 'id', in: 'header' },
            ],
          },
        },
        '/y': { get: {} },
      }),
    );
    expect(parsed.tools).toHaveLength(1);
    expect(parsed.warnings[0]).toBe(
      "GET /x was skipped: it has two parameters named 'id' (in query and header).",
    );
  });
});
