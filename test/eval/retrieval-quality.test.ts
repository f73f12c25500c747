import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateRetrieval, loadRetrievalEvalSet } from '../../src/eval/index.js';

// The shared eval sets sit beside the repository (../shared/eval), on developer machines and CI.
const EVAL_DIR = path.resolve(import.meta.dirname, '../../../shared/eval');

/**
 * Regression floors for the default ranking, about two points under what it scores on these
 * samples (every 40th ToolE single query keeps the run short). Full-set figures come from
 * `cadre eval retrieval` and bench/retrieval-bench.ts.
 */
const CASES = [
  { file: 'toole_single.json', every: 40, ndcgAt10: 60, recallAt5: 67 },
  { file: 'toole_multi.json', every: 1, ndcgAt10: 71, recallAt5: 76 },
  { file: 'seal_test_in_domain.json', every: 1, ndcgAt10: 92, recallAt5: 91 },
  { file: 'seal_test_out_domain.json', every: 1, ndcgAt10: 91, recallAt5: 89 },
];

describe.skipIf(!existsSync(EVAL_DIR))('retrieval quality on the shared eval sets', () => {
  for (const { file, every, ndcgAt10, recallAt5 } of CASES) {
    it(`keeps nDCG@10 ≥ ${ndcgAt10} and Recall@5 ≥ ${recallAt5} on ${file}`, async () => {
      const set = await loadRetrievalEvalSet(path.join(EVAL_DIR, file));
      const report = evaluateRetrieval({
        ...set,
        queries: set.queries.filter((_, index) => index % every === 0),
      });
      expect(report.unknownGold).toBe(0);
      expect(report.ndcgAt10 * 100).toBeGreaterThanOrEqual(ndcgAt10);
      expect(report.recallAt5 * 100).toBeGreaterThanOrEqual(recallAt5);
    });
  }
});
