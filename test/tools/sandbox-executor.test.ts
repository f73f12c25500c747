import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DirectoryProvider,
  buildDirectoryIndex,
  directoryIndexFileName,
  findDirectoryPackage,
} from '../../src/directory/index.js';
import { createSecretBox } from '../../src/secrets/index.js';
import {
  parseCapabilitiesToolkit,
  parseOpenApiToolkit,
  rowToToolkit,
} from '../../src/toolkits/index.js';
import { createBuiltinHandlers } from '../../src/tools/builtins/index.js';
import { createHttpToolExecutor } from '../../src/tools/http-tool-executor.js';
import {
  builtinToolkits,
  createSandboxExecutor,
  createToolDispatcher,
  isToolError,
  type ToolCallResult,
  type ToolDefinition,
  type ToolExecutor,
  type Toolkit,
} from '../../src/tools/index.js';
import { startFakeService, type FakeService } from '../support/fake-service.js';
import { startTestCadre } from '../support/start-test-cadre.js';
import { plotonCrmDefinition } from '../toolkits/fixtures/ploton-crm-definition.js';
import {
  petsWithResponsesSwagger2,
  shopOpenApi30,
} from '../toolkits/fixtures/shop-documented-responses.js';
import { createToolCallContext } from './builtins/create-tool-call-context.js';

const secretBox = createSecretBox('sandbox-executor-test-key');

/** The real dispatcher with the real HTTP executor, as a server wires them, over `fetch`. */
function liveExecutor(fetch: typeof globalThis.fetch): ToolExecutor {
  return createToolDispatcher({
    builtins: createBuiltinHandlers({ fetch }),
    http: createHttpToolExecutor({ fetch, secretBox, readEnvSecret: () => undefined }),
  });
}

/** A fetch that fails the test if anything tries the network. */
const networkGuard: typeof globalThis.fetch = (input) => {
  throw new Error(`The network was used: ${String(input instanceof Request ? input.url : input)}`);
};

function toolkitOf(
  name: string,
  source: Toolkit['source'],
  baseUrl: string,
  tools: ToolDefinition[],
): Toolkit {
  return {
    id: `tk_${name}`,
    name,
    description: name,
    source,
    baseUrl,
    auth: { type: 'none' },
    tools,
  };
}

function find(toolkit: Toolkit, action: string): ToolDefinition {
  const tool = toolkit.tools.find((candidate) => candidate.action === action);
  if (tool === undefined) throw new Error(`no tool ${action} in ${toolkit.name}`);
  return tool;
}

async function failure(promise: Promise<ToolCallResult>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isToolError(error)) throw new Error(`expected a ToolError, got ${String(error)}`);
  return error;
}

