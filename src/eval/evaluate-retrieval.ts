import { performance } from 'node:perf_hooks';
import { LexicalIndex, type IndexedFields, type SearchHit } from '../tools/ranking/index.js';
import { evalToolFields } from './eval-tool-fields.js';
import type { RetrievalEvalSet } from './retrieval-eval-set.js';
import { ndcgAt, percentile, recallAt } from './retrieval-metrics.js';

export interface Searcher {
  search(query: string, options: { limit?: number }): SearchHit[];
}

export interface RetrievalReport {
  tools: number;
  queries: number;
  /** Means over queries, 0..1. */
  ndcgAt10: number;
  recallAt5: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  buildMs: number;
  /** Gold entries that name no tool in the set; they count as misses. */
  unknownGold: number;
}

export interface EvaluateRetrievalOptions {
  /** Builds the ranker under test; the default is the catalog's LexicalIndex. */
  createIndex?: (documents: IndexedFields[]) => Searcher;
}

/**
 * Up to this many queries run once untimed first, so latency reflects a warmed-up process (JIT
 * compiled, caches filled) as in a long-running server rather than the first calls.
 */
const WARM_UP_QUERIES = 1000;

/** Indexes the set's tools, runs every query and scores the top 10 against the gold tools. */
export function evaluateRetrieval(
  set: RetrievalEvalSet,
  options: EvaluateRetrievalOptions = {},
): RetrievalReport {
  const createIndex = options.createIndex ?? ((documents) => new LexicalIndex(documents));
  const keys = set.tools.map((tool) => (set.gold_by === 'name' ? tool.name : tool.id));
  const known = new Set(keys);

  const buildStart = performance.now();
  const index = createIndex(set.tools.map(evalToolFields));
  const buildMs = performance.now() - buildStart;

  for (const query of set.queries.slice(0, WARM_UP_QUERIES))
    index.search(query.query, { limit: 10 });

  let ndcgSum = 0;
  let recallSum = 0;
  let unknownGold = 0;
  const latencies: number[] = [];
  for (const query of set.queries) {
    const start = performance.now();
    const hits = index.search(query.query, { limit: 10 });
    latencies.push(performance.now() - start);
    const ranked = hits.map((hit) => keys[hit.id] ?? '');
    const gold = new Set(query.gold);
    for (const item of gold) if (!known.has(item)) unknownGold++;
    ndcgSum += ndcgAt(ranked, gold, 10);
    recallSum += recallAt(ranked, gold, 5);
  }
  const count = Math.max(set.queries.length, 1);
  return {
    tools: set.tools.length,
    queries: set.queries.length,
    ndcgAt10: ndcgSum / count,
    recallAt5: recallSum / count,
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
    buildMs,
    unknownGold,
  };
}
