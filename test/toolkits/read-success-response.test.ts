import { describe, expect, it } from 'vitest';
import { parseCapabilitiesToolkit, parseOpenApiToolkit } from '../../src/toolkits/index.js';
import type { ResponseSample, ToolDefinition } from '../../src/tools/index.js';
import { plotonCrmDefinition } from './fixtures/ploton-crm-definition.js';
import { petsWithResponsesSwagger2, shopOpenApi30 } from './fixtures/shop-documented-responses.js';

function responseOf(tools: ToolDefinition[], action: string): ResponseSample | undefined {
  const tool = tools.find((candidate) => candidate.action === action);
  if (tool === undefined) throw new Error(`no tool ${action}`);
  if (tool.binding.kind !== 'http') throw new Error(`${action} is not an HTTP tool`);
  return tool.binding.response;
}

const ORDER_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string', example: 'ord_1001' },
    created_at: { type: 'string', format: 'date-time' },
    status: { type: 'string', enum: ['open', 'paid', 'shipped'] },
    total: { type: 'number', minimum: 0 },
    customer_email: { type: 'string', format: 'email' },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          sku: { type: 'string', example: 'TSHIRT-M' },
          quantity: { type: 'integer', minimum: 1 },
        },
      },
    },
  },
  required: ['id', 'status'],
};

describe('the documented success response of an operation', () => {
  const shop = parseOpenApiToolkit(shopOpenApi30, { toolkit: 'shop' }).tools;

  it("keeps an OpenAPI 3 media type's example beside the schema, for a JSON type with parameters", () => {
    expect(responseOf(shop, 'listOrders')).toEqual({
      status: 200,
      schema: { type: 'array', items: ORDER_SCHEMA },
      example: [{ id: 'ord_1001', status: 'paid', total: 42.5 }],
    });
  });

  it('takes the first of the named examples, following its $ref, with the 2xx status documented', () => {
    expect(responseOf(shop, 'createOrder')).toEqual({
      status: 201,
      schema: ORDER_SCHEMA,
      example: { id: 'ord_2002', status: 'open' },
    });
  });

  it('resolves the schema when there is no example: readOnly fields kept, writeOnly ones and descriptions dropped', () => {
    const response = responseOf(shop, 'getOrder');
    expect(response).toEqual({ status: 200, schema: ORDER_SCHEMA });
    expect(JSON.stringify(response)).not.toMatch(/card_number|description/);
  });

  it('keeps only the status when the success has no body, no JSON body or a broken $ref', () => {
    expect(responseOf(shop, 'deleteOrder')).toEqual({ status: 204 });
    expect(responseOf(shop, 'getInvoice')).toEqual({ status: 200 });
    expect(responseOf(shop, 'health')).toEqual({ status: 200 });
    expect(responseOf(shop, 'legacy')).toEqual({ status: 200 });
  });

  it('uses the default response only when no 2xx response is documented', () => {
    expect(responseOf(shop, 'ping')).toEqual({
      status: 200,
      schema: { type: 'object', properties: { pong: { type: 'boolean' } } },
    });
  });

  it('prefers an exact 2xx code over the 2XX range, whatever their order in the document', () => {
    const json = (value: unknown) => ({
      description: 'ok',
      content: { 'application/json': { example: value } },
    });
    const document = {
      openapi: '3.1.0',
      info: { title: 'Ranges', version: '1' },
      paths: {
        '/jobs': {
          post: {
            operationId: 'startJob',
            responses: { '2XX': json({ range: true }), '202': json({ accepted: true }) },
          },
        },
      },
    };
    expect(
      responseOf(parseOpenApiToolkit(document, { toolkit: 'jobs' }).tools, 'startJob'),
    ).toEqual({ status: 202, example: { accepted: true } });
  });

  it("reads Swagger 2.0 response schemas and their examples['application/json']", () => {
    const pets = parseOpenApiToolkit(petsWithResponsesSwagger2, { toolkit: 'pets' }).tools;
    const pet = {
      type: 'object',
      properties: {
        name: { type: 'string', example: 'doggie' },
        id: { type: 'integer', format: 'int64' },
        tag: { type: 'object', properties: { label: { type: 'string' } } },
      },
      required: ['name'],
    };
    expect(responseOf(pets, 'findPets')).toEqual({
      status: 200,
      schema: { type: 'array', items: pet },
    });
    expect(responseOf(pets, 'getPet')).toEqual({
      status: 200,
      schema: pet,
      example: { id: 7, name: 'Rex', tag: { label: 'good' } },
    });
  });

  it('takes a JSON text example as JSON, and leaves out an example too big to keep', () => {
    const document = {
      openapi: '3.1.0',
      info: { title: 'Sizes', version: '1' },
      paths: {
        '/small': {
          get: {
            operationId: 'small',
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { example: '{"count": 3}' } },
              },
            },
          },
        },
        '/huge': {
          get: {
            operationId: 'huge',
            responses: {
              '200': {
                description: 'ok',
                content: {
                  'application/json': {
                    schema: { type: 'object', properties: { text: { type: 'string' } } },
                    example: { text: 'x'.repeat(20_000) },
                  },
                },
              },
            },
          },
        },
      },
    };
    const tools = parseOpenApiToolkit(document, { toolkit: 'sizes' }).tools;
    expect(responseOf(tools, 'small')).toEqual({ status: 200, example: { count: 3 } });
    expect(responseOf(tools, 'huge')).toEqual({
      status: 200,
      schema: { type: 'object', properties: { text: { type: 'string' } } },
    });
  });

  it('is absent for an operation that documents no success, and for custom capabilities', () => {
    const document = {
      openapi: '3.0.0',
      info: { title: 'Errors only', version: '1' },
      paths: { '/x': { get: { operationId: 'x', responses: { '400': { description: 'no' } } } } },
    };
    expect(responseOf(parseOpenApiToolkit(document, { toolkit: 'errs' }).tools, 'x')).toBe(
      undefined,
    );
    const custom = parseCapabilitiesToolkit(plotonCrmDefinition).tools;
    expect(
      custom.every((tool) => tool.binding.kind === 'http' && !('response' in tool.binding)),
    ).toBe(true);
  });
});