describe('createSandboxExecutor', () => {
  let service: FakeService;
  let shop: Toolkit;
  let pets: Toolkit;
  let crm: Toolkit;
  let sandbox: ToolExecutor;
  const test = createToolCallContext({ environment: 'test' });

  beforeAll(async () => {
    // Every route answers, so a call that got through would be seen, and counted.
    const answer = () => ({ body: { from: 'the real service' } });
    service = await startFakeService({
      '/api/orders': answer,
      '/api/orders/ord_9': answer,
      '/v1/pets/7': answer,
      '/crm/create_deal': answer,
    });
    shop = toolkitOf(
      'shop',
      'openapi',
      `${service.url}/api`,
      parseOpenApiToolkit(shopOpenApi30, { toolkit: 'shop' }).tools,
    );
    pets = toolkitOf(
      'pets',
      'openapi',
      `${service.url}/v1`,
      parseOpenApiToolkit(petsWithResponsesSwagger2, { toolkit: 'pets' }).tools,
    );
    const custom = parseCapabilitiesToolkit(plotonCrmDefinition);
    crm = toolkitOf(custom.name, 'capabilities', `${service.url}/crm`, custom.tools);
    sandbox = createSandboxExecutor({ live: liveExecutor(globalThis.fetch) });
  });
  afterAll(async () => {
    await service.close();
  });

  describe('with a test key', () => {
    it("answers with the operation's documented example, marked simulated, and sends nothing", async () => {
      const result = await sandbox.execute(
        shop,
        find(shop, 'listOrders'),
        { status: 'paid' },
        test,
      );
      expect(result).toEqual({
        output: {
          status: 200,
          body: [{ id: 'ord_1001', status: 'paid', total: 42.5 }],
          simulated: true,
        },
        note: 'Simulated (test key): 200 from the response example of GET /orders',
      });
      expect(service.requests).toEqual([]);
    });

    it('generates the body from the response schema, references resolved, when there is no example', async () => {
      const result = await sandbox.execute(
        shop,
        find(shop, 'getOrder'),
        { order_id: 'ord_9' },
        test,
      );
      expect(result).toEqual({
        output: {
          status: 200,
          body: {
            id: 'ord_1001',
            created_at: '2025-06-15T14:22:00Z',
            status: 'open',
            total: 0,
            customer_email: 'jane.smith@example.com',
            lines: [{ sku: 'TSHIRT-M', quantity: 1 }],
          },
          simulated: true,
        },
        note: 'Simulated (test key): 200 from the response schema of GET /orders/{order_id}',
      });
      expect(service.requests).toEqual([]);
    });

    it('keeps the documented status: 201 for a creation, 204 and no body for a deletion', async () => {
      const created = await sandbox.execute(
        shop,
        find(shop, 'createOrder'),
        { customer_email: 'ada@example.com' },
        test,
      );
      expect(created.output).toEqual({
        status: 201,
        body: { id: 'ord_2002', status: 'open' },
        simulated: true,
      });
      const deleted = await sandbox.execute(
        shop,
        find(shop, 'deleteOrder'),
        { order_id: 'ord_9' },
        test,
      );
      expect(deleted).toEqual({
        output: { status: 204, body: null, simulated: true },
        note: 'Simulated (test key): 204, no content, for DELETE /orders/{order_id}',
      });
      expect(service.requests).toEqual([]);
    });

    it('simulates Swagger 2.0 operations from their examples and schemas', async () => {
      const pet = await sandbox.execute(pets, find(pets, 'getPet'), { petId: 7 }, test);
      expect(pet.output).toEqual({
        status: 200,
        body: { id: 7, name: 'Rex', tag: { label: 'good' } },
        simulated: true,
      });
      const list = await sandbox.execute(pets, find(pets, 'findPets'), {}, test);
      expect(list).toEqual({
        output: {
          status: 200,
          body: [{ name: 'doggie', id: 1, tag: { label: 'string' } }],
          simulated: true,
        },
        note: 'Simulated (test key): 200 from the response schema of GET /pets',
      });
      expect(service.requests).toEqual([]);
    });

    it('answers a success that says it is simulated when the operation documents no body', async () => {
      const result = await sandbox.execute(
        crm,
        find(crm, 'create_deal'),
        { contact_id: 'c_1', deal_name: 'Renewal', amount: 1200 },
        test,
      );
      expect(result).toEqual({
        output: {
          status: 200,
          body: {
            ok: true,
            message: expect.stringMatching(/^Simulated with a test key: nothing was sent/),
          },
          simulated: true,
        },
        note: 'Simulated (test key): 200, no response body documented for POST /create_deal',
      });
      const health = await sandbox.execute(shop, find(shop, 'health'), {}, test);
      expect(health.note).toBe(
        'Simulated (test key): 200, no response body documented for GET /health',
      );
      expect(service.requests).toEqual([]);
    });

    it('refuses missing required arguments as the live call would, without retry', async () => {
      const error = await failure(
        sandbox.execute(crm, find(crm, 'create_deal'), { contact_id: 'c_1' }, test),
      );
      expect(error).toMatchObject({
        code: 'invalid_arguments',
        retryable: false,
        message: 'Missing required arguments: deal_name, amount.',
      });
      const path = await failure(
        sandbox.execute(shop, find(shop, 'getOrder'), { order_id: '' }, test),
      );
      expect(path.code).toBe('invalid_arguments');
      expect(service.requests).toEqual([]);
    });

    it('does not simulate a cancelled call', async () => {
      const controller = new AbortController();
      controller.abort(new Error('cancelled by the caller'));
      await expect(
        sandbox.execute(
          shop,
          find(shop, 'listOrders'),
          {},
          createToolCallContext({ environment: 'test', signal: controller.signal }),
        ),
      ).rejects.toThrow('cancelled by the caller');
    });

    it('runs built-in tools for real', async () => {
      const json = builtinToolkits.find((toolkit) => toolkit.name === 'json');
      if (json === undefined) throw new Error('no json toolkit');
      const result = await sandbox.execute(
        json,
        find(json, 'jmespath'),
        { data: { people: [{ name: 'Ada' }] }, expression: 'people[0].name' },
        test,
      );
      expect(result.output).toEqual({ result: 'Ada' });
      expect(result.note ?? '').not.toMatch(/^Simulated/);
    });
  });

  describe('with a live key', () => {
    it('never simulates: the call reaches the real service and its answer comes back', async () => {
      const before = service.hits('/api/orders/ord_9');
      const result = await sandbox.execute(
        shop,
        find(shop, 'getOrder'),
        { order_id: 'ord_9' },
        createToolCallContext({ environment: 'live' }),
      );
      expect(service.hits('/api/orders/ord_9')).toBe(before + 1);
      expect(result.output).toEqual({ status: 200, body: { from: 'the real service' } });
      expect(result.note ?? '').not.toMatch(/Simulated/);
    });

    it('passes live failures through unchanged', async () => {
      const error = await failure(
        sandbox.execute(
          crm,
          find(crm, 'search_contacts'),
          { query: 'ada' },
          createToolCallContext({ environment: 'live' }),
        ),
      );
      expect(error).toMatchObject({ code: 'tool_http_error', status: 404 });
    });
  });
});

