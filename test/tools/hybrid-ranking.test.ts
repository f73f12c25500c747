import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DomainSelector,
  HybridRanker,
  ToolCatalog,
  createOpenAiEmbeddingClient,
  type Toolkit,
} from '../../src/tools/index.js';
import { startApiCadre, type ApiHarness } from '../support/api-harness.js';

/**
 * A scripted OpenAI-compatible embedding server: a text's vector counts its words from a few
 * topics, so "money back" lands near refunds although no word is shared.
 */
const TOPICS = [
  ['refund', 'refunds', 'money', 'back', 'reimburse'],
  ['subscription', 'subscriptions', 'plan', 'renewal'],
  ['invoice', 'invoices', 'bill', 'billing'],
];

function embed(text: string): number[] {
  const words = text.toLowerCase().split(/[^a-z]+/);
  return TOPICS.map((topic) => words.filter((word) => topic.includes(word)).length);
}

interface EmbeddingServer {
  url: string;
  inputs: string[][];
  failing: boolean;
  close(): Promise<void>;
}

async function startEmbeddingServer(): Promise<EmbeddingServer> {
  const state: EmbeddingServer = { url: '', inputs: [], failing: false, close: async () => {} };
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const { input } = JSON.parse(body) as { input: string[] };
      state.inputs.push(input);
      if (state.failing || request.url !== '/v1/embeddings') {
        response.writeHead(500).end('{}');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ data: input.map((text, index) => ({ index, embedding: embed(text) })) }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

/**
 * In lexical order. By embedding, for "money back on the bill" ([2, 0, 1]): refund ([1, 0, 1]),
 * then invoice and list (both [0, 0, k], in their lexical order), then plan ([0, 2, 1]).
 */
const CANDIDATES = [
  { key: 'billing__cancelPlan', text: 'billing__cancelPlan: Cancel a subscription plan.' },
  { key: 'billing__refundCharge', text: 'billing__refundCharge: Refund a charge to the card.' },
  { key: 'billing__getInvoice', text: 'billing__getInvoice: Retrieve an invoice.' },
  { key: 'billing__listPayments', text: 'billing__listPayments: List payments.' },
];

describe('hybrid lexical and embedding ranking', () => {
  let server: EmbeddingServer;
  beforeAll(async () => {
    server = await startEmbeddingServer();
  });
  afterAll(() => server.close());
  afterEach(() => {
    server.inputs = [];
    server.failing = false;
  });

  function ranker(onError?: (error: unknown) => void) {
    return new HybridRanker(
      createOpenAiEmbeddingClient({ baseUrl: server.url, apiKey: 'k', model: 'scripted' }),
      onError === undefined ? {} : { onError },
    );
  }

  it('fuses the lexical order with embedding similarity (reciprocal rank fusion, k = 60)', async () => {
    // Fused: refund 1/62 + 1/61, plan 1/61 + 1/64, invoice 1/63 + 1/62, list 1/64 + 1/63.
    expect(await ranker().order('money back on the bill', CANDIDATES)).toEqual([1, 0, 2, 3]);
  });

  it('embeds each tool once and then only the query', async () => {
    const hybrid = ranker();
    await hybrid.order('money back', CANDIDATES);
    await hybrid.order('renew the plan', CANDIDATES);
    expect(server.inputs.map((input) => input.length)).toEqual([5, 1]);
  });

  it('keeps the lexical order, and reports why, when the embedding model fails', async () => {
    server.failing = true;
    const errors: unknown[] = [];
    expect(await ranker((error) => errors.push(error)).order('money back', CANDIDATES)).toEqual([
      0, 1, 2, 3,
    ]);
    expect(String(errors[0])).toMatch(/answered 500/);
  });

  it('re-ranks task-time narrowing too, over the lexical candidates of the domain', async () => {
    const tool = (action: string, description: string) => ({
      toolkit: 'billing',
      action,
      description,
      parameters: { type: 'object', properties: {} },
      binding: { kind: 'builtin' as const, handler: 'none' },
      sideEffects: false,
    });
    const billing: Toolkit = {
      id: 'tk_billing',
      name: 'billing',
      description: 'Billing.',
      source: 'capabilities',
      baseUrl: 'https://billing.example.com',
      auth: { type: 'none' },
      tools: [
        tool('cancelPlan', 'Cancel the customer subscription plan.'),
        tool('refundCharge', 'Refund a charge of the customer.'),
      ],
    };
    const catalog = new ToolCatalog({
      version: () => Promise.resolve('1'),
      list: () => Promise.resolve([billing]),
    });
    const selector = new DomainSelector(catalog, 64, { hybrid: ranker() });
    const ranked = await selector.rankForTask(
      { projectId: 'p', environment: 'live' },
      ['billing__cancelPlan', 'billing__refundCharge'],
      'customer plan refund',
      2,
    );
    expect(ranked.map((each) => each.name).sort()).toEqual([
      'billing__cancelPlan',
      'billing__refundCharge',
    ]);
    expect(server.inputs.at(-1)).toEqual([
      'customer plan refund',
      expect.stringMatching(/^billing__/),
      expect.stringMatching(/^billing__/),
    ]);
  });

  describe('in the search API, when CADRE_EMBEDDING_MODEL is set', () => {
    let api: ApiHarness;
    beforeAll(async () => {
      api = await startApiCadre({
        CADRE_DIRECTORY: 'off',
        CADRE_EMBEDDING_MODEL: 'openai-compatible:scripted',
        CADRE_EMBEDDING_BASE_URL: server.url,
      });
      const created = await api.request({
        method: 'POST',
        url: '/v1/toolkits',
        body: {
          name: 'billing',
          description: 'Billing of our customers.',
          version: '1.0.0',
          base_url: 'https://billing.example.com',
          auth: { type: 'none' },
          capabilities: [
            {
              name: 'get_invoice',
              description: 'Retrieve a customer invoice.',
              method: 'GET',
              path: '/invoice',
            },
            {
              name: 'cancel_plan',
              description: 'Cancel the customer subscription plan.',
              method: 'POST',
              path: '/cancel',
            },
            {
              name: 'refund_charge',
              description: 'Refund a charge of the customer.',
              method: 'POST',
              path: '/refund',
            },
          ],
        },
      });
      expect(created.status).toBe(201);
    });
    afterAll(() => api.close());

    it('re-ranks search results with the embedding model, keeping their lexical scores', async () => {
      const response = await api.request({
        method: 'GET',
        url: '/v1/tools?q=customer%20refund&toolkit=billing',
      });
      expect(response.status).toBe(200);
      expect(response.body.data[0]).toMatchObject({
        name: 'billing__refund_charge',
        score: expect.any(Number),
      });
      const [query, ...tools] = server.inputs.at(-1) ?? [];
      expect(query).toBe('customer refund');
      expect(tools).toEqual(
        expect.arrayContaining([expect.stringMatching(/^billing__refund_charge: Refund a charge/)]),
      );
    });
  });
});