describe('createSandboxExecutor with the public directory', () => {
  const { specRoot, version } = findDirectoryPackage();
  let catalogDir: string;
  let provider: DirectoryProvider;
  let sandbox: ToolExecutor;

  beforeAll(() => {
    catalogDir = mkdtempSync(path.join(os.tmpdir(), 'cadre-sandbox-directory-'));
    buildDirectoryIndex({
      specRoot,
      directoryVersion: version,
      file: path.join(catalogDir, directoryIndexFileName(version)),
      specIds: ['1forge.com', 'xkcd.com'],
    });
    provider = new DirectoryProvider({ catalogDir, enabled: true, reservedNames: new Set() });
    if (!provider.openIfBuilt()) throw new Error('the test index did not open');
    sandbox = createSandboxExecutor({
      live: liveExecutor(networkGuard),
      responseSamples: provider,
    });
  });
  afterAll(async () => {
    await provider.close();
    rmSync(catalogDir, { recursive: true, force: true });
  });

  /** A directory tool as the catalog hands it to the executor, found by its route. */
  function directoryTool(toolkitName: string, route: string) {
    const index = provider.current();
    const toolkit = index?.findToolkit(toolkitName);
    if (index === undefined || toolkit === undefined) throw new Error(`no ${toolkitName}`);
    const info = index.toolkits[toolkit];
    for (
      let id = info?.firstTool ?? 0;
      id < (info?.firstTool ?? 0) + (info?.toolCount ?? 0);
      id++
    ) {
      if (index.route(id) !== route) continue;
      const tool = index.definition(id);
      return { toolkit: index.toolkitObject(toolkit, [tool]), tool };
    }
    throw new Error(`no ${route} in ${toolkitName}`);
  }

  it('keeps documented responses out of the definitions it caches', () => {
    const { tool } = directoryTool('xkcd', 'GET /info.0.json');
    expect(tool.binding).not.toHaveProperty('response');
  });

  it("reads a tool's documented response from the index when a test key calls it", async () => {
    const { toolkit, tool } = directoryTool('xkcd', 'GET /{comicId}/info.0.json');
    const result = await sandbox.execute(toolkit, tool, { comicId: 614 }, createToolCallContext());
    expect(result).toEqual({
      output: {
        status: 200,
        body: {
          alt: 'string',
          day: 'string',
          img: 'string',
          link: 'string',
          month: 'string',
          news: 'string',
          num: 1.5,
          safe_title: 'string',
          title: 'string',
          transcript: 'string',
          year: 'string',
        },
        simulated: true,
      },
      note: 'Simulated (test key): 200 from the response schema of GET /{comicId}/info.0.json',
    });
  });

  it("uses a directory schema's own example, and a plain success when none is documented", async () => {
    const symbols = directoryTool('1forge', 'GET /symbols');
    expect(
      (await sandbox.execute(symbols.toolkit, symbols.tool, {}, createToolCallContext())).output,
    ).toEqual({ status: 200, body: ['EURUSD', 'GBPJPY', 'AUDUSD'], simulated: true });
    const quotes = directoryTool('1forge', 'GET /quotes');
    expect(
      (await sandbox.execute(quotes.toolkit, quotes.tool, {}, createToolCallContext())).note,
    ).toBe('Simulated (test key): 200, no response body documented for GET /quotes');
  });

  it('sends directory calls with a live key to the network', async () => {
    const { toolkit, tool } = directoryTool('1forge', 'GET /symbols');
    const error = await failure(
      sandbox.execute(toolkit, tool, {}, createToolCallContext({ environment: 'live' })),
    );
    expect(error.message).toMatch(/The network was used: https:\/\/1forge\.com/);
  });
});

describe('createSandboxExecutor with a toolkit registered through the API', () => {
  it('simulates from the documented response stored with the toolkit', async () => {
    const t = await startTestCadre();
    try {
      const created = await t.request({
        method: 'POST',
        url: '/v1/toolkits',
        key: t.keys.test,
        body: { name: 'shop', openapi: shopOpenApi30 },
      });
      expect(created.status).toBe(201);
      const row = await t.cadre.database.db
        .selectFrom('toolkits')
        .selectAll()
        .where('name', '=', 'shop')
        .where('environment', '=', 'test')
        .executeTakeFirstOrThrow();
      const stored = rowToToolkit(row);
      const sandbox = createSandboxExecutor({ live: liveExecutor(networkGuard) });
      const result = await sandbox.execute(
        stored,
        find(stored, 'createOrder'),
        { customer_email: 'ada@example.com' },
        createToolCallContext(),
      );
      expect(result).toEqual({
        output: { status: 201, body: { id: 'ord_2002', status: 'open' }, simulated: true },
        note: 'Simulated (test key): 201 from the response example of POST /orders',
      });
    } finally {
      await t.close();
    }
  });
});
